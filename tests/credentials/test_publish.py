"""The build step for issued certificates: it publishes sealed batches, never a plaintext record,
verifies every batch (signature, key window, entries, counts) and stops naming every bad file,
and the next build reads and rewrites only what changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from _scenarios import (
    A2,
    A3,
    AGREEMENT,
    B1,
    FAST_ITERATIONS,
    FAST_MEMORY,
    ROGUE,
    catalogue,
    record,
    seal_into,
    t,
)

from generator.credentials.formats.jsontext import dump_json, parse_json
from generator.credentials.formats.proof import add_proof
from generator.credentials.formats.sealing import LookupParams
from generator.credentials.issuing.demo import ensure_demo
from generator.credentials.issuing.errors import PrivateKeyInTreeError
from generator.credentials.publishing import batches
from generator.credentials.publishing.batches import find_record
from generator.credentials.publishing.errors import PublishError
from generator.credentials.publishing.plaintext import PlaintextRecordError
from generator.credentials.publishing.publish import PublishReport, publish_records

FAST = LookupParams(iterations=FAST_ITERATIONS, memory=FAST_MEMORY)


def student(i: int, *, name: str | None = None, signer=A3, created="2024-10-01T00:00:00Z"):  # type: ignore[no-untyped-def]
    return record(
        signer=signer,
        created=created,
        index=100 + i,
        name=name or f"学员{i}",
        number=f"ACME-2024-{100 + i:06d}",
    )


def publish(repo: Path, site: Path, **kwargs: object) -> PublishReport:
    options: dict[str, object] = {
        "catalogue": catalogue(),
        "workers": 1,
        "params": FAST,
        "now": t("2025-01-01T00:00:00"),
    }
    options.update(kwargs)
    return publish_records(repo_root=repo, site_dir=site, **options)  # type: ignore[arg-type]


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def resign(manifest: Path, signer, **changes: object) -> None:  # type: ignore[no-untyped-def]
    doc = parse_json(manifest.read_bytes())
    doc.pop("proof")
    doc.update(changes)
    manifest.write_bytes(dump_json(add_proof(doc, signer=signer, created=doc["created"])))


def test_batches_are_published_in_sealed_shards_found_by_number_and_name(
    repo: Path, tmp_path: Path
) -> None:
    seal_into(repo, [student(i) for i in range(5)] + [student(9, name="买买提·艾力")])
    assert sorted(p.name for p in (repo / "certificates" / "acme").iterdir()) == [
        "batches",
        "status",
        "status-details",
    ]
    site = tmp_path / "site"
    report = publish(repo, site)
    assert (report.records, report.status_lists) == (6, 1)
    layout = json.loads((site / "r" / "index.json").read_text())
    assert layout == {"version": 3, "kdf": FAST.to_json(), "shardBits": 0}
    assert sorted(files(site / "r")) == ["0.json", "index.json"]  # data only, no page
    found = find_record(site, number=" acme-2024-000109", name="买买提•艾力")
    assert found is not None and json.loads(found)["credentialSubject"]["name"] == "买买提·艾力"
    assert find_record(site, number="ACME-2024-000109", name="买买提") is None
    for path in site.rglob("*"):
        if path.is_file():
            assert "学员".encode() not in path.read_bytes(), path


def test_the_next_build_reads_nothing_unchanged_and_a_new_batch_only_its_shards(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batches, "SHARD_TARGET", 2)
    seal_into(repo, [student(i) for i in range(15)])
    first = publish(repo, tmp_path / "a")
    assert first.shards and (first.shards.batches_read, first.shards.shard_bits) == (1, 3)
    again = publish(repo, tmp_path / "b")
    assert again.shards and (again.shards.batches_read, again.shards.shards_written) == (0, 0)
    assert files(tmp_path / "a" / "r") == files(tmp_path / "b" / "r")
    seal_into(repo, [student(15)], now=t("2024-10-09T02:00:00"))
    grown = publish(repo, tmp_path / "c")
    assert grown.shards and (grown.shards.batches_read, grown.shards.shards_written) == (1, 1)
    full = publish(repo, tmp_path / "d", cache_dir=tmp_path / "fresh-cache")
    assert files(tmp_path / "c" / "r") == files(tmp_path / "d" / "r")
    assert full.issued == grown.issued and grown.records == 16


def test_a_removed_batch_leaves_the_site(repo: Path, tmp_path: Path) -> None:
    manifest = seal_into(repo, [student(1)])
    seal_into(repo, [student(2)], now=t("2024-10-09T02:00:00"))
    publish(repo, tmp_path / "a")
    manifest.unlink()
    manifest.with_suffix(".entries").unlink()
    report = publish(repo, tmp_path / "b")
    assert report.records == 1
    assert find_record(tmp_path / "b", number="ACME-2024-000101", name="学员1") is None
    assert find_record(tmp_path / "b", number="ACME-2024-000102", name="学员2") is not None


def test_batches_kept_outside_the_repository_are_read_from_the_folder_given(
    repo: Path, tmp_path: Path
) -> None:
    manifest = seal_into(repo, [student(1)])
    outside = tmp_path / "object-storage-mirror"
    shutil.move(repo / "certificates" / "acme" / "batches", outside / "acme" / "batches")
    assert publish(repo, tmp_path / "a").records == 0
    report = publish(repo, tmp_path / "b", batches=(outside,))
    assert report.records == 1 and (outside / "acme" / "batches" / manifest.name).is_file()


def _forge(repo: Path, how: str) -> str:
    """Forge the one batch of `repo` in one way; returns the file the build must name."""
    manifest = next((repo / "certificates" / "acme" / "batches").glob("*.json"))
    entries = manifest.with_suffix(".entries")
    name = str(manifest.relative_to(repo))
    if how == "altered-entry":
        lines = entries.read_bytes().splitlines(keepends=True)
        tag, entry = lines[0].split(b" ")
        lines[0] = tag + b" " + (b"A" if entry[:1] != b"A" else b"B") + entry[1:]
        entries.write_bytes(b"".join(lines))
    elif how == "altered-count":
        doc = parse_json(manifest.read_bytes())
        doc["issued"][0]["records"] += 1
        doc["records"] += 1
        manifest.write_bytes(dump_json(doc))
    elif how == "unknown-key":
        resign(manifest, ROGUE)
    elif how == "key-revoked-before-batch":
        resign(manifest, A2)  # acme-2 was revoked on 2024-09-01; the batch is of 2024-10-08
    elif how == "another-organization-key":
        resign(manifest, B1)
    elif how == "tag-twice":
        doc = parse_json(manifest.read_bytes())
        twin = doc["entries"]["file"].replace("-", "-f", 1)[: -len(".entries")]
        twin_id = twin[:17] + "ffffffff"
        doc.pop("proof")
        doc["id"] = doc["id"].rsplit(":", 1)[0] + ":" + twin_id
        doc["entries"]["file"] = twin_id + ".entries"
        shutil.copyfile(entries, entries.with_name(twin_id + ".entries"))
        twin_manifest = manifest.with_name(twin_id + ".json")
        twin_manifest.write_bytes(dump_json(add_proof(doc, signer=A3, created=doc["created"])))
        return str(twin_manifest.relative_to(repo))
    elif how == "truncated-entries":
        entries.write_bytes(entries.read_bytes()[:-10])
    elif how == "plaintext-record":
        leak = repo / "certificates" / "acme" / "ACME-2024-000999.json"
        leak.write_bytes(dump_json(student(899)))
        return str(leak.relative_to(repo))
    return name


FORGERIES = [
    "altered-entry",
    "altered-count",
    "unknown-key",
    "key-revoked-before-batch",
    "another-organization-key",
    "tag-twice",
    "truncated-entries",
]


@pytest.mark.parametrize("how", FORGERIES)
def test_a_forged_batch_stops_publishing_and_is_named(repo: Path, tmp_path: Path, how: str) -> None:
    seal_into(repo, [student(i) for i in range(3)])
    named = _forge(repo, how)
    with pytest.raises(PublishError) as info:
        publish(repo, tmp_path / "site")
    assert [f for f, _ in info.value.failures] == [named], info.value.failures
    assert not (tmp_path / "site" / "r").exists()


def test_a_plaintext_record_anywhere_stops_the_build(repo: Path, tmp_path: Path) -> None:
    seal_into(repo, [student(1)])
    named = _forge(repo, "plaintext-record")
    with pytest.raises(PlaintextRecordError, match="xcert seal") as info:
        publish(repo, tmp_path / "site")
    assert info.value.files == [named]
    (repo / named).unlink()
    elsewhere = repo / "docs" / "holder.json"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(dump_json(student(2)))
    with pytest.raises(PlaintextRecordError, match="docs/holder.json"):
        publish(repo, tmp_path / "site")


def test_all_failing_batches_are_listed_and_nothing_is_kept(repo: Path, tmp_path: Path) -> None:
    bad = seal_into(repo, [student(1)])
    good = seal_into(repo, [student(2)], now=t("2024-10-09T02:00:00"))
    resign(bad, ROGUE)
    other = seal_into(repo, [student(3)], now=t("2024-10-10T02:00:00"))
    resign(other, ROGUE)
    with pytest.raises(PublishError) as info:
        publish(repo, tmp_path / "site")
    assert len(info.value.failures) == 2 and good.name not in str(info.value)
    assert str(info.value).endswith("2 files failed verification; no record published")
    bad.unlink()
    other.unlink()
    assert publish(repo, tmp_path / "site").records == 1


def test_a_retired_key_keeps_its_batches_valid(repo: Path, tmp_path: Path) -> None:
    """A batch signed inside its key's window stays valid when the key is rotated later."""
    from generator.credentials.formats.registry import KeyEntry, OrgEntry, Registry
    from generator.credentials.repo import load_registry

    seal_into(repo, [student(1)])
    reg = load_registry(repo / "keys" / "registry.json")
    acme = reg.organization("acme")
    assert acme is not None
    keys = tuple(
        KeyEntry(
            k.key_id, k.organization, k.public_key_multibase, k.valid_from, "2024-12-01T00:00:00Z"
        )
        if k.key_id == "acme-3"
        else k
        for k in acme.keys
    )
    rotated = Registry(
        reg.version + 1,
        "2024-12-01T00:00:00Z",
        reg.root_public_key_multibase,
        reg.root_name,
        tuple(
            OrgEntry(o.org_id, o.name, keys) if o.org_id == "acme" else o for o in reg.organizations
        ),
        site=reg.site,
    )
    from _scenarios import ROOT

    (repo / "keys" / "registry.json").write_bytes(dump_json(rotated.signed_document(ROOT)))
    assert publish(repo, tmp_path / "site").records == 1


