"""Revoking an issued certificate: set its bit in the organization's status list, re-sign it,
and seal the date and reason beside it for the record's holder. The record is read from the
organization's private store; only the status list and its details change in the repository."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.credentials._files import write_atomic
from generator.credentials.formats._time import is_date
from generator.credentials.formats.errors import StatusListError
from generator.credentials.formats.jsontext import JSONTextError, dump_json, parse_json
from generator.credentials.formats.proof import ProofFormatError, ProofSigner, parse_proof
from generator.credentials.formats.record import RecordFormatError, parse_record
from generator.credentials.formats.registry import Registry
from generator.credentials.formats.status import status_list_from_document
from generator.credentials.issuing.errors import RevocationError
from generator.credentials.issuing.keyops import current_org_key
from generator.credentials.paths import repo_status_details_path, repo_status_path
from generator.credentials.repo import read_status_details


@dataclass(frozen=True)
class RevocationReport:
    record: Path
    status_list: Path
    index: int


def revoke_certificate(
    *,
    repo_root: Path,
    record_path: Path,
    reason: str,
    date: str,
    signer: ProofSigner,
    registry: Registry,
    now: dt.datetime,
) -> RevocationReport:
    if not reason.strip():
        raise RevocationError("a revocation needs a reason")
    if not is_date(date):
        raise RevocationError(f"not a date: {date!r} (write 2025-03-01)")
    path = record_path  # in the organization's private store (issuing/store.py)
    site = registry.site
    try:
        doc = parse_json(path.read_bytes())
        record = parse_record(doc, site=site)
        signature = parse_proof(doc).signature  # seals the date and reason for its holder
    except (JSONTextError, RecordFormatError, ProofFormatError) as e:
        raise RevocationError(f"{path}: not a readable record: {e}") from e
    key = current_org_key(registry, signer, record.organization, now)
    ids = site.parse_status_list_url(record.status_list)
    assert ids is not None  # parse_record checked it
    list_path = repo_status_path(repo_root, *ids)
    details_path = repo_status_details_path(repo_root, *ids)
    try:
        current = status_list_from_document(
            parse_json(list_path.read_bytes()),
            registry=registry,
            details=read_status_details(details_path),
        )
    except (FileNotFoundError, JSONTextError) as e:
        raise StatusListError(f"{list_path}: cannot read the status list: {e}") from e
    updated = current.with_revocation(
        index=record.status_index, signature=signature, date=date, reason=reason.strip(), at=now
    )
    org = registry.organization(record.organization)
    assert org is not None
    signed = updated.signed_document(signer=signer, key_id=key.key_id, issuer_name=org.name)
    # The details first: a list whose bit is set and whose detail is missing says "unknown".
    write_atomic(details_path, dump_json(updated.details_document()))
    write_atomic(list_path, dump_json(signed))
    return RevocationReport(path, list_path, record.status_index)
