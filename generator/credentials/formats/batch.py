"""The sealed batch: what an organization commits to the public repository for one issuance.

Two files under `certificates/<org>/batches/`:

- `<id>.entries`: one line per record, `TAG ENTRY` (both base64url; sealing.py), sorted by tag,
  so the order says nothing about the order of issue;
- `<id>.json`: the manifest, signed by the organization's key with an `eddsa-jcs-2022` Data
  Integrity proof: organization, time, record count, the look-up KDF, the SHA-256 and size of
  the entries file (so the proof covers every entry), the records counted per certificate,
  issue year and level with the status-list positions each group uses (so the build counts
  revocations per group without opening a record), and the status lists used.

Nothing in either file names a holder or a certificate number. The manifest alone is enough to
check the entries file wherever it is stored (git, Git LFS, object storage).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.credentials.formats._time import is_timestamp, parse_timestamp
from generator.credentials.formats.multibase import encode_public_multikey
from generator.credentials.formats.proof import (
    ProofFormatError,
    add_proof,
    did_key_public_key,
    parse_proof,
    signature_matches,
)
from generator.credentials.formats.proof import ProofSigner as Signer
from generator.credentials.formats.registry import KeyEntry, Registry
from generator.credentials.formats.sealing import (
    ENTRY_TEXT,
    TAG_BYTES,
    TAG_TEXT,
    LookupParams,
    b64url,
    unb64url,
)

BATCH_TYPE = "XcertSealedBatch"
BATCH_VERSION = 1
BATCHES_DIR = "batches"  # inside an organization's folder of certificates/
MANIFEST_SUFFIX = ".json"
ENTRIES_SUFFIX = ".entries"
BATCH_ID = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}\Z")
_ORG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}\Z")
_LEVELS = ("初级", "中级", "高级")


class BatchError(ValueError):
    """A sealed batch that is malformed, altered, or not signed by a key valid at its time."""


@dataclass(frozen=True)
class IssuedGroup:
    """The records of one certificate, issue year and level in a batch, and their status-list
    positions (list id → indexes)."""

    certificate: str
    year: int
    level: str
    records: int
    status: tuple[tuple[str, tuple[int, ...]], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "certificate": self.certificate,
            "year": self.year,
            "level": self.level,
            "records": self.records,
            "status": [{"list": lid, "indexes": list(ix)} for lid, ix in self.status],
        }


@dataclass(frozen=True)
class BatchManifest:
    batch_id: str
    organization: str
    created: str
    records: int
    params: LookupParams
    entries_sha256: str
    entries_bytes: int
    groups: tuple[IssuedGroup, ...]

    @property
    def entries_file(self) -> str:
        return self.batch_id + ENTRIES_SUFFIX

    @property
    def status_lists(self) -> tuple[str, ...]:
        return tuple(sorted({lid for g in self.groups for lid, _ in g.status}))

    def unsigned_document(self) -> dict[str, Any]:
        return {
            "type": BATCH_TYPE,
            "version": BATCH_VERSION,
            "id": f"urn:xcert:batch:{self.organization}:{self.batch_id}",
            "organization": self.organization,
            "created": self.created,
            "records": self.records,
            "lookup": self.params.to_json(),
            "entries": {
                "file": self.entries_file,
                "sha256": self.entries_sha256,
                "bytes": self.entries_bytes,
            },
            "issued": [g.to_json() for g in self.groups],
            "statusLists": list(self.status_lists),
        }

    def signed_document(self, signer: Signer) -> dict[str, Any]:
        return add_proof(self.unsigned_document(), signer=signer, created=self.created)


def entry_line(tag: str, entry: bytes) -> bytes:
    return f"{tag} {b64url(entry)}\n".encode("ascii")


def write_entries(path: Path, lines: Iterable[bytes]) -> tuple[str, int, int]:
    """Write entry lines (`entry_line`), already sorted by tag; returns (SHA-256 hex, size,
    count)."""
    digest = hashlib.sha256()
    size = count = 0
    with path.open("wb") as f:
        for line in lines:
            f.write(line)
            digest.update(line)
            size += len(line)
            count += 1
    return digest.hexdigest(), size, count


def _need(cond: bool, message: str) -> None:
    if not cond:
        raise BatchError(message)


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _group(doc: Any) -> IssuedGroup:
    _need(isinstance(doc, dict), "an issued group is not an object")
    cert, year, level, records = (doc.get(k) for k in ("certificate", "year", "level", "records"))
    _need(isinstance(cert, str) and bool(cert), "an issued group has no certificate")
    _need(_int(year) and 2019 <= year <= 9999, f"issued group {cert}: bad year")
    _need(level in _LEVELS, f"issued group {cert}: bad level")
    _need(_int(records) and records > 0, f"issued group {cert}: bad record count")
    status = doc.get("status")
    _need(isinstance(status, list), f"issued group {cert}: no status positions")
    parts = []
    for item in status:
        _need(isinstance(item, dict), f"issued group {cert}: bad status position")
        lid, indexes = item.get("list"), item.get("indexes")
        good = isinstance(lid, str) and isinstance(indexes, list)
        _need(good, f"issued group {cert}: bad status")
        _need(all(_int(i) for i in indexes), f"issued group {cert}: bad status index")
        parts.append((lid, tuple(indexes)))
    _need(
        sum(len(ix) for _, ix in parts) == records,
        f"issued group {cert} {year} {level}: {records} records but "
        f"{sum(len(ix) for _, ix in parts)} status positions",
    )
    return IssuedGroup(cert, year, level, records, tuple(parts))


def parse_manifest(doc: Any) -> BatchManifest:
    """The manifest's fields, checked for form and internal consistency; raises BatchError."""
    _need(isinstance(doc, dict), "not a JSON object")
    _need(doc.get("type") == BATCH_TYPE, f"not a sealed batch (type is not {BATCH_TYPE})")
    _need(doc.get("version") == BATCH_VERSION, f"batch version is not {BATCH_VERSION}")
    org = doc.get("organization")
    _need(isinstance(org, str) and bool(_ORG.match(org)), "bad organization")
    entries = doc.get("entries")
    _need(isinstance(entries, dict), "no entries")
    file = entries.get("file")
    _need(
        isinstance(file, str)
        and file.endswith(ENTRIES_SUFFIX)
        and bool(BATCH_ID.match(file.removesuffix(ENTRIES_SUFFIX))),
        "bad entries file name",
    )
    batch_id = file.removesuffix(ENTRIES_SUFFIX)
    _need(doc.get("id") == f"urn:xcert:batch:{org}:{batch_id}", "id does not match the entries")
    sha, size = entries.get("sha256"), entries.get("bytes")
    _need(isinstance(sha, str) and bool(re.fullmatch(r"[0-9a-f]{64}", sha)), "bad entries hash")
    _need(_int(size), "bad entries size")
    created, records = doc.get("created"), doc.get("records")
    _need(is_timestamp(created), "bad creation time")
    _need(_int(records) and records > 0, "bad record count")
    try:
        params = LookupParams.from_json(doc.get("lookup"))
    except ValueError as e:
        raise BatchError(str(e)) from e
    issued = doc.get("issued")
    _need(isinstance(issued, list) and bool(issued), "no issued counts")
    groups = tuple(_group(g) for g in issued)
    _need(
        sum(g.records for g in groups) == records,
        f"the issued counts add up to {sum(g.records for g in groups)}, not {records}",
    )
    positions = [(lid, i) for g in groups for lid, ix in g.status for i in ix]
    _need(len(set(positions)) == len(positions), "a status position is used twice")
    manifest = BatchManifest(batch_id, org, created, records, params, sha, size, groups)
    _need(doc.get("statusLists") == list(manifest.status_lists), "statusLists does not match")
    return manifest


