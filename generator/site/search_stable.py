"""Make Pagefind's filter indexes byte-stable between builds.

Pagefind 1.5 writes each filter's values in hash-map order, which changes from run to run (its
maintainers say filter and metadata indexes are not stable; fragments are). The build promises
byte-identical output for identical inputs, so after indexing we rewrite the filter files with
their values sorted, name them by content, and point the metadata file at the new names. The
files keep Pagefind's own container format (gzip of `pagefind_dcd` + CBOR), which the pinned
version's reader decodes.

The word index is re-chunked too. Pagefind looks a query word up in the one chunk whose range
holds it, and a word is matched as a prefix: with a chunk boundary between 数字 and 数字创, the
query word 数 never saw 数控 (in the next chunk) and 数控 lost its certificates. Here every
chunk holds whole groups of words that begin with the same character, and starts at that
character, so all the words a query word can be a prefix of are in its chunk.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import cbor2

from generator.errors import BuildError

MAGIC = b"pagefind_dcd"


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(MAGIC):
        raise BuildError(
            f"unexpected Pagefind file format in {path.name}; is the pinned version installed?"
        )
    return cbor2.loads(raw[len(MAGIC) :])


def _encode(data: Any) -> bytes:
    return gzip.compress(MAGIC + cbor2.dumps(data), compresslevel=9, mtime=0)


_PARALLEL_FROM = 16  # chunks; below this a fork costs more than it saves
_ITEMS: list[Any] = []  # what the forked encoders share with the parent (inherited)


def _encode_all(items: list[Any]) -> list[bytes]:
    """_encode of every item, shared by two forked processes when there are many (gzip at its
    highest level is most of this module's time, and a big site has dozens of index chunks)."""
    global _ITEMS
    workers = min(2, os.cpu_count() or 1)
    if workers < 2 or len(items) < _PARALLEL_FROM:
        return [_encode(item) for item in items]
    _ITEMS = items
    try:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            shares = list(pool.map(_encode_share, range(workers), [workers] * workers))
    finally:
        _ITEMS = []
    out: list[bytes] = [b""] * len(items)
    for share, encoded in enumerate(shares):
        out[share::workers] = encoded
    return out


def _encode_share(share: int, of: int) -> list[bytes]:
    return [_encode(item) for item in _ITEMS[share::of]]


def _rechunk(folder: Path, language: str, chunks: list[list[str]]) -> list[list[str]]:
    """Rewrite the word index in chunks of whole first-character groups; the new chunk list."""
    entries: list[Any] = []
    for _, _, file_hash in chunks:
        path = folder / f"{file_hash}.pf_index"
        entries += _read(path)[0]
        path.unlink()
    entries.sort(key=lambda e: e[0])
    target = max(1, -(-len(entries) // max(1, len(chunks))))  # as many chunks as Pagefind made
    groups: list[list[Any]] = []
    for entry in entries:
        if groups and groups[-1][0][0][:1] == entry[0][:1]:
            groups[-1].append(entry)
        else:
            groups.append([entry])
    packed: list[list[Any]] = []
    for group in groups:
        if packed and len(packed[-1]) < target:
            packed[-1] += group
        else:
            packed.append(list(group))
    out = []
    for chunk, data in zip(packed, _encode_all([[chunk] for chunk in packed]), strict=True):
        file_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:7]}"
        (folder / f"{file_hash}.pf_index").write_bytes(data)
        # From the first character: a query word shorter than the chunk's first word sorts
        # before that word, yet belongs here.
        out.append([chunk[0][0][:1], chunk[-1][0], file_hash])
    return out


def stabilize(bundle: Path) -> None:
    """Rewrite `bundle` (site/pagefind) so its bytes depend only on the indexed content."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        meta[2] = _rechunk(bundle / "index", language, meta[2])
        filters = meta[3]
        renamed = []
        for name, file_hash in sorted(filters, key=lambda f: f[0]):
            old = bundle / "filter" / f"{file_hash}.pf_filter"
            filter_name, values = _read(old)
            values = sorted(([value, sorted(pages)] for value, pages in values), key=lambda v: v[0])
            data = _encode([filter_name, values])
            new_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:7]}"
            old.unlink()
            (bundle / "filter" / f"{new_hash}.pf_filter").write_bytes(data)
            renamed.append([name, new_hash])
        meta[3] = renamed
        kept = {f"{h}.pf_filter" for _, h in renamed}
        for stray in (bundle / "filter").glob(f"{language}_*.pf_filter"):
            if stray.name not in kept:
                stray.unlink()
        data = _encode(meta)
        new_meta_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:10]}"
        meta_path.unlink()
        (bundle / f"pagefind.{new_meta_hash}.pf_meta").write_bytes(data)
        info["hash"] = new_meta_hash
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