def test_a_revocation_shows_in_the_counts_at_the_next_build(repo: Path, tmp_path: Path) -> None:
    from generator.credentials.formats.status import status_list_from_document
    from generator.credentials.repo import load_registry

    manifest = seal_into(repo, [student(1), student(2)])
    assert publish(repo, tmp_path / "a").revoked == 0
    index = parse_json(manifest.read_bytes())["issued"][0]["status"][0]["indexes"][0]
    path = repo / "certificates" / "acme" / "status" / "1.json"
    current = status_list_from_document(
        parse_json(path.read_bytes()), registry=load_registry(repo / "keys" / "registry.json")
    )
    revoked = current.with_revocation(
        index=index,
        signature=bytes(64),
        date="2024-11-01",
        reason="测试",
        at=t("2024-11-01T00:00:00"),
    )
    path.write_bytes(
        dump_json(revoked.signed_document(signer=A3, key_id="acme-3", issuer_name="x"))
    )
    report = publish(repo, tmp_path / "b")
    assert report.shards and report.shards.batches_read == 0 and report.revoked == 1


def test_a_private_key_in_the_tree_stops_the_build(repo: Path, tmp_path: Path) -> None:
    seal_into(repo, [student(1)])
    (repo / "certificates" / "acme" / "batches" / "acme-3.xcert-key").write_text("{}")
    with pytest.raises(PrivateKeyInTreeError, match="acme-3.xcert-key"):
        publish(repo, tmp_path / "site")