def verify_manifest(doc: Any, *, registry: Registry) -> tuple[BatchManifest, KeyEntry]:
    """Check the manifest's form and its proof: made by a key of the batch's organization that
    the registry says was valid at the proof's time. Raises BatchError."""
    manifest = parse_manifest(doc)
    try:
        parsed = parse_proof(doc, proof_set=False)
    except ProofFormatError as e:
        raise BatchError(f"proof: {e}") from e
    # A manifest stays in the repository (not a published credential): its proof names the
    # signing key as did:key, which the registry must list for the batch's organization.
    public = did_key_public_key(parsed.verification_method)
    key = registry.key_by_multibase(encode_public_multikey(public)) if public else None
    _need(key is not None, "signed by a key that is not in the key registry")
    assert key is not None
    _need(
        key.organization == manifest.organization,
        f"signed by a key of {key.organization}, not of {manifest.organization}",
    )
    _need(parsed.created == manifest.created, "the proof's time is not the batch's time")
    problem = key.problem_at(parse_timestamp(parsed.created))
    _need(problem is None, f"{problem}: key {key.key_id} was not valid at {parsed.created}")
    assert public is not None
    _need(signature_matches(parsed, public_key=public), "the signature does not match (altered)")
    return manifest, key


def read_entries(path: Path, manifest: BatchManifest) -> Iterator[tuple[bytes, bytes]]:
    """The (tag, entry) pairs of an entries file, each line checked as it is read; at the end,
    the count, size and SHA-256 against the manifest. Raises BatchError (a consumer that stores
    the pairs must discard them then)."""
    digest = hashlib.sha256()
    count = size = 0
    previous = ""
    try:
        f = path.open("rb")
    except OSError as e:
        raise BatchError(f"{path.name}: cannot read the entries: {e.strerror}") from e
    with f:
        for raw in f:
            digest.update(raw)
            size += len(raw)
            count += 1
            try:
                tag_text, entry_text = raw.decode("ascii").rstrip("\n").split(" ")
            except ValueError as e:
                raise BatchError(f"{path.name}: line {count} is not 'TAG ENTRY'") from e
            _need(bool(TAG_TEXT.match(tag_text)), f"{path.name}: line {count}: bad tag")
            _need(bool(ENTRY_TEXT.match(entry_text)), f"{path.name}: line {count}: bad entry")
            _need(tag_text > previous, f"{path.name}: line {count}: tags not sorted or repeated")
            previous = tag_text
            _need(len(entry_text) % 4 != 1, f"{path.name}: line {count}: bad entry")
            tag = unb64url(tag_text)
            _need(len(tag) == TAG_BYTES, f"{path.name}: line {count}: bad tag")
            yield tag, unb64url(entry_text)
    _need(count == manifest.records, f"{count} entries, but the batch says {manifest.records}")
    _need(size == manifest.entries_bytes, "the entries file's size is not the signed one")
    _need(digest.hexdigest() == manifest.entries_sha256, "the entries are not the signed ones")
