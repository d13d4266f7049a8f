"""Batch issuance: one signed record per CSV row, all rows checked before anything is written.

Columns (header row, Chinese or English names, any order):
证书编号/number, 姓名/name, 证书/certificate (catalogue id), 等级/level (初级/中级/高级),
发证日期/issue_date; optional 考试日期/exam_date, 考点/exam_site, 身份证号/national_id (masked
before signing). Records are written to `certificates/<org>/<number>.json`.

A batch is on disk whole or not at all. Records are signed into `certificates/<org>/.incoming-PID/`,
which no reader of `certificates/*/*.json` sees; one rename then moves that folder to
`certificates/.batch-<org>-PID/`, and from that instant every record of the batch is in
`certificates/*/*.json`. The records are then moved one by one into `certificates/<org>/`, each
in exactly one place at every moment. A process killed after the rename leaves its batch to be
finished by the next `xcert issue`; one killed before it leaves only the staging folder, which
the next `xcert issue` removes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.china_time import today_in_china
from generator.credentials._catalogue import CatalogueLike
from generator.credentials._files import write_atomic
from generator.credentials._parallel import PARALLEL_FROM, chunks, fork_map
from generator.credentials.formats._time import format_utc
from generator.credentials.formats.jsontext import dump_json
from generator.credentials.formats.proof import add_proof
from generator.credentials.formats.record import (
    NUMBER,
    build_record,
    mask_national_id,
    normalize_number,
)
from generator.credentials.formats.registry import Registry
from generator.credentials.formats.status import (
    LIST_LENGTH,
    StatusList,
    parse_status_list_id,
    status_entry,
)
from generator.credentials.issuing._csv import CsvFormatError, read_rows
from generator.credentials.issuing.errors import BatchErrors, SigningKeyError
from generator.credentials.issuing.keys import Signer
from generator.credentials.paths import certificates_dir, org_dir, repo_status_path
from generator.errors import LocatedError, Location
from generator.models import LEVEL_NAMES

COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("证书编号", "number"),
    "name": ("姓名", "name"),
    "certificate": ("证书", "certificate"),
    "level": ("等级", "level"),
    "issue_date": ("发证日期", "issue_date"),
    "exam_date": ("考试日期", "exam_date"),
    "exam_site": ("考点", "exam_site"),
    "national_id": ("身份证号", "national_id"),
}
REQUIRED = ("number", "name", "certificate", "level", "issue_date")
FIRST_ISSUE_DATE = dt.date(2019, 1, 1)  # the 1+X pilot began in 2019
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00)?)?$"
)
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A cell a spreadsheet would run as a formula when the data is opened again (CSV injection).
_FORMULA_START = ("=", "+", "-", "@")
_FREE_TEXT = ("name", "exam_site")


class RowError(LocatedError):
    """One bad cell or row of a batch CSV."""


@dataclass(frozen=True)
class IssueRow:
    line: int
    number: str
    name: str
    certificate: str
    level: str
    issue_date: dt.date
    exam_date: dt.date | None
    exam_site: str | None
    national_id_masked: str | None


@dataclass
class IssueReport:
    organization: str
    records: list[Path] = field(default_factory=list)
    status_lists: list[Path] = field(default_factory=list)


def parse_date(text: str) -> dt.date:
    """`2024-06-30`, `2024/6/30`, `2024.6.30`, `2024年6月30日`, or with a zero time."""
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"not a date: {text!r} (write 2024-06-30)")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as e:
        raise ValueError(f"not a real date: {text!r}") from e


def _invisible(text: str) -> str | None:
    """The first format character (zero-width, direction override...) in `text`, if any."""
    return next((c for c in text if unicodedata.category(c) == "Cf"), None)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pid(folder: Path) -> int:
    suffix = folder.name.rsplit("-", 1)[-1]
    return int(suffix) if suffix.isdigit() else 0


def _move_records(committed: Path, folder: Path) -> None:
    for path in sorted(committed.glob("*.json")):
        os.replace(path, folder / path.name)
    committed.rmdir()


def finish_interrupted(repo_root: Path) -> None:
    """Finish the batches of issuing processes that died after their commit rename, and remove
    the staging folders of those that died before it (nothing of those batches is visible)."""
    base = certificates_dir(repo_root)
    for committed in sorted(base.glob(".batch-*")):
        if not _alive(_pid(committed)):
            org = committed.name.removeprefix(".batch-").rsplit("-", 1)[0]
            _move_records(committed, base / org)
    for staging in base.glob("*/.incoming-*"):
        if not _alive(_pid(staging)):
            shutil.rmtree(staging, ignore_errors=True)


def issued_numbers(repo_root: Path) -> set[str]:
    """Every certificate number already issued, by any organization (record file names)."""
    base = certificates_dir(repo_root)
    return {p.stem for p in base.glob("*/*.json")} if base.is_dir() else set()


def _header(cells: list[str], where: Location) -> tuple[dict[str, int], list[RowError]]:
    names = {alias.lower(): key for key, aliases in COLUMNS.items() for alias in aliases}
    index: dict[str, int] = {}
    errors = []
    for i, cell in enumerate(cells):
        key = names.get(cell.lower())
        if key is None:
            errors.append(RowError(f"unknown column {cell!r}", location=where, field=cell))
        elif key in index:
            errors.append(RowError("column given twice", location=where, field=cell))
        else:
            index[key] = i
    for key in REQUIRED:
        if key not in index:
            errors.append(
                RowError("required column missing", location=where, field=COLUMNS[key][0])
            )
    return index, errors


class _RowChecker:
    """Checks the rows of one batch, remembering the numbers seen so far."""

    def __init__(
        self,
        *,
        org: str,
        catalogue: CatalogueLike,
        any_certificate: bool,
        already_issued: set[str],
        today: dt.date,
    ) -> None:
        self.org, self.catalogue, self.any_certificate = org, catalogue, any_certificate
        self.already_issued, self.today = already_issued, today
        self.seen: dict[str, int] = {}

    def check(
        self, cells: dict[str, str], where: Location
    ) -> tuple[IssueRow | None, list[RowError]]:
        errors: list[RowError] = []

        def bad(col: str, message: str) -> None:
            errors.append(RowError(message, location=where, field=COLUMNS[col][0]))

        for col, value in cells.items():
            if _SCIENTIFIC.match(value) and col in ("number", "national_id"):
                bad(
                    col,
                    "looks like scientific notation from a spreadsheet; format the column as text",
                )
            elif "\n" in value:
                bad(col, "holds a line break: a quote (\") left open takes in the lines after it")
            elif _CONTROL.search(value):
                bad(col, "contains a control character")
            elif col in _FREE_TEXT and value.startswith(_FORMULA_START):
                bad(col, f"starts with '{value[0]}', which spreadsheet programs run as a formula; "
                    "records hold plain text")
            elif col in _FREE_TEXT and (hidden := _invisible(value)):
                bad(col, f"contains the invisible character U+{ord(hidden):04X}, which changes "
                    "how the text reads; type it as printed")
        for col in REQUIRED:
            if not cells[col]:
                bad(col, "empty")
        if len(cells["name"]) > 64:
            bad("name", "longer than 64 characters")
        if len(cells.get("exam_site", "")) > 100:
            bad("exam_site", "longer than 100 characters")
        number = self._number(cells["number"], where.line, bad)
        self._certificate_and_level(cells["certificate"], cells["level"], bad)
        issue_date, exam_date = self._dates(cells["issue_date"], cells.get("exam_date", ""), bad)
        masked = None
        if cells.get("national_id"):
            try:
                masked = mask_national_id(cells["national_id"])
            except ValueError as e:
                bad("national_id", str(e))
        if errors or issue_date is None:
            return None, errors
        row = IssueRow(
            where.line,
            number,
            cells["name"],
            cells["certificate"],
            cells["level"],
            issue_date,
            exam_date,
            cells.get("exam_site") or None,
            masked,
        )
        return row, errors

    def _number(self, text: str, line: int, bad: Callable[[str, str], None]) -> str:
        number = normalize_number(text)
        if text and not NUMBER.match(number):
            bad("number", f"{text!r} is not a certificate number (6-40 letters, digits, '-')")
        elif number in self.seen:
            bad("number", f"{number} appears twice in the batch (also line {self.seen[number]})")
        elif number in self.already_issued:
            bad("number", f"{number} has been issued already")
        elif number:
            self.seen[number] = line
        return number

    def _certificate_and_level(self, cid: str, level: str, bad: Callable[[str, str], None]) -> None:
        cert = self.catalogue.certificates.get(cid)
        if cid and cert is None:
            bad("certificate", f"{cid!r} is not a certificate id in the catalogue")
        elif cert is not None and not self.any_certificate and cert.organization != self.org:
            bad("certificate", f"{cert.id} is issued by {cert.organization}, not by {self.org}")
        if level and level not in LEVEL_NAMES:
            bad("level", f"{level!r} is not {', '.join(LEVEL_NAMES[:-1])} or {LEVEL_NAMES[-1]}")
        elif cert is not None and level and level not in cert.levels:
            bad("level", f"{cert.id} has no level {level} (it has {'、'.join(cert.levels)})")

    def _dates(
        self, issue_text: str, exam_text: str, bad: Callable[[str, str], None]
    ) -> tuple[dt.date | None, dt.date | None]:
        issue_date = exam_date = None
        try:
            issue_date = parse_date(issue_text) if issue_text else None
        except ValueError as e:
            bad("issue_date", str(e))
        if issue_date and not FIRST_ISSUE_DATE <= issue_date <= self.today:
            bad(
                "issue_date",
                f"{issue_date} is not between {FIRST_ISSUE_DATE} and today ({self.today})",
            )
        try:
            exam_date = parse_date(exam_text) if exam_text else None
        except ValueError as e:
            bad("exam_date", str(e))
        if exam_date and issue_date and exam_date > issue_date:
            bad("exam_date", f"the exam date {exam_date} is after the issue date {issue_date}")
        return issue_date, exam_date


def read_batch(
    path: Path,
    *,
    org: str,
    catalogue: CatalogueLike,
    any_certificate: bool,
    already_issued: set[str],
    today: dt.date,
) -> list[IssueRow]:
    """Every row checked; raises BatchErrors naming every bad row, else returns the rows."""
    source = str(path)
    try:
        rows = list(read_rows(path.read_bytes()))
    except CsvFormatError as e:
        raise BatchErrors([RowError(str(e), location=Location(source, e.line))], source=source) from e
    if not rows:
        raise BatchErrors([RowError("empty file", location=Location(source, 1))], source=source)
    index, header_errors = _header(rows[0].cells, Location(source, 1))
    if header_errors:
        raise BatchErrors(header_errors, source=source)
    checker = _RowChecker(
        org=org,
        catalogue=catalogue,
        any_certificate=any_certificate,
        already_issued=already_issued,
        today=today,
    )
    errors: list[LocatedError] = []
    good: list[IssueRow] = []
    for row in rows[1:]:
        if not any(row.cells):
            continue  # spreadsheets leave blank lines at the end
        where = Location(source, row.line)
        if len(row.cells) > len(rows[0].cells):
            errors.append(RowError("more cells than columns", location=where))
            continue
        cells = {k: (row.cells[i] if i < len(row.cells) else "") for k, i in index.items()}
        checked, row_errors = checker.check(cells, where)
        errors.extend(row_errors)
        if checked is not None:
            good.append(checked)
    if errors:
        raise BatchErrors(errors, source=source)
    if not good:
        raise BatchErrors(
            [RowError("no rows under the header", location=Location(source, 2))], source=source
        )
    return good


def _next_index(repo_root: Path, org: str) -> tuple[int, int]:
    """The (list number, index) after the highest one used by the organization's records."""
    last = (1, -1)
    for p in org_dir(repo_root, org).glob("*.json"):
        try:
            st = json.loads(p.read_text(encoding="utf-8"))["credentialStatus"]
            ids = parse_status_list_id(st["statusListCredential"])
            if ids is not None:
                last = max(last, (ids[1], int(st["statusListIndex"])))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # the build reports unreadable records; here they only hold no index
    number, index = last[0], last[1] + 1
    return (number + 1, 0) if index >= LIST_LENGTH else (number, index)


