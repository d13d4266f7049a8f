"""Certificates a student looking at one certificate may also want to see.

Two lists: the organization's other certificates, and certificates of the same field from other
organizations, the closest first. "Closest" is what the catalogue can tell without guessing: shared
keywords, then shared two-character words in the short names (工业机器人集成 and 工业机器人装调
share 工业, 业机, 机器, 器人), then the same batch.
"""

from __future__ import annotations

import functools

from generator.models import Catalogue, Certificate

RELATED_LIMIT = 8


@functools.lru_cache(maxsize=65536)
def _bigrams(text: str) -> frozenset[str]:
    # Cached: each certificate is compared with every other of its field (2,000 certificates
    # made 1.2 million calls per build).
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


@functools.lru_cache(maxsize=65536)
def _keywords(keywords: tuple[str, ...]) -> frozenset[str]:
    return frozenset(keywords)


def _closeness(a: Certificate, b: Certificate) -> tuple[int, int, int]:
    keywords = len(_keywords(tuple(a.keywords)) & _keywords(tuple(b.keywords)))
    words = len(_bigrams(a.short_name) & _bigrams(b.short_name))
    return (keywords, words, int(a.batch == b.batch))


def same_organization(cat: Catalogue, cert: Certificate) -> list[Certificate]:
    """The organization's other certificates, by batch then id."""
    return sorted(
        (c for c in cat.certificates_of(cert.organization) if c.id != cert.id),
        key=lambda c: (c.batch, c.id),
    )


def same_field(
    cat: Catalogue, cert: Certificate, limit: int = RELATED_LIMIT
) -> tuple[list[Certificate], int]:
    """Up to `limit` certificates of the same field from other organizations, closest first,
    and how many such certificates there are in all."""
    others = [
        c
        for c in cat.certificates.values()
        if c.field == cert.field and c.organization != cert.organization
    ]
    ranked = sorted(others, key=lambda c: (tuple(-x for x in _closeness(cert, c)), c.batch, c.id))
    return ranked[:limit], len(others)
