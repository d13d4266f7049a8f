"""Multibase and Multikey encodings: base58btc (`z...`), base64url (`u...`), Ed25519 Multikey.

A Multikey public key is base58btc('ed01' header + 32-byte key), written `z6Mk...`; a secret key
is base58btc('8026' header + 32-byte seed). Signatures (`proofValue`) are base58btc of 64 bytes.
"""

from __future__ import annotations

import base64
import re

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]*\Z")
ED25519_PUB_HEADER = b"\xed\x01"
ED25519_PRIV_HEADER = b"\x80\x26"


class MultibaseError(ValueError):
    """The text is not in the expected multibase or Multikey form."""


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(ALPHABET[r])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    n = 0
    for c in text:
        try:
            n = n * 58 + _INDEX[c]
        except KeyError:
            raise MultibaseError(f"not a base58btc character: {c!r}") from None
    zeros = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * zeros + body


def encode_base58btc(data: bytes) -> str:
    return "z" + b58encode(data)


def decode_base58btc(text: str) -> bytes:
    if not isinstance(text, str) or not text.startswith("z") or len(text) < 2:
        raise MultibaseError("expected multibase base58btc text starting with 'z'")
    return b58decode(text[1:])


def encode_base64url(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def decode_base64url(text: str) -> bytes:
    if not isinstance(text, str) or not text.startswith("u"):
        raise MultibaseError("expected multibase base64url text starting with 'u'")
    body = text[1:]
    if not _BASE64URL.match(body) or len(body) % 4 == 1:
        raise MultibaseError("bad base64url text (no padding, alphabet A-Z a-z 0-9 - _)")
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError as e:
        raise MultibaseError(f"bad base64url: {e}") from e


def _encode_multikey(header: bytes, raw: bytes, what: str) -> str:
    if len(raw) != 32:
        raise MultibaseError(f"an Ed25519 {what} has 32 bytes")
    return encode_base58btc(header + raw)


def _decode_multikey(header: bytes, text: str, what: str) -> bytes:
    data = decode_base58btc(text)
    if len(data) != 34 or data[:2] != header:
        raise MultibaseError(f"not an Ed25519 Multikey {what}")
    return data[2:]


def encode_public_multikey(raw: bytes) -> str:
    return _encode_multikey(ED25519_PUB_HEADER, raw, "public key")


def decode_public_multikey(text: str) -> bytes:
    return _decode_multikey(ED25519_PUB_HEADER, text, "public key (z6Mk...)")


def encode_secret_multikey(seed: bytes) -> str:
    return _encode_multikey(ED25519_PRIV_HEADER, seed, "secret key seed")


def decode_secret_multikey(text: str) -> bytes:
    return _decode_multikey(ED25519_PRIV_HEADER, text, "secret key")
