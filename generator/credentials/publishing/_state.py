"""The published set as publishing left it (`.xcert-cache/published/`): a manifest of every
published record and the shard files made from it, so that the next build rewrites only the
shards whose records were added, changed or removed.

`state.sqlite3` holds, per record file: its size and mtime (to skip unchanged files without
reading them), the SHA-256 of its bytes, what verification established (key, key token, status
entry, times), its record hash, its sealed entry (tag + ciphertext), and its certificate, level
and issue date (the counts of issued certificates). `r/` holds the shard files, written from the
manifest. A shard to rewrite is noted in `pending` in the same transaction as the manifest
change, and cleared once written: a build killed in between leaves the note, and the next build
finishes the job.
"""

from __future__ import annotations

import fcntl
import itertools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.credentials._files import write_atomic
from generator.credentials._parallel import fork_imap
from generator.credentials.formats.jsontext import dump_json
from generator.credentials.formats.lookup import (
    INDEX_FILE,
    LookupParams,
    layout_document,
    shard_bytes,
    shard_index,
    shard_name,
    shard_range,
)
from generator.credentials.paths import SITE_RECORDS
from generator.credentials.publishing._cache import connect

STATE_DIR = "published"
_SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS published (
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  content BLOB NOT NULL,
  key TEXT NOT NULL,
  key_token TEXT NOT NULL,
  list_id TEXT NOT NULL,
  list_index INTEGER NOT NULL,
  valid_from INTEGER NOT NULL,
  created INTEGER NOT NULL,
  hash TEXT NOT NULL,
  tag BLOB NOT NULL,
  entry BLOB NOT NULL,
  certificate TEXT NOT NULL,
  level TEXT NOT NULL,
  issue_date TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS published_hash ON published (hash);
CREATE TABLE IF NOT EXISTS pending (shard INTEGER PRIMARY KEY);
"""
# Row of `published`, in column order.
Row = tuple[str, int, int, bytes, str, str, str, int, int, int, str, bytes, bytes, str, str, str]


class PublishedState:
    """The manifest and the shard files; one publish at a time (a lock file)."""

    def __init__(self, folder: Path, *, params: LookupParams, site_url: str | None) -> None:
        self.folder = folder
        self.records = folder / SITE_RECORDS
        self.records.mkdir(parents=True, exist_ok=True)
        self._lock = (folder / "lock").open("w")
        fcntl.flock(self._lock, fcntl.LOCK_EX)  # a second publish of this cache waits
        self.conn = connect(folder / "state.sqlite3")
        self.conn.execute("PRAGMA cache_size=-65536")
        if self.conn.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA_VERSION:
            self.conn.executescript(
                "DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS published;"
                f" DROP TABLE IF EXISTS pending; {_SCHEMA} PRAGMA user_version={_SCHEMA_VERSION};"
            )
        self.params = params
        # Entries depend on the KDF parameters, QR images on the site's address: when either
        # differs from what the manifest was made with, everything is published again.
        setting = f"{params.cache_key} {site_url or ''}"
        if self._meta("setting") != setting:
            self.conn.executescript("BEGIN; DELETE FROM published; DELETE FROM pending; COMMIT;")
            self._set_meta("setting", setting)
            self._set_meta("bits", "-1")

    def close(self) -> None:
        self.conn.close()
        self._lock.close()

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @property
    def bits(self) -> int:
        return int(self._meta("bits") or -1)

    # Planning: what to read again.

    def plan(
        self, files: Iterable[tuple[str, int, int]], tokens: dict[str, str]
    ) -> tuple[int, int]:
        """Compare the record files found (path, size, mtime_ns) with the manifest. Fills the
        temporary tables `todo` (files to read: new, changed on disk, or signed by a key whose
        registry entry changed; with the hash they had) and `gone` (removed files). Returns
        their sizes."""
        c = self.conn
        c.executescript(
            "DROP TABLE IF EXISTS temp.scan; DROP TABLE IF EXISTS temp.tokens;"
            " DROP TABLE IF EXISTS temp.todo; DROP TABLE IF EXISTS temp.gone;"
            " CREATE TEMP TABLE scan (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER);"
            " CREATE TEMP TABLE tokens (key TEXT PRIMARY KEY, token TEXT);"
        )
        c.execute("BEGIN")
        c.executemany("INSERT INTO scan VALUES (?, ?, ?)", files)
        c.executemany("INSERT INTO tokens VALUES (?, ?)", tokens.items())
        c.execute("COMMIT")
        c.execute(
            "CREATE TEMP TABLE todo AS"
            " SELECT s.path, s.size, s.mtime_ns, p.hash AS old_hash"
            " FROM scan s LEFT JOIN published p ON p.path = s.path"
            " LEFT JOIN tokens t ON t.key = p.key"
            " WHERE p.path IS NULL OR p.size != s.size OR p.mtime_ns != s.mtime_ns"
            " OR t.token IS NULL OR t.token != p.key_token"
            " ORDER BY s.path"
        )
        c.execute(
            "CREATE TEMP TABLE gone AS SELECT p.path, p.hash FROM published p"
            " WHERE NOT EXISTS (SELECT 1 FROM scan s WHERE s.path = p.path)"
        )
        todo = c.execute("SELECT count(*) FROM todo").fetchone()[0]
        gone = c.execute("SELECT count(*) FROM gone").fetchone()[0]
        return todo, gone

    def todo(self) -> Iterator[tuple[str, int, int]]:
        # A cursor of its own: the manifest is written while this one is read.
        yield from self.conn.execute("SELECT path, size, mtime_ns FROM todo ORDER BY path")

    # Applying: one transaction, rolled back when anything fails.

    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("DROP TABLE IF EXISTS temp.touched")
        self.conn.execute("CREATE TEMP TABLE touched (hash TEXT)")

    def rollback(self) -> None:
        self.conn.execute("ROLLBACK")

    def put(self, rows: list[Row]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO published VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows
        )
        self.conn.executemany("INSERT INTO touched VALUES (?)", [(r[10],) for r in rows])

    def drop_gone(self) -> None:
        self.conn.execute("DELETE FROM published WHERE path IN (SELECT path FROM gone)")

    def duplicates(self) -> list[list[str]]:
        """Paths sharing a record hash (same number and name), for every hash written now."""
        rows = self.conn.execute(
            "SELECT p.hash, p.path FROM published p"
            " WHERE p.hash IN (SELECT hash FROM touched)"
            " AND (SELECT count(*) FROM published q WHERE q.hash = p.hash) > 1"
            " ORDER BY p.hash, p.path"
        ).fetchall()
        groups: dict[str, list[str]] = {}
        for h, path in rows:
            groups.setdefault(h, []).append(path)
        return list(groups.values())

    def status_rows(self) -> Iterator[tuple[str, str, int, int, int, str, str, str]]:
        """(path, list id, index, valid from, created, certificate, level, issue date) of every
        record, for the checks that depend on the status lists and the clock and for the counts
        the pages show (run at every build)."""
        yield from self.conn.execute(
            "SELECT path, list_id, list_index, valid_from, created, certificate, level, issue_date"
            " FROM published"
        )

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM published").fetchone()[0])

    def commit(self, bits: int) -> None:
        """Note the shards to rewrite and commit. When the shard count changes, all of them."""
        if bits != self.bits:
            self._set_meta("bits", str(bits))
            self._set_meta("materialized", "-1")
        else:
            hashes = (
                "SELECT hash FROM touched UNION SELECT old_hash FROM todo"
                " WHERE old_hash IS NOT NULL UNION SELECT hash FROM gone"
            )
            self.conn.executemany(
                "INSERT OR IGNORE INTO pending VALUES (?)",
                ((shard_index(h, bits),) for (h,) in self.conn.execute(hashes).fetchall()),
            )
        self.conn.execute("COMMIT")

    # Writing the shard files.

    def materialize(self, *, workers: int = 1) -> int:
        """Write the shards noted as pending (all of them, over `workers` processes, after a
        change in their number); returns how many files were written or removed."""
        bits = self.bits
        written = 0
        if self._meta("materialized") != str(bits):
            written = self._write_all(bits, workers)
        else:
            for (index,) in self.conn.execute(
                "SELECT shard FROM pending ORDER BY shard"
            ).fetchall():
                lo, hi = shard_range(index, bits)
                entries = self.conn.execute(
                    "SELECT tag, entry FROM published WHERE hash >= ? AND hash < ?", (lo, hi)
                ).fetchall()
                path = self.records / f"{shard_name(index, bits)}.json"
                if entries:
                    written += write_atomic(path, shard_bytes(entries))
                elif path.exists():
                    path.unlink()
                    written += 1
        write_atomic(self.records / INDEX_FILE, dump_json(layout_document(self.params, bits)))
        self.conn.executescript("BEGIN; DELETE FROM pending; COMMIT;")
        self._set_meta("materialized", str(bits))
        return written

    def _write_all(self, bits: int, workers: int) -> int:
        count = 1 << bits
        parts = min(count, max(1, workers) * 8)
        cuts = [count * i // parts for i in range(parts + 1)]
        jobs = [(str(self.folder), bits, a, b) for a, b in itertools.pairwise(cuts)]
        keep = {INDEX_FILE}
        written = 0
        for names, n in fork_imap(_write_range, jobs, workers=workers if count >= 64 else 1):
            keep.update(names)
            written += n
        for stale in os.scandir(self.records):
            if stale.name not in keep:
                os.unlink(stale.path)
        return written

    def link_into(self, out: Path) -> int:
        """Hard-link every shard file into `out` (copy across file systems); files of `out`
        that are not shards of this state are removed. Shards are replaced, never written in
        place, so a site linked earlier keeps its own."""
        out.mkdir(parents=True, exist_ok=True)
        names = set()
        for entry in os.scandir(self.records):
            if not entry.name.endswith(".json"):
                continue
            names.add(entry.name)
            target = out / entry.name
            tmp = out / f".{entry.name}.link"
            try:
                os.link(entry.path, tmp)
            except OSError:
                tmp.write_bytes(Path(entry.path).read_bytes())
            os.replace(tmp, target)
        for old in os.scandir(out):
            if old.is_file() and old.name not in names:
                os.unlink(old.path)  # another layout's files (r/<hash>.json of version 1)
        return len(names)


def _write_range(job: tuple[str, int, int, int]) -> tuple[list[str], int]:
    """Write shards [first, end) from the manifest (in a worker: a connection of its own)."""
    folder, bits, first, end = job
    lo = shard_range(first, bits)[0]
    hi = shard_range(end - 1, bits)[1]
    conn = connect(Path(folder) / "state.sqlite3", readonly=True)
    names: list[str] = []
    written = 0
    shard = -1
    entries: list[tuple[bytes, bytes]] = []

    def flush() -> None:
        nonlocal written
        name = f"{shard_name(shard, bits)}.json"
        names.append(name)
        written += write_atomic(Path(folder) / SITE_RECORDS / name, shard_bytes(entries))

    try:
        rows = conn.execute(
            "SELECT hash, tag, entry FROM published WHERE hash >= ? AND hash < ? ORDER BY hash",
            (lo, hi),
        )
        for h, tag, entry in rows:
            index = shard_index(h, bits)
            if index != shard and entries:
                flush()
                entries = []
            shard = index
            entries.append((tag, entry))
        if entries:
            flush()
    finally:
        conn.close()
    return names, written
