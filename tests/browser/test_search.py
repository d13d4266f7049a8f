"""Search in real Chromium: the Pagefind UI on /search/, the header box, filters and exclusions.

The site is the shipped catalogue built once per session (tests/conftest.py). The first tests
drive the search page as a visitor does (open /search/?q=… or type into the Pagefind input and
wait for the results); the exclusion tests ask Pagefind's JS API directly.
"""
from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, quote, urlsplit

import pytest

pytestmark = pytest.mark.browser

ELDERLY_CARE = "/certificates/elderly-care/"
DEMENTIA_CARE = "/certificates/dementia-elderly-care/"
ELDERLY_ASSOCIATION = "/organizations/china-social-welfare-elderly-service-association/"
INDUSTRIAL_ROBOTS = {
    "/certificates/industrial-robot-assembly-commissioning/",
    "/certificates/industrial-robot-integration/",
    "/certificates/industrial-robot-operation-maintenance/",
    "/certificates/industrial-robot-programming/",
}
WEB_FRONTEND = "/certificates/web-frontend/"
NOTICE_341 = "/notices/2019-341-third-batch-announcement/"

UI = "#xcert-search"
# A result's own link (not the links to its sub-results, which carry #fragments).
OWN_LINK = ".pagefind-ui__result-inner > .pagefind-ui__result-title .pagefind-ui__result-link"
RESULT_LINK = f"{UI} {OWN_LINK}"
LOAD_MORE = f"{UI} button.pagefind-ui__button"


# ---------------------------------------------------------------- helpers

def _path(href: str) -> str:
    return urlsplit(href).path


def _ui_state(page) -> tuple[str, tuple[str, ...], int]:  # type: ignore[no-untyped-def]
    return page.evaluate(
        """(sel) => {
          const root = document.querySelector(sel.ui);
          const msg = root?.querySelector('.pagefind-ui__message')?.textContent.trim() ?? '';
          const links = [...(root?.querySelectorAll(sel.link) ?? [])].map((a) => a.href);
          const loading = root?.querySelectorAll('.pagefind-ui__loading').length ?? 0;
          return [msg, links, loading];
        }""",
        {"ui": UI, "link": RESULT_LINK},
    )


def wait_for_results(page, timeout: float = 20.0,  # type: ignore[no-untyped-def]
                     settle: float = 0.6) -> list[str]:
    """Wait until the Pagefind UI shows a settled answer; returns the result paths shown."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        msg, links, loading = _ui_state(page)
        state = (msg, tuple(links))
        if state != last:
            last, since = state, time.monotonic()
        elif msg and not loading and time.monotonic() - since >= settle:
            return [_path(h) for h in links]
        page.wait_for_timeout(100)
    raise AssertionError(f"the search UI did not settle within {timeout}s: {last}")


def all_results(page, limit: int = 60) -> list[str]:  # type: ignore[no-untyped-def]
    """Every result of the current search, pressing "load more" until it is gone."""
    paths = wait_for_results(page)
    for _ in range(limit):
        button = page.locator(LOAD_MORE)
        if button.count() == 0 or not button.first.is_visible():
            return paths
        button.first.click()
        page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n",
                               arg=[RESULT_LINK, len(paths)], timeout=15_000)
        paths = wait_for_results(page, settle=0.3)
    raise AssertionError(f"still more results after {limit} pages")


def open_search(page, site_url: str, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Open /search/?q=query as a shared link would; returns the first results shown."""
    page.goto(f"{site_url}/search/?q={quote(query)}")
    return wait_for_results(page)


