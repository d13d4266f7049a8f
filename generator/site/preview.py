"""Incremental rebuilds for `xcert serve`: after an edit to catalogue files, only what changed.

The first build, and any change that is not to catalogue/ (site_src/, mkdocs.yml, keys, records),
is a full `build_site`, which also keeps its docs tree for the steps below. After an edit of
catalogue files only:

1. the catalogue is loaded again with a `FileCache`, so only the changed files are parsed and
   schema-checked, while construction and every cross-reference are checked again in full;
2. the pages the edit may change (generator/site/affected.py) are rendered and compared with
   the served ones (the data files under api/ wait for step 4);
3. only the pages whose text changed are written into the docs tree and, for Markdown, rendered
   by mkdocs (the same functions a full build uses, with the navigation and configuration of the
   last full build), then moved one by one into the served site;
4. afterwards, in the background, `settle` renders every page and applies what step 2 missed,
   and `reindex` rebuilds the search index, so a changed page is served before its words are
   searchable.

A page added or removed (a new notice, an id renamed) changes the navigation's file list, so that
edit takes a full build. The result is byte for byte the full build's (tests/test_preview.py).
"""

from __future__ import annotations

import calendar
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.commands import build as mk
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page as MkdocsPage

from generator.errors import BuildError
from generator.models import Catalogue, IssuedRecords
from generator.render.page import Page
from generator.render.pages import render_pages
from generator.site.affected import affected_entities, affected_pages
from generator.site.build import (
    BuildOptions,
    BuildReport,
    build_site,
    render_all,
    site_address,
)
from generator.site.html import HtmlCache, _Collect, read_nav
from generator.site.search_index import index_site
from generator.validate import load_catalogue
from generator.validate.catalogue import FileCache


@dataclass(frozen=True)
class Update:
    """What one rebuild did."""

    full: bool
    changed: tuple[str, ...]  # generated pages whose text changed (docs-tree paths)
    seconds: float
    cpu: float = 0.0  # seconds of this process's CPU time: what it costs on an idle machine