def test_parallel_workers_give_the_same_site(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batches, "SHARD_TARGET", 1)
    seal_into(repo, [student(i) for i in range(70)])
    publish(repo, tmp_path / "one", workers=1, cache_dir=tmp_path / "c1")
    publish(repo, tmp_path / "two", workers=2, cache_dir=tmp_path / "c2")
    assert files(tmp_path / "one" / "r") == files(tmp_path / "two" / "r")


def test_the_demo_is_deterministic_and_publishes(tmp_path: Path) -> None:
    repo, keys, store = tmp_path / "repo", tmp_path / "demo-keys", tmp_path / "demo-store"
    first = ensure_demo(repo_root=repo, key_dir=keys, demo_store=store)
    assert first.keys_created
    assert not list((repo / "certificates" / "demo").glob("*.json"))  # no plaintext record
    assert len(list(store.glob("demo/batches/*/records/*.json"))) == 3
    snapshot = {p: p.stat().st_mtime_ns for p in [*repo.rglob("*"), *store.rglob("*")]}
    again = ensure_demo(repo_root=repo, key_dir=keys, demo_store=store)
    assert (again.keys_created, again.files_written) == (False, [])
    assert {p: p.stat().st_mtime_ns for p in snapshot} == snapshot
    site = tmp_path / "site"
    report = publish(repo, site, params=LookupParams())
    assert (report.records, report.revoked, report.demo) == (3, 1, True)
    assert sorted(p.name for p in (site / "verify" / "demo").iterdir()) == [
        "altered.json",
        "index.json",
        "revoked.json",
        "valid.json",
        "valid.png",
        "valid.svg",
    ]
    assert find_record(site, number="DEMO-2024-000002", name="李四") is not None


