"""Revocation with a W3C Bitstring Status List; each list is itself a credential signed by the
organization that issued the records it covers, published at the URL records name.

A record's `credentialStatus` names a list (`<site>status/<org>/<n>.json`) and an index; a set
bit means revoked. The list carries the bits only. The date and reason of each revocation are
sealed beside it (`<site>status-details/<org>/<n>.json`): AES-256-GCM under a key derived from
the record's own signature, so only someone who holds the record reads them, while anyone can
check the bit. Indexes are drawn at random (`issuing.indexes`), so a list reveals no issue order.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from generator.credentials.formats._time import (
    checked_timestamp,
    format_utc,
    is_date,
    parse_timestamp,
)
from generator.credentials.formats.context import VC_CONTEXT
from generator.credentials.formats.errors import StatusListError
from generator.credentials.formats.multibase import (
    MultibaseError,
    decode_base64url,
    decode_public_multikey,
    encode_base64url,
)
from generator.credentials.formats.proof import (
    ProofFormatError,
    ProofSigner,
    add_proof,
    parse_proof,
    signature_matches,
)
from generator.credentials.formats.registry import Registry, has_type
from generator.credentials.formats.sealing import hkdf_sha256
from generator.credentials.formats.site import Site
from generator.slug import SLUG_PATTERN

LIST_LENGTH = 131072  # bits; the spec's minimum, so one list hides who is being checked
DETAILS_FORMAT = "xcert-revocation-details-v1"
_NONCE_BYTES = 12
_INDEX = re.compile(r"^(0|[1-9][0-9]{0,8})\Z")
# Any site's status list URL: <site>status/<org>/<n>.json (the build checks the site).
_LIST_URL = re.compile(rf"^https?://[^?#]+/status/({SLUG_PATTERN})/([1-9][0-9]{{0,5}})\.json\Z")


def parse_status_list_id(list_id: Any) -> tuple[str, int] | None:
    """(organization, list number) of a status list URL of any site, else None."""
    m = _LIST_URL.match(list_id) if isinstance(list_id, str) else None
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


def _detail_keys(signature: bytes) -> tuple[bytes, bytes]:
    """(AES key, nonce key) of one record's revocation detail, from the record's signature: the
    64 bytes only the issuer and whoever holds the record know."""
    info = DETAILS_FORMAT.encode()
    return (
        hkdf_sha256(signature, info=info + b" key", length=32),
        hkdf_sha256(signature, info=info + b" nonce", length=32),
    )


def _aad(list_url: str, index: int) -> bytes:
    # Binds a sealed detail to its place: moved to another index or list, it does not open.
    return f"{list_url}#{index}".encode()


def seal_detail(*, signature: bytes, list_url: str, index: int, date: str, reason: str) -> str:
    """The sealed date and reason of one revocation (multibase base64url)."""
    key, nonce_key = _detail_keys(signature)
    plain = json.dumps({"date": date, "reason": reason}, ensure_ascii=False).encode()
    # Deterministic (the same revocation gives the same bytes), unique per plaintext and key.
    nonce = hmac.new(nonce_key, plain, hashlib.sha256).digest()[:_NONCE_BYTES]
    sealed = AESGCM(key).encrypt(nonce, plain, _aad(list_url, index))
    return encode_base64url(nonce + sealed)


def open_detail(sealed: str, *, signature: bytes, list_url: str, index: int) -> Revocation | None:
    """The date and reason, when `sealed` opens with the record's signature; else None."""
    key, _ = _detail_keys(signature)
    try:
        data = decode_base64url(sealed)
        plain = AESGCM(key).decrypt(data[:_NONCE_BYTES], data[_NONCE_BYTES:], _aad(list_url, index))
        detail = json.loads(plain.decode("utf-8"))
        date, reason = detail["date"], detail["reason"]
    except (MultibaseError, InvalidTag, ValueError, KeyError, TypeError):
        return None
    if not is_date(date) or not isinstance(reason, str):
        return None
    return Revocation(index, date, reason)


