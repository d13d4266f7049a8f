"""Search in real Chromium: the Pagefind UI on /search/, the header box, filters and exclusions.

The site is the shipped catalogue built once per session (tests/conftest.py). The first tests
drive the search page as a visitor does (open /search/?q=… or type into the Pagefind input and
wait for the results); the exclusion tests ask Pagefind's JS API directly.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import yaml
from _wait import wait_until
from conftest import REPO
from playwright.sync_api import expect

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


# The UI's answer, once it is final for `term`: its message says what was found for that term (not
# "正在搜索…", not the answer to a prefix typed earlier), every result shown has loaded its link,
# and a non-empty answer shows at least one result. Returns [message, links] or null.
_ANSWER_JS = """(sel) => {
  const root = document.querySelector(sel.ui);
  const msg = root?.querySelector('.pagefind-ui__message')?.textContent.trim() ?? '';
  if (!/^(找到|没有找到)/.test(msg) || !msg.includes(sel.term) || msg === sel.not) return null;
  if (root.querySelectorAll('.pagefind-ui__loading').length) return null;
  const shown = root.querySelectorAll('.pagefind-ui__result').length;
  const links = [...root.querySelectorAll(sel.link)].map((a) => a.href);
  if (links.length !== shown || links.length < sel.atLeast) return null;
  if (msg.startsWith('找到') && links.length === 0) return null;
  return [msg, links];
}"""


def wait_for_answer(
    page,
    term: str,
    at_least: int = 0,  # type: ignore[no-untyped-def]
    not_message: str = "",
    timeout: float = 30.0,
) -> tuple[str, list[str]]:
    """Wait until the Pagefind UI shows its final answer for `term` (with a message other than
    `not_message`); returns its message and the paths shown."""
    msg, links = wait_until(
        page,
        _ANSWER_JS,
        {"ui": UI, "link": RESULT_LINK, "term": term, "atLeast": at_least, "not": not_message},
        timeout=timeout,
        what=f"the search UI's answer for {term!r}",
    )
    return msg, [_path(h) for h in links]


def wait_for_results(page, term: str, at_least: int = 0) -> list[str]:  # type: ignore[no-untyped-def]
    """The result paths the UI shows once its answer for `term` is final."""
    return wait_for_answer(page, term, at_least)[1]


def all_results(page, term: str, limit: int = 60) -> list[str]:  # type: ignore[no-untyped-def]
    """Every result of the current search, pressing "load more" until it is gone."""
    paths = wait_for_results(page, term)
    for _ in range(limit):
        button = page.locator(LOAD_MORE)
        if button.count() == 0 or not button.first.is_visible():
            return paths
        button.first.click()
        paths = wait_for_results(page, term, at_least=len(paths) + 1)
    raise AssertionError(f"still more results after {limit} pages")


def open_search(page, site_url: str, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Open /search/?q=query as a shared link would; returns the first results shown."""
    page.goto(f"{site_url}/search/?q={quote(query)}")
    return wait_for_results(page, query)


