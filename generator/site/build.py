"""The whole build: catalogue → records → pages → docs tree → HTML → search index → swap.

Records are verified and published (into a folder of their own) before the pages are rendered,
because the certificate and field pages show how many certificates were issued, counted from the
published records; they join the site after Pagefind has indexed it, so no record is indexed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import errno
import os
import shutil
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.credentials._files import write_atomic
from generator.credentials.formats.errors import LegacyRegistryError
from generator.credentials.formats.jsontext import dump_json
from generator.credentials.formats.registry import Registry
from generator.credentials.paths import REGISTRY_FILE, SITE_CATALOGUE, SITE_REGISTRY
from generator.credentials.publishing.publish import publish_records
from generator.credentials.repo import load_registry, root_fingerprint
from generator.credentials.site_url import resolve_site
from generator.errors import BuildError
from generator.models import Catalogue, IssuedRecords
from generator.render.api import render_api
from generator.render.page import Page
from generator.render.pages import render_pages
from generator.render.verify_catalogue import verify_catalogue
from generator.site.html import HtmlCache, build_html
from generator.site.renderer import Renderer
from generator.site.search_index import index_site
from generator.site.swap import build_lock, replace_dir
from generator.site.tree import write_tree
from generator.site.zensical import build_html_zensical
from generator.validate import load_catalogue


@dataclass(frozen=True)
class BuildOptions:
    root: Path  # the repository: catalogue/, site_src/, mkdocs.yml, keys/, certificates/
    out: Path  # the published site folder, replaced only on success
    today: dt.date
    # `xcert diff` builds both sides without the issued records (the same on both sides, so they
    # say nothing about the change) and without the search index (left out of the comparison).
    records: bool = True
    search: bool = True
    # Where to keep the generated docs tree (docs/, overrides/, mkdocs.yml) after the build, for
    # `xcert serve` to update pages in it; by default it is written in a temporary folder.
    tree: Path | None = None
    renderer: Renderer = Renderer.MKDOCS  # what turns the generated tree into HTML


@dataclass(frozen=True)
class BuildReport:
    pages: int
    indexed: int
    records: int
    out: Path
    generated: tuple[Page, ...] = ()  # the rendered pages, for `xcert serve` to compare with
    issued: IssuedRecords | None = None


def _extra(root: Path) -> dict[str, Any]:
    """Values the theme shows on every page (the key registry's root fingerprint), and whether
    the registry is the DEMO one (the verify page's template shows the demo panel at once)."""
    fingerprint = root_fingerprint(root / "keys")
    if not fingerprint:
        return {}
    return {
        "root_fingerprint": fingerprint,
        "demo_registry": load_registry(root / REGISTRY_FILE).demo,
    }


def _demo_or_none(root: Path) -> bool:
    """Whether the key registry is the DEMO one, or there is none."""
    path = root / REGISTRY_FILE
    if not path.is_file():
        return True
    try:
        return load_registry(path).demo
    except LegacyRegistryError as e:
        return bool(getattr(e.registry, "demo", False))


def site_address(root: Path, *, records: bool) -> str:
    """The site's address as the build has it ($XCERT_SITE_URL, else site_url in mkdocs.yml),
    else for a DEMO build (the DEMO key registry, none, or no records) the documented DEMO
    address (credentials/site_url.py). A real registry without an address has already stopped
    the build when its records were published."""
    return resolve_site(root, demo=not records or _demo_or_none(root)).url


def _refuse_older_registry(root: Path, out: Path) -> None:
    """A key registry older than the one already published would bring back keys revoked since
    (a pull request reverting keys/registry.json, say); the same root may only move forward."""
    published, current = out / SITE_REGISTRY, root / REGISTRY_FILE
    if not (published.is_file() and current.is_file()):
        return
    try:
        old, new = _registry_or_legacy(published), _registry_or_legacy(current)
    except LegacyRegistryError:
        return  # a first-format registry that is not a DEMO: publishing says what to do
    if old.fingerprint == new.fingerprint and new.version < old.version:
        raise BuildError(
            f"{REGISTRY_FILE} is version {new.version}, older than version "
            f"{old.version} already published in {out}; a registry never goes back"
        )


def _registry_or_legacy(path: Path) -> Registry:
    """The registry at `path`, also when it is an old DEMO (only its version and root count)."""
    try:
        return load_registry(path)
    except LegacyRegistryError as e:
        if isinstance(e.registry, Registry) and e.registry.demo:
            return e.registry
        raise


def _publish_records(
    root: Path, out: Path, cat: Catalogue, today: dt.date
) -> tuple[int, IssuedRecords]:
    """Verify every issued record against the key registry and publish it into `out`; a forged
    or altered record stops the build (PublishError lists them all). Returns the number of
    records and their counts per certificate, year and level."""
    report = publish_records(repo_root=root, site_dir=out, catalogue=cat)
    # The verify page also says what each level certifies and names organizations as the public
    # knows them: both come from the full catalogue, which publishing does not need.
    write_atomic(out / SITE_CATALOGUE, dump_json(verify_catalogue(cat)))
    return report.records, IssuedRecords(counts=report.issued, demo=report.demo, as_of=today)


def render_all(
    cat: Catalogue,
    today: dt.date,
    issued: IssuedRecords,
    site_url: str | None,
    only: Collection[str] | None = None,
) -> list[Page]:
    """The generated pages and data files of the docs tree (`only`: those paths; API files are
    always all rendered). A full render is shared by two forked processes where two cores are."""
    workers = min(2, os.cpu_count() or 1)
    pages = render_pages(
        cat, today=today, issued=issued, site_url=site_url, only=only, workers=workers
    )
    return pages + render_api(cat, today=today, issued=issued)


def _move_into(src: Path, dst: Path) -> None:
    """Move every file of `src` to the same place under `dst` (one file system: renames)."""
    for folder, _, files in os.walk(src):
        target = dst / Path(folder).relative_to(src)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.replace(Path(folder) / name, target / name)


def _disk_full(e: OSError) -> bool:
    """ENOSPC or EDQUOT, also inside the list of errors shutil.copytree gathers."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    full = (os.strerror(errno.ENOSPC), os.strerror(errno.EDQUOT))
    return isinstance(e, shutil.Error) and any(text in str(e) for text in full)


def _remove_stale(out: Path) -> None:
    """Temporary folders of builds that were killed; the lock says none of them is running."""
    for stale in out.parent.glob(f".{out.name}.build-*"):
        shutil.rmtree(stale, ignore_errors=True)


def build_site(
    opts: BuildOptions, *, catalogue: Catalogue | None = None, html_cache: HtmlCache | None = None
) -> BuildReport:
    """`catalogue`: the catalogue of `opts.root`, when the caller has already loaded it;
    `html_cache`: pages built before, for a caller that builds more than once (serve, diff)."""
    root, out = opts.root.resolve(), opts.out.resolve()
    cat = catalogue if catalogue is not None else load_catalogue(root / "catalogue")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with build_lock(out.with_name(f".{out.name}.lock")):
            _remove_stale(out)
            _refuse_older_registry(root, out)
            work = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
            tree = opts.tree or work
            if opts.tree:
                shutil.rmtree(opts.tree, ignore_errors=True)
                opts.tree.mkdir(parents=True)
            try:
                published = work / "published"
                records, issued = (
                    _publish_records(root, published, cat, opts.today)
                    if opts.records
                    else (0, IssuedRecords(as_of=opts.today))
                )
                # The site's address makes the sitemap, canonical links and the feeds' links
                # absolute (mkdocs reads it from the generated mkdocs.yml).
                site_url = site_address(root, records=opts.records)
                pages = render_all(cat, opts.today, issued, site_url)
                config = write_tree(
                    work=tree,
                    site_src=root / "site_src",
                    pages=pages,
                    base_config=root / "mkdocs.yml",
                    extra=_extra(root) if opts.records else {},
                    site_url=site_url,
                )
                epoch = calendar.timegm(opts.today.timetuple())
                if opts.renderer is Renderer.ZENSICAL:
                    build_html_zensical(config, epoch=epoch)
                else:
                    build_html(config, epoch=epoch, cache=html_cache)
                site = tree / "site"
                indexed = index_site(site) if opts.search else 0
                _move_into(published, site)
                replace_dir(site, out)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    except OSError as e:
        # The lock file, the temporary folder, mkdocs, Pagefind and publishing all write beside
        # the site: wherever the disk fills up, the message is the same and the site is kept.
        if _disk_full(e):
            raise BuildError(
                f"no space left on the device while building in {out.parent}; {out} is unchanged"
            ) from e
        raise BuildError(f"build failed: {e}; {out} is unchanged") from e
    return BuildReport(
        pages=len(pages),
        indexed=indexed,
        records=records,
        out=out,
        generated=tuple(pages),
        issued=issued,
    )
