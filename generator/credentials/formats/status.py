"""Revocation with a W3C Bitstring Status List; each list is itself a credential signed by the
organization that issued the records it covers.

A record's `credentialStatus` names a list (`urn:xcert:status:<org>:<n>`) and an index; a set bit
means revoked. Beside the bitstring the list's subject carries `revocations`: index, date and
reason, so the verdict can say when and why. Where lists live: `generator.credentials.paths`.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
from dataclasses import dataclass, replace
from typing import Any

from generator.credentials.formats._time import (
    checked_timestamp,
    format_utc,
    is_date,
    parse_timestamp,
)
from generator.credentials.formats.errors import StatusListError
from generator.credentials.formats.jsontext import is_json_integer
from generator.credentials.formats.multibase import (
    MultibaseError,
    decode_base64url,
    encode_base64url,
)
from generator.credentials.formats.proof import (
    ProofFormatError,
    ProofSigner,
    add_proof,
    parse_proof,
    signature_matches,
)
from generator.credentials.formats.registry import ORG_URN, VC_CONTEXT, Registry, has_type
from generator.slug import SLUG_PATTERN

LIST_LENGTH = 131072  # bits; the spec's minimum, so one list hides who is being checked
STATUS_URN = "urn:xcert:status:"
_LIST_ID = re.compile(rf"^urn:xcert:status:({SLUG_PATTERN}):([1-9][0-9]{{0,5}})\Z")


def status_list_id(org: str, number: int) -> str:
    return f"{STATUS_URN}{org}:{number}"


def parse_status_list_id(list_id: Any) -> tuple[str, int] | None:
    m = _LIST_ID.match(list_id) if isinstance(list_id, str) else None
    return (m.group(1), int(m.group(2))) if m else None


def encode_bits(bits: bytes) -> str:
    # mtime=0 keeps the compressed bytes, hence the signed list, reproducible.
    return encode_base64url(gzip.compress(bits, compresslevel=9, mtime=0))


def decode_bits(text: str) -> bytes:
    try:
        return gzip.decompress(decode_base64url(text))
    except (OSError, EOFError, MultibaseError) as e:
        raise StatusListError(f"the encoded list is not gzip in base64url: {e}") from e


@dataclass(frozen=True)
class Revocation:
    index: int
    date: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "date": self.date, "reason": self.reason}


@dataclass(frozen=True)
class StatusList:
    org: str
    number: int
    bits: bytes
    revocations: tuple[Revocation, ...]
    updated: str

    @property
    def list_id(self) -> str:
        return status_list_id(self.org, self.number)

    @classmethod
    def empty(cls, *, org: str, number: int, updated: str) -> StatusList:
        return cls(org, number, bytes(LIST_LENGTH // 8), (), updated)

    def is_revoked(self, index: int) -> bool:
        if not 0 <= index < len(self.bits) * 8:
            raise StatusListError(f"index {index} is outside {self.list_id}")
        return bool(self.bits[index // 8] & (0x80 >> (index % 8)))

    def revocation(self, index: int) -> Revocation | None:
        return next((r for r in self.revocations if r.index == index), None)

    def with_revocation(self, *, index: int, date: str, reason: str, at: dt.datetime) -> StatusList:
        if self.is_revoked(index):
            raise StatusListError(f"index {index} of {self.list_id} is revoked already")
        bits = bytearray(self.bits)
        bits[index // 8] |= 0x80 >> (index % 8)
        revs = tuple(
            sorted((*self.revocations, Revocation(index, date, reason)), key=lambda r: r.index)
        )
        return replace(self, bits=bytes(bits), revocations=revs, updated=format_utc(at))

    def unsigned_document(self, *, issuer_name: str) -> dict[str, Any]:
        return {
            "@context": [VC_CONTEXT],
            "id": self.list_id,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": {"id": ORG_URN + self.org, "name": issuer_name},
            "validFrom": self.updated,
            "credentialSubject": {
                "id": f"{self.list_id}#list",
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": encode_bits(self.bits),
                "revocations": [r.to_json() for r in self.revocations],
            },
        }

    def signed_document(self, *, signer: ProofSigner, issuer_name: str) -> dict[str, Any]:
        return add_proof(
            self.unsigned_document(issuer_name=issuer_name), signer=signer, created=self.updated
        )


def status_entry(org: str, number: int, index: int) -> dict[str, str]:
    """The `credentialStatus` of a record at `index` of list `number`."""
    list_id = status_list_id(org, number)
    return {
        "id": f"{list_id}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": list_id,
    }


def status_list_from_document(doc: Any, *, registry: Registry) -> StatusList:
    """Check a status list credential against the registry; raises StatusListError."""
    try:
        if not isinstance(doc, dict) or not has_type(doc, "BitstringStatusListCredential"):
            raise StatusListError("not a status list credential")
        ids = parse_status_list_id(doc.get("id"))
        if ids is None:
            raise StatusListError("the status list id is not urn:xcert:status:<org>:<n>")
        org, number = ids
        if doc["issuer"]["id"] != ORG_URN + org:
            raise StatusListError("the status list's issuer is not the organization it names")
        parsed = parse_proof(doc)
        key = registry.key_by_multibase(parsed.public_key_multibase)
        if key is None or key.organization != org:
            raise StatusListError("the status list is not signed by a key of its organization")
        if key.problem_at(parse_timestamp(parsed.created)) is not None:
            raise StatusListError(
                f"the status list's key {key.key_id} was not valid when it signed"
            )
        if not signature_matches(parsed):
            raise StatusListError("the status list's signature does not match (altered?)")
        subject = doc["credentialSubject"]
        if subject.get("statusPurpose") != "revocation":
            raise StatusListError("the status list's purpose is not revocation")
        bits = decode_bits(subject["encodedList"])
        revs = []
        for r in subject.get("revocations", []):
            index, date = r["index"], r["date"]
            if not is_json_integer(index) or not is_date(date):
                raise StatusListError("a revocation entry is malformed")
            revs.append(Revocation(int(index), date, str(r["reason"])))
        return StatusList(org, number, bits, tuple(revs), checked_timestamp(doc["validFrom"]))
    except ProofFormatError as e:
        raise StatusListError(f"the status list's proof is malformed: {e}") from e
    except (KeyError, TypeError, ValueError) as e:
        raise StatusListError(f"the status list is malformed: {e}") from e