def type_search(page, site_url: str, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Open /search/ and type into the Pagefind input; returns the first results shown."""
    page.goto(f"{site_url}/search/")
    box = page.locator(f"{UI} .pagefind-ui__search-input")
    box.wait_for(state="visible", timeout=15_000)
    box.click()
    box.type(query, delay=30)
    return wait_for_results(page)


def js_search(page, site_url: str, query: str | None) -> list[str]:  # type: ignore[no-untyped-def]
    """Pagefind's JS API (null: every indexed page); returns result paths in rank order."""
    if not page.url.startswith(site_url):
        page.goto(f"{site_url}/search/")
    urls = page.evaluate(
        """async (q) => {
          const pf = await import('/pagefind/pagefind.js');
          const r = await pf.search(q);
          const data = await Promise.all(r.results.map((x) => x.data()));
          return data.map((d) => d.url);
        }""",
        query,
    )
    return [_path(u) for u in urls]


# ---------------------------------------------------------------- the search page UI

def test_yanglao_finds_both_elderly_care_certificates_and_the_organization(page, site_url):
    # 失智老年人照护's name never says 养老: its catalogue keywords do, and the page shows them.
    open_search(page, site_url, "养老")
    found = all_results(page)
    assert {ELDERLY_CARE, DEMENTIA_CARE, ELDERLY_ASSOCIATION} <= set(found), found


def test_laonian_zhaohu_finds_both_elderly_care_certificates(page, site_url):
    # 失智老年人照护 never says 养老; it is the certificate a visitor looking for elderly care
    # wants next to 老年照护, and 老年照护 (as typed) must bring up both.
    first = type_search(page, site_url, "老年照护")
    assert ELDERLY_CARE in first, first
    assert DEMENTIA_CARE in all_results(page)


def test_jiqiren_finds_every_industrial_robot_certificate(page, site_url):
    open_search(page, site_url, "机器人")
    found = set(all_results(page))
    assert INDUSTRIAL_ROBOTS <= found, sorted(INDUSTRIAL_ROBOTS - found)


def test_qianduan_shows_web_frontend_among_the_first_results(page, site_url):
    first = type_search(page, site_url, "前端")  # the five shown before "load more"
    assert WEB_FRONTEND in first, first


def test_doc_number_341_puts_the_third_batch_notice_first(page, site_url):
    # The 文号 is weighted on the notice page and short pages are not penalised.
    first = open_search(page, site_url, "341号")
    assert first and first[0] == NOTICE_341, first


def test_type_filter_certificate_narrows_results_to_certificates(page, site_url):
    open_search(page, site_url, "照护")
    before = set(all_results(page))
    assert ELDERLY_ASSOCIATION in before and ELDERLY_CARE in before, sorted(before)
    message = _ui_state(page)[0]

    kind_filter = page.locator(f"{UI} summary.pagefind-ui__filter-name",
                               has_text=re.compile(r"^\s*类型\s*$"))
    kind_filter.click()
    page.locator(f'{UI} input.pagefind-ui__filter-checkbox[name="类型"][value="证书"]').check()
    page.wait_for_function(
        "([sel, old]) => document.querySelector(sel)?.textContent.trim() !== old",
        arg=[f"{UI} .pagefind-ui__message", message], timeout=15_000)
    after = set(all_results(page))

    care = {ELDERLY_CARE, DEMENTIA_CARE, "/certificates/early-childhood-care/"}
    assert care <= after, sorted(after)
    assert ELDERLY_ASSOCIATION not in after
    assert after < before
    assert all(p.startswith("/certificates/") for p in after), sorted(after)


KIND_BY_SECTION = {"certificates": "证书", "organizations": "培训评价组织",
                   "standards": "职业技能等级标准", "notices": "公告", "majors": "专业",
                   "fields": "领域"}


def test_results_show_the_entity_kind(page, site_url):
    open_search(page, site_url, "养老")
    all_results(page)
    kinds = page.evaluate(
        """(sel) => Object.fromEntries(
             [...document.querySelectorAll(sel.ui + ' .pagefind-ui__result')].map((r) => [
               new URL(r.querySelector(sel.link).href).pathname,
               r.querySelector('[data-pagefind-ui-meta="类型"]')?.textContent.trim() ?? '',
             ]))""",
        {"ui": UI, "link": OWN_LINK},
    )
    assert ELDERLY_ASSOCIATION in kinds and ELDERLY_CARE in kinds, kinds
    entity = re.compile(r"^/([a-z]+)/[^/]+/$")
    wrong = {}
    for path, shown in kinds.items():
        m = entity.match(path)
        # The UI renders the metadata as "类型: 证书".
        if (m and m.group(1) in KIND_BY_SECTION
                and re.sub(r"^类型\s*[:：]\s*", "", shown) != KIND_BY_SECTION[m.group(1)]):
            wrong[path] = shown
    assert not wrong, wrong


def test_header_search_box_submits_to_the_search_page_and_shows_results(page, site_url):
    page.goto(f"{site_url}{ELDERLY_CARE}")
    box = page.locator("form.xcert-header-search input[name=q]")
    box.fill("前端")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?"), timeout=15_000)
    url = urlsplit(page.url)
    assert url.path == "/search/" and parse_qs(url.query).get("q") == ["前端"], page.url
    assert page.locator(f"{UI} .pagefind-ui__search-input").input_value() == "前端"
    assert WEB_FRONTEND in all_results(page)


# ---------------------------------------------------------------- what must never be found

def _never_indexed(path: str) -> bool:
    return path.startswith(("/verify/", "/r/", "/search/"))


def test_verify_page_and_certificate_records_are_not_indexed(page, site_url):
    indexed = js_search(page, site_url, None)  # every page in the index
    assert len(indexed) > 150 and ELDERLY_CARE in indexed
    leaked = [p for p in indexed if _never_indexed(p)]
    assert not leaked, leaked


def test_searching_words_of_the_verify_page_never_returns_it(page, site_url):
    page.goto(f"{site_url}/verify/")
    text = page.locator(".md-content").inner_text()
    terms = [t for t in ("签名不符", "签发密钥未知", "方式一：上传记录文件") if t in text]
    assert terms, "the verify page changed: pick words that only it carries"
    for term in terms:
        found = js_search(page, site_url, term)
        assert not [p for p in found if _never_indexed(p)], (term, found)
