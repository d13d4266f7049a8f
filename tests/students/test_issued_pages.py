"""The issued-certificate counts on the pages and in the API: a table per year and level, a chart
with its source, DEMO figures said to be DEMO, real ones not."""

from __future__ import annotations

import datetime as dt
import json

from conftest import REPO
from jsonschema import Draft202012Validator

from generator.models import IssuedCount, IssuedRecords
from generator.render.api import SCHEMAS, render_api
from generator.render.pages import render_pages
from generator.validate import load_catalogue

TODAY = dt.date(2026, 11, 30)
COUNTS = (
    IssuedCount("web-frontend", 2023, "初级", issued=120, revoked=0),
    IssuedCount("web-frontend", 2024, "中级", issued=80, revoked=3),
    IssuedCount("web-frontend", 2024, "初级", issued=15, revoked=0),
    IssuedCount("logistics-management", 2024, "高级", issued=7, revoked=0),
    IssuedCount("no-such-certificate", 2024, "中级", issued=9, revoked=0),  # not in the catalogue
)


def _pages(demo: bool) -> dict[str, str]:
    issued = IssuedRecords(counts=COUNTS, demo=demo, as_of=TODAY)
    return {
        p.path: p.content
        for p in render_pages(load_catalogue(REPO / "catalogue"), today=TODAY, issued=issued)
    }


def test_certificate_page_tables_issued_certificates_per_year_and_level() -> None:
    page = _pages(demo=False)["certificates/web-frontend.md"]
    section = page.split("## 颁证统计", 1)[1].split("\n## ", 1)[0]
    assert "| 颁证年份 | 初级 | 中级 | 高级 | 合计 | 其中已撤销 |" in section
    assert "| 2023年 | 120 | 0 | 0 | 120 | 0 |" in section
    assert "| 2024年 | 15 | 80 | 0 | 95 | 3 |" in section
    assert "| 合计 | 135 | 80 | 0 | 215 | 3 |" in section
    assert "charts/certificates-web-frontend-issued-records.svg" in section
    assert "来源：本站发布的已签名证书记录" in section and "数据日期：2026-11-30" in section
    assert "DEMO" not in section


def test_demo_counts_say_they_are_demo_on_the_page_and_in_the_chart() -> None:
    pages = _pages(demo=True)
    section = pages["certificates/web-frontend.md"].split("## 颁证统计", 1)[1]
    assert '!!! warning "DEMO 演示数据"' in section
    assert "来源：DEMO 演示记录" in section
    svg = pages["charts/certificates-web-frontend-issued-records.svg"]
    assert "<title>DEMO 演示数据：已颁发证书数（按年份、等级）</title>" in svg
    assert ">2024年 中级</text>" in svg and ">80 份</text>" in svg


def test_certificates_without_records_say_so_and_have_no_chart() -> None:
    pages = _pages(demo=False)
    assert "本站尚未发布此证书的颁证记录。" in pages["certificates/elderly-care.md"]
    assert "charts/certificates-elderly-care-issued-records.svg" not in pages
    # Counts of a certificate the catalogue does not have are not shown anywhere.
    assert not any("no-such-certificate" in path for path in pages)


def test_field_page_ranks_its_certificates_by_certificates_issued() -> None:
    pages = _pages(demo=False)
    field = pages["fields/electronic-information.md"]
    assert "charts/fields-electronic-information-issued-records.svg" in field
    svg = pages["charts/fields-electronic-information-issued-records.svg"]
    assert ">Web 前端开发</text>" in svg and ">215 份</text>" in svg
    assert "| Web 前端开发 | 215份 |" in field  # the table alternative


def test_api_carries_the_counts_and_matches_its_schema() -> None:
    issued = IssuedRecords(counts=COUNTS, demo=False, as_of=TODAY)
    pages = {
        p.path: json.loads(p.content)
        for p in render_api(load_catalogue(REPO / "catalogue"), today=TODAY, issued=issued)
        if p.path.endswith(".json")
    }
    validator = Draft202012Validator(
        json.loads((SCHEMAS / "certificate.schema.json").read_text(encoding="utf-8"))
    )
    web = pages["api/certificates/web-frontend.json"]
    validator.validate(web)
    assert web["issued_records"] == {
        "demo": False,
        "source": "本站发布的已签名证书记录（构建时逐份验证签名后计数）",
        "as_of": "2026-11-30",
        "total": 215,
        "revoked": 3,
        "counts": [
            {"year": 2023, "level": "初级", "issued": 120, "revoked": 0},
            {"year": 2024, "level": "初级", "issued": 15, "revoked": 0},
            {"year": 2024, "level": "中级", "issued": 80, "revoked": 3},
        ],
    }
    empty = pages["api/certificates/elderly-care.json"]["issued_records"]
    assert (empty["total"], empty["counts"]) == (0, [])


def test_organization_page_adds_an_issued_column_only_when_its_certificates_have_records() -> None:
    pages = _pages(demo=True)
    miit = pages["organizations/miit-etc.md"]
    assert "| 证书 | 批次 | 领域 | 等级 | 状态 | 已颁发证书（DEMO 演示数据） |" in miit
    assert "| 已确认 | 215 |" in miit
    aisino = pages["organizations/aisino.md"]  # 金税财务应用: no records
    assert "| 证书 | 批次 | 领域 | 等级 | 状态 |\n|---|---|---|---|---|\n" in aisino
