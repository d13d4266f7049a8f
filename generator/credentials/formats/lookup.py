"""The look-up layout of published records: shards of encrypted entries that only someone who
knows a certificate's number and holder's name can find and open.

From the record hash `h = record.record_hash(number, name)` (fast; it is what verify links carry):

- the shard: the first `bits` bits of `h` name the file `r/<shard>.json`;
- the master key: PBKDF2-HMAC-SHA256(password = `h`, salt, iterations) → 32 bytes (slow on
  purpose: every guess at a name costs an attacker the same work as one look-up);
- from the master, HKDF-SHA256 (RFC 5869, empty salt) derives the entry's tag (16 bytes, its key
  in the shard), its AES-256-GCM key and the key that makes its nonce;
- the entry: nonce ‖ AES-256-GCM(raw DEFLATE of the record's bytes), the nonce being
  HMAC-SHA256(nonce key, plaintext)[:12] so that the same record always gives the same bytes
  (byte-identical builds) and two different plaintexts never share a nonce.

All of it is in WebCrypto, so the verify page (site_src/assets/verify/lookup.js) does the same.
`r/index.json` publishes the parameters, so they can change without breaking verify links.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.bindings
import nacl.exceptions

from generator.credentials.formats.errors import CredentialError
from generator.credentials.formats.record import record_hash
from generator.credentials.paths import SITE_RECORDS

LAYOUT_VERSION = 2
# PBKDF2 iterations: about 65 ms in desktop Chromium and 120 ms in CPython on the 2-core
# benchmark machine (docs/scale.md weighs the choice). Publishing pays it once per record.
KDF_ITERATIONS = 300_000
KDF_SALT = "xcert-lookup-v2"
# Shards hold at most this many entries on average (about 1 KB each, so 34-68 KB per file).
SHARD_TARGET = 64
TAG_BYTES = 16
NONCE_BYTES = 12
INDEX_FILE = "index.json"  # the layout's parameters, in the records folder


class LookupUnavailableError(CredentialError):
    """This machine's libsodium has no AES-256-GCM (it needs AES-NI or ARMv8 crypto); a
    CredentialError, so `xcert build` and `xcert issue` report it and exit 1."""


@dataclass(frozen=True)
class LookupParams:
    """The slow KDF's parameters; published in r/index.json, part of every cached master key."""

    iterations: int = KDF_ITERATIONS
    salt: str = KDF_SALT

    def __post_init__(self) -> None:
        if self.iterations < 1 or not self.salt:
            raise ValueError("PBKDF2 needs at least one iteration and a salt")

    @property
    def cache_key(self) -> str:
        return f"pbkdf2-sha256:{self.iterations}:{self.salt}"


def layout_document(params: LookupParams, bits: int) -> dict[str, Any]:
    """What r/index.json holds: how the page derives the shard, the tag and the key."""
    return {
        "version": LAYOUT_VERSION,
        "kdf": {
            "name": "PBKDF2",
            "hash": "SHA-256",
            "iterations": params.iterations,
            "salt": params.salt,
        },
        "shardBits": bits,
    }


def master_key(record_hash_hex: str, params: LookupParams) -> bytes:
    """The slow step: PBKDF2-HMAC-SHA256 of the record hash."""
    return hashlib.pbkdf2_hmac(
        "sha256", record_hash_hex.encode("ascii"), params.salt.encode("utf-8"), params.iterations
    )


def hkdf_sha256(ikm: bytes, *, info: bytes, length: int, salt: bytes = b"") -> bytes:
    """HKDF-SHA256 (RFC 5869), as WebCrypto's deriveBits({name: 'HKDF'}) computes it."""
    prk = hmac.new(salt or bytes(32), ikm, hashlib.sha256).digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


@dataclass(frozen=True)
class EntryKeys:
    tag: bytes
    key: bytes
    nonce_key: bytes


