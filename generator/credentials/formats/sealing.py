"""Sealing one record so that only someone who knows its number and holder's name opens it.

From the record hash `h = record.record_hash(number, name)` (fast; verify links carry it):

- the master key: PBKDF2-HMAC-SHA256(password = `h`, salt, iterations) → 32 bytes, slow on
  purpose (every guess at a name costs an attacker one derivation); paid once per record, by
  the organization at issuance, never by the build;
- from the master, HKDF-SHA256 (RFC 5869, empty salt) derives the entry's tag (16 bytes), its
  AES-256-GCM key and the key that makes its nonce;
- the entry: nonce ‖ AES-256-GCM(raw DEFLATE of the record's bytes), the nonce being
  HMAC-SHA256(nonce key, plaintext)[:12], so the same record always seals to the same bytes and
  two different plaintexts never share a nonce.

The primitives are pyca `cryptography`'s (OpenSSL): they run on any CPU, where libsodium's
AES-GCM needs AES-NI. WebCrypto has all of them, so the verify page
(site_src/assets/verify/lookup.js) opens an entry with no library.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import zlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# PBKDF2 iterations: docs/scale.md ("The look-up key") weighs them against Argon2id.
KDF_ITERATIONS = 300_000
KDF_SALT = "xcert-lookup-v2"
TAG_BYTES = 16
NONCE_BYTES = 12
# A tag in base64url: 16 bytes → 22 characters.
TAG_TEXT = re.compile(r"^[A-Za-z0-9_-]{22}\Z")
# An entry: nonce + GCM tag at least, in base64url.
ENTRY_TEXT = re.compile(r"^[A-Za-z0-9_-]{38,}\Z")
_INFO = "xcert-lookup-v2 "


class EntryError(ValueError):
    """A sealed entry that does not open with the key derived from the number and name."""


@dataclass(frozen=True)
class LookupParams:
    """The slow KDF's parameters; signed into every batch and published in r/index.json."""

    iterations: int = KDF_ITERATIONS
    salt: str = KDF_SALT

    def __post_init__(self) -> None:
        if self.iterations < 1 or not self.salt:
            raise ValueError("PBKDF2 needs at least one iteration and a salt")

    @property
    def cache_key(self) -> str:
        return f"pbkdf2-sha256:{self.iterations}:{self.salt}"

    def to_json(self) -> dict[str, Any]:
        return {"name": "PBKDF2", "hash": "SHA-256", "iterations": self.iterations,
                "salt": self.salt}

    @classmethod
    def from_json(cls, doc: Any) -> LookupParams:
        """Raises ValueError when `doc` is not a KDF this version derives."""
        if (
            not isinstance(doc, dict)
            or doc.get("name") != "PBKDF2"
            or doc.get("hash") != "SHA-256"
            or not isinstance(doc.get("iterations"), int)
            or isinstance(doc.get("iterations"), bool)
            or not isinstance(doc.get("salt"), str)
        ):
            raise ValueError("the look-up KDF is not PBKDF2-SHA256 with iterations and a salt")
        return cls(iterations=doc["iterations"], salt=doc["salt"])


def master_key(record_hash_hex: str, params: LookupParams) -> bytes:
    """The slow step: PBKDF2-HMAC-SHA256 of the record hash (OpenSSL through hashlib)."""
    return hashlib.pbkdf2_hmac(
        "sha256", record_hash_hex.encode("ascii"), params.salt.encode("utf-8"), params.iterations
    )


def hkdf_sha256(ikm: bytes, *, info: bytes, length: int, salt: bytes = b"") -> bytes:
    """HKDF-SHA256 (RFC 5869), as WebCrypto's deriveBits({name: 'HKDF'}) computes it; the
    look-up uses an empty salt."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt or None, info=info).derive(ikm)


@dataclass(frozen=True)
class EntryKeys:
    tag: bytes
    key: bytes
    nonce_key: bytes


def entry_keys(master: bytes) -> EntryKeys:
    return EntryKeys(
        tag=hkdf_sha256(master, info=(_INFO + "tag").encode(), length=TAG_BYTES),
        key=hkdf_sha256(master, info=(_INFO + "key").encode(), length=32),
        nonce_key=hkdf_sha256(master, info=(_INFO + "nonce").encode(), length=32),
    )


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw DEFLATE: DecompressionStream reads it
    return packer.compress(data) + packer.flush()


def seal(master: bytes, record: bytes) -> tuple[bytes, bytes]:
    """(tag, nonce ‖ ciphertext) of one record's bytes."""
    keys = entry_keys(master)
    plain = _deflate(record)
    nonce = hmac.new(keys.nonce_key, plain, hashlib.sha256).digest()[:NONCE_BYTES]
    return keys.tag, nonce + AESGCM(keys.key).encrypt(nonce, plain, None)


def open_entry(master: bytes, entry: bytes) -> bytes:
    """The record's bytes; raises EntryError when the entry does not open with this key."""
    keys = entry_keys(master)
    nonce, sealed = entry[:NONCE_BYTES], entry[NONCE_BYTES:]
    try:
        plain = AESGCM(keys.key).decrypt(nonce, sealed, None)
    except (InvalidTag, ValueError) as e:
        raise EntryError("the entry does not open with this key") from e
    return zlib.decompress(plain, -15)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
