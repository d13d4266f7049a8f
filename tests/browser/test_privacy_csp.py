"""Pages that leak nothing: no page asks another origin for anything, every page carries a
Content-Security-Policy that lets only the site's own scripts run, and the site works under it.

The browser tests visit every page kind once (tests/browser/_site_tour.py) in the state a visitor
sees it, recording each request, each CSP violation event and each console error. The static tests
read every published file, so pages the tour does not open are covered too.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import material
import pytest
from _site_tour import CSP_COLLECTOR, KINDS, published_site, published_url, same_origin, visit
from _wait import wait_until

browser = pytest.mark.browser

# Every page allows the same, but WebAssembly only where Pagefind runs (see overrides/main.html).
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
PAGEFIND_POLICY = {**POLICY, "script-src": "'self' 'wasm-unsafe-eval'"}
# Material's partials whose inline scripts site_src/ moves to assets/md-scope.js or drops.
MATERIAL_SCRIPTS = {
    "base.html": "d6113712bc4deb30b4bd810ee0dfc28b6f04d2f88cc0016c0f1766eac7b762b6",
    "content.html": "3722e156f0f6339de39fbbfc178b6e401d1a4fb890f189ac5b80c2504bda7dcf",
}
# Elements and attributes that make the browser fetch (links to read elsewhere are fine).
FETCHED = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("input", "src"),
    ("form", "action"),
}
FETCHED_LINKS = {
    "stylesheet",
    "icon",
    "apple-touch-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "manifest",
}
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "importmap"}
NOTHING_LOADED = {"script", "link", "style", "img", "iframe", "object", "embed", "form"}


@dataclass
class Visit:
    requests: list[str]
    violations: list[str]
    errors: list[str]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return published_site(tmp_path_factory)


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory, serve) -> str:  # type: ignore[no-untyped-def]
    return published_url(tmp_path_factory, serve)


@pytest.fixture(scope="module")
def tour(browser, url: str) -> dict[str, Visit]:  # type: ignore[no-untyped-def]
    """Every page kind visited once in one browser context, until the network is quiet."""
    context = browser.new_context()
    context.add_init_script(CSP_COLLECTOR)
    page = context.new_page()
    current = Visit([], [], [])
    page.on("request", lambda r: current.requests.append(r.url))
    page.on("console", lambda m: current.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: current.errors.append(f"uncaught: {e}"))
    seen = {}
    for kind in KINDS:
        current.requests, current.errors = [], []
        visit(page, url, kind, settle=True)
        seen[kind.name] = Visit(
            current.requests, page.evaluate("window.__cspViolations"), current.errors
        )
    context.close()
    return seen


# ---------------------------------------------------------------- in Chromium


@browser
def test_no_page_requests_anything_from_another_origin(tour: dict[str, Visit], url: str) -> None:
    foreign = {name: [u for u in v.requests if not same_origin(u, url)] for name, v in tour.items()}
    assert {name: urls for name, urls in foreign.items() if urls} == {}
    assert all(v.requests for v in tour.values())  # the recorder saw each page's own requests


@browser
def test_every_page_kind_works_under_the_policy(tour: dict[str, Visit]) -> None:
    # Each visit waited for its page's work (search results, the compare table, the finder's
    # answer, the verify page's verdict on the DEMO record): here, nothing was blocked on the way.
    assert {n: v.violations for n, v in tour.items() if v.violations} == {}
    assert {n: v.errors for n, v in tour.items() if v.errors} == {}


@browser
def test_the_policy_is_enforced_and_reported(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """What the tour would see if a page broke the policy: the attempt is blocked and reported, so
    an empty list of violations means a clean page, not a deaf collector."""
    page.context.add_init_script(CSP_COLLECTOR)
    page.goto(f"{url}/certificates/web-frontend/")
    page.evaluate("""() => {
      const s = document.createElement("script");
      s.textContent = "window.injected = true";
      document.body.append(s);
      const img = document.createElement("img");
      img.src = "https://example.com/pixel.png";
      document.body.append(img);
    }""")
    wait_until(page, "() => window.__cspViolations.length >= 2", what="two reported violations")
    violations = page.evaluate("window.__cspViolations")
    assert page.evaluate("window.injected") is None
    directives = [v.split(" blocked ")[0] for v in violations]
    assert directives == ["script-src-elem", "img-src"], violations


# ---------------------------------------------------------------- every published file


class _Tags(HTMLParser):
    """The start tags of one page, in order, with their attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def _tags(path: Path) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def _policy(content: str) -> dict[str, str]:
    directives = (d.strip().split(None, 1) for d in content.split(";") if d.strip())
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


