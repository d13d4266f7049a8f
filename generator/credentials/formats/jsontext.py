"""Reading and writing JSON text the way the browser verifier does, so both see the same values.

`parse_json` follows `JSON.parse`: no NaN or Infinity, integers beyond 2**53 become floats, a
leading byte-order mark is ignored. `dump_json` writes the human-readable files (not the signed
bytes: those come from `jcs.canonical_bytes`).
"""

from __future__ import annotations

import json
from typing import Any

_SAFE = 2**53


class JSONTextError(ValueError):
    """The bytes are not UTF-8 JSON text."""


def _parse_int(text: str) -> int | float:
    n = int(text)
    # JSON.parse reads every number as a double; keep exact ints only where doubles are exact.
    return n if -_SAFE < n < _SAFE else float(text)


def _reject_constant(name: str) -> Any:
    raise JSONTextError(f"{name} is not JSON")


def parse_json(data: bytes | str) -> Any:
    """Parse JSON text (bytes as UTF-8, with or without BOM) as a browser's JSON.parse would."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise JSONTextError(f"not UTF-8: {e}") from e
    else:
        text = data
    text = text.removeprefix("\ufeff")
    try:
        return json.loads(text, parse_int=_parse_int, parse_constant=_reject_constant)
    except (json.JSONDecodeError, RecursionError) as e:
        raise JSONTextError(str(e)) from e


def dump_json(value: Any) -> bytes:
    """The text form of a file we write: UTF-8, two-space indent, key order kept, final newline."""
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def is_json_integer(value: Any) -> bool:
    """An integral JSON number, as JavaScript's Number.isInteger sees it (`1.0` counts)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
