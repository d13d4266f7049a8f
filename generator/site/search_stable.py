"""Make Pagefind's filter indexes byte-stable between builds.

Pagefind 1.5 writes each filter's values in hash-map order, which changes from run to run (its
maintainers say filter and metadata indexes are not stable; fragments are). The build promises
byte-identical output for identical inputs, so after indexing we rewrite the filter files with
their values sorted, name them by content, and point the metadata file at the new names. The
files keep Pagefind's own container format (gzip of `pagefind_dcd` + CBOR), which the pinned
version's reader decodes.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

from generator.errors import BuildError

MAGIC = b"pagefind_dcd"


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(MAGIC):
        raise BuildError(f"unexpected Pagefind file format in {path.name}; is the pinned version installed?")
    return cbor2.loads(raw[len(MAGIC):])


def _encode(data: Any) -> bytes:
    return gzip.compress(MAGIC + cbor2.dumps(data), compresslevel=9, mtime=0)


def stabilize(bundle: Path) -> None:
    """Rewrite `bundle` (site/pagefind) so its bytes depend only on the indexed content."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
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
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