def entry_keys(master: bytes) -> EntryKeys:
    return EntryKeys(
        tag=hkdf_sha256(master, info=b"xcert-lookup-v2 tag", length=TAG_BYTES),
        key=hkdf_sha256(master, info=b"xcert-lookup-v2 key", length=32),
        nonce_key=hkdf_sha256(master, info=b"xcert-lookup-v2 nonce", length=32),
    )


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw DEFLATE: DecompressionStream reads it
    return packer.compress(data) + packer.flush()


def seal(master: bytes, record: bytes) -> tuple[bytes, bytes]:
    """(tag, nonce ‖ ciphertext) of one record's bytes."""
    keys = entry_keys(master)
    plain = _deflate(record)
    nonce = hmac.new(keys.nonce_key, plain, hashlib.sha256).digest()[:NONCE_BYTES]
    try:
        sealed = nacl.bindings.crypto_aead_aes256gcm_encrypt(plain, None, nonce, keys.key)
    except nacl.exceptions.UnavailableError as e:
        raise LookupUnavailableError(
            "libsodium has no AES-256-GCM on this CPU; publish on a machine with AES-NI"
        ) from e
    return keys.tag, nonce + sealed


def open_entry(master: bytes, entry: bytes) -> bytes:
    """The record's bytes; raises ValueError when the entry does not open with this key."""
    keys = entry_keys(master)
    nonce, sealed = entry[:NONCE_BYTES], entry[NONCE_BYTES:]
    try:
        plain = nacl.bindings.crypto_aead_aes256gcm_decrypt(sealed, None, nonce, keys.key)
    except nacl.exceptions.CryptoError as e:
        raise ValueError("the entry does not open with this key") from e
    return zlib.decompress(plain, -15)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def shard_bits(count: int) -> int:
    """Shard bits for `count` records: the fewest keeping the average at most SHARD_TARGET.

    It changes only when the count doubles, so adding a batch rewrites few shards; at a change
    every shard is rewritten once (amortized, one write per record per doubling)."""
    return max(0, math.ceil(math.log2(count / SHARD_TARGET))) if count > SHARD_TARGET else 0


def shard_index(record_hash_hex: str, bits: int) -> int:
    return int(record_hash_hex[:8], 16) >> (32 - bits) if bits else 0


def shard_name(index: int, bits: int) -> str:
    """`r/<name>.json`: the index in hex, ceil(bits / 4) digits (at least one)."""
    return f"{index:0{max(1, math.ceil(bits / 4))}x}"


def shard_range(index: int, bits: int) -> tuple[str, str]:
    """The record hashes of one shard: lo <= h < hi (hex text compares like the numbers)."""
    if bits == 0:
        return "", "g"
    lo = index << (32 - bits)
    hi = (index + 1) << (32 - bits)
    return f"{lo:08x}", (f"{hi:08x}" if hi < 2**32 else "g")


def shard_bytes(entries: list[tuple[bytes, bytes]]) -> bytes:
    """A shard file: one JSON object, tag → entry (base64url), sorted, one entry per line."""
    lines = [f'"{b64url(tag)}":"{b64url(entry)}"' for tag, entry in sorted(entries)]
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("ascii")


def find_record(site_dir: Path, *, number: str, name: str) -> bytes | None:
    """What the verify page does for a number + name: the record's bytes, or None."""
    records = site_dir / SITE_RECORDS
    try:
        layout = json.loads((records / INDEX_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    h = record_hash(number=number, name=name)
    params = LookupParams(iterations=layout["kdf"]["iterations"], salt=layout["kdf"]["salt"])
    bits = int(layout["shardBits"])
    path = records / f"{shard_name(shard_index(h, bits), bits)}.json"
    try:
        shard = json.loads(path.read_text(encoding="ascii"))
    except FileNotFoundError:
        return None
    master = master_key(h, params)
    entry = shard.get(b64url(entry_keys(master).tag))
    return open_entry(master, unb64url(entry)) if entry is not None else None
