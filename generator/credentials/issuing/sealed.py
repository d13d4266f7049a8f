"""Issuing a batch: CSV → signed records in the private store + a sealed, signed batch for the
repository. The slow look-up key of every record is derived here, once, on all cores.

1. Every row is checked first (issue.BatchReader, reading the CSV row by row); one bad row and
   nothing is written.
2. The CSV is read again; status-list positions are drawn at random among the organization's
   free ones (the store's batches say which are taken), a batch's worth at a time, so neither
   the list nor the batch shows the order of issue.
3. Forked workers sign each record, write it and the holder's files to the store's staging
   folder, derive its look-up key (the slow KDF) and seal it; a progress bar counts the records.
4. The sealed entries stream into batches of at most `batch_size` records (batch_writer.py:
   sorted by tag, signed manifest), in the staging folder; one rename commits the run to the
   store; its repository files are then copied into `certificates/<org>/`
   (store.publish_to_repo). See store.py for what a killed run leaves.

Memory does not grow with the number of rows: one row, a window of records in flight, and one
batch's index of tags are held at a time (plus the set of certificate numbers, to refuse a
number given twice).

Running the same CSV again after a completed (or committed) run issues nothing new: it finishes
the copy into the repository if need be and says which batch holds the rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import shutil
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from generator.china_time import today_in_china
from generator.credentials._catalogue import CatalogueLike
from generator.credentials._files import write_atomic
from generator.credentials._parallel import batched, fork_imap
from generator.credentials.formats._time import format_utc
from generator.credentials.formats.batch import BATCHES_DIR
from generator.credentials.formats.errors import StatusListError
from generator.credentials.formats.jsontext import JSONTextError, dump_json, parse_json
from generator.credentials.formats.multibase import decode_public_multikey
from generator.credentials.formats.proof import (
    ProofFormatError,
    add_proof,
    parse_proof,
    signature_matches,
)
from generator.credentials.formats.proof import ProofSigner as Signer
from generator.credentials.formats.record import (
    HASH_HEX_LENGTH,
    Achievement,
    CertificateRecord,
    RecordFormatError,
    build_record,
    parse_record,
)
from generator.credentials.formats.registry import Registry
from generator.credentials.formats.sealing import LookupParams, b64url, master_key, seal
from generator.credentials.formats.site import Site
from generator.credentials.formats.status import (
    LIST_LENGTH,
    StatusList,
    decode_bits,
    parse_status_list_id,
    status_entry,
)
from generator.credentials.issuing import qr
from generator.credentials.issuing.achievement import achievement_for
from generator.credentials.issuing.batch_writer import (
    BATCH_RECORDS,
    SCRATCH,
    BatchWriter,
    Group,
    Slot,
    new_batch_id,
)
from generator.credentials.issuing.errors import SigningKeyError
from generator.credentials.issuing.holder import (
    Card,
    chinese_date,
    holder_files,
    link_prefix,
    verify_link,
)
from generator.credentials.issuing.issue import BatchReader, BatchRules, IssueRow
from generator.credentials.issuing.keyops import current_org_key
from generator.credentials.issuing.store import (
    HOLDER,
    RECORDS,
    REPO,
    SOURCE,
    Store,
    StoredBatch,
    file_digest,
    publish_to_repo,
)
from generator.credentials.paths import org_dir, repo_status_path

CHUNK = 16  # records per task: at ~12 ms of KDF each, a fifth of a second of work per message
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_NEW_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
QR_BASIS_FROM = 500  # records from which the QR basis (0.25 s) costs less than it saves (1 ms each)


@dataclass
class SealReport:
    organization: str
    batch: StoredBatch  # the run in the store (one or more sealed batches)
    records: int
    manifests: list[Path]  # in the repository, one per sealed batch
    status_lists: list[Path] = field(default_factory=list)
    already: bool = False  # the CSV had been issued before: nothing new was made
    recovered: list[StoredBatch] = field(default_factory=list)


@dataclass(frozen=True)
class _Job:
    signer: Signer
    method: str  # the verification method: the organization's DID # the key's id
    registry: Registry
    org: str
    issuer_name: str
    created: str
    staging: Path
    achievements: dict[tuple[str, str], Achievement]
    params: LookupParams
    site_url: str | None
    png: bool

    @property
    def site(self) -> Site:
        return self.registry.site


# Set in the parent before the workers fork: they inherit the signer instead of receiving it.
_JOB: _Job | None = None

Sealed = tuple[str, bytes, Group, Slot]  # tag (base64url), entry, group, slot
# A CSV row with its status position, to sign; or a signed record file, to move into the store.
Item = tuple[IssueRow, Slot] | Path


def used_positions(store: Store, org: str, repo_root: Path) -> dict[int, set[int]]:
    """Status positions taken: by the organization's batches in the store, and any position
    already set in its status lists in the repository (a record issued there would be born
    revoked)."""
    used: dict[int, set[int]] = {}
    for batch in store.batches(org):
        for group in (g for m in batch.manifests() for g in m.groups):
            for list_id, indexes in group.status:
                ids = parse_status_list_id(list_id)
                if ids is not None:
                    used.setdefault(ids[1], set()).update(indexes)
    for path in repo_status_path(repo_root, org, 1).parent.glob("*.json"):
        try:
            doc = parse_json(path.read_bytes())
            bits = decode_bits(doc["credentialSubject"]["encodedList"])
        except (JSONTextError, StatusListError, KeyError, TypeError, ValueError):
            continue  # the build reports a broken list
        if path.stem.isdigit():
            taken = used.setdefault(int(path.stem), set())
            for at, byte in enumerate(bits):
                if byte:
                    taken.update(at * 8 + k for k in range(8) if byte & (0x80 >> k))
    return used


def allocate(used: dict[int, set[int]], count: int) -> list[Slot]:
    """`count` free positions drawn at random, filling list 1, then 2, ...; each list is
    drawn from as a whole, so an index says nothing about when it was issued."""
    rng = secrets.SystemRandom()
    slots: list[Slot] = []
    number = 1
    while len(slots) < count:
        taken = used.get(number, set())
        free = LIST_LENGTH - len(taken)
        want = min(free, count - len(slots))
        if want > 0:
            picked: set[int] = set()
            while len(picked) < want:
                if want > free // 2:  # dense: draw from the explicit free list
                    pool = [i for i in range(LIST_LENGTH) if i not in taken]
                    picked = set(rng.sample(pool, want))
                    break
                i = rng.randrange(LIST_LENGTH)
                if i not in taken:
                    picked.add(i)
            slots += [(number, i) for i in picked]
        number += 1
    rng.shuffle(slots)
    return slots


def _sign_row(job: _Job, row: IssueRow, slot: Slot) -> tuple[bytes, CertificateRecord]:
    doc = build_record(
        site=job.site,
        organization=job.org,
        issuer_name=job.issuer_name,
        holder=row.name,
        achievement=job.achievements[(row.certificate, row.level)],
        number=row.number,
        issue_date=row.issue_date,
        status=status_entry(job.site, job.org, *slot),
        exam_date=row.exam_date,
        exam_site=row.exam_site,
        national_id_masked=row.national_id_masked,
    )
    signed = add_proof(
        doc,
        signer=job.signer,
        created=job.created,
        verification_method=job.method,
        proof_set=True,
    )
    # The record is read back from the document just signed, not from its bytes: the same
    # value, without parsing the JSON again.
    return dump_json(signed), parse_record(signed, site=job.site)


def _seal_items(items: Sequence[Item]) -> list[Sealed]:
    """Per item (a CSV row and its status position to sign, or a signed record's bytes to
    move into the store): the record and the holder's files into the staging folder, and the
    sealed entry (the slow key derivation is here)."""
    job = _JOB
    assert job is not None
    out: list[Sealed] = []
    # Files are created relative to their open folders: resolving the staging path's components
    # again for each file cost more than writing it.
    records = os.open(job.staging / RECORDS, _DIR_FLAGS)
    try:
        holder = os.open(job.staging / HOLDER, _DIR_FLAGS)
    except BaseException:
        os.close(records)
        raise
    try:
        for item in items:
            out.append(_seal_item(job, item, records, holder))
    finally:
        os.close(holder)
        os.close(records)
    return out


def _seal_item(job: _Job, item: Item, records: int, holder: int) -> Sealed:
    """One item: the record into the `records` folder, the holder's files into `holder`."""
    if isinstance(item, Path):
        data, record = item.read_bytes(), _signed_record(item, job.org, job.registry)
    else:
        data, record = _sign_row(job, *item)
    _write_new(records, f"{record.number}.json", data)
    h = record.hash
    card = Card(
        holder=record.holder,
        certificate=record.certificate_name,
        level=record.level,
        organization=record.issuer_name,
        issue_date=chinese_date(record.issue_date),
        number=record.number,
        link=verify_link(h, site_url=job.site_url) if job.site_url else None,
    )
    for suffix, content in holder_files(card, data, png=job.png):
        _write_new(holder, f"{record.number}{suffix}", content)
    tag, entry = seal(master_key(h, job.params), data)
    ids = parse_status_list_id(record.status_list)
    assert ids is not None  # parse_record checked it
    group = (record.certificate, int(record.issue_date[:4]), record.level)
    return b64url(tag), entry, group, (ids[1], record.status_index)


