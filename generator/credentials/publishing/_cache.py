"""What publishing keeps between builds lives under `.xcert-cache/` (git-ignored, regenerable):
the sealed batches' state (publishing/batches.py). Here: the SQLite connection it uses, and the
token that says whether a key's registry entry changed since a batch signed by it was checked.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from generator.credentials.formats.registry import KeyEntry, Registry


def key_token(key: KeyEntry, registry: Registry) -> str:
    """What a cached verdict rests on: the key's registry entry (window, revocation) and the root
    that signed the registry. Any change to either, and the records signed with it are verified
    again; changes to other organizations' keys leave them alone."""
    text = json.dumps(
        [registry.root_public_key_multibase, key.organization, key.to_json(registry.site)],
        sort_keys=True,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit) with WAL journaling."""
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=60000")
    return conn
