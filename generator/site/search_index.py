"""Index the built HTML with Pagefind (the extended build, which segments Chinese).

The indexer runs as the command that the `pagefind` Python package installs, in a subprocess:
it returns only once every file of the bundle is written. (Through the package's service API,
leaving the context returns before the bundle's static files are all on disk, and a loaded
machine then produced truncated files.)
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.errors import BuildError
from generator.site.search_stable import stabilize

_NEARLY_FULL = 1024 * 1024  # bytes free below which empty output means the disk filled up


def index_site(site: Path) -> int:
    """Write site/pagefind/; returns the number of pages indexed."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--force-language",
        "zh",
        # Table headers are labels ("项目 内容", "等级 考核成本上限"): in a snippet they read as
        # a run of stray words before the row that matched.
        "--exclude-selectors",
        "thead",
        "--silent",
    ]
    try:
        result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise BuildError(f"Pagefind could not run: {e}") from e
    detail = (result.stderr or result.stdout).strip()
    if result.returncode != 0:
        if os.strerror(errno.ENOSPC) in detail:
            raise OSError(errno.ENOSPC, f"Pagefind: {detail}")
        raise BuildError(f"Pagefind indexing failed:\n{detail}")
    bundle = site / "pagefind"
    try:
        _check_complete(bundle)
        stabilize(bundle)
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, EOFError, ValueError) as e:
        # Pagefind 1.5 exits 0 when the disk fills up under it, leaving empty or cut files.
        if shutil.disk_usage(site).free < _NEARLY_FULL:
            raise OSError(errno.ENOSPC, f"Pagefind's output is incomplete: {e}") from e
        if isinstance(e, OSError):
            raise
        raise BuildError(f"Pagefind's output is unreadable: {e}") from e
    return sum(int(lang.get("page_count", 0)) for lang in entry["languages"].values())


def _check_complete(bundle: Path) -> None:
    empty = sorted(p.name for p in bundle.rglob("*") if p.is_file() and p.stat().st_size == 0)
    if empty:
        raise ValueError(f"{len(empty)} empty files ({', '.join(empty[:3])}...)")
