"""Publishing sealed batches: verify each one, then merge their entries into the site's shards.

The build never sees a plaintext record and derives no key: an entry is already sealed under the
key that only the record's number and name give. For each batch manifest
(`<org>/batches/<id>.json` under `certificates/` or a configured folder), new or changed since
the last build, the build checks

- the manifest's form and its Data Integrity proof: a key of the batch's organization in the
  registry, valid at the proof's time (not retired, not revoked before it);
- that its folder is its organization's and its look-up KDF the site's;
- the entries file against the signed SHA-256, size and count, every tag and entry well formed,
  tags sorted and none repeated, here or in any other batch;
- that the status lists the batch uses exist.

Any failure rolls everything back and stops the build naming every failing file. Then the
shards whose entries changed are rewritten: a shard is the set of entries whose tags begin with
the same `bits` bits (`r/<shard>.json`, 32-64 entries on average), so a shard says nothing of a
record but how many share its first tag bits.

`.xcert-cache/sealed/state.sqlite3` keeps, per batch, its file's size, mtime and what its check
established (a registry change re-checks the proofs only), and per entry its tag, batch and
bytes; `.xcert-cache/sealed/r/` the shard files, hard-linked into each new site.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import itertools
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.credentials._files import write_atomic
from generator.credentials._parallel import fork_imap
from generator.credentials.formats.batch import (
    BATCHES_DIR,
    MANIFEST_SUFFIX,
    BatchError,
    BatchManifest,
    read_entries,
    verify_manifest,
)
from generator.credentials.formats.errors import StatusListError
from generator.credentials.formats.jsontext import JSONTextError, dump_json, parse_json
from generator.credentials.formats.record import record_hash
from generator.credentials.formats.registry import Registry
from generator.credentials.formats.sealing import (
    LookupParams,
    b64url,
    entry_keys,
    master_key,
    open_entry,
    unb64url,
)
from generator.credentials.formats.verify import Trust
from generator.credentials.publishing._cache import connect, key_token
from generator.credentials.publishing.errors import PublishError
from generator.models import IssuedCount

LAYOUT_VERSION = 3
STATE_DIR = "sealed"
INDEX_FILE = "index.json"
SHARD_TARGET = 64  # entries per shard at most, on average (about 1 KB each)
# Entries in insertion order (rowid), found by tag through the index: a batch's kilobyte-sized
# entries are appended, not inserted at random places of a tree keyed by random tags.
_SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS batches (
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  key TEXT NOT NULL,
  key_token TEXT NOT NULL,
  records INTEGER NOT NULL,
  groups TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (tag BLOB NOT NULL, batch TEXT NOT NULL, entry BLOB NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS entries_tag ON entries (tag);
CREATE INDEX IF NOT EXISTS entries_batch ON entries (batch);
CREATE TABLE IF NOT EXISTS pending (shard INTEGER PRIMARY KEY);
"""


@dataclass(frozen=True)
class BatchReport:
    records: int
    revoked: int
    batches: int
    batches_read: int  # manifests and entries read and checked this time
    removed: int  # batches gone since the last build
    shards: int
    shards_written: int
    shard_bits: int
    issued: tuple[IssuedCount, ...] = ()


@dataclass(frozen=True)
class BatchSource:
    """A folder laid out as `<org>/batches/<id>.json` + `.entries`; `label` prefixes its paths
    in messages and in the state (the repository's is `certificates`)."""

    folder: Path
    label: str


def shard_bits(count: int) -> int:
    """The fewest bits keeping shards at SHARD_TARGET entries or fewer on average. It changes
    only when the count doubles, so adding a batch rewrites few shards."""
    bits = 0
    while count > SHARD_TARGET << bits:
        bits += 1
    return bits


def shard_index(tag: bytes, bits: int) -> int:
    return int.from_bytes(tag[:4], "big") >> (32 - bits) if bits else 0


def shard_name(index: int, bits: int) -> str:
    """`r/<name>.json`: the index in hex, ceil(bits / 4) digits (at least one)."""
    return f"{index:0{max(1, (bits + 3) // 4)}x}"


def _tag_range(index: int, bits: int) -> tuple[bytes, bytes | None]:
    if bits == 0:
        return b"", None
    lo = index << (32 - bits)
    hi = (index + 1) << (32 - bits)
    return lo.to_bytes(4, "big"), (hi.to_bytes(4, "big") if hi < 2**32 else None)


def shard_bytes(entries: list[tuple[bytes, bytes]]) -> bytes:
    """A shard file: one JSON object, tag → entry (base64url), one entry per line."""
    lines = [f'"{b64url(tag)}":"{b64url(entry)}"' for tag, entry in sorted(entries)]
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("ascii")


