"""Reading a batch CSV as people produce it: UTF-8 with or without BOM, or GB18030 as saved by
spreadsheet programs on Chinese Windows; comma, semicolon or tab separated; CRLF or LF."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    line: int  # the physical line the row starts on, 1-based (the header is line 1)
    cells: list[str]


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Chinese Windows writes the ANSI code page (GBK ⊂ GB18030).
        return data.decode("gb18030")


def read_rows(data: bytes) -> Iterator[Row]:
    text = decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    for cells in reader:
        yield Row(line, [c.strip(" \t\u3000\u00a0") for c in cells])
        line = reader.line_num + 1
