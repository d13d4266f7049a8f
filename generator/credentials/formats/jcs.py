"""The one function that produces the bytes hashed for signing and verifying: RFC 8785 JCS.

Every signed type (records, status lists, the key registry) goes through `canonical_bytes`, which
wraps the maintained `rfc8785` library; nothing else in the project serializes for signing.
"""

from __future__ import annotations

from typing import Any

import rfc8785

from generator.credentials.formats.errors import CredentialError


class CanonicalizationError(CredentialError):
    """The value cannot be put in JCS form (NaN, an infinite float, a lone surrogate...)."""


def canonical_bytes(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of a JSON value."""
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, UnicodeEncodeError) as e:
        # rfc8785 sorts keys by their UTF-16 form: a lone surrogate in a key fails there.
        raise CanonicalizationError(f"not canonicalizable as JSON: {e}") from e