@dataclass(frozen=True)
class StatusList:
    site: Site
    org: str
    number: int
    bits: bytes
    updated: str
    sealed: dict[int, str] = field(default_factory=dict, compare=False)  # index → sealed detail

    @property
    def list_id(self) -> str:
        return self.site.status_list_url(self.org, self.number)

    @classmethod
    def empty(cls, *, site: Site, org: str, number: int, updated: str) -> StatusList:
        return cls(site, org, number, bytes(LIST_LENGTH // 8), updated)

    def is_revoked(self, index: int) -> bool:
        if not 0 <= index < len(self.bits) * 8:
            raise StatusListError(f"index {index} is outside {self.list_id}")
        return bool(self.bits[index // 8] & (0x80 >> (index % 8)))

    def revocation(self, index: int, *, signature: bytes) -> Revocation | None:
        """When and why `index` was revoked, read with the record's signature."""
        sealed = self.sealed.get(index)
        if sealed is None:
            return None
        return open_detail(sealed, signature=signature, list_url=self.list_id, index=index)

    def with_revocation(
        self, *, index: int, signature: bytes, date: str, reason: str, at: dt.datetime
    ) -> StatusList:
        """The list with `index` revoked; `signature` is the revoked record's proof value."""
        if self.is_revoked(index):
            raise StatusListError(f"index {index} of {self.list_id} is revoked already")
        bits = bytearray(self.bits)
        bits[index // 8] |= 0x80 >> (index % 8)
        detail = seal_detail(
            signature=signature, list_url=self.list_id, index=index, date=date, reason=reason
        )
        sealed = dict(sorted({**self.sealed, index: detail}.items()))
        return replace(self, bits=bytes(bits), updated=format_utc(at), sealed=sealed)

    def unsigned_document(self, *, issuer_name: str) -> dict[str, Any]:
        return {
            "@context": [VC_CONTEXT],
            "id": self.list_id,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": {"id": self.site.org_did(self.org), "name": issuer_name},
            "validFrom": self.updated,
            "credentialSubject": {
                "id": f"{self.list_id}#list",
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": encode_bits(self.bits),
            },
        }

    def signed_document(
        self, *, signer: ProofSigner, key_id: str, issuer_name: str
    ) -> dict[str, Any]:
        return add_proof(
            self.unsigned_document(issuer_name=issuer_name),
            signer=signer,
            created=self.updated,
            verification_method=self.site.key_method(self.org, key_id),
            proof_set=True,
        )

    def details_document(self) -> dict[str, Any]:
        """The sealed details, published beside the list (not signed: only a record's holder
        can make or read an entry, and the bit, which is signed, is what counts)."""
        return {
            "format": DETAILS_FORMAT,
            "statusListCredential": self.list_id,
            "details": {str(i): s for i, s in self.sealed.items()},
        }


def status_entry(site: Site, org: str, number: int, index: int) -> dict[str, str]:
    """The `credentialStatus` of a record at `index` of list `number`."""
    list_id = site.status_list_url(org, number)
    return {
        "id": f"{list_id}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": list_id,
    }


def status_list_from_document(doc: Any, *, registry: Registry, details: Any = None) -> StatusList:
    """Check a status list credential against the registry; raises StatusListError. `details`
    is the document of its sealed revocation details, when there is one."""
    site = registry.site
    try:
        if not isinstance(doc, dict) or not has_type(doc, "BitstringStatusListCredential"):
            raise StatusListError("not a status list credential")
        ids = site.parse_status_list_url(doc.get("id"))
        if ids is None:
            raise StatusListError(f"the status list id is not a status list URL of {site.url}")
        org, number = ids
        if doc["@context"] != [VC_CONTEXT] or doc["issuer"]["id"] != site.org_did(org):
            raise StatusListError("the status list's issuer is not the organization it names")
        parsed = parse_proof(doc)
        key = registry.key_for_method(parsed.verification_method)
        if key is None or key.organization != org:
            raise StatusListError("the status list is not signed by a key of its organization")
        if key.problem_at(parse_timestamp(parsed.created)) is not None:
            raise StatusListError(
                f"the status list's key {key.key_id} was not valid when it signed"
            )
        public_key = decode_public_multikey(key.public_key_multibase)
        if not signature_matches(parsed, public_key=public_key):
            raise StatusListError("the status list's signature does not match (altered?)")
        subject = doc["credentialSubject"]
        if subject.get("statusPurpose") != "revocation":
            raise StatusListError("the status list's purpose is not revocation")
        bits = decode_bits(subject["encodedList"])
        status = StatusList(site, org, number, bits, checked_timestamp(doc["validFrom"]))
        return replace(status, sealed=_sealed(details, status.list_id))
    except ProofFormatError as e:
        raise StatusListError(f"the status list's proof is malformed: {e}") from e
    except (KeyError, TypeError, ValueError, MultibaseError) as e:
        raise StatusListError(f"the status list is malformed: {e}") from e


def _sealed(details: Any, list_id: str) -> dict[int, str]:
    """The sealed entries of a details document; a missing or foreign one gives none (the page
    then says the date and reason are unknown, as it does for a lost file)."""
    if (
        not isinstance(details, dict)
        or details.get("format") != DETAILS_FORMAT
        or details.get("statusListCredential") != list_id
        or not isinstance(details.get("details"), dict)
    ):
        return {}
    out: dict[int, str] = {}
    for k, v in details["details"].items():
        if isinstance(k, str) and _INDEX.match(k) and isinstance(v, str):
            out[int(k)] = v
    return out
