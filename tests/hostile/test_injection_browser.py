"""Script and HTML injection in every free-text field, checked in real Chromium on every page kind:
no dialog opens, no injected element exists, and the payload reads as text where it is shown.

The catalogue is tests/assets/hostile/skeleton/ with each free-text value replaced by a marker
(X001...) and the payloads of hostile/_inject.py; the site is built once per session.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from hostile._inject import FIND_INJECTED, PAYLOAD, VISIBLE, collect_dialogs
from hostile.conftest import InjectedSite

pytestmark = pytest.mark.browser

MARKER = re.compile(r"X\d{3}")


def _built_pages(site: Path) -> set[str]:
    pages = {str(p.parent.relative_to(site)) + "/" for p in site.rglob("index.html")}
    return {"" if p == "./" else p for p in pages if not p.startswith("assets/")}


def _wait_for_scripts(page, path: str) -> None:  # type: ignore[no-untyped-def]
    """Until the page's own scripts have put catalogue text on it."""
    if path.startswith("search/?"):
        page.wait_for_selector(".pagefind-ui__result, .pagefind-ui__message")
        page.wait_for_selector(".pagefind-ui__filter-label", state="attached")
    elif path.startswith("finder/"):
        page.wait_for_selector("form[data-ready]")
    elif path.startswith("compare/?"):
        page.wait_for_selector("#xcert-compare[data-ready]")


@pytest.fixture(scope="module")
def base(injected: InjectedSite, serve) -> str:  # type: ignore[no-untyped-def]
    return serve(injected.site)


# Every page of the site (the test below checks the list), and the pages whose scripts show
# catalogue text: search results and filters, compare, the finder.
PATHS = [
    "",
    "certificates/",
    "certificates/tax/",
    "certificates/web-frontend/",
    "compare/",
    "fields/",
    "fields/electronic-information/",
    "fields/finance-commerce/",
    "finder/",
    "majors/",
    "majors/computer-applications/",
    "majors/software-engineering/",
    "majors/software-technology/",
    "notices/",
    "notices/cost-caps/",
    "notices/first-batch/",
    "notices/first-batch-confirmed/",
    "open-data/",
    "organizations/",
    "organizations/other-org/",
    "organizations/test-org/",
    "search/",
    "standards/",
    "standards/web-frontend/",
    "verify/",
    f"search/?q={quote(PAYLOAD)}",
    "search/?q=alert",
    "search/?q=X004",
    "compare/?c=web-frontend,tax",
    "finder/?major={major}",
]


def test_every_page_of_the_site_is_visited(injected: InjectedSite) -> None:
    assert _built_pages(injected.site) == {p for p in PATHS if "?" not in p}


@pytest.mark.parametrize("path", PATHS)
def test_no_payload_runs_or_becomes_an_element(
    page,
    base: str,
    path: str,  # type: ignore[no-untyped-def]
    injected: InjectedSite,
) -> None:
    url = f"{base}/{path.format(major=quote(injected.injector.values['软件技术']))}"
    dialogs = collect_dialogs(page)
    page.goto(url, wait_until="load")
    _wait_for_scripts(page, path)
    injected_elements = page.evaluate(FIND_INJECTED)
    assert injected_elements == [], "\n".join(injected_elements)
    assert dialogs == []
    text = page.inner_text("body")
    if not path.startswith("search/"):  # search excerpts are cut to a few words
        for marker in set(MARKER.findall(text)):
            assert f"{marker} {VISIBLE}" in text, f"{marker} is not shown as its text on {path}"
