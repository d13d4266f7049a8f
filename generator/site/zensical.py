"""Build HTML from the generated tree with Zensical, Material for MkDocs' successor.

Zensical reads the same mkdocs.yml, theme overrides and Markdown; `xcert build --renderer
zensical` uses it in place of mkdocs. It runs as its own command (a Rust program behind a thin
Python wrapper) in strict mode, so a warning fails the build as it does with mkdocs. What it does
not yet do the way mkdocs + Material does is listed in docs/zensical.md.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from generator.errors import BuildError

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def zensical_available() -> bool:
    return importlib.util.find_spec("zensical") is not None


def build_html_zensical(config_file: Path, *, epoch: int) -> None:
    """zensical build --strict of `config_file` into the site folder beside it."""
    if not zensical_available():
        raise BuildError(
            "Zensical is not installed: pip install -e '.[zensical]' "
            "(or build with the default renderer, mkdocs)"
        )
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "NO_COLOR": "1"}
    command = [
        sys.executable,
        "-m",
        "zensical",
        "build",
        "--strict",
        "--clean",
        "--config-file",
        str(config_file),
    ]
    try:
        result = subprocess.run(
            command,
            cwd=config_file.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise BuildError(f"Zensical could not run: {e}") from e
    if result.returncode != 0:
        raise BuildError(f"Zensical failed:\n{_report(result.stdout + result.stderr)}")
    site = config_file.parent / "site"
    # Zensical writes its own search index; the site searches with Pagefind, as with mkdocs.
    (site / "search.json").unlink(missing_ok=True)
    for path in sorted(site.glob("assets/**/*.map")):  # source maps only a debugger reads
        path.unlink()
    shutil.rmtree(config_file.parent / ".cache", ignore_errors=True)


def _report(output: str) -> str:
    """Zensical's findings without colours or the Python traceback that follows them."""
    text = _ANSI.sub("", output).split("Traceback (most recent call last)")[0]
    return text.replace("Build started\n", "").strip() or _ANSI.sub("", output).strip()
