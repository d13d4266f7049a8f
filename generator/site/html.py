"""Build HTML from the generated tree with mkdocs (through its Python API, strict).

mkdocs' own `build` renders every page one after the other. The generated tree has no plugins,
so this module drives the same steps itself (mkdocs.commands.build.build, in the same order, with
mkdocs' own functions) and changes two things that leave the output byte for byte the same:

- pages are rendered by `workers` forked processes, each taking every n-th page (after the
  navigation's own pages are read in the parent: the navigation of every page shows them);
- with an `HtmlCache`, a page whose Markdown, path and surroundings (configuration, navigation,
  theme, overrides, build date) are those of a page built before is written from the cache
  instead of rendered. `xcert serve` and `xcert diff` keep one between builds.

A configuration with plugins, or with anchor validation raised to warnings (which needs every
page read in one process), is built by mkdocs' own `build`.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import jinja2
from mkdocs import utils
from mkdocs.commands import build as mk
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.exceptions import BuildError as MkdocsBuildError
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

from generator.errors import BuildError

_PARALLEL_FROM = 200  # pages; below this a fork costs more than it saves
_VERSIONS = ("mkdocs", "mkdocs-material", "Markdown")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class HtmlCache:
    """Page HTML by a hash of everything it is made from, kept between builds in one process.

    An entry also records the set of files of the build that made it: mkdocs resolves a page's
    links against the files of the tree, so an entry is used only while every file of its build
    is still there (a strict build then gives the same links, and reports a missing one)."""

    entries: dict[str, tuple[bytes, int]] = field(default_factory=dict)
    file_sets: dict[int, frozenset[str]] = field(default_factory=dict)
    hits: int = 0
    rendered: int = 0

    def usable_sets(self, files: frozenset[str]) -> set[int]:
        return {i for i, s in self.file_sets.items() if s <= files}

    def keep(self, used: set[str]) -> None:
        """Drop what the last build did not use, so the cache holds one site."""
        self.entries = {k: v for k, v in self.entries.items() if k in used}
        alive = {v[1] for v in self.entries.values()}
        self.file_sets = {i: s for i, s in self.file_sets.items() if i in alive}


@dataclass
class _Job:
    """What the forked workers share with the parent (inherited, never pickled)."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment
    doc_files: Sequence[File]
    keys: dict[str, str]  # src_uri → cache key ("" without a cache)
    cached: dict[str, bytes]  # src_uri → HTML to write as it is
    keep_html: bool


_JOB: _Job | None = None


def build_html(
    config_file: Path, *, epoch: int, workers: int | None = None, cache: HtmlCache | None = None
) -> None:
    """mkdocs build; warnings are errors (a broken link is a bug in the generator or site_src)."""
    # mkdocs stamps the sitemap and its gzip header with the build time; fixing it makes two
    # builds of the same inputs on the same date byte-identical.
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    handler = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    try:
        config = load_config(config_file=str(config_file), strict=True)
        if _plain(config):
            _build(config, config_file.parent, workers, cache, handler)
        else:
            mk.build(config)
    except (Abort, ConfigurationError) as e:
        detail = "\n".join(handler.messages) or str(e)
        raise BuildError(f"mkdocs failed:\n{detail}") from e
    finally:
        log.removeHandler(handler)
    _drop_source_maps(config_file.parent / "site")


def _plain(config: MkDocsConfig) -> bool:
    anchors = config.validation.links.anchors
    return not list(config.plugins) and anchors < logging.WARNING


def _build(
    config: MkDocsConfig,
    tree: Path,
    workers: int | None,
    cache: HtmlCache | None,
    handler: _Collect,
) -> None:
    """mkdocs.commands.build.build for a configuration without plugins, pages in parallel."""
    global _JOB
    utils.clean_directory(config.site_dir)
    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    inclusion = InclusionLevel.is_included
    doc_files = files.documentation_pages(inclusion=inclusion)
    for file in doc_files:
        if file.page is None and file.inclusion.is_not_in_nav():  # type: ignore[no-untyped-call]
            Page(None, file, config)
    # Every page shows the navigation: its pages are read first, here, so each worker has them.
    read_nav(nav, config, files)
    files.copy_static_files(inclusion=inclusion)
    for template in config.theme.static_templates:
        mk._build_theme_template(template, env, files, config, nav)
    for template in config.extra_templates:
        mk._build_extra_template(template, files, config, nav)

    keys: dict[str, str] = {}
    cached: dict[str, bytes] = {}
    file_set = frozenset(f.src_uri for f in files)
    if cache is not None:
        keys, cached = _lookup(cache, config, tree, nav, doc_files, file_set)
    _JOB = _Job(config, files, nav, env, doc_files, keys, cached, cache is not None)
    try:
        n = workers or min(2, os.cpu_count() or 1)
        if n <= 1 or len(doc_files) - len(cached) < _PARALLEL_FROM:
            results = [_render_share(0, 1)]
        else:
            with ProcessPoolExecutor(n, mp_context=get_context("fork")) as pool:
                results = list(pool.map(_render_share, range(n), [n] * n))
    finally:
        _JOB = None
    for warnings, _, error in results:
        handler.messages.extend(warnings)
        if error:
            raise Abort(error)
    if handler.messages:
        raise Abort(f"Aborted with {len(handler.messages)} warnings in strict mode!")
    if cache is not None:
        _store(cache, keys, cached, results, file_set)


