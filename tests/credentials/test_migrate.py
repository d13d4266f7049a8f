"""A repository of the first record format (before did:web) moves to today's with `xcert keys
migrate` and `xcert migrate`: the records say the same, verify, and a revoked one stays revoked
with its date and reason; a record that does not verify stops the migration, nothing written."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from _scenarios import A3, ASSETS, ROOT, SITE_URL
from conftest import REPO, run_xcert

from generator.credentials.formats._time import now_utc
from generator.credentials.formats.verify import verification_result
from generator.credentials.issuing.keys import write_key_file
from generator.credentials.repo import repo_trust

LEGACY = ASSETS / "legacy"
PASSPHRASE = "a passphrase, long enough"


@pytest.fixture()
def legacy(tmp_path: Path) -> tuple[Path, dict[str, str], Path]:
    repo = tmp_path / "repo"
    shutil.copytree(LEGACY / "repo", repo)
    (repo / "catalogue").symlink_to(REPO / "catalogue")
    keys = tmp_path / "keys"
    write_key_file(
        keys / "root.xcert-key",
        ROOT,
        passphrase=PASSPHRASE,
        organization="",
        label="root",
        strength="min",
    )
    write_key_file(
        keys / "acme-3.xcert-key",
        A3,
        passphrase=PASSPHRASE,
        organization="acme",
        label="acme",
        strength="min",
    )
    env = {"XCERT_PASSPHRASE": PASSPHRASE, "XCERT_KEY_DIR": str(keys), "XCERT_SITE_URL": SITE_URL}
    return repo, env, keys


def migrate_acme(legacy: tuple[Path, dict[str, str], Path]) -> subprocess.CompletedProcess[str]:
    """`xcert migrate` for acme, signing with its current key."""
    repo, env, keys = legacy
    key = str(keys / "acme-3.xcert-key")
    return run_xcert(
        "migrate", "--org", "acme", "--repo", str(repo), "--key", key, cwd=repo, env=env
    )


def test_a_first_format_repository_is_refused_with_what_to_run(
    legacy: tuple[Path, dict[str, str], Path],
) -> None:
    repo, env, _ = legacy
    run = run_xcert(
        "verify",
        "--repo",
        str(repo),
        str(repo / "certificates/acme/ACME-2024-000000.json"),
        cwd=repo,
        env=env,
    )
    assert run.returncode == 1
    assert "format before did:web" in run.stderr and "xcert keys migrate" in run.stderr


def test_records_are_re_issued_in_todays_format_and_keep_their_status(
    legacy: tuple[Path, dict[str, str], Path],
) -> None:
    repo, env, _ = legacy
    before = {
        p.name: json.loads(p.read_text(encoding="utf-8"))
        for p in (repo / "certificates/acme").glob("*.json")
    }
    run = run_xcert("keys", "migrate", "--repo", str(repo), cwd=repo, env=env)
    assert run.returncode == 0, run.stderr
    run = migrate_acme(legacy)
    assert run.returncode == 0, run.stderr
    assert "re-issued 3 records of acme (1 revoked)" in run.stdout
    trust = repo_trust(repo)
    verdicts = {}
    for name, old in before.items():
        data = (repo / "certificates/acme" / name).read_bytes()
        result = verification_result(data, trust=trust, now=now_utc())
        new = json.loads(data)
        assert new["issuer"]["id"] == "did:web:xcert.example:organizations:acme"
        s, o = new["credentialSubject"], old["credentialSubject"]
        assert (s["name"], s["certificateNumber"], s["issueDate"], s.get("examDate")) == (
            o["name"],
            o["certificateNumber"],
            o["issueDate"],
            o.get("examDate"),
        )
        assert s["achievement"]["level"] == o["level"]
        verdicts[name] = (result.verdict.value, result.message)
    assert verdicts["ACME-2024-000000.json"][0] == "valid"
    assert verdicts["ACME-2024-000003.json"][0] == "valid"
    assert verdicts["ACME-2024-000005.json"] == (
        "certificate-revoked",
        "证书已被撤销：撤销日期 2024-08-15，原因：考试违规。",
    )
    assert not list(repo.glob("certificates/.migrat*"))


def test_a_record_that_does_not_verify_stops_the_migration(
    legacy: tuple[Path, dict[str, str], Path],
) -> None:
    repo, env, _ = legacy
    shutil.copy(LEGACY / "altered-subject.json", repo / "certificates/acme/ACME-2024-000099.json")
    assert run_xcert("keys", "migrate", "--repo", str(repo), cwd=repo, env=env).returncode == 0
    snapshot = {p: p.read_bytes() for p in (repo / "certificates").rglob("*") if p.is_file()}
    run = migrate_acme(legacy)
    assert run.returncode == 1
    assert "ACME-2024-000099.json: its signature does not match" in run.stderr
    assert "nothing was written" in run.stderr
    assert {
        p: p.read_bytes() for p in (repo / "certificates").rglob("*") if p.is_file()
    } == snapshot