@dataclass
class _Session:
    """mkdocs' state for the docs tree of the last full build."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: object


@dataclass
class Preview:
    opts: BuildOptions
    tree: Path
    html_cache: HtmlCache = field(default_factory=HtmlCache)
    file_cache: FileCache = field(default_factory=FileCache)
    pages: dict[str, str] = field(default_factory=dict)
    issued: IssuedRecords | None = None
    session: _Session | None = None
    cat: Catalogue | None = None  # the catalogue of the pages served
    site_url: str | None = None
    generation: int = 0  # one more for each build or update
    # Held by full builds (they replace the site folder) and by `reindex` (it writes into it).
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Held while the served pages and the docs tree change (updates and `settle`).
    apply_lock: threading.RLock = field(default_factory=threading.RLock)

    def full(self) -> Update:
        start = time.perf_counter()
        cat = load_catalogue(self.opts.root / "catalogue", cache=self.file_cache)
        with self.apply_lock:
            # The build rewrites the tree: until it succeeds, the next edit takes a full build.
            self.session, self.cat = None, None
        with self.lock:
            report: BuildReport = build_site(
                BuildOptions(
                    root=self.opts.root,
                    out=self.opts.out,
                    today=self.opts.today,
                    records=self.opts.records,
                    search=self.opts.search,
                    tree=self.tree,
                ),
                catalogue=cat,
                html_cache=self.html_cache,
            )
        with self.apply_lock:
            self.pages = {p.path: p.content for p in report.generated}
            self.issued = report.issued
            self.cat = cat
            self.site_url = site_address(self.opts.root, records=self.opts.records)
            self.generation += 1
        return Update(True, tuple(self.pages), time.perf_counter() - start)

    def update(self, changed_files: Iterable[Path]) -> Update:
        """Rebuild after `changed_files` changed: the pages the edit may change (affected.py),
        or a full build unless all are catalogue files and the last build's tree is there."""
        catalogue = (self.opts.root / "catalogue").resolve()
        if self.cat is None or not all(
            catalogue in Path(p).resolve().parents for p in changed_files
        ):
            return self.full()
        start, cpu = time.perf_counter(), time.process_time()
        cat = load_catalogue(self.opts.root / "catalogue", cache=self.file_cache)
        entities = affected_entities(self.cat, cat)
        if entities is None or any(
            getattr(self.cat, k).keys() != getattr(cat, k).keys()
            for k in ("certificates", "organizations", "notices", "standards")
        ):
            return self.full()  # a page added or removed, or data every page uses
        only = affected_pages(self.pages, entities)
        # The data files (api/) follow in `settle`: the page is what the clerk looks at.
        pages = render_pages(
            cat, today=self.opts.today, issued=self._issued(), site_url=self.site_url, only=only
        )
        with self.apply_lock:
            if any(p.path not in self.pages for p in pages):
                return self.full()
            changed = self._apply(pages)
            self.cat = cat
            self.generation += 1
        return Update(False, changed, time.perf_counter() - start, time.process_time() - cpu)

    def settle(self) -> tuple[str, ...] | None:
        """Render every page and data file and apply what the quick update left (the result is
        then the full build's); returns their paths, or None when an edit came meanwhile (the
        next call settles it). A page added or removed takes a full build."""
        with self.apply_lock:
            generation, cat = self.generation, self.cat
        if cat is None:
            return ()
        pages = render_all(cat, self.opts.today, self._issued(), self.site_url)
        with self.apply_lock:
            if generation != self.generation:
                return None
            if {p.path for p in pages} != self.pages.keys():
                return self.full().changed
            return self._apply(pages)

    def warm(self) -> None:
        """Prepare mkdocs' state for the next update (the navigation's pages are read), so the
        first edit after a full build does not wait for it."""
        with self.apply_lock:
            if self.session is None and self.cat is not None:
                self._session()

    def _issued(self) -> IssuedRecords:
        return self.issued or IssuedRecords(as_of=self.opts.today)

    def reindex(self) -> int:
        """Rebuild the search index of the served site (after an incremental update). Pagefind
        adds files and never removes one, so the old index is set aside first: search is out for
        the seconds this takes, and the index is the one a full build writes."""
        if not self.opts.search:
            return 0
        out = self.opts.out.resolve()
        old = out.parent / f".{out.name}.pagefind-old"
        shutil.rmtree(old, ignore_errors=True)
        if (out / "pagefind").is_dir():
            os.replace(out / "pagefind", old)
        try:
            return index_site(out)
        finally:
            shutil.rmtree(old, ignore_errors=True)

    def _apply(self, pages: list[Page]) -> tuple[str, ...]:
        """Write the pages whose text differs from the served ones; returns their paths."""
        changed = [p for p in pages if self.pages[p.path] != p.content]
        if changed:
            self._write(changed)
        for p in changed:
            self.pages[p.path] = p.content
        return tuple(p.path for p in changed)

    def _write(self, changed: list[Page]) -> None:
        docs = self.tree / "docs"
        for page in changed:
            (docs / page.path).write_text(page.content, encoding="utf-8")
        session = self.session or self._session()
        staging = Path(session.config.site_dir)
        shutil.rmtree(staging, ignore_errors=True)
        made = [self._render(session, page) for page in changed]
        # Each file is swapped in whole: a browser never reads half a page.
        out = self.opts.out.resolve()
        for rel in made:
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, target)

    def _session(self) -> _Session:
        """mkdocs' configuration, files and navigation of the tree, its pages writing into a
        staging folder beside the served site (one file system: moves are renames)."""
        os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(self.opts.today.timetuple()))
        config = load_config(config_file=str(self.tree / "mkdocs.yml"), strict=True)
        config.site_dir = str(self.tree / "staging")
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
            if file.page is None and file.inclusion.is_not_in_nav():  # type: ignore[no-untyped-call]
                MkdocsPage(None, file, config)
        read_nav(nav, config, files)
        self.session = _Session(config, files, nav, env)
        return self.session

    def _render(self, s: _Session, page: Page) -> str:
        """One generated file into the staging folder; returns its path in the site."""
        file = s.files.get_file_from_path(page.path)
        if file is None:
            raise BuildError(f"{page.path} is not in the docs tree of the last full build")
        staged = Path(file.abs_dest_path)
        if not page.path.endswith(".md"):  # data, charts, feeds: copied as they are
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_text(page.content, encoding="utf-8")
            return file.dest_uri
        mkdocs_page = file.page
        assert mkdocs_page is not None
        mkdocs_page.markdown = None
        mkdocs_page.content = None
        handler = _Collect()
        log = logging.getLogger("mkdocs")
        log.addHandler(handler)
        try:
            mk._populate_page(mkdocs_page, s.config, s.files)
            docs = s.files.documentation_pages(inclusion=InclusionLevel.is_included)
            mk._build_page(mkdocs_page, s.config, docs, s.nav, s.env)  # type: ignore[arg-type]
        finally:
            log.removeHandler(handler)
        if handler.messages:
            raise BuildError("mkdocs failed:\n" + "\n".join(handler.messages))
        return file.dest_uri
