"""Sealed entries arriving in any order become batches sorted by tag, split by record count and
by the entries file's size, each whole and signed."""

from __future__ import annotations

import random
from pathlib import Path

from _scenarios import A3, SITE, t

from generator.credentials.formats.batch import entry_line, parse_manifest, read_entries
from generator.credentials.formats.jsontext import parse_json
from generator.credentials.formats.sealing import LookupParams, b64url
from generator.credentials.issuing.batch_writer import BatchWriter

NOW = t("2024-10-08T02:00:00")
GROUP = ("web-frontend", 2024, "中级")


def entries(count: int) -> list[tuple[str, bytes]]:
    rng = random.Random(count)
    return [(b64url(rng.randbytes(16)), rng.randbytes(90 + i)) for i in range(count)]


def write(tmp_path: Path, items: list[tuple[str, bytes]], **limits: int) -> list[Path]:
    writer = BatchWriter(
        tmp_path / "batches",
        tmp_path / "scratch",
        "20241008T020000Z-00000001",
        "acme",
        "2024-10-08T02:00:00Z",
        NOW,
        LookupParams(iterations=1, memory=64),
        A3,
        SITE,
        **limits,
    )
    for i, (tag, entry) in enumerate(items):
        writer.add(tag, entry, GROUP, (1, i))
    ids = writer.finish()
    assert not (tmp_path / "scratch").exists()
    assert writer.records == len(items)
    return [tmp_path / "batches" / f"{i}.json" for i in ids]


def read(manifest: Path) -> list[tuple[str, bytes]]:
    parsed = parse_manifest(parse_json(manifest.read_bytes()))
    return [(b64url(tag), e) for tag, e in read_entries(manifest.with_suffix(".entries"), parsed)]


def test_entries_are_sorted_by_tag_in_batches_of_the_size_given(tmp_path: Path) -> None:
    items = entries(7)
    manifests = write(tmp_path, items, size=3)
    assert manifests[0].stem == "20241008T020000Z-00000001" and len(set(manifests)) == 3
    batches = [read(m) for m in manifests]  # read_entries checks order, count, size and hash
    assert [len(b) for b in batches] == [3, 3, 1]
    assert [e for b in batches for e in b] == [*sorted(items[:3]), *sorted(items[3:6]), items[6]]


def test_a_batch_closes_before_its_entries_pass_the_byte_limit(tmp_path: Path) -> None:
    items = entries(9)
    limit = sum(len(entry_line(*e)) for e in items[:4])  # the first four fit exactly
    manifests = write(tmp_path, items, size=100, max_bytes=limit)
    sizes = [m.with_suffix(".entries").stat().st_size for m in manifests]
    assert all(s <= limit for s in sizes) and sizes[0] == limit
    assert sum(len(read(m)) for m in manifests) == 9
