"""The HTML stage renders pages in parallel and reuses the HTML of unchanged pages, and the site
it writes is byte for byte the one mkdocs' own `build` writes from the same tree."""

from __future__ import annotations

import calendar
import os
from pathlib import Path

import pytest
from conftest import REPO, TODAY
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config

from generator.render.api import render_api
from generator.render.page import Page
from generator.render.pages import render_pages
from generator.site import html
from generator.site.tree import write_tree
from generator.validate import load_catalogue

EPOCH = calendar.timegm(TODAY.timetuple())


def _tree(work: Path, pages: list[Page]) -> Path:
    work.mkdir(parents=True)
    return write_tree(
        work=work,
        site_src=REPO / "site_src",
        pages=pages,
        base_config=REPO / "mkdocs.yml",
        extra={},
    )


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _differ(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


@pytest.fixture(scope="module")
def pages() -> list[Page]:
    cat = load_catalogue(REPO / "catalogue")
    return render_pages(cat, today=TODAY) + render_api(cat, today=TODAY)


@pytest.fixture(scope="module")
def reference(pages: list[Page], tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """mkdocs' own build of the generated tree."""
    config = _tree(tmp_path_factory.mktemp("reference") / "tree", pages)
    os.environ["SOURCE_DATE_EPOCH"] = str(EPOCH)
    mkdocs_build.build(load_config(config_file=str(config), strict=True))
    html._drop_source_maps(config.parent / "site")
    return _files(config.parent / "site")


def test_pages_rendered_in_parallel_and_from_the_cache_are_mkdocs_own(
    pages: list[Page], reference: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html, "_PARALLEL_FROM", 1)  # the shipped catalogue is small
    cache = html.HtmlCache()
    first = _tree(tmp_path / "first", pages)
    html.build_html(first, epoch=EPOCH, workers=2, cache=cache)
    markdown = sum(1 for _ in (first.parent / "docs").rglob("*.md"))
    assert (cache.hits, cache.rendered) == (0, markdown)
    assert _differ(reference, _files(first.parent / "site")) == []
    second = _tree(tmp_path / "second", pages)
    html.build_html(second, epoch=EPOCH, workers=2, cache=cache)
    assert (cache.hits, cache.rendered) == (markdown, 0)
    assert _differ(reference, _files(second.parent / "site")) == []


def test_only_the_changed_page_is_rendered_again(
    pages: list[Page], reference: dict[str, bytes], tmp_path: Path
) -> None:
    cache = html.HtmlCache()
    html.build_html(_tree(tmp_path / "first", pages), epoch=EPOCH, workers=1, cache=cache)
    # A notice's page, and the notices index (a page of the navigation, which every page shows).
    notices = [p.path for p in pages if p.path.startswith("notices/2019-")]
    edited = [notices[0], "notices/index.md"]
    pages = [Page(p.path, p.content + "\n改过的一段。\n") if p.path in edited else p for p in pages]
    config = _tree(tmp_path / "second", pages)
    html.build_html(config, epoch=EPOCH, workers=1, cache=cache)
    assert cache.rendered == 2
    changed = _differ(reference, _files(config.parent / "site"))
    assert changed == sorted(
        path.removesuffix(".md").removesuffix("index").rstrip("/") + "/index.html"
        for path in edited
    )


def test_a_page_whose_link_target_is_gone_is_not_taken_from_the_cache(
    pages: list[Page], tmp_path: Path
) -> None:
    """A cached page's links were checked against its build's files; with one of them gone the
    strict build must still fail, as mkdocs' own would."""
    cache = html.HtmlCache()
    html.build_html(_tree(tmp_path / "first", pages), epoch=EPOCH, workers=1, cache=cache)
    linked = next(
        p for p in pages if p.path.startswith("certificates/") and p.path != "certificates/index.md"
    )
    without = [p for p in pages if p is not linked]
    with pytest.raises(html.BuildError, match=linked.path.split("/")[-1]):
        html.build_html(_tree(tmp_path / "second", without), epoch=EPOCH, workers=1, cache=cache)
