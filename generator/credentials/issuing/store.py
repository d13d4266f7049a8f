"""The organization's private store: the plaintext records (the files holders receive), outside
the public repository, and a copy of every sealed batch made from them.

Location: `--store DIR`, else `$XCERT_STORE`, else `$XDG_DATA_HOME/xcert/store`
(`~/.local/share/xcert/store`). A store inside the repository is refused, as key locations are.

    STORE/<org>/batches/<id>/records/<number>.json   the signed records
    STORE/<org>/batches/<id>/holder/<number>.*      the holder's files (QR code, baked images)
    STORE/<org>/batches/<id>/repo/                  what goes into certificates/<org>/ of the
                                                    repository: batches/<id>.json, .entries
                                                    (one pair per sealed batch of the run; the
                                                    first is <id>), status/<n>.json created
    STORE/<org>/batches/<id>/source.sha256          SHA-256 of the CSV the batch was issued from
    STORE/<org>/batches/<id>/published              written once the repository has the batch
    STORE/<org>/.incoming-<pid>/                    a batch being made (same layout)

The commit of an issuance is one rename, `.incoming-<pid>` → `batches/<id>`: before it the store
holds nothing of the run (a staging folder the next run removes), after it all of it, every sealed
batch of the run included. Then the repository's files are copied in (entries and status lists
first, the signed manifests last, each through a temporary file and a rename), and `published` is
written. A run killed between the rename and `published` is finished by the next command that
opens the store; whatever it had copied by then is whole (a manifest appears only after its
entries).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.credentials._files import write_atomic
from generator.credentials.formats.batch import (
    BATCHES_DIR,
    ENTRIES_SUFFIX,
    MANIFEST_SUFFIX,
    BatchManifest,
    parse_manifest,
)
from generator.credentials.formats.jsontext import parse_json
from generator.credentials.formats.record import normalize_number
from generator.credentials.paths import STATUS_DIR, org_dir
from generator.errors import UsageError

STORE_ENV = "XCERT_STORE"
RECORDS = "records"
HOLDER = "holder"
REPO = "repo"
SOURCE = "source.sha256"
PUBLISHED = "published"
STAGING_PREFIX = ".incoming-"


class StoreError(UsageError):
    """The store cannot be used as asked (inside the repository, a record not found...)."""


def default_store() -> Path:
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser()
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "xcert" / "store"


def resolve_store(store: Path | None, repo_root: Path) -> Path:
    """The store folder; refuses one inside the repository (its records name holders)."""
    path = (store or default_store()).expanduser()
    p, root = path.resolve(), repo_root.resolve()
    if p == root or root in p.parents:
        raise StoreError(
            f"{path}: the private store holds holders' names and must live outside the "
            f"repository ({root}); give --store DIR or set ${STORE_ENV}"
        )
    return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class StoredBatch:
    """One issuance in the store: its records and holder files, and the one or more sealed
    batches made of them (a run of more rows than the batch size makes several). The folder is
    named after its first sealed batch."""

    folder: Path

    @property
    def batch_id(self) -> str:
        return self.folder.name

    @property
    def org(self) -> str:
        return self.folder.parent.parent.name

    def manifest_paths(self) -> list[Path]:
        """The signed manifests of the run's sealed batches (one per batch)."""
        return sorted((self.folder / REPO / BATCHES_DIR).glob("*" + MANIFEST_SUFFIX))

    def manifests(self) -> list[BatchManifest]:
        return [parse_manifest(parse_json(p.read_bytes())) for p in self.manifest_paths()]

    def record_path(self, number: str) -> Path:
        return self.folder / RECORDS / f"{number}.json"

    def source_digest(self) -> str:
        try:
            return (self.folder / SOURCE).read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return ""

    def numbers(self) -> Iterator[str]:
        for entry in os.scandir(self.folder / RECORDS):
            if entry.name.endswith(".json"):
                yield entry.name[: -len(".json")]


class Store:
    def __init__(self, root: Path) -> None:
        self.root = root

    def org_dir(self, org: str) -> Path:
        return self.root / org

    def batches(self, org: str | None = None) -> list[StoredBatch]:
        pattern = f"{org or '*'}/{BATCHES_DIR}/*"
        return [StoredBatch(p) for p in sorted(self.root.glob(pattern)) if p.is_dir()]

    def staging(self, org: str) -> Path:
        folder = self.org_dir(org) / f"{STAGING_PREFIX}{os.getpid()}"
        if folder.exists():
            shutil.rmtree(folder)
        for sub in (RECORDS, HOLDER, REPO):
            (folder / sub).mkdir(parents=True)
        return folder

    def commit(self, staging: Path, org: str, batch_id: str) -> StoredBatch:
        target = self.org_dir(org) / BATCHES_DIR / batch_id
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(target)  # the commit: the whole batch appears at once
        _fsync_dir(target.parent)
        return StoredBatch(target)

    def issued_numbers(self) -> set[str]:
        """Every number in the store, of every organization (numbers are unique nationally)."""
        return {n for b in self.batches() for n in b.numbers()}

    def find_record(self, number: str) -> tuple[StoredBatch, Path]:
        wanted = normalize_number(number)
        for batch in self.batches():
            path = batch.record_path(wanted)
            if path.is_file():
                return batch, path
        raise StoreError(f"no record with number {wanted} in the store {self.root}")

    def find_by_source(self, org: str, digest: str) -> StoredBatch | None:
        return next((b for b in self.batches(org) if b.source_digest() == digest), None)

    def recover(self, repo_root: Path) -> list[StoredBatch]:
        """Remove the staging folders of dead runs; copy into the repository the committed
        batches it does not have yet. Returns the batches finished now."""
        for staging in self.root.glob(f"*/{STAGING_PREFIX}*"):
            suffix = staging.name.removeprefix(STAGING_PREFIX)
            if suffix.isdigit() and not _alive(int(suffix)):
                shutil.rmtree(staging, ignore_errors=True)
        for org in self.root.glob("*"):
            # Temporary files of copies into the repository that a killed run left.
            for tmp in org_dir(repo_root, org.name).glob("*/.*.tmp"):
                tmp.unlink(missing_ok=True)
        finished = []
        for batch in self.batches():
            if not (batch.folder / PUBLISHED).exists():
                publish_to_repo(batch, repo_root)
                finished.append(batch)
        return finished


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def publish_to_repo(batch: StoredBatch, repo_root: Path) -> list[Path]:
    """Copy the batch's repository files into `certificates/<org>/` (idempotent): the entries
    and new status lists first, the signed manifest last, so that the build never sees a
    manifest without its entries. Then mark the batch published."""
    src = batch.folder / REPO
    dest = org_dir(repo_root, batch.org)
    files = sorted(p for p in src.rglob("*") if p.is_file())
    manifests = [p for p in files if p.parent.name == BATCHES_DIR and p.suffix == MANIFEST_SUFFIX]
    written = []
    for path in [p for p in files if p not in manifests] + manifests:
        target = dest / path.relative_to(src)
        if path.name.endswith(ENTRIES_SUFFIX):
            # Large: copied once, then renamed into place.
            if not (
                target.exists()
                and target.stat().st_size == path.stat().st_size
                and file_digest(target) == file_digest(path)
            ):
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".{target.name}.tmp")
                shutil.copyfile(path, tmp)
                tmp.replace(target)
                written.append(target)
        elif target.parent.name == STATUS_DIR and target.exists():
            continue  # a status list already there may carry revocations made since
        elif write_atomic(target, path.read_bytes()):
            written.append(target)
    (batch.folder / PUBLISHED).write_text("", encoding="ascii")
    return written
