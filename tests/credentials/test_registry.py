"""The key registry: rotation, compromise, monotonic versions, and tampering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _scenarios import A1, A2, A3, ROOT, registry, t

from generator.credentials.formats._time import now_utc
from generator.credentials.formats.errors import RegistryError
from generator.credentials.formats.jsontext import dump_json
from generator.credentials.formats.registry import Registry, registry_from_document
from generator.credentials.issuing.keys import Signer
from generator.credentials.repo import load_registry, root_fingerprint, save_registry


def fresh() -> Registry:
    return Registry(1, "2024-01-01T00:00:00Z", ROOT.public_key_multibase, "根")


def test_rotation_keeps_records_signed_before_it_valid() -> None:
    reg = fresh().with_organization(org_id="acme", name="ACME", key=A1, at=t("2024-01-01T00:00:00"))
    reg = reg.with_rotation(org_id="acme", key=A2, at=t("2024-06-01T00:00:00"))
    old = reg.key_by_multibase(A1.public_key_multibase)
    new = reg.key_by_multibase(A2.public_key_multibase)
    assert old is not None and new is not None
    assert old.problem_at(t("2024-05-31T23:59:59")) is None
    # Both keys cover the rotation's own second (a record signed just before the rotation, in
    # the same second, stays valid); after it only the new key does.
    assert old.problem_at(t("2024-06-01T00:00:00")) is None
    assert old.problem_at(t("2024-06-01T00:00:01")) == "key-not-valid-at-issue"
    assert new.problem_at(t("2024-06-01T00:00:00")) is None
    assert reg.organization("acme").current_key == new  # type: ignore[union-attr]
    assert reg.version == 3


def test_compromise_at_t_invalidates_later_signatures_only() -> None:
    reg = fresh().with_organization(org_id="acme", name="ACME", key=A1, at=t("2024-01-01T00:00:00"))
    reg = reg.with_revocation(
        key_id="acme-1",
        at=t("2024-09-01T00:00:00"),
        reason="私钥泄露",
        now=t("2024-09-05T00:00:00"),
    )
    key = reg.key_by_id("acme-1")
    assert key is not None
    assert key.problem_at(t("2024-08-31T23:59:59")) is None
    assert key.problem_at(t("2024-09-01T00:00:00")) == "key-revoked-before-issue"
    with pytest.raises(RegistryError, match="revoked already"):
        reg.with_revocation(key_id="acme-1", at=t("2024-09-02T00:00:00"), reason="x", now=now_utc())


def test_registry_version_cannot_go_down(tmp_path: Path) -> None:
    path = tmp_path / "registry.json"
    current = registry()
    save_registry(path, current, root=ROOT, previous=None)
    same = Registry(
        current.version,
        current.updated,
        current.root_public_key_multibase,
        "改名",
        current.organizations,
    )
    with pytest.raises(RegistryError, match="never goes down"):
        save_registry(path, same, root=ROOT, previous=load_registry(path))
    older = Registry(
        current.version - 1, current.updated, current.root_public_key_multibase, "根", ()
    )
    with pytest.raises(RegistryError, match="never goes down"):
        save_registry(path, older, root=ROOT, previous=load_registry(path))
    newer = current.with_rotation(org_id="acme", key=Signer.generate(key_id="acme-4"), at=now_utc())
    save_registry(path, newer, root=ROOT, previous=load_registry(path))
    assert load_registry(path).version == current.version + 1


def test_another_root_cannot_replace_the_registry(tmp_path: Path) -> None:
    path = tmp_path / "registry.json"
    save_registry(path, registry(), root=ROOT, previous=None)
    other = Signer.generate(key_id="root")
    hijack = Registry(99, "2024-01-01T00:00:00Z", other.public_key_multibase, "根", ())
    with pytest.raises(RegistryError, match="another root"):
        save_registry(path, hijack, root=other, previous=load_registry(path))


def test_a_tampered_registry_is_refused() -> None:
    doc = json.loads(dump_json(registry().signed_document(ROOT)))
    assert registry_from_document(doc).organization("acme") is not None
    doc["credentialSubject"]["organizations"][0]["keys"][1].pop("revokedAt")
    with pytest.raises(RegistryError, match="does not match"):
        registry_from_document(doc)


def test_a_registry_signed_by_another_key_than_its_root_is_refused() -> None:
    with pytest.raises(RegistryError, match="its own root"):
        registry().signed_document(A3)


def test_fingerprint_for_the_footer(tmp_path: Path) -> None:
    assert root_fingerprint(tmp_path) is None
    save_registry(tmp_path / "registry.json", registry(), root=ROOT, previous=None)
    fp = root_fingerprint(tmp_path)
    assert fp == registry().fingerprint and len(fp.split()) == 16
