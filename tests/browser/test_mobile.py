"""Every page kind on a phone (390 CSS pixels wide): the page never scrolls sideways, and a table
wider than the screen scrolls inside its own box. A full-page screenshot of each kind is kept in
test-artifacts/mobile/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import pytest
from _site_tour import KIND_IDS, KINDS, published_url, visit
from conftest import PHONE_WIDTH, REPO

pytestmark = pytest.mark.browser

SHOTS = REPO / "test-artifacts" / "mobile"

# Tables wider than the screen, each with the box that scrolls it (if any) and that box's edges.
WIDE_TABLES = """() => [...document.querySelectorAll("table")]
  .filter((t) => t.getClientRects().length && t.getBoundingClientRect().right > innerWidth + 1)
  .map((t) => {
    let box = t.parentElement;
    const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
    while (box && !scrolls(box)) box = box.parentElement;
    const r = box?.getBoundingClientRect();
    return {
      table: t.className || t.parentElement.className,
      scrolls: !!box && r.left >= -1 && r.right <= innerWidth + 1
        && box.scrollWidth > box.clientWidth,
    };
  })"""


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory, serve) -> str:  # type: ignore[no-untyped-def]
    return published_url(tmp_path_factory, serve)


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_no_sideways_scrolling_on_a_phone(phone, url: str, kind) -> None:  # type: ignore[no-untyped-def]
    visit(phone, url, kind)
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / f"{kind.name}.png"), full_page=True)
    page_box = "document.scrollingElement"
    wide, screen = phone.evaluate(f"[{page_box}.scrollWidth, {page_box}.clientWidth]")
    assert wide <= screen == PHONE_WIDTH, f"the page is {wide} px wide on a {screen} px screen"
    tables = phone.evaluate(WIDE_TABLES)
    assert [t for t in tables if not t["scrolls"]] == []
    if kind.name == "compare":
        # Three certificates do not fit side by side: the table scrolls in its own box.
        assert [t["table"] for t in tables] == ["xcert-compare-table"]


def test_the_finder_s_major_label_sits_above_its_box_on_a_phone(phone, url: str) -> None:  # type: ignore[no-untyped-def]
    phone.goto(f"{url}/finder/")
    boxes = phone.evaluate("""() => ["#xcert-finder fieldset", "label[for=xcert-finder-major]",
        "#xcert-finder-major"].map((s) => document.querySelector(s).getBoundingClientRect())
        .map((r) => ({ top: r.top, bottom: r.bottom, left: r.left }))""")
    levels, label, box = boxes
    # The label starts its own line below the level choice and is the line just above its box.
    assert label["top"] >= levels["bottom"] - 1, boxes
    assert label["bottom"] <= box["top"] + 1 and abs(label["left"] - box["left"]) < 2, boxes
