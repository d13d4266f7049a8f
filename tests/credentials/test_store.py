"""The private store and the sealed batch, through the command line: holders' records stay
outside the repository, a killed issuance leaves store and repository as before or complete, and
`xcert seal` moves a folder of plaintext records into the store."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _commands import copy_site_sources, setup_org, write_batch
from conftest import REPO, run_xcert

from generator.credentials.formats.jsontext import parse_json


def test_a_store_inside_the_repository_is_refused(
    scratch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    repo, env = scratch
    setup_org(repo, env)
    batch = write_batch(tmp_path / "batch.csv", "中级")
    r = run_xcert(
        "issue",
        "--org",
        "miit-etc",
        "--store",
        str(repo / "private"),
        str(batch),
        cwd=repo,
        env=env,
    )
    assert r.returncode == 2 and "outside the repository" in r.stderr
    r = run_xcert(
        "issue",
        "--org",
        "miit-etc",
        str(batch),
        cwd=repo,
        env={**env, "XCERT_STORE": str(repo / "certificates" / "store")},
    )
    assert r.returncode == 2 and "outside the repository" in r.stderr
    assert not (repo / "private").exists() and not (repo / "certificates" / "miit-etc").exists()


def test_the_same_batch_issued_again_issues_nothing_new(
    scratch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    repo, env = scratch
    setup_org(repo, env)
    batch = write_batch(tmp_path / "batch.csv", "中级", "高级")
    assert (
        run_xcert("issue", "--org", "miit-etc", "--png", str(batch), cwd=repo, env=env).returncode
        == 0
    )
    before = sorted(p.name for p in (repo / "certificates" / "miit-etc" / "batches").iterdir())
    r = run_xcert("issue", "--org", "miit-etc", str(batch), cwd=repo, env=env)
    assert r.returncode == 0 and "issued before as batch" in r.stdout
    after = sorted(p.name for p in (repo / "certificates" / "miit-etc" / "batches").iterdir())
    assert after == before and len(after) == 2
    holder = sorted((tmp_path / "store").glob("miit-etc/batches/*/holder/MIIT-2025-000001.*"))
    # The baked PNG and SVG, and the QR code of the verify link (the site's address is set).
    assert {p.suffix for p in holder} == {".png", ".svg"}


def _state(repo: Path, store: Path) -> tuple[list[str], list[str]]:
    """(complete batches in the repository, complete batches in the store), asserting that
    nothing is half there."""
    in_repo = []
    for manifest in sorted((repo / "certificates" / "miit-etc" / "batches").glob("*.json")):
        doc = parse_json(manifest.read_bytes())
        entries = manifest.with_name(doc["entries"]["file"]).read_bytes()
        assert hashlib.sha256(entries).hexdigest() == doc["entries"]["sha256"]  # never half
        in_repo.append(manifest.stem)
    in_store = []
    for folder in sorted(store.glob("miit-etc/batches/*")):
        records = list((folder / "records").glob("*.json"))
        assert len(records) == 40, folder  # a committed batch is whole
        in_store.append(folder.name)
    stray = [p for p in (repo / "certificates").rglob("*") if p.name.startswith(".")]
    assert stray == [] or all(p.name.endswith(".tmp") for p in stray)
    return in_repo, in_store


def test_a_killed_issuance_leaves_everything_as_before_or_complete(
    scratch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """Each run is 40 rows in sealed batches of 15: the store takes the three batches at once;
    the repository receives each whole (entries before manifest), and the next run completes
    it."""
    repo, env = scratch
    setup_org(repo, env)
    store = tmp_path / "store"
    full = {**os.environ, "PYTHONPATH": str(REPO), **env}
    rng = random.Random(11)
    seen_states = set()
    for attempt in range(4):
        rows = "".join(
            f"MIIT-2026-{attempt}{i:05d},学员{i},web-frontend,中级,2025-01-02\n" for i in range(40)
        )
        batch = tmp_path / f"batch-{attempt}.csv"
        batch.write_text("证书编号,姓名,证书,等级,发证日期\n" + rows, encoding="utf-8")
        issue = ["issue", "--org", "miit-etc", "--batch-size", "15", str(batch)]
        before = _state(repo, store)
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", *issue],
            cwd=repo,
            env=full,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        # Kill at a random moment of the run: reading, deriving keys, committing, copying.
        deadline = time.monotonic() + rng.uniform(0.5, 4.0)
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        after = _state(repo, store)
        grew = (len(after[0]) - len(before[0]), len(after[1]) - len(before[1]))
        # The store commits first, the whole run at once.
        assert grew in {(0, 0), (0, 1), (1, 1), (2, 1), (3, 1)}, grew
        seen_states.add(grew)
        r = run_xcert(*issue, cwd=repo, env=env)
        assert r.returncode == 0, r.stderr
        done = _state(repo, store)
        assert (len(done[0]), len(done[1])) == (3 * (attempt + 1), attempt + 1)
        assert not list(store.glob("miit-etc/.incoming-*"))
    assert seen_states  # the runs were killed at several moments


def test_seal_moves_plaintext_records_into_the_store(
    scratch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    repo, env = scratch
    setup_org(repo, env)
    batch = write_batch(tmp_path / "batch.csv", "中级", "高级", "初级")
    assert run_xcert("issue", "--org", "miit-etc", str(batch), cwd=repo, env=env).returncode == 0
    # A repository made with the old layout: its records in certificates/ORG/ as plaintext.
    old = tmp_path / "old-store"
    (tmp_path / "store").rename(old)
    folder = repo / "certificates" / "miit-etc"
    for path in old.glob("miit-etc/batches/*/records/*.json"):
        (folder / path.name).write_bytes(path.read_bytes())
    for path in folder.glob("batches/*"):
        path.unlink()
    r = run_xcert("check", "--catalogue", str(repo / "catalogue"), cwd=repo, env=env)
    assert r.returncode != 0 and "certificates/miit-etc/MIIT-2025-000001.json" in r.stderr
    assert "xcert seal" in r.stderr
    r = run_xcert("seal", "--org", "miit-etc", cwd=repo, env=env)
    assert r.returncode == 0, r.stderr
    assert "moved 3 records" in r.stdout and "git filter-repo" in r.stdout
    assert not list(folder.glob("*.json"))
    assert len(list((tmp_path / "store").glob("miit-etc/batches/*/records/*.json"))) == 3
    assert len(list(folder.glob("batches/*.json"))) == 1
    r = run_xcert("check", "--catalogue", str(repo / "catalogue"), cwd=repo, env=env)
    assert r.returncode == 0, r.stderr
    r = run_xcert("revoke", "MIIT-2025-000002", "--reason", "证书信息有误", cwd=repo, env=env)
    assert r.returncode == 0, r.stderr
    status = json.loads((folder / "status" / "1.json").read_text())
    assert "revocations" not in status["credentialSubject"]  # the list carries bits only
    details = (folder / "status-details" / "1.json").read_text(encoding="utf-8")
    assert len(json.loads(details)["details"]) == 1 and "证书信息有误" not in details


@pytest.mark.parametrize("stage", ["issue"])
def test_a_number_not_in_the_store_cannot_be_revoked(
    scratch: tuple[Path, dict[str, str]], stage: str
) -> None:
    repo, env = scratch
    setup_org(repo, env)
    r = run_xcert("revoke", "MIIT-2025-999999", "--reason", "x", cwd=repo, env=env)
    assert r.returncode == 2 and "no record with number MIIT-2025-999999" in r.stderr


def test_a_csv_larger_than_the_batch_size_becomes_several_signed_batches_all_published(
    scratch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    from generator.credentials.publishing.batches import find_record

    repo, env = scratch
    copy_site_sources(repo)
    setup_org(repo, env)
    levels = ("中级", "高级", "初级", "中级", "高级", "初级", "中级")
    batch = write_batch(tmp_path / "batch.csv", *levels)
    issue = ["issue", "--org", "miit-etc", "--batch-size"]
    r = run_xcert(*issue, "3", str(batch), cwd=repo, env=env)
    assert r.returncode == 0, r.stderr
    assert "issued 7 records" in r.stdout and r.stdout.count("sealed batch for the repo") == 3
    manifests = sorted((repo / "certificates" / "miit-etc" / "batches").glob("*.json"))
    docs = [parse_json(m.read_bytes()) for m in manifests]
    assert sorted(d["records"] for d in docs) == [1, 3, 3]
    for manifest, doc in zip(manifests, docs, strict=True):  # each complete and signed
        entries = manifest.with_name(doc["entries"]["file"]).read_bytes()
        assert hashlib.sha256(entries).hexdigest() == doc["entries"]["sha256"]
        assert entries.count(b"\n") == doc["records"] and "proof" in doc
    # One run in the store: its seven records, committed together.
    (run,) = (tmp_path / "store").glob("miit-etc/batches/*")
    assert len(list((run / "records").glob("*.json"))) == 7
    assert not list(tmp_path.glob("store/miit-etc/.incoming-*"))
    r = run_xcert(*issue, "0", str(batch), cwd=repo, env=env)
    assert r.returncode == 2 and "--batch-size" in r.stderr
    r = run_xcert("build", "--today", "2026-11-30", cwd=repo, env=env)
    assert r.returncode == 0, r.stderr
    for i, level in enumerate(levels, 1):
        found = find_record(repo / "site", number=f"MIIT-2025-{i:06d}", name=f"赵{i}")
        assert found is not None, i
        assert json.loads(found)["credentialSubject"]["achievement"]["level"] == level
