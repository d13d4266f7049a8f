"""Reading a batch CSV: every row checked before anything is issued (issuing/sealed.py issues).

Columns (header row, Chinese or English names, any order):
证书编号/number, 姓名/name, 证书/certificate (catalogue id), 等级/level (初级/中级/高级),
发证日期/issue_date; optional 考试日期/exam_date, 考点/exam_site, 身份证号/national_id (masked
before signing).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.credentials._catalogue import CatalogueLike
from generator.credentials.formats.record import (
    NUMBER,
    mask_national_id,
    normalize_number,
)
from generator.credentials.issuing._csv import CsvFormatError, read_rows
from generator.credentials.issuing.errors import BatchErrors
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


@dataclass(frozen=True)
class BatchRules:
    """What a row is checked against: the issuing organization and the catalogue (`any_certificate`
    for the DEMO organization), the numbers issued already, and today (no issue date after it)."""

    org: str
    catalogue: CatalogueLike
    any_certificate: bool
    already_issued: set[str]
    today: dt.date


class _RowChecker:
    """Checks the rows of one batch, remembering the numbers seen so far."""

    def __init__(self, rules: BatchRules) -> None:
        self.org, self.catalogue, self.any_certificate = (
            rules.org,
            rules.catalogue,
            rules.any_certificate,
        )
        self.already_issued, self.today = rules.already_issued, rules.today
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
                bad(col, 'holds a line break: a quote (") left open takes in the lines after it')
            elif _CONTROL.search(value):
                bad(col, "contains a control character")
            elif col in _FREE_TEXT and value.startswith(_FORMULA_START):
                bad(
                    col,
                    f"starts with '{value[0]}', which spreadsheet programs run as a formula; "
                    "records hold plain text",
                )
            elif col in _FREE_TEXT and (hidden := _invisible(value)):
                bad(
                    col,
                    f"contains the invisible character U+{ord(hidden):04X}, which changes "
                    "how the text reads; type it as printed",
                )
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


@dataclass(frozen=True)
class BatchSummary:
    """What the check of a whole batch learnt: its row count and the certificate levels used."""

    rows: int
    kinds: frozenset[tuple[str, str]]  # (certificate id, level)


class BatchReader:
    """A batch CSV read row by row, each row checked: once to check them all (`check`), then
    again to issue them (`rows`), so no more than one row is held at a time."""

    def __init__(self, path: Path, rules: BatchRules) -> None:
        self.path, self.source, self.rules = path, str(path), rules

    def _checked(self) -> Iterator[tuple[IssueRow | None, list[RowError]]]:
        source = self.source
        try:
            rows = read_rows(self.path)
            header = next(rows, None)
            if header is None:
                raise BatchErrors(
                    [RowError("empty file", location=Location(source, 1))], source=source
                )
            index, header_errors = _header(header.cells, Location(source, 1))
            if header_errors:
                raise BatchErrors(header_errors, source=source)
            checker = _RowChecker(self.rules)
            for row in rows:
                if not any(row.cells):
                    continue  # spreadsheets leave blank lines at the end
                where = Location(source, row.line)
                if len(row.cells) > len(header.cells):
                    yield None, [RowError("more cells than columns", location=where)]
                    continue
                cells = {k: (row.cells[i] if i < len(row.cells) else "") for k, i in index.items()}
                yield checker.check(cells, where)
        except CsvFormatError as e:
            raise BatchErrors(
                [RowError(str(e), location=Location(source, e.line))], source=source
            ) from e

    def check(self) -> BatchSummary:
        """Every row checked; raises BatchErrors naming every bad row."""
        errors: list[LocatedError] = []
        count, kinds = 0, set()
        for row, row_errors in self._checked():
            errors.extend(row_errors)
            if row is not None:
                count += 1
                kinds.add((row.certificate, row.level))
        if errors:
            raise BatchErrors(errors, source=self.source)
        if not count:
            raise BatchErrors(
                [RowError("no rows under the header", location=Location(self.source, 2))],
                source=self.source,
            )
        return BatchSummary(count, frozenset(kinds))

    def rows(self) -> Iterator[IssueRow]:
        """The rows, read again (after `check`: every one is good)."""
        for row, errors in self._checked():
            if errors or row is None:
                raise BatchErrors(errors, source=self.source)  # the file changed meanwhile
            yield row