def read_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> None:
    """Read the navigation's pages as far as every page's navigation needs them (their titles).
    A page titled in the nav (mkdocs keeps the title on the page) or in its front matter needs
    only its source read; its Markdown is converted when the page itself is built. A page
    titled by its first heading is converted here."""
    for page in nav.pages:
        page.read_source(config)
        if "title" not in vars(page) and "title" not in page.meta:
            mk._populate_page(page, config, files)


def _render_share(share: int, of: int) -> tuple[list[str], dict[str, bytes], str]:
    """Render every `of`-th page starting at `share`; returns warnings, new HTML, an error."""
    job = _JOB
    assert job is not None
    handler = _Collect()
    log = logging.getLogger("mkdocs")
    # This share's warnings go to its own handler only (in a forked worker the parent's would
    # never see them; in the parent they would be counted twice).
    others = [h for h in log.handlers if isinstance(h, _Collect)]
    for h in others:
        log.removeHandler(h)
    log.addHandler(handler)
    made: dict[str, bytes] = {}
    try:
        for file in list(job.doc_files)[share::of]:
            page = file.page
            assert page is not None
            html = job.cached.get(file.src_uri)
            if html is not None:
                utils.write_file(html, file.abs_dest_path)
                continue
            if page.content is None:
                mk._populate_page(page, job.config, job.files)
            excluded = file.inclusion.is_excluded()  # type: ignore[no-untyped-call]
            mk._build_page(page, job.config, job.doc_files, job.nav, job.env, excluded=excluded)
            if job.keep_html and not handler.messages:
                made[file.src_uri] = Path(file.abs_dest_path).read_bytes()
    except Exception as e:  # mkdocs has logged which page; the parent raises it as a BuildError
        message = e.message if isinstance(e, MkdocsBuildError) else f"{type(e).__name__}: {e}"
        return handler.messages, made, message
    finally:
        log.removeHandler(handler)
        for h in others:
            log.addHandler(h)
    return handler.messages, made, ""


def _signature(config: MkDocsConfig, tree: Path, nav: Navigation) -> bytes:
    """What every page's HTML depends on besides its own Markdown and path."""
    from importlib.metadata import version

    h = hashlib.sha256()
    for name in _VERSIONS:
        h.update(f"{name}={version(name)}\n".encode())
    h.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    h.update((tree / "mkdocs.yml").read_bytes())
    overrides = Path(config.theme.custom_dir or tree / "overrides")
    for path in _files_under(overrides):
        h.update(path.relative_to(overrides).as_posix().encode() + b"\0" + path.read_bytes())
    # Every page shows the navigation: its entries' titles and addresses (not their pages'
    # text, which only their own HTML shows).
    for page in nav.pages:
        h.update(f"{page.file.src_uri}\0{page.title}\0{page.url}\n".encode())
    return h.digest()


def _files_under(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.rglob("*") if p.is_file())


def _lookup(
    cache: HtmlCache,
    config: MkDocsConfig,
    tree: Path,
    nav: Navigation,
    doc_files: Sequence[File],
    file_set: frozenset[str],
) -> tuple[dict[str, str], dict[str, bytes]]:
    signature = _signature(config, tree, nav)
    usable = cache.usable_sets(file_set)
    keys: dict[str, str] = {}
    cached: dict[str, bytes] = {}
    for file in doc_files:
        key = hashlib.sha256(
            signature + file.src_uri.encode() + b"\0" + Path(file.abs_src_path or "").read_bytes()
        ).hexdigest()
        keys[file.src_uri] = key
        entry = cache.entries.get(key)
        if entry is not None and entry[1] in usable:
            cached[file.src_uri] = entry[0]
    return keys, cached


def _store(
    cache: HtmlCache,
    keys: dict[str, str],
    cached: dict[str, bytes],
    results: list[tuple[list[str], dict[str, bytes], str]],
    file_set: frozenset[str],
) -> None:
    set_id = next((i for i, s in cache.file_sets.items() if s == file_set), None)
    if set_id is None:
        set_id = max(cache.file_sets, default=0) + 1
        cache.file_sets[set_id] = file_set
    for _, made, _ in results:
        for src_uri, html in made.items():
            cache.entries[keys[src_uri]] = (html, set_id)
    cache.hits, cache.rendered = len(cached), sum(len(m) for _, m, _ in results)
    cache.keep(set(keys.values()))


def _drop_source_maps(site: Path) -> None:
    """Material ships source maps for its bundles: 1.3 MB that only a debugger reads."""
    for path in sorted(site.glob("assets/**/*.map")):
        path.unlink()
