"""The batch CSV is read in pieces, never whole: characters split between two pieces still read,
and a bad byte is reported on its line whichever piece it falls in."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.credentials.issuing import _csv
from generator.credentials.issuing._csv import CsvFormatError, read_rows

ROWS = ["证书编号,姓名", *(f"ACME-2024-{i:06d},赵钱孙李{i}" for i in range(40))]


@pytest.fixture(autouse=True)
def tiny_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_csv, "PIECE", 8)  # every multi-byte character meets a piece's edge


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030", "utf-16"])
def test_rows_read_in_small_pieces_are_the_rows_written(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "batch.csv"
    path.write_bytes("\r\n".join(ROWS).encode(encoding))
    rows = list(read_rows(path))
    assert [",".join(r.cells) for r in rows] == ROWS
    assert [r.line for r in rows] == list(range(1, len(ROWS) + 1))


def test_a_bad_byte_far_into_the_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "batch.csv"
    data = "\n".join(ROWS).encode("utf-8")
    at = data.index(b"ACME-2024-000030")
    path.write_bytes(data[:at] + b"\xff\xfe" + data[at:])  # neither UTF-8 nor GB18030
    with pytest.raises(CsvFormatError, match="byte 0xff") as info:
        list(read_rows(path))
    assert info.value.line == 32


def test_broken_utf16_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "batch.csv"
    data = "\n".join(ROWS).encode("utf-16-le")
    at = data.index("ACME-2024-000010".encode("utf-16-le"))
    path.write_bytes(b"\xff\xfe" + data[:at] + b"\x00\xd8\x41\x00" + data[at:])  # lone surrogate
    with pytest.raises(CsvFormatError, match="broken UTF-16") as info:
        list(read_rows(path))
    assert info.value.line == 12