def type_search(page, site_url: str, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Open /search/ and type into the Pagefind input; returns the first results shown."""
    page.goto(f"{site_url}/search/")
    box = page.locator(f"{UI} .pagefind-ui__search-input")
    box.wait_for(state="visible", timeout=15_000)
    box.click()
    box.type(query, delay=30)
    return wait_for_results(page, query)


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
    found = all_results(page, "养老")
    assert {ELDERLY_CARE, DEMENTIA_CARE, ELDERLY_ASSOCIATION} <= set(found), found


def test_laonian_zhaohu_finds_both_elderly_care_certificates(page, site_url):
    # 失智老年人照护 never says 养老; it is the certificate a visitor looking for elderly care
    # wants next to 老年照护, and 老年照护 (as typed) must bring up both.
    first = type_search(page, site_url, "老年照护")
    assert ELDERLY_CARE in first, first
    assert DEMENTIA_CARE in all_results(page, "老年照护")


def test_jiqiren_finds_every_industrial_robot_certificate(page, site_url):
    open_search(page, site_url, "机器人")
    found = set(all_results(page, "机器人"))
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
    before = set(all_results(page, "照护"))
    assert ELDERLY_ASSOCIATION in before and ELDERLY_CARE in before, sorted(before)
    message = wait_for_answer(page, "照护")[0]

    kind_filter = page.locator(
        f"{UI} summary.pagefind-ui__filter-name", has_text=re.compile(r"^\s*类型\s*$")
    )
    kind_filter.click()
    page.locator(f'{UI} input.pagefind-ui__filter-checkbox[name="类型"][value="证书"]').check()
    wait_for_answer(page, "照护", not_message=message)
    after = set(all_results(page, "照护"))

    care = {ELDERLY_CARE, DEMENTIA_CARE, "/certificates/early-childhood-care/"}
    assert care <= after, sorted(after)
    assert ELDERLY_ASSOCIATION not in after
    assert after < before
    assert all(p.startswith("/certificates/") for p in after), sorted(after)


KIND_BY_SECTION = {
    "certificates": "证书",
    "organizations": "培训评价组织",
    "standards": "职业技能等级标准",
    "notices": "公告",
    "majors": "专业",
    "fields": "领域",
}


def test_results_show_the_entity_kind(page, site_url):
    open_search(page, site_url, "养老")
    all_results(page, "养老")
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
        if (
            m
            and m.group(1) in KIND_BY_SECTION
            and re.sub(r"^类型\s*[:：]\s*", "", shown) != KIND_BY_SECTION[m.group(1)]
        ):
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
    assert WEB_FRONTEND in all_results(page, "前端")


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


# ---------------------------------------------------------------- every name finds its page


def _names() -> dict[str, set[str]]:
    """Every name a visitor may type → the pages it names: certificate short and full names,
    organization names and aliases, notice 文号 in full and as "N号"."""
    names: dict[str, set[str]] = {}
    for kind in ("certificates", "organizations", "notices"):
        for f in sorted((REPO / "catalogue" / kind).glob("*.yaml")):
            d = yaml.safe_load(f.read_text(encoding="utf-8"))
            url = f"/{kind}/{d['id']}/"
            typed = [d.get("name"), d.get("short_name"), *(d.get("aliases") or [])]
            if d.get("doc_number"):
                typed.append(d["doc_number"])
                m = re.search(r"(?<!\d)(\d+号)$", d["doc_number"])
                typed.append(m and m.group(1))
            for name in filter(None, typed):
                names.setdefault(str(name), set()).add(url)
    return names


def test_every_name_finds_its_own_page_among_the_first_results(page, site_url):
    # Searched as the search page searches (its engine module and ranking options), all at once.
    names = _names()
    assert len(names) > 250 and "华为技术有限公司" in names and "341号" in names
    page.goto(f"{site_url}/search/")
    first = page.evaluate(
        """async (queries) => {
          const { SEARCH_OPTIONS } = await import('/assets/search.js');
          const pf = await import('/assets/search-bundle/pagefind.js');
          const out = {};
          for (const q of queries) {
            // A fresh instance per name, as on a visitor's first search: no index chunk loaded
            // for an earlier name may stand in for one this name's words miss.
            await pf.destroy();
            await pf.options({ ranking: SEARCH_OPTIONS.ranking });
            const r = await pf.search(q);
            out[q] = (await Promise.all(r.results.slice(0, 5).map((x) => x.data())))
              .map((d) => new URL(d.url, location.href).pathname);
          }
          return out;
        }""",
        sorted(names),
    )
    missed = {
        q: sorted(urls - set(first[q])) for q, urls in names.items() if not urls <= set(first[q])
    }
    assert not missed, missed


@pytest.mark.parametrize(
    "query, own",
    [
        ("华为技术有限公司", "/organizations/huawei/"),
        ("新华三技术有限公司", "/organizations/h3c/"),
        ("数控车铣加工", "/certificates/cnc-turning-milling/"),
        ("车联网系统集成和应用", "/certificates/connected-vehicle-system-integration/"),
        ("教职所〔2019〕341号", NOTICE_341),
    ],
)
def test_a_name_typed_into_the_search_page_shows_its_page_first_screen(page, site_url, query, own):
    assert own in open_search(page, site_url, query)


def test_a_name_the_browser_splits_differently_still_finds_its_page(page, site_url):
    # Intl.Segmenter cuts 高端家政 into 高 端 家政 where the indexer kept 高端: typed, key by key.
    assert "/certificates/high-end-housekeeping/" in type_search(page, site_url, "高端家政")


@pytest.mark.parametrize("query", ["zzqqxx不存在", "钢琴调律"])
def test_words_found_nowhere_say_nothing_was_found(page, site_url, query):
    page.goto(f"{site_url}/search/?q={quote(query)}")
    message, shown = wait_for_answer(page, query)
    assert message.startswith("没有找到") and shown == [], (message, shown)


def test_filter_values_are_in_their_natural_order(page, site_url):
    open_search(page, site_url, "证书")
    # Pagefind fills the filter panels after the results, one group at a time: wait for the two
    # groups this test reads to be complete before reading them.
    for legend, count in (("批次", 4), ("等级", 3)):
        group = page.locator(f"{UI} details").filter(has=page.locator("legend", has_text=legend))
        expect(group.locator("input.pagefind-ui__filter-checkbox")).to_have_count(
            count, timeout=60_000
        )
    values = page.evaluate(
        """(ui) => Object.fromEntries([...document.querySelectorAll(ui + ' details')].map((d) => [
             d.querySelector('legend')?.textContent.trim(),
             [...d.querySelectorAll('input.pagefind-ui__filter-checkbox')]
               .map((i) => i.value)]))""",
        UI,
    )
    assert values["批次"] == ["第一批", "第二批", "第三批", "第四批"], values
    assert values["等级"] == ["初级", "中级", "高级"], values
    assert list(values)[:2] == ["类型", "批次"], list(values)
    # On a wide screen the panel is beside the results: no "筛选" fold.
    assert not page.locator("#xcert-search-filters").is_visible()


def _snippets(page, site_url: str, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    open_search(page, site_url, query)
    snippets = page.locator(f"{UI} .pagefind-ui__result-excerpt").all_inner_texts()
    assert snippets
    han = r"[\u4e00-\u9fff]"
    for text in snippets:
        assert not re.search(rf"{han}\. ", text), text  # Pagefind's English joins
        assert not re.search(rf"{han} +{han}", text), text  # cells run together with spaces
        assert not re.match(r"…?\. ", text), text  # a join left at the start
    return snippets


def test_snippets_are_clean_chinese(page, site_url):
    for text in _snippets(page, site_url, "老年照护"):
        assert not text.startswith("智"), text  # Pagefind's cut inside 失智, widened back
    assert not page.locator(f"{UI} [data-pagefind-ui-meta='names']").count()


@pytest.mark.parametrize("query", ["文号", "考核费用", "培训评价组织"])
def test_snippets_show_no_table_header_row(page, site_url, query):
    for text in _snippets(page, site_url, query):
        # The header rows of the notice facts and the costs table, as a snippet ran them in.
        assert "项目，内容" not in text and "等级，考核成本上限" not in text, text
        assert "证书，培训评价组织" not in text, text


def test_on_a_phone_the_filters_fold_and_the_first_results_fit_the_first_screen(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        phone = context.new_page()
        open_search(phone, site_url, "养老")
        panel = phone.locator(f"{UI} .pagefind-ui__filter-panel")
        assert not panel.is_visible()
        first = phone.locator(f"{UI} {OWN_LINK}").first.bounding_box()
        assert first is not None and first["y"] + first["height"] <= 844, first
        toggle = phone.locator("#xcert-search-filters")
        toggle.click()
        expect(panel).to_be_visible()
        assert toggle.get_attribute("aria-expanded") == "true"
    finally:
        context.close()
