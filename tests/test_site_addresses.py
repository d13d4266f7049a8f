"""A site built with its address (`site_url`): the sitemap lists every public page by its absolute
URL (no record), the Atom feed and the iCalendar events link to notice pages by absolute URLs, and
the Chinese 404 page, served by a web server for any missing address however deep, loads its
styles and scripts and offers search and the way home."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import icalendar
import pytest
from conftest import TODAY, copy_repo, run_xcert

SITE_URL = "https://xcert.example.org/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repo(tmp_path_factory.mktemp("addressed"))
    # No key registry: a DEMO one is signed for the DEMO address, not this one (and the
    # addresses here need no record).
    shutil.rmtree(root / "keys", ignore_errors=True)
    config = root / "mkdocs.yml"
    config.write_text(
        f"site_url: {SITE_URL}\n" + config.read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = run_xcert("build", "--root", str(root), "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    return root / "site"


def public_pages(site: Path) -> set[str]:
    """Every HTML page a visitor can land on, as its URL (the 404 page is no address)."""
    urls = set()
    for page in site.rglob("index.html"):
        folder = page.parent.relative_to(site).as_posix()
        urls.add(SITE_URL if folder == "." else f"{SITE_URL}{folder}/")
    return urls


def test_the_sitemap_lists_every_public_page_by_its_absolute_url(site: Path) -> None:
    tree = ET.parse(site / "sitemap.xml")
    listed = [loc.text for loc in tree.getroot().iterfind("s:url/s:loc", SITEMAP_NS)]
    assert len(listed) == len(set(listed))
    assert set(listed) == public_pages(site)
    assert len(listed) > 200  # 94 certificates, 75 organizations, notices, index pages…
    assert f"{SITE_URL}certificates/web-frontend/" in listed
    assert not [u for u in listed if urlsplit(str(u)).path.startswith(("/r/", "/assets/"))]


def test_the_feed_links_are_absolute(site: Path) -> None:
    feed = feedparser.parse((site / "notices" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    links = [link.href for link in feed.feed.links] + [e.link for e in feed.entries]
    assert f"{SITE_URL}notices/feed.xml" in links and f"{SITE_URL}notices/" in links
    assert all(h.startswith(SITE_URL) for h in links), links
    third = [
        e for e in feed.entries if e.id == "urn:xcert:notice:2019-341-third-batch-announcement"
    ]
    assert third[0].link == f"{SITE_URL}notices/2019-341-third-batch-announcement/"
    assert (site / "notices" / "2019-341-third-batch-announcement" / "index.html").is_file()


def test_each_calendar_event_carries_its_notice_url(site: Path) -> None:
    cal = icalendar.Calendar.from_ical((site / "notices" / "periods.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    assert events
    for ev in events:
        notice = str(ev["UID"]).removesuffix("@xcert.notices")
        url = f"{SITE_URL}notices/{notice}/"
        assert str(ev["URL"]) == url
        assert f"详情：{url}" in str(ev["DESCRIPTION"])
        assert "本站" not in str(ev["DESCRIPTION"])


# ---------------------------------------------------------------- 404, in Chromium


class _NotFoundHandler(http.server.SimpleHTTPRequestHandler):
    """A static host: a missing address gets the site's 404.html with status 404."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def host(site: Path) -> Iterator[str]:
    handler = functools.partial(_NotFoundHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize(
    "missing",
    ["/no-such-page", "/certificates/web-frontend/a/b/c/", "/notices/2019/no/such/notice.html"],
)
def test_a_missing_address_at_any_depth_gets_the_chinese_404_page(  # type: ignore[no-untyped-def]
    page, host: str, missing: str
) -> None:
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on(
        "response",
        lambda r: (
            failed.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith(missing)
            else None
        ),
    )
    response = page.goto(host + missing)
    assert response is not None and response.status == 404
    page.wait_for_load_state("load")
    assert page.title().startswith("找不到这个页面")
    assert page.inner_text("article h1") == "找不到这个页面"
    assert "Not found" not in page.inner_text("body")
    # Material's stylesheet applied (the header is laid out as a bar), the site's script ran.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in (
        "sticky",
        "fixed",
    )
    assert failed == []
    homes = page.eval_on_selector_all(".xcert-404-links a", "as => as.map((a) => a.href)")
    assert homes[0] == f"{host}/"
    for url in homes:
        assert page.request.get(url).ok, url
    page.fill(".xcert-404-search input[name=q]", "老年照护")
    page.click(".xcert-404-search button")
    page.wait_for_url(f"{host}/search/?q=*")
    assert page.request.get(page.url).ok
