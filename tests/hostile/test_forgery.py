"""Forgeries against the Python verifier and the command line: a record re-signed with a key not
in the registry, dates moved into a key's window after signing, a registry signed by a key that
is not its root, a registry with a lowered version or another root. Each is refused with its own
verdict or message. (tests/hostile/test_forgery_browser.py puts the same files to the page.)"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from conftest import run_xcert

from generator.credentials.formats.errors import RegistryError
from generator.credentials.formats.jsontext import dump_json
from generator.credentials.formats.verify import verification_result
from generator.credentials.repo import load_registry, repo_trust, save_registry
from hostile._forgery import (
    AGREEMENT,
    ROGUE,
    ROOT,
    lowered_registry,
    records,
    registry,
    registry_signed_by,
    registry_with_new_root,
    t,
)

NOW = t("2026-01-01T00:00:00")
CASES = records()


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(AGREEMENT / "repo", root)
    return root


@pytest.mark.parametrize("case", sorted(CASES))
def test_python_verdict(case: str, repo: Path) -> None:
    data, verdict, reason = CASES[case]
    result = verification_result(data, trust=repo_trust(repo), now=NOW)
    assert (result.verdict.value, result.reason) == (verdict, reason)


def test_command_line_verdicts(repo: Path, tmp_path: Path) -> None:
    files = []
    for case, (data, _, _) in sorted(CASES.items()):
        files.append(tmp_path / f"{case}.json")
        files[-1].write_bytes(data)
    result = run_xcert("verify", "--repo", str(repo), "--json", *map(str, files))
    assert result.returncode == 1  # not every file is valid
    got = {
        Path(j["file"]).stem: (j["verdict"], j["reason"])
        for j in map(json.loads, result.stdout.splitlines())
    }
    assert got == {case: (verdict, reason) for case, (_, verdict, reason) in CASES.items()}


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (registry_signed_by(ROGUE), "the registry is not signed by the root of its site"),
        (
            registry_signed_by(ROGUE, claim_root=True),
            "the registry's signature does not match (altered?)",
        ),
    ],
    ids=["rogue-key", "rogue-key-claiming-root"],
)
def test_a_registry_not_signed_by_its_root_is_refused(
    doc: dict,
    message: str,
    repo: Path,  # type: ignore[type-arg]
    tmp_path: Path,
) -> None:
    path = repo / "keys" / "registry.json"
    path.write_bytes(dump_json(doc))
    with pytest.raises(RegistryError) as info:
        load_registry(path)
    assert str(info.value) == f"{path}: {message}"
    record = tmp_path / "valid.json"
    record.write_bytes((AGREEMENT / "cases" / "valid.json").read_bytes())
    result = run_xcert("verify", "--repo", str(repo), str(record))
    assert result.returncode == 1
    assert result.stderr == f"xcert: error: {path}: {message}\n"


def test_a_registry_version_never_goes_down(repo: Path) -> None:
    current = load_registry(repo / "keys" / "registry.json")
    assert current.version == 4
    with pytest.raises(
        RegistryError,
        match="^registry version 3 does not exceed the current "
        "version 4; a registry version never goes down$",
    ):
        save_registry(
            repo / "keys" / "registry.json", lowered_registry(), root=ROOT, previous=current
        )
    # Why it matters: under the old version the key stolen on 2024-09-01 still signs.
    late = CASES["signed-after-key-revoked"][0]
    (repo / "keys" / "registry.json").write_bytes(
        dump_json(lowered_registry().signed_document(ROOT))
    )
    assert verification_result(late, trust=repo_trust(repo), now=NOW).ok


def test_a_registry_under_another_root_cannot_replace_the_current_one(repo: Path) -> None:
    forged = dataclasses.replace(registry_with_new_root(), version=5)
    with pytest.raises(
        RegistryError, match="^the new registry has another root key than the current one$"
    ):
        save_registry(repo / "keys" / "registry.json", forged, root=ROGUE, previous=registry())