def _write_new(folder: int, name: str, data: bytes) -> None:
    """A new file `name` in the open staging folder `folder`, by plain system calls (a buffered
    file object costs about 20 µs more a file, and issuance writes two to four files a record).
    O_EXCL: the staging folder is new, so a file already there is a number given twice."""
    fd = os.open(name, _NEW_FLAGS, 0o644, dir_fd=folder)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _signed_record(path: Path, org: str, registry: Registry) -> CertificateRecord:
    """A plaintext record to move into the store: it must be `org`'s and its proof must hold."""
    try:
        doc = parse_json(path.read_bytes())
        record = parse_record(doc, site=registry.site)
        parsed = parse_proof(doc)
        key = registry.key_for_method(parsed.verification_method)
        public = decode_public_multikey(key.public_key_multibase) if key else None
        intact = public is not None and signature_matches(parsed, public_key=public)
    except (JSONTextError, RecordFormatError, ProofFormatError) as e:
        raise SealError(f"{path}: not a readable record: {e}") from e
    if record.organization != org:
        raise SealError(f"{path}: a record of {record.organization}, not of {org}")
    if not intact:
        raise SealError(f"{path}: the signature does not match (altered)")
    return record


def issue_sealed(
    csv_path: Path,
    *,
    repo_root: Path,
    store: Store,
    org: str,
    signer: Signer,
    registry: Registry,
    catalogue: CatalogueLike,
    now: dt.datetime,
    params: LookupParams | None = None,
    workers: int = 1,
    site_url: str | None = None,
    progress: bool = False,
    png: bool = False,
    batch_size: int = BATCH_RECORDS,
) -> SealReport:
    """Check every row, then issue the rows into the store and the repository, in sealed batches
    of at most `batch_size` records (all or nothing; see the module's docstring)."""
    params = params or LookupParams()
    entry = registry.organization(org)
    if entry is None:
        raise SigningKeyError(f"organization {org!r} is not in the key registry")
    key = current_org_key(registry, signer, org, now)
    recovered = store.recover(repo_root)
    digest = file_digest(csv_path)
    done = store.find_by_source(org, digest)
    if done is not None:
        return SealReport(
            org,
            done,
            sum(m.records for m in done.manifests()),
            _repo_manifests(repo_root, done),
            already=True,
            recovered=recovered,
        )
    rules = BatchRules(org, catalogue, entry.demo, store.issued_numbers(), today_in_china(now))
    reader = BatchReader(csv_path, rules)
    summary = reader.check()
    items = _with_slots(
        reader.rows(), used_positions(store, org, repo_root), summary.rows, batch_size
    )
    batch, count, new_lists = _make_batch(
        _Batch(
            store, repo_root, org, entry.name, signer, now, params, digest, registry, key.key_id
        ),
        items,
        summary.rows,
        achievements={kind: achievement_for(catalogue, *kind) for kind in summary.kinds},
        workers=workers,
        progress=progress,
        site_url=site_url,
        png=png,
        batch_size=batch_size,
        new_lists=True,
    )
    return SealReport(
        org, batch, count, _repo_manifests(repo_root, batch), new_lists, recovered=recovered
    )


