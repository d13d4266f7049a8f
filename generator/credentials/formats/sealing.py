"""Sealing one record so that only someone who knows its number and holder's name opens it.

From the record hash `h = record.record_hash(number, name)` (fast; verify links carry it):

- the master key: Argon2id(password = `h`, salt, 19 MiB, 2 passes, 1 lane) → 32 bytes, slow
  and memory-hard on purpose (every guess at a name costs an attacker one derivation, and GPUs
  gain little on it); paid once per record, by the organization at issuance, never by the
  build. PBKDF2-HMAC-SHA256 (the layout before) is still read; docs/scale.md weighs the two;
- from the master, HKDF-SHA256 (RFC 5869, empty salt) derives the entry's tag (16 bytes), its
  AES-256-GCM key and the key that makes its nonce;
- the entry: nonce ‖ AES-256-GCM(raw DEFLATE of the record's bytes), the nonce being
  HMAC-SHA256(nonce key, plaintext)[:12], so the same record always seals to the same bytes and
  two different plaintexts never share a nonce.

The symmetric primitives are pyca `cryptography`'s (OpenSSL): they run on any CPU, where
libsodium's AES-GCM needs AES-NI; Argon2id is libsodium's (PyNaCl). The verify page
(site_src/assets/verify/lookup.js) has all of them in WebCrypto but Argon2id, which it takes from
the vendored hash-wasm.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import zlib
from dataclasses import dataclass
from typing import Any

import nacl.bindings
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# docs/scale.md ("The look-up key") weighs these against PBKDF2-SHA256 at 300,000 iterations.
ARGON2ID = "Argon2id"
PBKDF2 = "PBKDF2"
ARGON2_MEMORY_KIB = 19456  # 19 MiB
ARGON2_PASSES = 2
KDF_SALT = "xcert-look-up-v3"  # Argon2id: exactly 16 bytes (libsodium's salt size)
PBKDF2_SALT = "xcert-lookup-v2"
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
    """The slow KDF and its parameters; signed into every batch and published in r/index.json.
    `iterations` is Argon2id's passes or PBKDF2's iterations; `memory` is Argon2id's, in KiB."""

    name: str = ARGON2ID
    iterations: int = ARGON2_PASSES
    memory: int = ARGON2_MEMORY_KIB
    salt: str = KDF_SALT

    def __post_init__(self) -> None:
        if self.name == ARGON2ID:
            if self.iterations < 1 or self.memory < 8 or len(self.salt.encode()) != 16:
                raise ValueError("Argon2id needs a pass, 8 KiB and a 16-byte salt")
        elif self.name != PBKDF2 or self.iterations < 1 or not self.salt:
            raise ValueError("PBKDF2 needs at least one iteration and a salt")

    @classmethod
    def pbkdf2(cls, iterations: int, salt: str = PBKDF2_SALT) -> LookupParams:
        return cls(PBKDF2, iterations, 0, salt)

    @property
    def cache_key(self) -> str:
        if self.name == PBKDF2:
            return f"pbkdf2-sha256:{self.iterations}:{self.salt}"
        return f"argon2id:m={self.memory},t={self.iterations},p=1:{self.salt}"

    def to_json(self) -> dict[str, Any]:
        if self.name == PBKDF2:
            return {
                "name": PBKDF2,
                "hash": "SHA-256",
                "iterations": self.iterations,
                "salt": self.salt,
            }
        return {
            "name": ARGON2ID,
            "memory": self.memory,
            "passes": self.iterations,
            "lanes": 1,
            "salt": self.salt,
        }

    @classmethod
    def from_json(cls, doc: Any) -> LookupParams:
        """Raises ValueError when `doc` is not a KDF this version derives."""

        def whole(v: Any) -> bool:
            return isinstance(v, int) and not isinstance(v, bool)

        if not isinstance(doc, dict) or not isinstance(doc.get("salt"), str):
            raise ValueError("the look-up KDF has no salt")
        if (
            doc.get("name") == ARGON2ID
            and doc.get("lanes") == 1
            and whole(doc.get("memory"))
            and whole(doc.get("passes"))
        ):
            return cls(ARGON2ID, doc["passes"], doc["memory"], doc["salt"])
        if (
            doc.get("name") == PBKDF2
            and doc.get("hash") == "SHA-256"
            and whole(doc.get("iterations"))
        ):
            return cls.pbkdf2(doc["iterations"], doc["salt"])
        raise ValueError("the look-up KDF is neither Argon2id (one lane) nor PBKDF2-SHA256")


def master_key(record_hash_hex: str, params: LookupParams) -> bytes:
    """The slow step: Argon2id (libsodium) or PBKDF2-HMAC-SHA256 (OpenSSL) of the record hash."""
    password = record_hash_hex.encode("ascii")
    if params.name == PBKDF2:
        return hashlib.pbkdf2_hmac(
            "sha256", password, params.salt.encode("utf-8"), params.iterations
        )
    return bytes(
        nacl.bindings.crypto_pwhash_alg(
            32,
            password,
            params.salt.encode("utf-8"),
            params.iterations,
            params.memory * 1024,
            nacl.bindings.crypto_pwhash_ALG_ARGON2ID13,
        )
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
