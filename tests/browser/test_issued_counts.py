"""Counts of issued certificates as a visitor sees them, on the site built from the DEMO records
plus a batch issued through the command line (_site_tour.published_site): the certificate page's
table and chart, the field page's chart, the compare row, and the open data, all derived from the
published records and all saying DEMO."""

from __future__ import annotations

import json

import pytest
from _site_tour import ISSUED_HOLDERS, published_url

pytestmark = pytest.mark.browser

# The demo's records (generator/credentials/issuing/demo.py): one per level, all issued in 2024,
# one of them revoked; ISSUED_HOLDERS adds two 中级 records issued in 2024.
DEMO_RECORDS = 3


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory, serve) -> str:  # type: ignore[no-untyped-def]
    return published_url(tmp_path_factory, serve)


def test_certificate_page_shows_issued_counts_from_the_records_with_chart_and_source(
    page, url
) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/certificates/web-frontend/")
    heading = page.locator("h2", has_text="颁证统计")
    assert heading.count() == 1
    section = page.locator("article")
    table = page.locator("table:has(th:text('颁证年份'))")
    rows = table.evaluate(
        "t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent.trim()))"
    )
    total = DEMO_RECORDS + len(ISSUED_HOLDERS)
    assert rows[-1][0] == "合计" and rows[-1][4] == str(total)
    assert rows[0][0] == "2024年"
    img = page.locator("img.xcert-chart[src*='issued-records']")
    assert img.get_attribute("alt") == "DEMO 演示数据：已颁发证书数（按年份、等级）"
    assert img.evaluate("i => i.complete && i.naturalWidth") > 0
    text = section.inner_text()
    assert "DEMO 演示数据" in text and "来源：DEMO 演示记录" in text


def test_field_page_charts_certificates_by_issued_records(page, url) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/fields/electronic-information/")
    img = page.locator("img.xcert-chart[src*='issued-records']")
    assert img.get_attribute("alt") == "DEMO 演示数据：本领域各证书已颁发证书数"
    assert img.evaluate("i => i.complete && i.naturalWidth") > 0


def test_compare_row_shows_issued_counts_and_says_demo(page, url) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/compare/?c=web-frontend,logistics-management")
    page.wait_for_selector("#xcert-compare[data-ready=true]")
    row = page.locator(".xcert-compare-table tbody tr", has_text="已颁发证书（本站记录）")
    cells = row.evaluate("r => [...r.cells].map(c => c.textContent)")
    total = DEMO_RECORDS + len(ISSUED_HOLDERS)
    assert cells[1] == f"DEMO 演示数据：共 {total} 份（2024年 {total} 份，其中已撤销 1 份）"
    assert cells[2] == "本站尚无颁证记录"
    assert row.get_attribute("class") == "xcert-diff"


def test_open_data_counts_match_the_page(page, url) -> None:  # type: ignore[no-untyped-def]
    response = page.request.get(f"{url}/api/certificates/web-frontend.json")
    data = json.loads(response.body())["issued_records"]
    assert data["demo"] is True
    assert data["total"] == DEMO_RECORDS + len(ISSUED_HOLDERS) and data["revoked"] == 1
    assert {c["year"] for c in data["counts"]} == {2024}
