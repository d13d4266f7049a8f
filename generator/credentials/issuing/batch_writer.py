"""Writing the sealed batches of one issuance as its records arrive, in bounded memory.

An entries file is sorted by tag (formats/batch.py), but records arrive in the order the workers
finish them. Each arriving entry line is appended to a scratch file in the staging folder and only
its (tag, offset, length) is kept; when a batch is full, that small index is sorted and the lines
are copied out in tag order into the batch's entries file, then the signed manifest is written
and the scratch file removed. Memory grows with the batch size (about 150 bytes a record for the
index and the status positions), never with the number of rows issued.

A run of more records than `size` (or of more than `max_bytes` of entries) writes several
batches, each complete and signed, so that no entries file passes GitHub's limits (docs/scale.md,
"When batches should leave git"). They all live in the same staging folder, so the store's
one-rename commit still takes all or none.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from generator.credentials.formats.batch import (
    ENTRIES_SUFFIX,
    MANIFEST_SUFFIX,
    BatchManifest,
    IssuedGroup,
    entry_line,
    write_entries,
)
from generator.credentials.formats.jsontext import dump_json
from generator.credentials.formats.proof import ProofSigner as Signer
from generator.credentials.formats.sealing import LookupParams
from generator.credentials.formats.site import Site

# Records per sealed batch unless told otherwise. An entries line is 1.4-2.3 KB (the record's
# achievement carries its standard's criteria; docs/scale.md), so 20,000 records make 28-45 MB,
# under GitHub's 50 MB warning. Whatever the count, a batch closes before its entries file would
# pass ENTRIES_BYTES.
BATCH_RECORDS = 20_000
ENTRIES_BYTES = 45 * 2**20
SCRATCH = "entries-unsorted"  # in the staging folder

Group = tuple[str, int, str]  # certificate, issue year, level
Slot = tuple[int, int]  # (status list number, index)


def new_batch_id(now: dt.datetime) -> str:
    return f"{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


def issued_groups(
    org: str, placed: list[tuple[Group, Slot]], *, site: Site
) -> tuple[IssuedGroup, ...]:
    """The batch's counts per certificate, issue year and level, with their status positions."""
    tally: dict[Group, dict[int, list[int]]] = {}
    for group, (number, index) in placed:
        tally.setdefault(group, {}).setdefault(number, []).append(index)
    return tuple(
        IssuedGroup(
            certificate=cert,
            year=year,
            level=level,
            records=sum(len(ix) for ix in lists.values()),
            status=tuple(
                (site.status_list_url(org, n), tuple(sorted(ix))) for n, ix in sorted(lists.items())
            ),
        )
        for (cert, year, level), lists in sorted(tally.items())
    )


@dataclass
class BatchWriter:
    """The sealed batches of one run, in `folder` (the staging folder's repo/batches/), through
    the scratch file `scratch` (outside `folder`, so it is never copied to the repository).
    `first_id` names the first batch; `on_lists` is told the status-list numbers of each batch
    before its manifest is written (to create the lists it is the first to use)."""

    folder: Path
    scratch: Path
    first_id: str
    org: str
    created: str
    now: dt.datetime
    params: LookupParams
    signer: Signer
    site: Site
    size: int = BATCH_RECORDS
    max_bytes: int = ENTRIES_BYTES
    on_lists: Callable[[set[int]], None] = lambda numbers: None
    ids: list[str] = field(default_factory=list)
    records: int = 0
    _index: list[tuple[str, int, int]] = field(default_factory=list)
    _placed: list[tuple[Group, Slot]] = field(default_factory=list)
    _offset: int = 0
    _file: BinaryIO | None = None

    def __post_init__(self) -> None:
        if self.size < 1:
            raise ValueError("a batch holds at least one record")
        self.folder.mkdir(parents=True, exist_ok=True)

    def add(self, tag: str, entry: bytes, group: Group, slot: Slot) -> None:
        line = entry_line(tag, entry)
        if self._index and (
            len(self._index) == self.size or self._offset + len(line) > self.max_bytes
        ):
            self._close()
        if self._file is None:
            self._file = self.scratch.open("w+b")
            self._offset = 0
        self._file.write(line)
        self._index.append((tag, self._offset, len(line)))
        self._offset += len(line)
        self._placed.append((group, slot))

    def finish(self) -> list[str]:
        """Close the last batch; the ids of every batch written."""
        if self._index:
            self._close()
        return self.ids

    def _close(self) -> None:
        batch_id = self.first_id if not self.ids else self._another_id()
        self._index.sort()
        scratch = self._file
        assert scratch is not None
        scratch.flush()
        fd = scratch.fileno()
        lines = (os.pread(fd, length, offset) for _, offset, length in self._index)
        sha, size, count = write_entries(self.folder / (batch_id + ENTRIES_SUFFIX), lines)
        scratch.close()
        self._file = None
        self.scratch.unlink()
        self.on_lists({number for _, (number, _) in self._placed})
        manifest = BatchManifest(
            batch_id,
            self.org,
            self.created,
            count,
            self.params,
            sha,
            size,
            issued_groups(self.org, self._placed, site=self.site),
        )
        (self.folder / (batch_id + MANIFEST_SUFFIX)).write_bytes(
            dump_json(manifest.signed_document(self.signer))
        )
        self.ids.append(batch_id)
        self.records += count
        self._index, self._placed = [], []

    def _another_id(self) -> str:
        while (batch_id := new_batch_id(self.now)) in self.ids or batch_id == self.first_id:
            pass
        return batch_id

    def abandon(self) -> None:
        """Close the scratch file of a run that failed (the staging folder is removed after)."""
        if self._file is not None:
            self._file.close()
            self._file = None
