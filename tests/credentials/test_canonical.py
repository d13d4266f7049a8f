"""JCS and multibase: the Python canonical form is rfc8785's, and the page's JavaScript agrees."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.credentials.formats.jcs import CanonicalizationError, canonical_bytes
from generator.credentials.formats.jsontext import JSONTextError, parse_json
from generator.credentials.formats.multibase import (
    MultibaseError,
    b58decode,
    b58encode,
    decode_base64url,
    decode_public_multikey,
    encode_base64url,
)

JS = Path(__file__).resolve().parents[2] / "site_src" / "assets" / "verify"

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec="utf-8")),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(st.characters(codec="utf-8"), max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)


def test_numbers_and_non_ascii_keys_follow_rfc8785() -> None:
    # Where json.dumps(sort_keys=True) would differ: number forms and UTF-16 key order.
    assert canonical_bytes({"b": 1e21, "a": 1.0, "c": 0.000001, "d": 1e-7}) == (
        b'{"a":1,"b":1e+21,"c":0.000001,"d":1e-7}'
    )
    assert canonical_bytes({"\U0001f600": 1, "\ufb01": 2}) == '{"\U0001f600":1,"\ufb01":2}'.encode()


def test_non_canonicalizable_values_raise_our_error() -> None:
    with pytest.raises(CanonicalizationError):
        canonical_bytes({"x": float("nan")})
    with pytest.raises(CanonicalizationError):
        canonical_bytes("\ud800")


def test_parse_json_reads_like_the_browser() -> None:
    assert parse_json(b'\xef\xbb\xbf{"a": 9007199254740993}') == {"a": 9007199254740992.0}
    with pytest.raises(JSONTextError):
        parse_json(b'{"a": NaN}')
    with pytest.raises(JSONTextError):
        parse_json(b"\xff")


@given(st.binary(max_size=80))
def test_base58_round_trip(data: bytes) -> None:
    assert b58decode(b58encode(data)) == data


@given(st.binary(max_size=80))
def test_base64url_round_trip(data: bytes) -> None:
    assert decode_base64url(encode_base64url(data)) == data


def test_multibase_refuses_wrong_forms() -> None:
    for bad in ("z0OIl", "6Mk", "z"):
        with pytest.raises(MultibaseError):
            decode_public_multikey(bad)
    with pytest.raises(MultibaseError):
        decode_base64url("uab+/")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@settings(max_examples=8, deadline=None)
@given(st.lists(json_values, min_size=40, max_size=40))
def test_the_page_canonicalizes_like_rfc8785(values: list[Any]) -> None:
    script = (
        f"import {{ canonicalize }} from '{(JS / 'jcs.js').as_uri()}';"
        "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{"
        "for (const v of JSON.parse(s)) {"
        " let out; try { out = canonicalize(v); } catch { out = null; }"
        " console.log(JSON.stringify(out)); } });"
    )
    run = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        input=json.dumps(values),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    for value, line in zip(values, run.stdout.rstrip("\n").split("\n"), strict=True):
        try:
            expected = canonical_bytes(value).decode("utf-8")
        except CanonicalizationError:
            expected = None
        assert json.loads(line) == expected, value
