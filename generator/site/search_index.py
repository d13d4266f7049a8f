"""Index the built HTML with Pagefind (the extended build, which segments Chinese).

The indexer runs as the command that the `pagefind` Python package installs, in a subprocess:
it returns only once every file of the bundle is written. (Through the package's service API,
leaving the context returns before the bundle's static files are all on disk, and a loaded
machine then produced truncated files.)
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from generator.errors import BuildError
from generator.site.search_stable import stabilize


def index_site(site: Path) -> int:
    """Write site/pagefind/; returns the number of pages indexed."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", "zh", "--silent"]
    try:
        result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise BuildError(f"Pagefind could not run: {e}") from e
    if result.returncode != 0:
        raise BuildError(f"Pagefind indexing failed:\n{(result.stderr or result.stdout).strip()}")
    bundle = site / "pagefind"
    stabilize(bundle)
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(int(lang.get("page_count", 0)) for lang in entry["languages"].values())
