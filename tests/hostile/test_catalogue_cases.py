"""Hostile catalogue files through the real command line: each case is one file beside the
message it must produce (tests/assets/hostile/catalogue/<case>.yaml and .expected).

For every case `xcert check` and `xcert build` both exit 1 with exactly that message (file, line,
column), in bounded time and memory, and the site built before is left byte for byte as it was,
with no temporary folder beside it. The invalid files of tests/assets/catalogue/invalid/ that are
hostile rather than merely wrong (alias bomb, deep nesting, duplicate key, invalid UTF-8, BOM and
CRLF, octal postcode, path traversal, YAML booleans) go through the same command-line check here;
their messages are kept there.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ASSETS as TEST_ASSETS
from conftest import TODAY

from hostile.conftest import (
    ASSETS,
    InjectedSite,
    leftovers,
    run_measured,
    scratch_copy,
    tree_digest,
)

CASES = ASSETS / "catalogue"
EXISTING = TEST_ASSETS / "catalogue" / "invalid"
EXISTING_HOSTILE = (
    "alias-bomb",
    "crlf-with-bom",
    "deep-nesting",
    "duplicate-key",
    "invalid-utf8",
    "octal-postcode",
    "slug-path-traversal",
    "slug-upper-case",
    "yaml-boolean-name",
)
MAX_CPU_SECONDS = 10.0
MAX_RSS_MIB = 400.0
MIB = 1024 * 1024


def _header(data: bytes) -> dict[str, str]:
    """`# kind: organizations` and `# as: file name.yaml` from the top of a case, whatever its
    encoding (some cases are deliberately not UTF-8)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        lines = data.decode("utf-16").splitlines()[:2]
    else:
        lines = [b.decode("utf-8", "replace").lstrip("\ufeff") for b in data.splitlines()[:2]]
    head = {
        k.strip("# "): v.strip()
        for k, v in (line.split(":", 1) for line in lines if line.startswith("# ") and ":" in line)
    }
    assert "kind" in head, "a case file starts with '# kind: <folder>'"
    return head


def _file_case(case: Path) -> Callable[[Path], None]:
    def place(catalogue: Path) -> None:
        data = case.read_bytes()
        head = _header(data)
        (catalogue / head["kind"] / head.get("as", case.name)).write_bytes(data)

    return place


def _write(folder: str, name: str, text: str) -> Callable[[Path], None]:
    def place(catalogue: Path) -> None:
        (catalogue / folder / name).write_text(text, encoding="utf-8")

    return place


def _symlink(name: str, target: str) -> Callable[[Path], None]:
    def place(catalogue: Path) -> None:
        (catalogue / "organizations" / name).symlink_to(target)

    return place


def _fifo(catalogue: Path) -> None:
    os.mkfifo(catalogue / "organizations" / "fifo.yaml")


def _directory(catalogue: Path) -> None:
    (catalogue / "organizations" / "directory.yaml").mkdir()


ORG = "id: {id}\nname: 组织\n"
# Cases too big to keep in the repository, or that are not plain files.
GENERATED: dict[str, Callable[[Path], None]] = {
    "enormous-file": _write(
        "organizations",
        "enormous-file.yaml",
        ORG.format(id="enormous-file") + "summary: " + "x" * MIB + "\n",
    ),
    "enormous-field": _write(
        "organizations",
        "enormous-field.yaml",
        ORG.format(id="enormous-field") + "summary: " + "长" * 20_001 + "\n",
    ),
    "many-values": _write(
        "organizations",
        "many-values.yaml",
        ORG.format(id="many-values") + "aliases: [" + "a," * 200_000 + "a]\n",
    ),
    "deep-nesting-megabyte": _write(
        "organizations",
        "deep-nesting-megabyte.yaml",
        ORG.format(id="deep-nesting-megabyte") + "summary: " + "[" * (MIB - 100) + "\n",
    ),
    "symlink-to-dev-zero": _symlink("symlink-to-dev-zero.yaml", "/dev/zero"),
    "symlink-outside": _symlink("symlink-outside.yaml", "/etc/hostname"),
    "fifo": _fifo,
    "directory": _directory,
}

ALL: dict[str, tuple[Callable[[Path], None], Path]] = {
    **{c.stem: (_file_case(c), c.with_suffix(".expected")) for c in sorted(CASES.glob("*.yaml"))},
    **{name: (place, CASES / f"{name}.expected") for name, place in GENERATED.items()},
    **{
        name: (_file_case(EXISTING / f"{name}.yaml"), EXISTING / f"{name}.expected")
        for name in EXISTING_HOSTILE
    },
}


def test_every_expected_message_has_its_case() -> None:
    expected = {p.stem for p in CASES.glob("*.expected")}
    mine = {name for name, (_, exp) in ALL.items() if exp.parent == CASES}
    assert expected == mine


@pytest.mark.parametrize("name", sorted(ALL))
def test_hostile_file_is_refused_and_the_site_kept(
    name: str, injected: InjectedSite, tmp_path: Path
) -> None:
    place, expected_file = ALL[name]
    root = scratch_copy(injected, tmp_path / "repo")
    place(root / "catalogue")
    check, build = run_measured(
        ("check", "--catalogue", str(root / "catalogue")),
        ("build", "--root", str(root), "--today", TODAY.isoformat()),
    )
    expected = expected_file.read_text(encoding="utf-8")
    for run in (check, build):
        assert (run.returncode, run.stderr) == (1, expected), run.args
        assert run.cpu < MAX_CPU_SECONDS and run.max_rss_mib < MAX_RSS_MIB, run
    assert tree_digest(root / "site") == injected.digest
    assert leftovers(root / "site") == []