def _with_slots(
    rows: Iterator[IssueRow], used: dict[int, set[int]], count: int, part: int
) -> Iterator[Item]:
    """Each row with a free status position, drawn `part` rows at a time (memory stays bounded;
    each draw is uniform over the positions still free, as one draw of all would be)."""
    left = count
    while left > 0:
        slots = allocate(used, min(part, left))
        for number, index in slots:
            used.setdefault(number, set()).add(index)
        for slot in slots:
            yield next(rows), slot
        left -= len(slots)
    if next(rows, None) is not None:
        raise SealError("the CSV changed while it was being issued; nothing was issued")


@dataclass(frozen=True)
class _Batch:
    store: Store
    repo_root: Path
    org: str
    org_name: str
    signer: Signer
    now: dt.datetime
    params: LookupParams
    source_digest: str
    registry: Registry
    key_id: str


def _make_batch(
    b: _Batch,
    items: Iterable[Item],
    total: int,
    *,
    achievements: dict[tuple[str, str], Achievement],
    workers: int,
    progress: bool,
    site_url: str | None,
    png: bool,
    batch_size: int,
    new_lists: bool,
) -> tuple[StoredBatch, int, list[Path]]:
    """Seal `items` (`total` of them) into sealed batches of at most `batch_size` records:
    staged in the store, committed by one rename, then copied into the repository. A failure or
    interruption before the rename leaves nothing. With `new_lists`, the status lists the run is
    the first to use are created."""
    created = format_utc(b.now)
    staging = b.store.staging(b.org)
    made: list[Path] = []
    site = b.registry.site
    writer = BatchWriter(
        staging / REPO / BATCHES_DIR,
        staging / SCRATCH,
        new_batch_id(b.now),
        b.org,
        created,
        b.now,
        b.params,
        b.signer,
        site,
        size=batch_size,
        on_lists=(
            (lambda numbers: made.extend(_new_status_lists(staging, numbers, b, created)))
            if new_lists
            else (lambda numbers: None)
        ),
    )
    try:
        job = _Job(
            b.signer,
            site.key_method(b.org, b.key_id),
            b.registry,
            b.org,
            b.org_name,
            created,
            staging,
            achievements,
            b.params,
            site_url,
            png,
        )
        _seal_all(job, items, total, writer, workers=workers, progress=progress)
        ids = writer.finish()
        (staging / SOURCE).write_text(b.source_digest + "\n", encoding="ascii")
        batch = b.store.commit(staging, b.org, ids[0])
    except BaseException:
        writer.abandon()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    publish_to_repo(batch, b.repo_root)
    return batch, writer.records, made


