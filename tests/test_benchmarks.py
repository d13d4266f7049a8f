"""Every script in benchmarks/ still runs, on an input small enough for the test suite.

The figures are not checked (speed is measured by running the scripts, not here); what is checked
is that each script goes through all of its steps and prints its report, so a change to the
generator that breaks a benchmark shows up at once instead of at the next measurement.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import REPO

BENCHMARKS = REPO / "benchmarks"

# The size of a tiny synthetic catalogue (benchmarks/synthetic_catalogue.py).
TINY_CATALOGUE = "--certificates 12 --organizations 4 --notices 8 --standards 2".split()
# Each script with the arguments of a tiny run, and a line its report ends with.
TINY: dict[str, tuple[list[str], str]] = {
    "build_bench.py": (["--tiny"], "Full site by file type"),
    "credentials_bench.py": (["--records", "12", "--browser-runs", "2"], "verify page, file"),
    "renderer_bench.py": ([*TINY_CATALOGUE, "--runs", "1"], "load average at the end"),
    # The browser step too: its page runs under the site's policy (no eval), as the verify page.
    "kdf_bench.py": (
        ["--runs", "1", "--sample", "1", "--throttle", "1"],
        "look-up in Chromium, 1x CPU throttling, PBKDF2",
    ),
    "scale_bench.py": (
        [
            "--records",
            "60",
            "--kdf-iterations",
            "1000",
            "--kdf-sample",
            "2",
            "--batch",
            "30",
            "--incremental",
            "5",
        ],
        "one look-up fetches",
    ),
    "search_recall.py": (
        [importlib.metadata.version("pagefind"), "--venvs", sys.prefix, "--all-names"],
        "all names",
    ),
    "serve_bench.py": (["--tiny"], "load average at end"),
    "synthetic_catalogue.py": (["{tmp}/root", *TINY_CATALOGUE], ""),
}


def test_every_benchmark_script_has_a_tiny_run() -> None:
    scripts = {p.name for p in BENCHMARKS.glob("*.py") if not p.name.startswith("_")}
    assert scripts == set(TINY), "add the new script's tiny run to TINY"


@pytest.mark.parametrize("script", sorted(TINY))
def test_benchmark_script_runs_on_a_tiny_input(
    script: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    args, last_words = TINY[script]
    args = [a.format(tmp=tmp_path) for a in args]
    if script == "search_recall.py":
        args += ["--site", str(request.getfixturevalue("built_site"))]
    if script == "scale_bench.py":
        args += ["--work", str(tmp_path / "scale")]
    # Chromium refuses a profile whose socket path passes ~107 bytes, which a pytest temporary
    # folder under xdist (…/popen-gw0/test_benchmark_script_runs_on_0/…) does: a short one here.
    with tempfile.TemporaryDirectory(prefix="bench-", dir="/tmp") as short:
        env = {**os.environ, "TMPDIR": short}
        result = subprocess.run(
            [sys.executable, str(BENCHMARKS / script), *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=900,
            env=env,
            check=False,
        )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    assert last_words in result.stdout