def layout_document(params: LookupParams, bits: int) -> dict[str, object]:
    """r/index.json: how the page derives the key, the tag and the shard."""
    return {"version": LAYOUT_VERSION, "kdf": params.to_json(), "shardBits": bits}


def batch_manifests(
    source: BatchSource, skip_orgs: frozenset[str]
) -> Iterator[tuple[str, Path, int, int]]:
    """(label path, path, size, mtime_ns) of every manifest in the source."""
    if not source.folder.is_dir():
        return
    for org in sorted(os.scandir(source.folder), key=lambda e: e.name):
        if not org.is_dir() or org.name in skip_orgs:
            continue
        folder = Path(org.path) / BATCHES_DIR
        if not folder.is_dir():
            continue
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.endswith(MANIFEST_SUFFIX) and entry.is_file():
                st = entry.stat()
                label = f"{source.label}/{org.name}/{BATCHES_DIR}/{entry.name}"
                yield label, Path(entry.path), st.st_size, st.st_mtime_ns


class _State:
    def __init__(self, folder: Path, params: LookupParams) -> None:
        self.folder = folder
        self.records = folder / "r"
        self.records.mkdir(parents=True, exist_ok=True)
        self._lock = (folder / "lock").open("w")
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        self.conn = connect(folder / "state.sqlite3")
        self.conn.execute("PRAGMA cache_size=-65536")
        if self.conn.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA_VERSION:
            self.conn.executescript(
                "DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS batches;"
                " DROP TABLE IF EXISTS entries; DROP TABLE IF EXISTS pending;"
                f" {_SCHEMA} PRAGMA user_version={_SCHEMA_VERSION};"
            )
        self.params = params
        if self.meta("setting") != params.cache_key:
            self.conn.executescript(
                "BEGIN; DELETE FROM batches; DELETE FROM entries; DELETE FROM pending; COMMIT;"
            )
            self.set_meta("setting", params.cache_key)
            self.set_meta("bits", "-1")

    def close(self) -> None:
        self.conn.close()
        self._lock.close()

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def known(self) -> dict[str, tuple[int, int, str, str]]:
        return {
            p: (s, m, k, t)
            for p, s, m, k, t in self.conn.execute(
                "SELECT path, size, mtime_ns, key, key_token FROM batches"
            )
        }


@dataclass
class _Checks:
    registry: Registry
    tokens: dict[str, str]
    params: LookupParams
    failures: list[tuple[str, str]]


def _load_manifest(label: str, path: Path, checks: _Checks) -> tuple[BatchManifest, str] | None:
    """The verified manifest and its key, or None with the failure noted."""
    try:
        manifest, key = verify_manifest(parse_json(path.read_bytes()), registry=checks.registry)
    except (OSError, JSONTextError, BatchError) as e:
        checks.failures.append((label, str(e)))
        return None
    org = path.parent.parent.name
    if manifest.organization != org:
        checks.failures.append((label, f"a batch of {manifest.organization} in {org}'s folder"))
        return None
    if path.name != manifest.batch_id + MANIFEST_SUFFIX:
        checks.failures.append((label, f"holds batch {manifest.batch_id}"))
        return None
    if manifest.params != checks.params:
        checks.failures.append(
            (
                label,
                f"look-up KDF {manifest.params.cache_key}, the site uses "
                + checks.params.cache_key,
            )
        )
        return None
    return manifest, key.public_key_multibase


def _groups_json(manifest: BatchManifest) -> str:
    return json.dumps(
        [g.to_json() for g in manifest.groups], separators=(",", ":"), ensure_ascii=False
    )


def _read_batch(
    state: _State,
    label: str,
    path: Path,
    size: int,
    mtime_ns: int,
    checks: _Checks,
    entries_needed: bool,
) -> bool:
    """Check one batch and put it into the state (inside the open transaction)."""
    loaded = _load_manifest(label, path, checks)
    if loaded is None:
        return False
    manifest, key = loaded
    c = state.conn
    if entries_needed:
        c.execute("INSERT INTO temp.touched VALUES (?)", (label,))
        _note_pending(state, "SELECT ?", (label,))  # where its old entries were, if any
        c.execute("DELETE FROM entries WHERE batch = ?", (label,))
        try:
            pairs = read_entries(path.with_name(manifest.entries_file), manifest)
            for chunk in _chunks(pairs, 4096):
                _insert(c, label, chunk, checks)
        except BatchError as e:
            checks.failures.append((label, f"{manifest.entries_file}: {e}"))
            return False
    c.execute(
        "INSERT OR REPLACE INTO batches VALUES (?, ?, ?, ?, ?, ?, ?)",
        (label, size, mtime_ns, key, checks.tokens[key], manifest.records, _groups_json(manifest)),
    )
    return True


def _chunks(pairs: Iterator[tuple[bytes, bytes]], size: int) -> Iterator[list[tuple[bytes, bytes]]]:
    while chunk := list(itertools.islice(pairs, size)):
        yield chunk


