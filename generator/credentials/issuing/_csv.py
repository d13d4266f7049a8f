"""Reading a batch CSV as people produce it: UTF-8 with or without BOM, GB18030 as saved by
spreadsheet programs on Chinese Windows, or UTF-16 with a BOM (Excel's "Unicode text"); comma,
semicolon or tab separated; CRLF or LF. Anything else (a workbook, an image) is refused with the
line where it stops being text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass


class CsvFormatError(ValueError):
    """The file is not CSV text; `line` is where reading stopped."""

    def __init__(self, message: str, *, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Row:
    line: int  # the physical line the row starts on, 1-based (the header is line 1)
    cells: list[str]


def decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise CsvFormatError(
                'broken UTF-16 text; save the sheet as "CSV UTF-8"',
                line=data[: e.start].count(b"\n\x00") + 1,
            ) from e
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8:
        try:
            # Excel's plain "CSV" on Chinese Windows writes the ANSI code page (GBK ⊂ GB18030).
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise CsvFormatError(
                f"not text: neither UTF-8 nor GB18030/GBK (byte 0x{data[utf8.start]:02x}); "
                'save the sheet as "CSV UTF-8"',
                line=data[: utf8.start].count(b"\n") + 1,
            ) from utf8


def read_rows(data: bytes) -> Iterator[Row]:
    text = decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            yield Row(line, [c.strip(" \t\u3000\u00a0") for c in cells])
            line = reader.line_num + 1
    except csv.Error as e:
        if "field larger than field limit" in str(e):
            message = f"a cell is longer than {csv.field_size_limit()} characters"
        else:
            message = f"not readable as CSV: {e}"
        raise CsvFormatError(message, line=line) from e
