"""Publishing the records into the shard layout (lookup.py), streaming and incremental.

1. List the record files with their size and mtime, and compare them with the manifest of the
   last publish (`_state.PublishedState`): only new, changed or removed files, and files signed
   by a key whose registry entry changed, are read again.
2. Forked workers read each of those files, verify it (skipped on a hit in the verification
   cache, keyed by the SHA-256 of its bytes), derive its slow look-up key (skipped on a hit in
   the key cache) and seal its entry. At most a few chunks are in flight, so memory stays flat
   however many records there are.
3. In one transaction: the manifest takes the new entries and loses the removed ones; duplicate
   numbers + names and the status-list and clock checks of every record (cheap, from the
   manifest) are checked; any failure rolls everything back and lists every failing file.
4. The shards whose records changed are rewritten (all of them when their number changes), then
   hard-linked into the site.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import segno

from generator.credentials._files import write_atomic
from generator.credentials._parallel import batched, fork_imap
from generator.credentials.formats._time import parse_timestamp
from generator.credentials.formats.lookup import LookupParams, master_key, seal, shard_bits
from generator.credentials.formats.verify import Trust, Verdict, status_result, verification_result
from generator.credentials.issuing.errors import PrivateKeyInTreeError
from generator.credentials.issuing.keys import (
    PRIVATE_KEY_MARKERS,
    PRIVATE_KEY_SUFFIXES,
    find_private_key_files,
)
from generator.credentials.paths import CERTIFICATES_DIR, certificates_dir
from generator.credentials.publishing._cache import (
    CACHE_FILE,
    Checked,
    RecordCache,
    close_reader,
    key_token,
    reader,
)
from generator.credentials.publishing._state import STATE_DIR, PublishedState, Row
from generator.credentials.publishing.errors import PublishError
from generator.models import IssuedCount

# Verdicts of genuine records: published so that the page can say "revoked" or "not yet valid".
PUBLISHABLE = frozenset({Verdict.VALID, Verdict.CERTIFICATE_REVOKED, Verdict.NOT_YET_VALID})
CHUNK = 256  # records per task sent to a worker
FLUSH_EVERY = 64 * CHUNK  # cache entries written per commit
QR_DIR = "qr"  # under the cache folder: QR images of verify links, for printing


@dataclass(frozen=True)
class ShardReport:
    records: int
    revoked: int
    not_yet_valid: int
    read: int  # files read this time (new, changed, or signed by a key whose entry changed)
    verified: int  # of those, verified anew (the others were in the verification cache)
    derived: int  # look-up keys derived anew (the others were in the key cache)
    removed: int
    qr_codes: int
    shards: int
    shards_written: int
    shard_bits: int
    issued: tuple[IssuedCount, ...] = ()  # per certificate, issue year and level


@dataclass(frozen=True)
class _Job:
    repo_root: Path
    trust: Trust
    now: dt.datetime
    params: LookupParams
    cache_path: Path
    tokens: dict[str, str]
    site_url: str | None
    qr_dir: Path


def verify_link(record_hash: str, *, site_url: str) -> str:
    """The link printed on a certificate; it carries the record hash, never the name."""
    return f"{site_url.rstrip('/')}/verify/#r={record_hash}"


def write_qr(path: Path, link: str) -> None:
    # A fixed mask skips segno's mask evaluation (6x faster); every reader decodes any mask.
    buffer = io.BytesIO()
    segno.make_qr(link, error="m", mask=0).save(buffer, kind="svg", xmldecl=False, scale=4)
    write_atomic(path, buffer.getvalue())


# Set in the parent before the workers fork, so each worker has it without pickling.
_JOB: _Job | None = None


def record_files(
    repo_root: Path, *, skip: frozenset[str] = frozenset()
) -> Iterator[tuple[str, int, int]]:
    """(path relative to the repository, size, mtime_ns) of `certificates/<org>/*.json`."""
    base = certificates_dir(repo_root)
    if not base.is_dir():
        return
    for org in sorted(os.scandir(base), key=lambda e: e.name):
        if not org.is_dir() or org.name in skip:
            continue
        for entry in os.scandir(org.path):
            if entry.name.endswith(".json") and entry.is_file():
                st = entry.stat()
                yield f"{CERTIFICATES_DIR}/{org.name}/{entry.name}", st.st_size, st.st_mtime_ns


def _holds_key(head: bytes) -> bool:
    return any(m in head for m in PRIVATE_KEY_MARKERS)


def key_files_beside_records(repo_root: Path, *, skip: frozenset[str] = frozenset()) -> list[Path]:
    """Private key files under `certificates/`, apart from the record files themselves (those
    are looked at as publishing reads them: a new or changed one is read anyway, an unchanged
    one was looked at when it was read). Reading a million record files' heads at every build
    just for this would cost more than the rest of an incremental build."""
    base = certificates_dir(repo_root)
    found: list[Path] = []
    if not base.is_dir():
        return found

    def check_file(path: Path) -> None:
        if path.name.endswith(PRIVATE_KEY_SUFFIXES):
            found.append(path)
            return
        try:
            with path.open("rb") as f:
                head = f.read(4096)
        except OSError:
            return
        if _holds_key(head):
            found.append(path)

    for entry in os.scandir(base):
        path = Path(entry.path)
        if not entry.is_dir():
            check_file(path)
        elif entry.name in skip:
            found += find_private_key_files(path)
        else:
            for inner in os.scandir(entry.path):
                if inner.is_dir():
                    found += find_private_key_files(Path(inner.path))
                elif not (inner.name.endswith(".json") and inner.is_file()):
                    check_file(Path(inner.path))
    return sorted(found)


def _epoch(timestamp: str) -> int:
    return int(parse_timestamp(timestamp).timestamp())


def _seal_chunk(files: list[tuple[str, int, int]]) -> list[tuple[object, ...]]:
    """Read, verify (unless cached), derive the key (unless cached) and seal each file.
    Returns ("fail", path, why), ("key", path) for a private key file, or
    ("ok", manifest row, new cache row, new master, qr made)."""
    job = _JOB
    assert job is not None
    cache = reader(job.cache_path)
    out: list[tuple[object, ...]] = []
    for rel, size, mtime_ns in files:
        try:
            data = (job.repo_root / rel).read_bytes()
        except OSError as e:
            out.append(("fail", rel, f"unreadable: {e.strerror}"))
            continue
        if _holds_key(data[:4096]):
            out.append(("key", rel))
            continue
        content = hashlib.sha256(data).digest()
        checked = cache.checked(content)
        new_check = None
        if checked is None or job.tokens.get(checked.key) != checked.key_token:
            result = verification_result(data, trust=job.trust, now=job.now)
            if result.verdict not in PUBLISHABLE:
                out.append(("fail", rel, f"{result.verdict}: {result.message}"))
                continue
            assert result.record and result.key and result.proof_created
            checked = Checked(
                key=result.key.public_key_multibase,
                key_token=job.tokens[result.key.public_key_multibase],
                hash=result.record.hash,
                list_id=result.record.status_list,
                list_index=result.record.status_index,
                valid_from=_epoch(result.record.valid_from),
                created=_epoch(result.proof_created),
                certificate=result.record.certificate,
                level=result.record.level,
                issue_date=result.record.issue_date,
            )
            new_check = checked.row(content)
        master = cache.master(checked.hash, job.params.cache_key)
        new_master = None
        if master is None:
            master = master_key(checked.hash, job.params)
            new_master = (checked.hash, job.params.cache_key, master)
        tag, entry = seal(master, data)
        qr = False
        if job.site_url:
            target = job.qr_dir / Path(rel).relative_to(CERTIFICATES_DIR).with_suffix(".svg")
            write_qr(target, verify_link(checked.hash, site_url=job.site_url))
            qr = True
        row: Row = (
            rel,
            size,
            mtime_ns,
            content,
            checked.key,
            checked.key_token,
            checked.list_id,
            checked.list_index,
            checked.valid_from,
            checked.created,
            checked.hash,
            tag,
            entry,
            checked.certificate,
            checked.level,
            checked.issue_date,
        )
        out.append(("ok", row, new_check, new_master, qr))
    return out


def publish_shards(
    *,
    repo_root: Path,
    records_dir: Path,
    trust: Trust,
    now: dt.datetime,
    workers: int,
    params: LookupParams,
    cache_dir: Path,
    site_url: str | None,
    skip_orgs: frozenset[str] = frozenset(),
    failures: list[tuple[str, str]] | None = None,
) -> ShardReport:
    """Bring the shards in line with the record files and link them into `records_dir`;
    raises PublishError, publishing nothing, when any record fails (or `failures`, what failed
    before, e.g. status lists, is not empty)."""
    global _JOB
    registry = trust.registry
    tokens = {
        k.public_key_multibase: key_token(k, registry)
        for org in registry.organizations
        for k in org.keys
    }
    cache = RecordCache(cache_dir / CACHE_FILE)
    state = PublishedState(cache_dir / STATE_DIR, params=params, site_url=site_url)
    try:
        to_read, removed = state.plan(record_files(repo_root, skip=skip_orgs), tokens)
        _JOB = _Job(
            repo_root,
            trust,
            now,
            params,
            cache_dir / CACHE_FILE,
            tokens,
            site_url,
            cache_dir / QR_DIR,
        )
        failures = list(failures or [])
        state.begin()
        try:
            read = _read_changed(state, cache, workers=workers if to_read >= 2 * CHUNK else 1)
            failures += read.failures
            if read.keys:
                raise PrivateKeyInTreeError(sorted(read.keys))
            state.drop_gone()
            for paths in state.duplicates():
                failures += [(p, f"same number and name as {paths[0]}") for p in paths[1:]]
            counts, issued = _check_status(state, trust, now, failures)
            if failures:
                raise PublishError(sorted(failures))
            total = state.count()
            bits = shard_bits(total)
            state.commit(bits)
        except BaseException:
            state.rollback()
            raise
        written = state.materialize(workers=workers)
        shards = state.link_into(records_dir)
        return ShardReport(
            records=total,
            revoked=counts[Verdict.CERTIFICATE_REVOKED],
            not_yet_valid=counts[Verdict.NOT_YET_VALID],
            read=to_read,
            verified=read.verified,
            derived=read.derived,
            removed=removed,
            qr_codes=read.qr_codes,
            shards=shards - 1,  # not r/index.json
            shards_written=written,
            shard_bits=bits,
            issued=issued,
        )
    finally:
        _JOB = None
        close_reader()
        state.close()
        cache.close()


@dataclass
class _Read:
    failures: list[tuple[str, str]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # private key files found among the records
    verified: int = 0
    derived: int = 0
    qr_codes: int = 0


def _read_changed(state: PublishedState, cache: RecordCache, *, workers: int) -> _Read:
    """Read, verify, derive and seal the files the plan names (in workers), writing the manifest
    rows and the new cache entries as they come."""
    out = _Read()
    unflushed = 0
    for results in fork_imap(_seal_chunk, batched(state.todo(), CHUNK), workers=workers):
        rows, checks, masters = [], [], []
        for result in results:
            if result[0] == "fail":
                out.failures.append((str(result[1]), str(result[2])))
            elif result[0] == "key":
                out.keys.append(str(result[1]))
            else:
                _, row, check, master, qr = result
                rows.append(row)
                if check is not None:
                    checks.append(check)
                if master is not None:
                    masters.append(master)
                out.qr_codes += bool(qr)
        state.put(rows)  # type: ignore[arg-type]
        cache.remember(checks, masters)  # type: ignore[arg-type]
        out.verified += len(checks)
        out.derived += len(masters)
        unflushed += len(checks) + len(masters)
        if unflushed >= FLUSH_EVERY:
            cache.flush()
            unflushed = 0
    return out


def _check_status(
    state: PublishedState, trust: Trust, now: dt.datetime, failures: list[tuple[str, str]]
) -> tuple[dict[Verdict, int], tuple[IssuedCount, ...]]:
    """The checks that depend on the status lists and the clock, for every published record;
    on the way, the records counted per certificate, issue year and level (this pass reads every
    manifest row at every build anyway, so the counts cost no extra read)."""
    counts = dict.fromkeys(PUBLISHABLE, 0)
    tally: dict[tuple[str, int, str], list[int]] = {}
    utc = dt.UTC
    for path, list_id, index, valid_from, created, cert, level, issued in state.status_rows():
        group = tally.setdefault((cert, int(issued[:4]), level), [0, 0])
        group[0] += 1
        result = status_result(
            status_list=list_id,
            status_index=index,
            valid_from=dt.datetime.fromtimestamp(valid_from, utc),
            created=dt.datetime.fromtimestamp(created, utc),
            trust=trust,
            now=now,
        )
        if result.verdict in counts:
            counts[result.verdict] += 1
            group[1] += result.verdict is Verdict.CERTIFICATE_REVOKED
        else:
            failures.append((path, f"{result.verdict}: {result.message}"))
    issued_counts = tuple(
        IssuedCount(certificate=c, year=y, level=lv, issued=n, revoked=r)
        for (c, y, lv), (n, r) in sorted(tally.items())
    )
    return counts, issued_counts