def _insert(
    c: sqlite3.Connection, label: str, chunk: list[tuple[bytes, bytes]], checks: _Checks
) -> None:
    try:
        c.executemany("INSERT INTO entries VALUES (?, ?, ?)", [(t, label, e) for t, e in chunk])
    except sqlite3.IntegrityError:
        for tag, entry in chunk:
            other = c.execute("SELECT batch FROM entries WHERE tag = ?", (tag,)).fetchone()
            if other is not None and other[0] != label:
                raise BatchError(
                    f"entry {b64url(tag)} is published already by {other[0]}"
                ) from None
            c.execute("INSERT OR IGNORE INTO entries VALUES (?, ?, ?)", (tag, label, entry))


def _plan(
    state: _State, found: list[tuple[str, Path, int, int]], tokens: dict[str, str]
) -> tuple[list[tuple[str, Path, int, int, bool]], list[str]]:
    """What to read again (with whether its entries are needed) and which batches are gone."""
    known = state.known()
    todo = []
    for label, path, size, mtime_ns in found:
        before = known.get(label)
        if before is None or before[:2] != (size, mtime_ns):
            todo.append((label, path, size, mtime_ns, True))
        elif tokens.get(before[2]) != before[3]:
            todo.append((label, path, size, mtime_ns, False))  # the proof only
    here = {f[0] for f in found}
    return todo, sorted(set(known) - here)


def _count(
    state: _State, trust: Trust, failures: list[tuple[str, str]]
) -> tuple[int, tuple[IssuedCount, ...]]:
    """Records per certificate, issue year and level, from the batches' signed counts; the
    revoked ones from the status lists (a missing list fails the batch)."""
    tally: dict[tuple[str, int, str], list[int]] = {}
    revoked_total = 0
    for label, groups in state.conn.execute("SELECT path, groups FROM batches"):
        for g in json.loads(groups):
            row = tally.setdefault((g["certificate"], g["year"], g["level"]), [0, 0])
            row[0] += g["records"]
            for part in g["status"]:
                try:
                    status = trust.status_list(part["list"])
                except StatusListError as e:
                    failures.append((label, f"status list {part['list']}: {e}"))
                    continue
                n = sum(1 for i in part["indexes"] if status.is_revoked(i))
                row[1] += n
                revoked_total += n
    counts = tuple(
        IssuedCount(certificate=c, year=y, level=lv, issued=n, revoked=r)
        for (c, y, lv), (n, r) in sorted(tally.items())
    )
    return revoked_total, counts


def publish_batches(
    *,
    sources: list[BatchSource],
    records_dir: Path,
    trust: Trust,
    params: LookupParams,
    cache_dir: Path,
    workers: int,
    skip_orgs: frozenset[str] = frozenset(),
    failures: list[tuple[str, str]] | None = None,
    now: dt.datetime | None = None,
) -> BatchReport:
    """Bring the shards in line with the batches and link them into `records_dir`; raises
    PublishError, publishing nothing, when any batch fails (or `failures` is not empty)."""
    registry = trust.registry
    tokens = {
        k.public_key_multibase: key_token(k, registry)
        for o in registry.organizations
        for k in o.keys
    }
    checks = _Checks(registry, tokens, params, list(failures or []))
    state = _State(cache_dir / STATE_DIR, params)
    try:
        found = [m for s in sources for m in batch_manifests(s, skip_orgs)]
        todo, gone = _plan(state, found, tokens)
        c = state.conn
        c.execute("DROP TABLE IF EXISTS temp.touched")
        c.execute("CREATE TEMP TABLE touched (batch TEXT)")
        c.execute("BEGIN IMMEDIATE")
        try:
            for label in gone:
                c.execute("INSERT INTO temp.touched VALUES (?)", (label,))
            _note_pending(state, "SELECT batch FROM temp.touched")  # the old entries' shards
            for label in gone:
                c.execute("DELETE FROM entries WHERE batch = ?", (label,))
                c.execute("DELETE FROM batches WHERE path = ?", (label,))
            read = sum(_read_batch(state, *item[:4], checks, item[4]) for item in todo)
            revoked, issued = _count(state, trust, checks.failures)
            if checks.failures:
                raise PublishError(sorted(checks.failures))
            total = int(c.execute("SELECT count(*) FROM entries").fetchone()[0])
            bits = shard_bits(total)
            if bits != int(state.meta("bits") or -1):
                state.set_meta("bits", str(bits))
                state.set_meta("materialized", "-1")
            else:
                _note_pending(state, "SELECT batch FROM temp.touched")
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        written = _materialize(state, bits, workers)
        shards = _link_into(state.records, records_dir)
        return BatchReport(
            records=total,
            revoked=revoked,
            batches=len(found),
            batches_read=read,
            removed=len(gone),
            shards=shards - 1,
            shards_written=written,
            shard_bits=bits,
            issued=issued,
        )
    finally:
        state.close()


