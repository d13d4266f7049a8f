"""Reading a batch CSV as people produce it: UTF-8 with or without BOM, GB18030 as saved by
spreadsheet programs on Chinese Windows, or UTF-16 with a BOM (Excel's "Unicode text"); comma,
semicolon or tab separated; CRLF or LF. Anything else (a workbook, an image) is refused with the
line where it stops being text.

The file is read in pieces, never whole: a batch of a million rows costs no more memory than one
of ten. The encoding is settled by decoding the whole file once before the first row is read, so
a bad byte near the end stops the batch before any row is issued."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PIECE = 1 << 20  # bytes read at a time (even: a UTF-16 line break never straddles two pieces)


class CsvFormatError(ValueError):
    """The file is not CSV text; `line` is where reading stopped."""

    def __init__(self, message: str, *, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Row:
    line: int  # the physical line the row starts on, 1-based (the header is line 1)
    cells: list[str]


@dataclass(frozen=True)
class _BadByte:
    line: int
    byte: int


def _first_bad_byte(path: Path, encoding: str, newline: bytes) -> _BadByte | None:
    """Where `path` stops being `encoding` text (decoded piece by piece), or None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = read = 0  # line breaks and bytes before the current piece
    with path.open("rb") as f:
        while True:
            piece = f.read(PIECE)
            try:
                decoder.decode(piece, final=not piece)
            except UnicodeDecodeError as e:
                # e.object is the bytes decoded by this call: the piece, after any bytes the
                # decoder carried over from the one before.
                at = read + len(piece) - len(e.object) + e.start
                head = piece[: max(0, at - read)]
                return _BadByte(lines + head.count(newline) + 1, e.object[e.start])
            if not piece:
                return None
            lines += piece.count(newline)
            read += len(piece)


def text_encoding(path: Path) -> str:
    """The encoding `path` is written in; raises CsvFormatError naming the first bad line."""
    with path.open("rb") as f:
        start = f.read(2)
    if start in (b"\xff\xfe", b"\xfe\xff"):
        bad = _first_bad_byte(path, "utf-16", b"\n\x00")
        if bad is not None:
            raise CsvFormatError('broken UTF-16 text; save the sheet as "CSV UTF-8"', line=bad.line)
        return "utf-16"
    utf8 = _first_bad_byte(path, "utf-8-sig", b"\n")
    if utf8 is None:
        return "utf-8-sig"
    # Excel's plain "CSV" on Chinese Windows writes the ANSI code page (GBK ⊂ GB18030).
    if _first_bad_byte(path, "gb18030", b"\n") is None:
        return "gb18030"
    raise CsvFormatError(
        f"not text: neither UTF-8 nor GB18030/GBK (byte 0x{utf8.byte:02x}); "
        'save the sheet as "CSV UTF-8"',
        line=utf8.line,
    )


def read_rows(path: Path) -> Iterator[Row]:
    """The rows of `path`, one at a time, cells stripped of surrounding blanks."""
    encoding = text_encoding(path)
    with path.open(encoding=encoding, newline="") as f:
        first = f.readline()
        f.seek(0)
        delimiter = max(",;\t", key=first.count)
        reader = csv.reader(f, delimiter=delimiter)
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
