"""Accessibility in real Chromium: axe-core on every page kind finds nothing serious or critical,
and search, compare and verify work with the keyboard alone (page.keyboard only, no clicks).

axe-core is vendored from the npm registry in tests/assets/vendor/axe-core/ (see the README there)
and injected through the DevTools protocol, which the pages' Content-Security-Policy does not
govern; it is never published with the site.
"""

from __future__ import annotations

import pytest
from _site_tour import ISSUED_HOLDERS, KIND_IDS, KINDS, published_url, visit
from _wait import wait_until
from conftest import ASSETS

pytestmark = pytest.mark.browser

AXE = (ASSETS / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory, serve) -> str:  # type: ignore[no-untyped-def]
    return published_url(tmp_path_factory, serve)


@pytest.fixture(scope="module")
def tab(browser):  # type: ignore[no-untyped-def]
    """One page for the whole module: the axe runs and keyboard walks share it."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def axe_violations(page) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """axe's violations on the page as it is now, with the elements each one concerns. Colour
    transitions (a pressed button fading back) are let finish first: axe reads computed colours,
    and on a loaded machine it used to catch one half-way and report its contrast."""
    page.mouse.move(0, 0)
    page.evaluate("""() => Promise.all(document.getAnimations()
        .filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => null)))""")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE)
    return page.evaluate("""async () => {
      const r = await axe.run(document, { resultTypes: ["violations"] });
      return r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
      }));
    }""")


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_no_serious_or_critical_axe_violations(tab, url: str, kind) -> None:  # type: ignore[no-untyped-def]
    visit(tab, url, kind)
    found = [v for v in axe_violations(tab) if v["impact"] in BLOCKING]
    assert found == []


# ---------------------------------------------------------------- the keyboard alone


def focused(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector)


def tab_to(page, selector: str, limit: int = 200) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"{selector} is not reached within {limit} presses of Tab")


def columns(page, n: int) -> None:  # type: ignore[no-untyped-def]
    """Wait until the compare table has `n` columns (the label column included), polled
    from Python: Playwright's wait_for_function may eval, which the pages' policy forbids."""
    wait_until(
        page,
        "(n) => document.querySelectorAll('.xcert-compare-table thead th').length === n",
        n,
        what=f"{n} columns in the compare table",
    )


def test_search_with_the_keyboard(tab, url: str) -> None:  # type: ignore[no-untyped-def]
    # From the header box on any page to a result's page: type, Enter, Tab to a result, Enter.
    tab.goto(f"{url}/notices/")
    tab_to(tab, ".xcert-header-search input")
    tab.keyboard.type("养老")
    tab.keyboard.press("Enter")
    tab.wait_for_selector("#xcert-search .pagefind-ui__result-link", timeout=20_000)
    assert tab.url.startswith(f"{url}/search/?q=")
    tab_to(tab, "#xcert-search .pagefind-ui__result-link")
    target = tab.evaluate("document.activeElement.href")
    tab.keyboard.press("Enter")
    tab.wait_for_url(target)
    assert "/search/" not in tab.url


def test_compare_with_the_keyboard(tab, url: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(f"{url}/compare/?c=")
    tab.wait_for_selector("#xcert-compare[data-ready]")
    tab_to(tab, "#xcert-compare-input")
    for name in ("Web 前端开发职业技能等级证书", "物流管理", "老年照护"):
        tab.keyboard.type(name)
        tab.keyboard.press("Enter")
    columns(tab, 4)
    assert tab.url.endswith("?c=web-frontend,logistics-management,elderly-care")
    tab_to(tab, "button.xcert-compare-remove[aria-label$='物流管理']")
    tab.keyboard.press("Enter")
    columns(tab, 3)
    assert tab.url.endswith("?c=web-frontend,elderly-care")
    assert focused(tab, "#xcert-compare-input")  # not lost with the redrawn table


def test_verify_with_the_keyboard(tab, url: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(f"{url}/verify/")
    tab.wait_for_selector("#xv-demo:not([hidden])")
    # Pasted text (typed in one go, as a paste arrives), then the button under it.
    tab_to(tab, "#xv-text")
    tab.keyboard.insert_text(tab.request.get(f"{url}/verify/demo/altered.json").text())
    tab_to(tab, "#xv-text-go")
    tab.keyboard.press("Enter")
    tab.wait_for_selector("#xv-result[data-verdict=altered]")
    # Number and name: Enter in the name field submits.
    number, name, national_id = ISSUED_HOLDERS[0]
    tab_to(tab, "#xv-number")
    tab.keyboard.type(number)
    tab.keyboard.press("Tab")
    assert focused(tab, "#xv-name")
    tab.keyboard.type(name)
    tab.keyboard.press("Enter")
    tab.wait_for_selector("#xv-result[data-verdict=valid]")
    shown = tab.inner_text("#xv-result")
    assert number in shown and f"{national_id[:4]}{'*' * 10}{national_id[-4:]}" in shown
