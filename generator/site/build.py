"""The whole build: catalogue → pages → docs tree → HTML → search index → records → swap."""
from __future__ import annotations

import calendar
import datetime as dt
import errno
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.credentials.publish import publish_records
from generator.credentials.registry import root_fingerprint
from generator.errors import BuildError
from generator.models import Catalogue
from generator.render.api import render_api
from generator.render.pages import render_pages
from generator.site.html import build_html
from generator.site.search_index import index_site
from generator.site.swap import build_lock, replace_dir
from generator.site.tree import write_tree
from generator.validate import load_catalogue


@dataclass(frozen=True)
class BuildOptions:
    root: Path  # the repository: catalogue/, site_src/, mkdocs.yml, keys/, certificates/
    out: Path  # the published site folder, replaced only on success
    today: dt.date


@dataclass(frozen=True)
class BuildReport:
    pages: int
    indexed: int
    records: int
    out: Path


def _extra(root: Path) -> dict[str, Any]:
    """Values the theme shows on every page (the key registry's root fingerprint)."""
    fingerprint = root_fingerprint(root / "keys")
    return {"root_fingerprint": fingerprint} if fingerprint else {}


def _publish_records(root: Path, site: Path, cat: Catalogue) -> int:
    """Verify every issued record against the key registry and publish it; a forged or altered
    record stops the build (PublishError lists them all)."""
    report = publish_records(repo_root=root, site_dir=site, catalogue=cat)
    return report.records


def build_site(opts: BuildOptions) -> BuildReport:
    root, out = opts.root.resolve(), opts.out.resolve()
    cat = load_catalogue(root / "catalogue")
    pages = render_pages(cat, today=opts.today) + render_api(cat, today=opts.today)
    out.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(out.with_name(f".{out.name}.lock")):
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
        try:
            config = write_tree(work=work, site_src=root / "site_src", pages=pages,
                                base_config=root / "mkdocs.yml", extra=_extra(root))
            epoch = calendar.timegm(opts.today.timetuple())
            build_html(config, epoch=epoch)
            site = work / "site"
            indexed = index_site(site)
            records = _publish_records(root, site, cat)
            replace_dir(site, out)
        except OSError as e:
            if e.errno == errno.ENOSPC:
                raise BuildError(f"no space left on the device while building; {out} is unchanged") from e
            raise BuildError(f"build failed: {e}; {out} is unchanged") from e
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return BuildReport(pages=len(pages), indexed=indexed, records=records, out=out)