def _new_status_lists(staging: Path, numbers: set[int], b: _Batch, created: str) -> list[Path]:
    """Empty signed status lists for the list numbers used first now (not in the repository,
    nor made for an earlier batch of the run)."""
    made, org = [], b.org
    for number in sorted(numbers):
        target = repo_status_path(b.repo_root, org, number)
        staged = staging / REPO / "status" / f"{number}.json"
        if not target.exists() and not staged.exists():
            empty = StatusList.empty(site=b.registry.site, org=org, number=number, updated=created)
            doc = empty.signed_document(signer=b.signer, key_id=b.key_id, issuer_name=b.org_name)
            write_atomic(staged, dump_json(doc))
            made.append(target)
    return made


def _seal_all(
    job: _Job,
    items: Iterable[Item],
    total: int,
    writer: BatchWriter,
    *,
    workers: int,
    progress: bool,
) -> None:
    """Sign, derive and seal every item over `workers` forked processes, with a progress bar;
    each sealed entry goes to `writer` as it arrives."""
    global _JOB
    _JOB = job
    if job.site_url and total >= QR_BASIS_FROM:
        # Made once here, inherited by the forked workers (qr.py).
        qr.prepare(link_prefix(job.site_url), HASH_HEX_LENGTH)
    try:
        bar = tqdm(
            total=total,
            unit="record",
            desc=f"issuing {job.org}",
            disable=not progress,
            file=sys.stderr,
            dynamic_ncols=True,
        )
        with bar:
            for results in fork_imap(
                _seal_items,
                batched(items, CHUNK),
                workers=workers if total > CHUNK else 1,
                window=4 * max(1, workers),
            ):
                for tag, entry_bytes, group, slot in results:
                    writer.add(tag, entry_bytes, group, slot)
                bar.update(len(results))
    finally:
        _JOB = None