def _foreign(value: str) -> bool:
    """A URL that leaves the site (srcset lists several)."""
    for candidate in re.split(r",\s*", value.strip()):
        target = candidate.split()[0] if candidate.split() else ""
        parts = urlsplit(target)
        if (parts.scheme and parts.scheme not in ("data", "blob")) or parts.netloc:
            return True
    return False


def _page_problems(path: Path) -> list[str]:
    tags = _tags(path)
    csp = [
        i
        for i, (t, a) in enumerate(tags)
        if t == "meta" and a.get("http-equiv", "").lower() == "content-security-policy"
    ]
    problems = []
    if not csp:
        if any(t in NOTHING_LOADED for t, _ in tags):
            problems.append("no Content-Security-Policy")
    elif len(csp) > 1:
        problems.append(f"{len(csp)} Content-Security-Policy tags")
    else:
        if tags[csp[0] - 1][0] != "head":  # nothing before it escapes it, page values included
            problems.append("the policy is not the first element in <head>")
        # Pagefind and the verify page's Argon2id (hash-wasm) compile WebAssembly.
        pagefind = any(
            t == "script" and a.get("src", "").endswith(("pagefind-ui.js", "verify/app.js"))
            for t, a in tags
        )
        got = _policy(tags[csp[0]][1].get("content", ""))
        if got != (PAGEFIND_POLICY if pagefind else POLICY):
            problems.append(f"policy {got}")
    for tag, attrs in tags:
        if tag == "script" and "src" not in attrs and attrs.get("type") not in DATA_SCRIPT_TYPES:
            problems.append("an inline script")
        if tag == "style" or "style" in attrs:
            problems.append(f"an inline style on <{tag}>")
        problems += [f"an event handler {k} on <{tag}>" for k in attrs if k.startswith("on")]
        problems += [
            f"a javascript: URL on <{tag}>"
            for k, v in attrs.items()
            if k in ("href", "src", "action", "formaction")
            and v.strip().lower().startswith("javascript:")
        ]
        fetched = {k for t, k in FETCHED if t == tag}
        if tag == "link" and set(attrs.get("rel", "").lower().split()) & FETCHED_LINKS:
            fetched.add("href")
        problems += [
            f"<{tag} {k}={attrs[k]!r}> loads from another origin"
            for k in sorted(fetched & attrs.keys())
            if _foreign(attrs[k])
        ]
    return sorted(set(problems))


def test_every_page_has_the_policy_and_nothing_it_would_block(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    problems = {str(p.relative_to(site)): found for p in pages if (found := _page_problems(p))}
    assert problems == {}
    assert len(pages) > 200


def test_no_stylesheet_loads_from_another_origin(site: Path) -> None:
    pattern = re.compile(r"url\(\s*['\"]?\s*(?:https?:)?//|@import", re.IGNORECASE)
    offenders = [
        str(p.relative_to(site))
        for p in sorted(site.rglob("*.css"))
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_material_inline_scripts_are_the_ones_site_src_replaces() -> None:
    partials = Path(material.__file__).parent / "templates" / "partials" / "javascripts"
    changed = [
        name
        for name, digest in MATERIAL_SCRIPTS.items()
        if hashlib.sha256((partials / name).read_bytes()).hexdigest() != digest
    ]
    assert changed == [], (
        f"mkdocs-material changed partials/javascripts/{', '.join(changed)}: bring "
        "site_src/overrides/partials/javascripts/ and site_src/assets/md-scope.js up to date "
        "with its scripts, then update MATERIAL_SCRIPTS here"
    )
