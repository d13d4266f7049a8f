"""The spelling of an id (certificate, organization, notice…): lower-case ASCII letters and
digits in words joined by single hyphens, so it can stand in a file name and a URL unchanged.
The catalogue's JSON Schemas spell the same pattern (a test holds them to it)."""

from __future__ import annotations

import re

SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG = re.compile(rf"{SLUG_PATTERN}\Z")


def is_slug(text: str) -> bool:
    return SLUG.match(text) is not None