def _note_pending(state: _State, batches_query: str, args: tuple[str, ...] = ()) -> None:
    """Note the shards holding the entries of the batches the query names."""
    bits = int(state.meta("bits") or -1)
    if bits < 0:
        return
    rows = state.conn.execute(
        f"SELECT DISTINCT substr(tag, 1, 4) FROM entries WHERE batch IN ({batches_query})", args
    ).fetchall()
    state.conn.executemany(
        "INSERT OR IGNORE INTO pending VALUES (?)",
        {(shard_index(bytes(t), bits),) for (t,) in rows},
    )


def _materialize(state: _State, bits: int, workers: int) -> int:
    written = 0
    if state.meta("materialized") != str(bits):
        written = _write_all(state, bits, workers)
    else:
        pending = state.conn.execute("SELECT shard FROM pending ORDER BY shard").fetchall()
        for (index,) in pending:
            lo, hi = _tag_range(index, bits)
            query = "SELECT tag, entry FROM entries WHERE tag >= ?"
            args: tuple[bytes, ...] = (lo,)
            if hi is not None:
                query += " AND tag < ?"
                args = (lo, hi)
            entries = [(bytes(t), bytes(e)) for t, e in state.conn.execute(query, args)]
            path = state.records / f"{shard_name(index, bits)}.json"
            if entries:
                written += write_atomic(path, shard_bytes(entries))
            elif path.exists():
                path.unlink()
                written += 1
    write_atomic(state.records / INDEX_FILE, dump_json(layout_document(state.params, bits)))
    state.conn.executescript("BEGIN; DELETE FROM pending; COMMIT;")
    state.set_meta("materialized", str(bits))
    return written


def _write_all(state: _State, bits: int, workers: int) -> int:
    count = 1 << bits
    parts = min(count, max(1, workers) * 8)
    cuts = [count * i // parts for i in range(parts + 1)]
    jobs = [(str(state.folder), bits, a, b) for a, b in itertools.pairwise(cuts)]
    keep = {INDEX_FILE}
    written = 0
    for names, n in fork_imap(_write_range, jobs, workers=workers if count >= 64 else 1):
        keep.update(names)
        written += n
    for stale in os.scandir(state.records):
        if stale.name not in keep:
            os.unlink(stale.path)
    return written


def _write_range(job: tuple[str, int, int, int]) -> tuple[list[str], int]:
    """Write shards [first, end) (in a worker: a connection of its own)."""
    folder, bits, first, end = job
    lo = _tag_range(first, bits)[0]
    hi = _tag_range(end - 1, bits)[1]
    conn = connect(Path(folder) / "state.sqlite3", readonly=True)
    names: list[str] = []
    written = 0
    shard = -1
    entries: list[tuple[bytes, bytes]] = []

    def flush() -> None:
        nonlocal written
        name = f"{shard_name(shard, bits)}.json"
        names.append(name)
        written += write_atomic(Path(folder) / "r" / name, shard_bytes(entries))

    try:
        query = "SELECT tag, entry FROM entries WHERE tag >= ?"
        args: tuple[bytes, ...] = (lo,)
        if hi is not None:
            query += " AND tag < ?"
            args = (lo, hi)
        for tag, entry in conn.execute(query + " ORDER BY tag", args):
            index = shard_index(bytes(tag), bits)
            if index != shard and entries:
                flush()
                entries = []
            shard = index
            entries.append((bytes(tag), bytes(entry)))
        if entries:
            flush()
    finally:
        conn.close()
    return names, written


def _link_into(src: Path, out: Path) -> int:
    """Hard-link every shard into `out` (copy across file systems); other files of `out` go.
    Shards are replaced, never written in place, so a site linked earlier keeps its own."""
    out.mkdir(parents=True, exist_ok=True)
    names = set()
    for entry in os.scandir(src):
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
            os.unlink(old.path)
    return len(names)


def find_record(site_dir: Path, *, number: str, name: str) -> bytes | None:
    """What the verify page does for a number + name: the record's bytes, or None."""
    folder = site_dir / "r"
    try:
        layout = json.loads((folder / INDEX_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    params = LookupParams.from_json(layout["kdf"])
    bits = int(layout["shardBits"])
    master = master_key(record_hash(number=number, name=name), params)
    tag = entry_keys(master).tag
    try:
        name = shard_name(shard_index(tag, bits), bits)
        shard = json.loads((folder / f"{name}.json").read_text())
    except FileNotFoundError:
        return None
    entry = shard.get(b64url(tag))
    return open_entry(master, unb64url(entry)) if entry is not None else None