def _allocate(start: tuple[int, int], count: int) -> Iterable[tuple[int, int]]:
    number, index = start
    for _ in range(count):
        yield number, index
        number, index = (number + 1, 0) if index + 1 >= LIST_LENGTH else (number, index + 1)


def issue_batch(
    csv_path: Path,
    *,
    repo_root: Path,
    org: str,
    signer: Signer,
    registry: Registry,
    catalogue: CatalogueLike,
    now: dt.datetime,
    workers: int = 1,
) -> IssueReport:
    """Check every row, then sign and write one record per row (all or nothing).

    With `workers` > 1, large batches are signed by that many forked processes."""
    entry = registry.organization(org)
    if entry is None:
        raise SigningKeyError(f"organization {org!r} is not in the key registry")
    key = registry.key_by_multibase(signer.public_key_multibase)
    if key is None or key.organization != org or key.problem_at(now) is not None:
        raise SigningKeyError(f"key {signer.key_id} is not a currently valid key of {org}")
    finish_interrupted(repo_root)
    rows = read_batch(
        csv_path,
        org=org,
        catalogue=catalogue,
        any_certificate=entry.demo,
        already_issued=issued_numbers(repo_root),
        today=today_in_china(now),
    )
    created = format_utc(now)
    folder = org_dir(repo_root, org)
    report = IssueReport(org)
    slots = list(_allocate(_next_index(repo_root, org), len(rows)))
    for number in sorted({n for n, _ in slots}):
        path = repo_status_path(repo_root, org, number)
        if not path.exists():
            empty = StatusList.empty(org=org, number=number, updated=created)
            write_atomic(
                path, dump_json(empty.signed_document(signer=signer, issuer_name=entry.name))
            )
            report.status_lists.append(path)
    staging = folder / f".incoming-{os.getpid()}"
    staging.mkdir(parents=True, exist_ok=False)
    global _BATCH
    _BATCH = _Batch(
        signer,
        org,
        entry.name,
        created,
        staging,
        {cid: c.name for cid, c in catalogue.certificates.items()},
    )
    try:
        jobs = chunks(list(zip(rows, slots, strict=True)), 500)
        fork_map(
            _sign_rows,
            jobs,
            workers=workers if len(rows) >= PARALLEL_FROM else 1,
            chunksize=1,
            min_items=2,
        )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _BATCH = None
    committed = certificates_dir(repo_root) / f".batch-{org}-{os.getpid()}"
    staging.rename(committed)  # the commit: the whole batch becomes visible at once
    _move_records(committed, folder)
    report.records = [folder / f"{row.number}.json" for row in rows]
    return report


@dataclass(frozen=True)
class _Batch:
    signer: Signer
    org: str
    issuer_name: str
    created: str
    staging: Path
    certificate_names: dict[str, str]


# Set in the parent before workers fork: they inherit the signer instead of receiving it.
_BATCH: _Batch | None = None


def _sign_rows(jobs: Sequence[tuple[IssueRow, tuple[int, int]]]) -> None:
    batch = _BATCH
    assert batch is not None
    for row, (list_number, index) in jobs:
        doc = build_record(
            organization=batch.org,
            issuer_name=batch.issuer_name,
            holder=row.name,
            certificate=row.certificate,
            certificate_name=batch.certificate_names[row.certificate],
            level=row.level,
            number=row.number,
            issue_date=row.issue_date,
            status=status_entry(batch.org, list_number, index),
            exam_date=row.exam_date,
            exam_site=row.exam_site,
            national_id_masked=row.national_id_masked,
        )
        signed = add_proof(doc, signer=batch.signer, created=batch.created)
        (batch.staging / f"{row.number}.json").write_bytes(dump_json(signed))
