"""The code's own checks: ruff (lint and format), mypy --strict on generator/, and Biome (lint and
format) on the browser code.

They run inside `make test` so a change that breaks them fails like any other test; `make lint`
runs the same commands on their own. The tools are pinned (pyproject.toml, package-lock.json).
To fix formatting: `.venv/bin/ruff format .` and `node_modules/.bin/biome format --write
site_src/assets`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BIOME = REPO / "node_modules" / ".bin" / "biome"


def _run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(cmd)} found:\n{result.stdout}{result.stderr}"


def test_python_passes_ruff_check() -> None:
    _run([str(BIN / "ruff"), "check", "--no-cache", "."])


def test_python_is_formatted() -> None:
    _run([str(BIN / "ruff"), "format", "--check", "--no-cache", "."])


def test_generator_passes_mypy_strict() -> None:
    _run([str(BIN / "mypy"), "--cache-dir", "/dev/null"])


def test_browser_code_passes_biome_lint_and_format() -> None:
    if not BIOME.exists():
        pytest.fail("Biome is not installed: run `make test` (or `npm ci`) first")
    _run([str(BIOME), "ci", "--error-on-warnings", "site_src/assets"])