def test_the_demo_leaves_a_real_registry_alone(repo: Path, tmp_path: Path) -> None:
    before = (repo / "keys" / "registry.json").read_bytes()
    report = ensure_demo(repo_root=repo, key_dir=tmp_path / "demo-keys")
    assert report.skipped and (repo / "keys" / "registry.json").read_bytes() == before
    assert not (repo / "certificates" / "demo").exists()


def test_demo_keys_and_store_may_not_live_in_the_repository(tmp_path: Path) -> None:
    from generator.errors import UsageError

    with pytest.raises(UsageError):
        ensure_demo(repo_root=tmp_path, key_dir=tmp_path / "keys" / "demo")
    with pytest.raises(UsageError, match="outside the repository"):
        ensure_demo(
            repo_root=tmp_path / "r", key_dir=tmp_path / "k", demo_store=tmp_path / "r" / "store"
        )


def test_a_batch_whose_status_list_is_missing_is_refused(repo: Path, tmp_path: Path) -> None:
    manifest = seal_into(
        repo,
        [
            record(
                signer=B1,
                created="2024-07-01T00:00:00Z",
                index=0,
                org="beta",
                number="BETA-2024-000000",
            )
        ],
        org="beta",
        signer=B1,
    )
    with pytest.raises(PublishError) as info:
        publish(repo, tmp_path / "site")
    assert info.value.failures[0][0] == str(manifest.relative_to(repo))
    assert "urn:xcert:status:beta:0" in info.value.failures[0][1] or "beta" in str(info.value)


def test_the_agreement_cases_are_plaintext_fixtures_the_scan_skips() -> None:
    from generator.credentials.publishing.plaintext import find_plaintext_records, names_holder

    assert names_holder((AGREEMENT / "cases" / "valid.json").read_bytes())
    assert find_plaintext_records(AGREEMENT.parents[2].parent) == []
