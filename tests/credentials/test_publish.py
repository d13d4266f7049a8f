"""The build step: verify everything, publish sealed shards, never publish a forged record, and
the next build reads, verifies and rewrites only what changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from _scenarios import (
    A2,
    A3,
    ACME_NAME,
    AGREEMENT,
    B1,
    ROOT,
    catalogue,
    record,
    registry,
    status_list,
    t,
    test_signer,
)

from generator.credentials.formats import lookup
from generator.credentials.formats.jsontext import dump_json
from generator.credentials.formats.lookup import LookupParams, find_record
from generator.credentials.formats.record import record_hash
from generator.credentials.formats.registry import KeyEntry, OrgEntry, Registry
from generator.credentials.issuing.demo import ensure_demo
from generator.credentials.issuing.errors import PrivateKeyInTreeError
from generator.credentials.publishing.errors import PublishError
from generator.credentials.publishing.publish import PublishReport, publish_records

CASES = AGREEMENT / "cases"
FAST = LookupParams(iterations=1000)  # the layout's code paths at a test's speed


def add(repo: Path, case: str, number: str | None = None) -> Path:
    if number is None:
        number = json.loads((CASES / f"{case}.json").read_bytes())["credentialSubject"][
            "certificateNumber"
        ]
    target = repo / "certificates" / "acme" / f"{number}.json"
    shutil.copyfile(CASES / f"{case}.json", target)
    return target


def add_student(repo: Path, i: int, *, name: str | None = None) -> Path:
    doc = record(
        signer=A3,
        created="2024-10-01T00:00:00Z",
        index=100 + i,
        name=name or f"学员{i}",
        number=f"ACME-2024-{100 + i:06d}",
    )
    target = repo / "certificates" / "acme" / f"ACME-2024-{100 + i:06d}.json"
    target.write_bytes(dump_json(doc))
    return target


def shard_of(i: int, bits: int = 3) -> str:
    h = record_hash(number=f"ACME-2024-{100 + i:06d}", name=f"学员{i}")
    return lookup.shard_name(lookup.shard_index(h, bits), bits)


def publish(repo: Path, site: Path, **kwargs: object) -> PublishReport:
    options: dict[str, object] = {"catalogue": catalogue(), "workers": 1, "params": FAST}
    options.update(kwargs)
    return publish_records(repo_root=repo, site_dir=site, **options)  # type: ignore[arg-type]


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_records_are_published_in_sealed_shards(repo: Path, tmp_path: Path) -> None:
    add(repo, "valid")
    add(repo, "valid-current-key")
    add(repo, "certificate-revoked")
    site = tmp_path / "site"
    report = publish_records(  # the real KDF parameters, once
        repo_root=repo,
        site_dir=site,
        site_url="https://xcert.example/",
        catalogue=catalogue(),
        workers=1,
    )
    assert (report.records, report.revoked, report.status_lists, report.qr_codes) == (3, 1, 1, 3)
    # Typed variants of the number and name find the record, byte for byte.
    found = find_record(site, number=" acme-2024-000003", name="买买提•艾力")
    assert found == (CASES / "valid-current-key.json").read_bytes()
    assert find_record(site, number="ACME-2024-000003", name="买买提") is None
    # Three records fit one shard; nothing in the folder names or shows a record.
    assert sorted(files(site / "r")) == ["0.json", "index.json"]
    layout = json.loads((site / "r" / "index.json").read_text())
    assert layout == {
        "version": 2,
        "kdf": {
            "name": "PBKDF2",
            "hash": "SHA-256",
            "iterations": lookup.KDF_ITERATIONS,
            "salt": "xcert-lookup-v2",
        },
        "shardBits": 0,
    }
    shard = (site / "r" / "0.json").read_text()
    assert len(json.loads(shard)) == 3
    for secret in (
        "ACME-2024-000003",
        "买买提",
        record_hash(number="ACME-2024-000003", name="买买提·艾力"),
    ):
        assert secret not in shard
    # QR images of the verify links are for printing, kept out of the site.
    qr = repo / ".xcert-cache" / "qr" / "acme" / "ACME-2024-000003.svg"
    assert qr.read_text().startswith("<svg")
    assert not list(site.rglob("*.svg"))
    assert (site / "keys" / "registry.json").read_bytes() == (
        repo / "keys" / "registry.json"
    ).read_bytes()
    assert json.loads((site / "status" / "index.json").read_text()) == {
        "statusLists": ["status/acme/1.json"]
    }
    index = json.loads((site / "verify" / "catalogue.json").read_text())
    assert index["certificates"]["web-frontend"]["standard"] == "web-frontend"
    # The folder holds data only: no page a visitor could land on (a folder listing shows
    # numbered shards and nothing more).
    assert not list((site / "r").glob("*.html"))


def test_the_next_build_reads_nothing_unchanged(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.credentials.publishing import shards

    add(repo, "valid")
    add(repo, "valid-current-key")
    first = publish(repo, tmp_path / "a", site_url="https://xcert.example/")
    assert first.shards and (first.shards.read, first.shards.verified, first.shards.derived) == (
        2,
        2,
        2,
    )

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged record was handled again")

    for name in ("verification_result", "master_key", "seal", "write_qr"):
        monkeypatch.setattr(shards, name, never)
    again = publish(repo, tmp_path / "b", site_url="https://xcert.example/")
    assert again.shards and (again.records, again.shards.read, again.shards.shards_written) == (
        2,
        0,
        0,
    )
    assert files(tmp_path / "a" / "r") == files(tmp_path / "b" / "r")


def test_the_caches_are_keyed_by_content(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the manifest (a new state), the records are read again but neither verified nor
    their keys derived again."""
    from generator.credentials.publishing import shards

    add(repo, "valid")
    add(repo, "certificate-revoked")
    publish(repo, tmp_path / "a")
    shutil.rmtree(repo / ".xcert-cache" / "published")
    monkeypatch.setattr(shards, "verification_result", None)
    monkeypatch.setattr(shards, "master_key", None)
    report = publish(repo, tmp_path / "b")
    assert report.shards and (report.shards.read, report.shards.verified) == (2, 0)
    assert report.shards.derived == 0 and report.revoked == 1
    assert files(tmp_path / "a" / "r") == files(tmp_path / "b" / "r")


