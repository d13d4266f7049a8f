"""The search index's stabilizer gives the same bytes however its work is shared out."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.site import search_stable


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_index_chunks_encoded_by_two_processes_are_the_bytes_one_writes(
    built_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("pagefind", "r", "api"))
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", "zh"]
    subprocess.run([*command, "--silent"], check=True, capture_output=True)
    raw = site / "pagefind"
    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(raw, one)
    shutil.copytree(raw, two)
    search_stable.stabilize(one)
    monkeypatch.setattr(search_stable, "_PARALLEL_FROM", 0)  # the shipped site has few chunks
    search_stable.stabilize(two)
    assert _tree(two) == _tree(one)
    assert len(list((one / "index").glob("*.pf_index"))) > 1