def _repo_manifests(repo_root: Path, batch: StoredBatch) -> list[Path]:
    folder = org_dir(repo_root, batch.org) / BATCHES_DIR
    return [folder / p.name for p in batch.manifest_paths()]


class SealError(SigningKeyError):
    """A plaintext record that cannot be moved into the store as it is."""


MIGRATE_BATCH = BATCH_RECORDS  # records per run when moving a folder: each is one sealed batch


@dataclass
class MigrationReport:
    organization: str
    batches: list[StoredBatch] = field(default_factory=list)
    records: int = 0
    removed: list[Path] = field(default_factory=list)


def seal_folder(
    *,
    repo_root: Path,
    store: Store,
    org: str,
    signer: Signer,
    registry: Registry,
    now: dt.datetime,
    params: LookupParams | None = None,
    workers: int = 1,
    site_url: str | None = None,
    progress: bool = False,
    png: bool = False,
) -> MigrationReport:
    """Move the plaintext records of `certificates/<org>/` (the layout before sealed batches)
    into the store as sealed batches, then delete them from the tree. Safe to run again: records
    already in the store with the same bytes are only deleted."""
    params = params or LookupParams()
    key = current_org_key(registry, signer, org, now)
    entry = registry.organization(org)
    if entry is None:
        raise SigningKeyError(f"key {signer.key_id} is not a currently valid key of {org}")
    store.recover(repo_root)
    report = MigrationReport(org)
    stored = {n: b for b in store.batches() for n in b.numbers()}
    todo: list[Path] = []
    for path in sorted(org_dir(repo_root, org).glob("*.json")):
        batch = stored.get(path.stem)
        if batch is None:
            todo.append(path)
        elif batch.record_path(path.stem).read_bytes() == path.read_bytes():
            path.unlink()
            report.removed.append(path)
        else:
            raise SealError(f"{path}: the store holds another record with this number")
    for part in range(0, len(todo), MIGRATE_BATCH):
        files = todo[part : part + MIGRATE_BATCH]
        digest = hashlib.sha256("\n".join(file_digest(p) for p in files).encode()).hexdigest()
        batch, count, _ = _make_batch(
            _Batch(
                store,
                repo_root,
                org,
                entry.name,
                signer,
                now,
                params,
                digest,
                registry,
                key.key_id,
            ),
            files,
            len(files),
            achievements={},
            workers=workers,
            progress=progress,
            site_url=site_url,
            png=png,
            batch_size=MIGRATE_BATCH,
            new_lists=False,
        )
        report.batches.append(batch)
        report.records += count
        for path in files:
            path.unlink()
            report.removed.append(path)
    return report