def _registry_with(
    repo: Path, acme_keys: tuple[KeyEntry, ...], beta_keys: tuple[KeyEntry, ...]
) -> None:
    old = registry()
    acme = OrgEntry("acme", ACME_NAME, acme_keys)
    beta = OrgEntry("beta", old.organizations[1].name, beta_keys)
    new = Registry(
        5, "2024-10-02T00:00:00Z", ROOT.public_key_multibase, old.root_name, (acme, beta)
    )
    (repo / "keys" / "registry.json").write_bytes(dump_json(new.signed_document(ROOT)))


def test_a_registry_change_verifies_again_only_the_records_of_the_changed_key(
    repo: Path, tmp_path: Path
) -> None:
    add(repo, "valid")  # acme-2
    current = add(repo, "valid-current-key")  # acme-3
    publish(repo, tmp_path / "a")
    acme, beta = registry().organizations
    # Another organization's new key: nothing of acme is verified again.
    beta2 = test_signer("beta-2")
    _registry_with(
        repo,
        acme.keys,
        (
            *beta.keys,
            KeyEntry("beta-2", "beta", beta2.public_key_multibase, "2024-10-01T00:00:00Z"),
        ),
    )
    quiet = publish(repo, tmp_path / "b")
    assert quiet.shards and (quiet.shards.read, quiet.shards.verified) == (0, 0)
    # acme-3 found compromised from before it signed: its record stops the build.
    k3 = acme.keys[2]
    revoked = KeyEntry(
        k3.key_id,
        "acme",
        k3.public_key_multibase,
        k3.valid_from,
        "2024-09-15T00:00:00Z",
        "2024-09-15T00:00:00Z",
        "私钥泄露",
    )
    _registry_with(repo, (*acme.keys[:2], revoked), beta.keys)
    with pytest.raises(PublishError) as info:
        publish(repo, tmp_path / "c")
    assert [f for f, _ in info.value.failures] == [str(current.relative_to(repo))]
    assert "key-revoked-before-issue" in info.value.failures[0][1]
    assert not (tmp_path / "c" / "r").exists()


