"""Reading and writing JSON text the way the browser verifier does, so both see the same values.

`parse_json` follows `JSON.parse`: no NaN or Infinity, integers beyond 2**53 become floats, a
leading byte-order mark is ignored. `dump_json` writes the human-readable files (not the signed
bytes: those come from `jcs.canonical_bytes`).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
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
    """The text form of a file we write: UTF-8, two-space indent, key order kept, final newline;
    the bytes of `json.dumps(value, ensure_ascii=False, indent=2)`."""
    out: list[str] = []
    try:
        _indented(value, "", out)
    except (_Unusual, RecursionError):
        # Floats, tuples, subclasses, keys that are not strings, cycles: the standard library
        # writes them (or raises its own error).
        return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    out.append("\n")
    return "".join(out).encode("utf-8")


class _Unusual(Exception):
    """A value `_indented` leaves to the standard library."""


_WORDS = {None: "null", True: "true", False: "false"}


def _indented(value: Any, pad: str, out: list[str]) -> None:
    """json.dumps's indented text for plain strings, integers, dicts and lists. With an indent
    the standard library's encoder is pure Python (twice as slow as this); issuance writes one
    record file a row with it. Strings go through the same C escaping as json.dumps's."""
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = pad + "  "
        sep = "{\n" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            out += (sep, encode_basestring(key), ": ")
            _indented(item, inner, out)
            sep = ",\n" + inner
        out.append("\n" + pad + "}")
    elif kind is list:
        if not value:
            out.append("[]")
            return
        inner = pad + "  "
        sep = "[\n" + inner
        for item in value:
            out.append(sep)
            _indented(item, inner, out)
            sep = ",\n" + inner
        out.append("\n" + pad + "]")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is bool or value is None:
        out.append(_WORDS[value])
    else:
        raise _Unusual


def is_json_integer(value: Any) -> bool:
    """An integral JSON number, as JavaScript's Number.isInteger sees it (`1.0` counts)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
