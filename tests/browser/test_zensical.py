"""The site after Material's end of life: the generated tree of the shipped catalogue built with
Zensical (`xcert build --renderer zensical`, docs/zensical.md) has every page, each with the same
content as the mkdocs + Material build, and in Chromium every page kind renders under the
Content-Security-Policy, search (Pagefind) finds, and the verify page checks a record."""

from __future__ import annotations

import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from _site_tour import CSP_COLLECTOR, KINDS, Kind, visit
from conftest import TODAY, copy_repo, run_xcert
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "credentials"))

from _scenarios import publish_agreement  # noqa: E402

browser = pytest.mark.browser
# The verify page is visited with the agreement suite's records (below), not the DEMO ones.
TOUR = [k for k in KINDS if k.name != "verify"]
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalogue built as `built_site` is, with Zensical in place of mkdocs."""
    root = copy_repo(tmp_path_factory.mktemp("zensical-repo"))
    result = run_xcert(
        "build", "--root", str(root), "--today", TODAY.isoformat(), "--renderer", "zensical"
    )
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def zensical_url(zensical_site: Path, tmp_path_factory: pytest.TempPathFactory, serve) -> str:  # type: ignore[no-untyped-def]
    """The Zensical site with the agreement suite's key registry, status list and records."""
    site = tmp_path_factory.mktemp("zensical-verify") / "site"
    shutil.copytree(zensical_site, site)
    # A folder of its own: the verify page tests publish the same records on the same worker.
    publish_agreement(site, tmp_path_factory.mktemp("zensical-records") / "repo")
    return serve(site)  # type: ignore[no-any-return]


class _ArticleText(HTMLParser):
    """The text of a page's <article>: what the Markdown became, without the theme around it."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth and tag not in _VOID:
            self.depth += 1
        elif tag == "article":
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in _VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def _article_text(path: Path) -> str:
    parser = _ArticleText()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def test_zensical_builds_every_page_with_the_content_mkdocs_gives_it(
    built_site: Path, zensical_site: Path
) -> None:
    pages = sorted(p.relative_to(built_site) for p in built_site.rglob("*.html"))
    assert len(pages) > 200
    missing = [str(p) for p in pages if not (zensical_site / p).is_file()]
    assert not missing, missing
    different = [
        str(p) for p in pages if _article_text(built_site / p) != _article_text(zensical_site / p)
    ]
    assert not different, different
    assert all(_article_text(zensical_site / p) for p in pages if p.name != "404.html")
    # Search is Pagefind's on both: Zensical's own index is not published.
    assert not (zensical_site / "search.json").exists()
    assert (zensical_site / "pagefind" / "pagefind-entry.json").is_file()


def test_zensical_keeps_the_other_published_files(built_site: Path, zensical_site: Path) -> None:
    """The API, charts, feeds and the key registry are ours, not the renderer's: all there."""
    ours = sorted(
        str(p.relative_to(built_site))
        for p in built_site.rglob("*")
        if p.is_file()
        and p.suffix in (".json", ".svg", ".xml", ".ics", ".csv")
        and not p.is_relative_to(built_site / "pagefind")
        and p.name != "sitemap.xml"
    )
    assert ours
    assert [p for p in ours if not (zensical_site / p).is_file()] == []


@browser
@pytest.mark.parametrize("kind", TOUR, ids=[k.name for k in TOUR])
def test_every_page_kind_renders_under_the_policy(
    page,
    zensical_url: str,  # type: ignore[no-untyped-def]
    kind: Kind,
) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.add_init_script(CSP_COLLECTOR)
    visit(page, zensical_url, kind)
    assert page.locator("article h1").first.inner_text().strip()
    assert page.locator("meta[http-equiv=Content-Security-Policy]").count() == 1
    assert page.evaluate("() => window.__cspViolations") == []
    if kind.name != "404":
        assert errors == []


@browser
def test_search_finds_certificates_through_the_header_box(page, zensical_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{zensical_url}/certificates/")
    page.fill("form.xcert-header-search input[type=search]", "养老")
    page.press("form.xcert-header-search input[type=search]", "Enter")
    # Results load one by one: wait for the one that matters, not for the first to appear.
    links = page.locator("#xcert-search .pagefind-ui__result-link")
    expect(links.filter(has_text="老年照护").first).to_be_visible(timeout=30_000)


@browser
def test_verify_page_checks_a_record_by_number_and_name(page, zensical_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{zensical_url}/verify/")
    page.wait_for_selector("#xv-fingerprint")
    page.fill("#xv-number", "ACME-2024-000003")
    page.fill("#xv-name", "买买提·艾力")
    page.click("#xv-lookup button")
    page.wait_for_selector("#xv-result[data-verdict]", timeout=20_000)
    assert page.get_attribute("#xv-result", "data-verdict") == "valid"