def test_a_revocation_shows_at_the_next_build_without_verifying_again(
    repo: Path, tmp_path: Path
) -> None:
    add(repo, "valid")
    add(repo, "certificate-revoked")
    assert publish(repo, tmp_path / "a").revoked == 1
    revoked = status_list().with_revocation(
        index=0, date="2024-08-20", reason="证书信息有误", at=t("2024-08-20T00:00:00")
    )
    (repo / "certificates" / "acme" / "status" / "1.json").write_bytes(
        dump_json(revoked.signed_document(signer=A2, issuer_name=ACME_NAME))
    )
    report = publish(repo, tmp_path / "b")
    assert report.revoked == 2
    assert report.shards and (report.shards.read, report.shards.verified) == (0, 0)


def test_a_new_batch_rewrites_only_its_shards(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lookup, "SHARD_TARGET", 2)  # 12 records → 3 bits: up to 8 shards
    for i in range(12):
        add_student(repo, i)
    first = publish(repo, tmp_path / "a")
    used = {shard_of(i) for i in range(12)}
    assert first.shards and (first.shards.shard_bits, first.shards.shards) == (3, len(used))
    state = repo / ".xcert-cache" / "published" / "r"
    before = {p.name: p.stat().st_ino for p in state.iterdir()}
    add_student(repo, 12)
    report = publish(repo, tmp_path / "b")
    assert report.shards and (report.records, report.shards.read) == (13, 1)
    assert report.shards.shards_written == 1
    after = {p.name: p.stat().st_ino for p in state.iterdir()}
    assert {n for n in after if after[n] != before.get(n)} == {f"{shard_of(12)}.json"}
    # The site of the first build is untouched: its shards are its own files.
    assert files(tmp_path / "a" / "r") != files(tmp_path / "b" / "r")
    assert find_record(tmp_path / "a", number="ACME-2024-000112", name="学员12") is None
    assert find_record(tmp_path / "b", number="ACME-2024-000112", name="学员12") is not None


def test_incremental_builds_equal_a_full_one(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lookup, "SHARD_TARGET", 2)
    paths = [add_student(repo, i) for i in range(10)]
    publish(repo, tmp_path / "a")
    paths[3].unlink()  # removed
    add_student(repo, 5, name="改名后")  # changed: same number, another name
    add_student(repo, 20)  # added
    report = publish(repo, tmp_path / "b")
    assert report.shards and (report.records, report.shards.read, report.shards.removed) == (
        10,
        2,
        1,
    )
    full = publish(repo, tmp_path / "c", cache_dir=tmp_path / "fresh-cache")
    assert full.shards and full.shards.read == 10
    assert files(tmp_path / "b" / "r") == files(tmp_path / "c" / "r")
    assert find_record(tmp_path / "b", number="ACME-2024-000103", name="学员3") is None
    assert find_record(tmp_path / "b", number="ACME-2024-000105", name="学员5") is None
    assert find_record(tmp_path / "b", number="ACME-2024-000105", name="改名后") is not None


