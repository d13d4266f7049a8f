"""What publishing remembers between builds (`.xcert-cache/` at the repository root, git-ignored):
facts keyed by content, so a record is verified once and its slow look-up key derived once.

- `verified`: SHA-256 of a record file's bytes → the signing key, the key entry's token, and the
  record's hash, status entry, times, and certificate, level and issue date (for the counts).
  A hit stands for "signature and key window checked" while the registry's entry for that key
  is unchanged (same token); the status lists and the clock are checked again at every build
  (`verify.status_result`), so a revocation never waits for the cache.
- `masters`: (record hash, KDF parameters) → PBKDF2 master key (lookup.master_key).

Entries are facts, never wrong, so they are written as soon as they are known (SQLite, WAL, so
worker processes read while the parent writes). Deleting the folder only costs time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from generator.credentials.formats.registry import KeyEntry, Registry

CACHE_FILE = "records.sqlite3"
_SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS verified (
  content BLOB PRIMARY KEY,
  key TEXT NOT NULL,
  key_token TEXT NOT NULL,
  hash TEXT NOT NULL,
  list_id TEXT NOT NULL,
  list_index INTEGER NOT NULL,
  valid_from INTEGER NOT NULL,
  created INTEGER NOT NULL,
  certificate TEXT NOT NULL,
  level TEXT NOT NULL,
  issue_date TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS masters (
  hash TEXT NOT NULL,
  params TEXT NOT NULL,
  master BLOB NOT NULL,
  PRIMARY KEY (hash, params)
) WITHOUT ROWID;
"""


def key_token(key: KeyEntry, registry: Registry) -> str:
    """What a cached verdict rests on: the key's registry entry (window, revocation) and the root
    that signed the registry. Any change to either, and the records signed with it are verified
    again; changes to other organizations' keys leave them alone."""
    text = json.dumps(
        [registry.root_public_key_multibase, key.organization, key.to_json()], sort_keys=True
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Checked:
    """What a record's expensive checks established (signature, key, window) and the fields the
    rest of publishing needs, so that a cache hit need not parse the record."""

    key: str
    key_token: str
    hash: str
    list_id: str
    list_index: int
    valid_from: int  # epoch seconds
    created: int
    certificate: str
    level: str
    issue_date: str  # YYYY-MM-DD

    def row(self, content: bytes) -> tuple[object, ...]:
        return (
            content,
            self.key,
            self.key_token,
            self.hash,
            self.list_id,
            self.list_index,
            self.valid_from,
            self.created,
            self.certificate,
            self.level,
            self.issue_date,
        )


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


class RecordCache:
    """The `verified` and `masters` tables of `.xcert-cache/records.sqlite3`."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        if not readonly:
            self._prepare(path)
        self.conn = connect(path, readonly=readonly)

    @staticmethod
    def _prepare(path: Path) -> None:
        conn = connect(path)
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA_VERSION:
                conn.executescript(
                    "DROP TABLE IF EXISTS verified; DROP TABLE IF EXISTS masters;"
                    f"{_SCHEMA} PRAGMA user_version={_SCHEMA_VERSION};"
                )
        finally:
            conn.close()

    def checked(self, content: bytes) -> Checked | None:
        row = self.conn.execute(
            "SELECT key, key_token, hash, list_id, list_index, valid_from, created,"
            " certificate, level, issue_date"
            " FROM verified WHERE content = ?",
            (content,),
        ).fetchone()
        return Checked(*row) if row else None

    def master(self, record_hash: str, params: str) -> bytes | None:
        row = self.conn.execute(
            "SELECT master FROM masters WHERE hash = ? AND params = ?", (record_hash, params)
        ).fetchone()
        return bytes(row[0]) if row else None

    def remember(
        self, checked: list[tuple[object, ...]], masters: list[tuple[str, str, bytes]]
    ) -> None:
        """Add entries; they are written at the next `flush` (a commit costs an fsync, so
        publishing commits every few tens of thousands of records, not every chunk)."""
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")
        self.conn.executemany(
            "INSERT OR REPLACE INTO verified VALUES (?,?,?,?,?,?,?,?,?,?,?)", checked
        )
        self.conn.executemany("INSERT OR REPLACE INTO masters VALUES (?,?,?)", masters)

    def flush(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.flush()
        self.conn.close()


_READER: tuple[int, RecordCache] | None = None


def reader(path: Path) -> RecordCache:
    """This process's read-only connection (a forked worker must not use its parent's)."""
    global _READER
    if _READER is None or _READER[0] != os.getpid() or _READER[1].path != path:
        _READER = (os.getpid(), RecordCache(path, readonly=True))
    return _READER[1]


def close_reader() -> None:
    global _READER
    if _READER is not None and _READER[0] == os.getpid():
        _READER[1].close()
    _READER = None
