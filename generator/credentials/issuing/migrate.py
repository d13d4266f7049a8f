"""Moving records of the first format (before did:web) to today's: `xcert keys migrate` re-signs the
key registry for the site's address, `xcert migrate --org ORG` re-issues every first-format record
of the organization with its current key.

A re-issued record says the same (holder, certificate, level, number, dates, exam site, masked
ID), names the organization's DID, gets a random index in today's status lists, and a record that
was revoked stays revoked, with its date and reason sealed for its holder. Each record is checked
first (its signature, by a key of its organization that was valid when it signed); one that
fails stops the migration with the list, and nothing is written. The organization's folder is
written beside the old one and swapped in by renames, so a crash leaves the old folder (or the
new one) whole. Holders' old files stop verifying: hand them the new ones.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from generator.credentials._catalogue import CatalogueLike
from generator.credentials._files import write_atomic
from generator.credentials.formats._time import format_utc
from generator.credentials.formats.errors import (
    CredentialError,
    LegacyRegistryError,
    RegistryError,
)
from generator.credentials.formats.jsontext import JSONTextError, dump_json, parse_json
from generator.credentials.formats.legacy import (
    LegacyRecord,
    legacy_record,
    legacy_revocations,
)
from generator.credentials.formats.proof import ProofSigner, add_proof, parse_proof
from generator.credentials.formats.record import build_record, is_record
from generator.credentials.formats.registry import Registry
from generator.credentials.formats.site import Site
from generator.credentials.formats.status import StatusList, status_entry
from generator.credentials.issuing.achievement import achievement_for
from generator.credentials.issuing.errors import SigningKeyError
from generator.credentials.issuing.keyops import current_org_key
from generator.credentials.issuing.sealed import allocate
from generator.credentials.paths import (
    STATUS_DETAILS_DIR,
    STATUS_DIR,
    org_dir,
    registry_path,
)
from generator.credentials.repo import load_registry, save_registry


class MigrationError(CredentialError):
    """Records that cannot be re-issued (each named with why); nothing was written."""


@dataclass(frozen=True)
class MigrationReport:
    records: int
    revoked: int
    status_lists: int


def migrate_registry(
    *, repo_root: Path, root: ProofSigner, site: Site, now: dt.datetime
) -> Registry:
    """The first-format registry re-signed by its root for `site`, at the next version."""
    path = registry_path(repo_root)
    try:
        load_registry(path)
    except LegacyRegistryError as e:
        old = e.registry
        assert isinstance(old, Registry)
        new = replace(old, version=old.version + 1, updated=format_utc(now), site=site)
        save_registry(path, new, root=root, previous=None)
        return new
    raise RegistryError(f"{path} is in today's format already")


def _read(folder: Path, registry: Registry) -> list[tuple[Path, LegacyRecord]]:
    found, failures, current = [], [], []
    for path in sorted(folder.glob("*.json")):
        try:
            doc = parse_json(path.read_bytes())
            if is_record(doc) and isinstance(doc.get("proof"), list):
                current.append(path)  # today's format already
                continue
            found.append((path, legacy_record(doc, registry=registry)))
        except (JSONTextError, ValueError, KeyError, TypeError) as e:
            failures.append(f"{path}: {e}")
    if found and current:
        failures.append(f"{folder} holds records of both formats: migrate before issuing anew")
    if failures:
        failures.append(f"{len(failures)} problem(s); nothing was written")
        raise MigrationError("\n".join(failures))
    return found


def _old_revocations(folder: Path) -> dict[tuple[str, int], dict[int, tuple[str, str]]]:
    out = {}
    for path in sorted((folder / STATUS_DIR).glob("*.json")):
        doc = parse_json(path.read_bytes())
        if isinstance(doc, dict) and str(doc.get("id", "")).startswith("urn:xcert:status:"):
            org, number = str(doc["id"]).split(":")[3:5]
            out[(org, int(number))] = legacy_revocations(doc)
    return out


def migrate_records(
    *,
    repo_root: Path,
    org: str,
    signer: ProofSigner,
    registry: Registry,
    catalogue: CatalogueLike,
    now: dt.datetime,
) -> MigrationReport:
    """Re-issue every first-format record of `org` (see the module's docstring)."""
    key = current_org_key(registry, signer, org, now)
    entry = registry.organization(org)
    if entry is None:
        raise SigningKeyError(f"key {signer.key_id} is not a currently valid key of {org}")
    site, folder = registry.site, org_dir(repo_root, org)
    olds = _read(folder, registry)
    if not olds:
        return MigrationReport(0, 0, 0)
    revocations = _old_revocations(folder)
    slots = allocate({}, len(olds))
    created, method = format_utc(now), site.key_method(org, key.key_id)
    lists = {n: StatusList.empty(site=site, org=org, number=n, updated=created) for n, _ in slots}
    stage = folder.with_name(f".migrate-{org}-{os.getpid()}")
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(folder, stage, ignore=shutil.ignore_patterns(STATUS_DIR, STATUS_DETAILS_DIR))
    revoked = 0
    for (path, old), (number, index) in zip(olds, slots, strict=True):
        doc = build_record(
            site=site,
            organization=org,
            issuer_name=entry.name,
            holder=old.holder,
            achievement=achievement_for(catalogue, old.certificate, old.level),
            number=old.number,
            issue_date=dt.date.fromisoformat(old.issue_date),
            status=status_entry(site, org, number, index),
            exam_date=dt.date.fromisoformat(old.exam_date) if old.exam_date else None,
            exam_site=old.exam_site,
            national_id_masked=old.national_id_masked,
        )
        signed = add_proof(
            doc, signer=signer, created=created, verification_method=method, proof_set=True
        )
        write_atomic(stage / path.name, dump_json(signed))
        was = revocations.get(old.status_list, {}).get(old.status_index)
        if was is not None:
            lists[number] = lists[number].with_revocation(
                index=index,
                signature=parse_proof(signed).signature,
                date=was[0],
                reason=was[1],
                at=now,
            )
            revoked += 1
    for number, status in lists.items():
        doc = status.signed_document(signer=signer, key_id=key.key_id, issuer_name=entry.name)
        write_atomic(stage / STATUS_DIR / f"{number}.json", dump_json(doc))
        if status.sealed:
            write_atomic(
                stage / STATUS_DETAILS_DIR / f"{number}.json", dump_json(status.details_document())
            )
    old_folder = folder.with_name(f".migrated-{org}-{os.getpid()}")
    folder.rename(old_folder)
    stage.rename(folder)
    shutil.rmtree(old_folder)
    return MigrationReport(len(olds), revoked, len(lists))