def test_a_shard_count_change_rewrites_every_shard(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lookup, "SHARD_TARGET", 2)
    for i in range(8):
        add_student(repo, i)
    assert publish(repo, tmp_path / "a").shards.shard_bits == 2  # type: ignore[union-attr]
    add_student(repo, 8)
    report = publish(repo, tmp_path / "b")
    assert report.shards and report.shards.shard_bits == 3
    publish(repo, tmp_path / "c", cache_dir=tmp_path / "fresh-cache")
    assert files(tmp_path / "b" / "r") == files(tmp_path / "c" / "r")
    assert len(files(tmp_path / "b" / "r")) == len({shard_of(i) for i in range(9)}) + 1  # index.json


def test_a_publish_killed_while_writing_shards_is_finished_by_the_next(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.credentials.publishing._state as state

    monkeypatch.setattr(lookup, "SHARD_TARGET", 2)
    for i in range(12):
        add_student(repo, i)
    publish(repo, tmp_path / "a")
    for i in range(12, 16):
        add_student(repo, i)
    real = state.write_atomic
    calls = []

    def dies_on_the_second(path: Path, data: bytes) -> bool:
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the build is killed
        return real(path, data)

    monkeypatch.setattr(state, "write_atomic", dies_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        publish(repo, tmp_path / "b")
    monkeypatch.setattr(state, "write_atomic", real)
    again = publish(repo, tmp_path / "c")
    assert again.shards and again.shards.read == 0  # the manifest had the batch already
    publish(repo, tmp_path / "d", cache_dir=tmp_path / "fresh-cache")
    assert files(tmp_path / "c" / "r") == files(tmp_path / "d" / "r")


@pytest.mark.parametrize(
    "case",
    [
        "altered-subject",
        "wrong-key",
        "unknown-key",
        "key-revoked-before-issue",
        "key-retired-before-issue",
        "malformed-json",
        "status-list-missing",
    ],
)
def test_a_failing_record_stops_publishing_and_is_named(
    repo: Path, tmp_path: Path, case: str
) -> None:
    add(repo, "valid")
    bad = add(repo, case, number="ZZZ-BAD-0001")
    site = tmp_path / "site"
    with pytest.raises(PublishError) as info:
        publish(repo, site)
    assert [f for f, _ in info.value.failures] == [str(bad.relative_to(repo))]
    assert not (site / "r").exists()
    # Nothing was kept: once the bad file is gone, the good one is published.
    bad.unlink()
    assert publish(repo, site).records == 1


def test_all_failing_files_are_listed(repo: Path, tmp_path: Path) -> None:
    for case in ("altered-subject", "unknown-key", "no-proof"):
        add(repo, case, number=f"ZZZ-{case}")
    with pytest.raises(PublishError) as info:
        publish(repo, tmp_path / "site")
    assert len(info.value.failures) == 3
    assert str(info.value).endswith("3 files failed verification; no record published")


def test_the_same_number_and_name_twice_is_refused(repo: Path, tmp_path: Path) -> None:
    add(repo, "valid")
    copy = add(repo, "valid", number="ZZZ-COPY")
    with pytest.raises(PublishError) as info:
        publish(repo, tmp_path / "site")
    assert info.value.failures == [
        (
            str(copy.relative_to(repo)),
            "same number and name as certificates/acme/ACME-2024-000000.json",
        )
    ]


def test_a_private_key_in_the_tree_stops_the_build(repo: Path, tmp_path: Path) -> None:
    (repo / "keys" / "acme-1.xcert-key").write_text("{}")
    with pytest.raises(PrivateKeyInTreeError, match="keys/acme-1.xcert-key"):
        publish(repo, tmp_path / "site")


@pytest.mark.parametrize(
    "where",
    ["certificates/acme/LEAK.json", "certificates/acme/status/old.pem", "certificates/notes.txt"],
)
def test_a_private_key_among_the_records_stops_the_build(
    repo: Path, tmp_path: Path, where: str
) -> None:
    add(repo, "valid")
    (repo / where).write_text('{"format": "xcert-private-key", "seed": "..."}')
    with pytest.raises(PrivateKeyInTreeError, match=where):
        publish(repo, tmp_path / "site")
    assert not (tmp_path / "site" / "r").exists()


def test_a_record_replaced_by_a_private_key_is_found_at_the_next_build(
    repo: Path, tmp_path: Path
) -> None:
    """Unchanged record files are not read again, but a changed one is, and looked at."""
    target = add(repo, "valid")
    publish(repo, tmp_path / "a")
    target.write_text('{"privateKeyMultibase": "z3u2..."}')
    with pytest.raises(PrivateKeyInTreeError, match="ACME-2024-000000.json"):
        publish(repo, tmp_path / "b")


def test_parallel_workers_give_the_same_site(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.credentials.publishing import shards

    monkeypatch.setattr(shards, "CHUNK", 2)  # several chunks, so the workers share the work
    monkeypatch.setattr(lookup, "SHARD_TARGET", 2)
    for i in range(9):
        add_student(repo, i)
    one, two = tmp_path / "one", tmp_path / "two"
    publish(repo, one, workers=1, cache_dir=tmp_path / "c1", site_url="https://x.example")
    report = publish(repo, two, workers=2, cache_dir=tmp_path / "c2", site_url="https://x.example")
    assert report.shards and report.shards.read == 9
    found = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert found == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in found)


def test_the_demo_is_deterministic_and_publishes(tmp_path: Path) -> None:
    repo, keys = tmp_path / "repo", tmp_path / "demo-keys"
    first = ensure_demo(repo_root=repo, key_dir=keys)
    assert first.keys_created and len(first.files_written) == 8
    snapshot = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    mtimes = {p: p.stat().st_mtime_ns for p in snapshot}
    again = ensure_demo(repo_root=repo, key_dir=keys)
    assert (again.keys_created, again.files_written) == (False, [])
    assert {p: p.stat().st_mtime_ns for p in snapshot} == mtimes
    assert sorted(p.name for p in keys.iterdir()) == ["demo-1.xcert-key", "demo-root.xcert-key"]
    site = tmp_path / "site"
    report = publish(repo, site)
    assert (report.records, report.revoked, report.demo) == (3, 1, True)
    assert sorted(p.name for p in (site / "verify" / "demo").iterdir()) == [
        "altered.json",
        "index.json",
        "revoked.json",
        "valid.json",
    ]
    assert find_record(site, number="DEMO-2024-000002", name="李四") is not None
    assert "DEMO" in (repo / "keys" / "registry.json").read_text(encoding="utf-8")


def test_the_demo_leaves_a_real_registry_alone(repo: Path, tmp_path: Path) -> None:
    before = (repo / "keys" / "registry.json").read_bytes()
    report = ensure_demo(repo_root=repo, key_dir=tmp_path / "demo-keys")
    assert report.skipped and (repo / "keys" / "registry.json").read_bytes() == before
    assert not (repo / "certificates" / "demo").exists()


def test_demo_keys_may_not_live_in_the_repository(tmp_path: Path) -> None:
    from generator.errors import UsageError

    with pytest.raises(UsageError):
        ensure_demo(repo_root=tmp_path, key_dir=tmp_path / "keys" / "demo")


def test_beta_records_use_their_own_status_lists(repo: Path, tmp_path: Path) -> None:
    """A record whose organization has no status list stops the build (status-unavailable)."""
    doc = record(
        signer=B1, created="2024-07-01T00:00:00Z", index=0, org="beta", number="BETA-2024-000000"
    )
    (repo / "certificates" / "beta").mkdir()
    target = repo / "certificates" / "beta" / "BETA-2024-000000.json"
    target.write_bytes(dump_json(doc))
    with pytest.raises(PublishError) as info:
        publish(repo, tmp_path / "site")
    assert info.value.failures[0][0] == "certificates/beta/BETA-2024-000000.json"
    assert "status-unavailable" in info.value.failures[0][1]
