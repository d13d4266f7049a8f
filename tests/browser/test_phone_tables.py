"""Tables on a phone (390 CSS pixels): every column of a content table is on the screen without
scrolling sideways, even inside the table's own box (each row is a card of "column: value"
lines; only the compare table, three certificates side by side, scrolls in its box), and the
site title in the header is whole. On a desktop the same tables stay tables.
"""

from __future__ import annotations

import pytest
from _site_tour import KIND_IDS, KINDS, published_url, visit

pytestmark = pytest.mark.browser

# Content tables (not the compare table) and how far each reaches: the table, its scrolling box,
# and the cells of every labelled column.
TABLES = """() => [...document.querySelectorAll('.md-typeset table:not(.xcert-compare-table)')]
  .filter((t) => t.getClientRects().length)
  .map((t) => {
    const box = t.closest('.md-typeset__scrollwrap') || t.parentElement;
    const cells = [...t.querySelectorAll('tbody td')].filter((c) => c.getClientRects().length);
    return {
      columns: t.querySelectorAll('thead th').length,
      right: t.getBoundingClientRect().right,
      scrolls: box.scrollWidth > box.clientWidth + 1,
      outside: cells.filter((c) => c.getBoundingClientRect().right > innerWidth + 1
        || c.getBoundingClientRect().left < -1).map((c) => c.dataset.label || c.textContent),
    };
  })"""
TITLE = """() => { const t = document.querySelector('.md-header__topic .md-ellipsis');
  return [t.textContent.trim(), t.scrollWidth, t.clientWidth]; }"""


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory, serve) -> str:  # type: ignore[no-untyped-def]
    return published_url(tmp_path_factory, serve)


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_every_column_is_on_a_phone_screen_and_the_title_is_whole(phone, url: str, kind) -> None:  # type: ignore[no-untyped-def]
    visit(phone, url, kind)
    phone.wait_for_load_state("load")  # tables.js, a module, has run by the load event
    tables = phone.evaluate(TABLES)
    assert [t for t in tables if t["scrolls"] or t["right"] > 391 or t["outside"]] == []
    title, wide, shown = phone.evaluate(TITLE)
    assert title == "1+X 证书公开目录" and wide <= shown, f"the title is cut: {wide} > {shown}"


def test_the_notices_table_shows_each_notice_as_a_card_with_its_period(phone, url: str) -> None:  # type: ignore[no-untyped-def]
    phone.goto(f"{url}/notices/")
    phone.wait_for_load_state("load")
    first = phone.locator(".md-typeset table tbody tr").first
    labels = first.evaluate("(tr) => [...tr.children].map((td) => td.dataset.label)")
    assert labels[:2] == ["日期", "标题"] and "公示期" in labels
    title = phone.locator(".md-typeset table tbody tr td[data-label='标题']").first
    box = title.bounding_box()
    assert box and box["width"] > 200  # not a column of five characters


def test_the_exam_table_shows_the_pass_mark_and_notes_on_a_phone(phone, url: str) -> None:  # type: ignore[no-untyped-def]
    phone.goto(f"{url}/certificates/web-frontend/")
    phone.wait_for_load_state("load")
    for label in ("合格线", "说明"):
        cell = phone.locator(f"td[data-label='{label}']").first
        cell.scroll_into_view_if_needed()
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, label
        assert cell.is_visible()


def test_on_a_desktop_tables_stay_tables(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{url}/notices/")
    page.wait_for_load_state("load")
    cells = page.eval_on_selector_all(
        ".md-typeset table tbody td",
        "tds => [...new Set(tds.map((td) => getComputedStyle(td).display))]",
    )
    assert cells == ["table-cell"]
