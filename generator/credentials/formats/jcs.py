"""The one function that produces the bytes hashed for signing and verifying: RFC 8785 JCS.

Every signed type (records, status lists, the key registry) goes through `canonical_bytes`, which
wraps the maintained `rfc8785` library; nothing else in the project serializes for signing.

The library is pure Python (about 0.3 ms for a record, a tenth of the non-KDF work of issuing
one). For the values whose JCS form the standard library's C encoder writes byte for byte, it
is used instead: keys all ASCII (Python then sorts them as JCS does, by UTF-16 code units), no
floats (JCS writes numbers as ECMAScript does), integers within JCS's exact range. Strings are
escaped alike by both (`"`, `\\`, and the control characters, as \\b \\t \\n \\f \\r or a
lowercase \\u00xx). Anything else goes to the library; tests/hostile/test_canonical_properties.py
checks that both give the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785

from generator.credentials.formats.errors import CredentialError

_EXACT = 2**53 - 1  # the largest integer JCS (an IEEE double) writes exactly
_encode = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode


class CanonicalizationError(CredentialError):
    """The value cannot be put in JCS form (NaN, an infinite float, a lone surrogate...)."""


def _plain(value: Any) -> bool:
    """Whether the C encoder writes `value`'s JCS form (see the module's docstring)."""
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -_EXACT <= value <= _EXACT
    if isinstance(value, dict):
        return all(isinstance(k, str) and k.isascii() and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return False


def canonical_bytes(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of a JSON value."""
    try:
        if _plain(value):
            return _encode(value).encode("utf-8")
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, UnicodeEncodeError) as e:
        # A lone surrogate cannot be UTF-8; rfc8785 also sorts keys by their UTF-16 form, where a
        # lone surrogate in a key fails.
        raise CanonicalizationError(f"not canonicalizable as JSON: {e}") from e
