"""RFC 8785 properties of `canonical_bytes` on random JSON with Chinese text and numbers, each
against a reference written here from the RFC, not from the library.

tests/credentials/test_canonical.py checks fixed number forms and that the page's JavaScript
agrees with the library; these check the library's output itself: it reads back as the same
value, does not depend on key order or on how the input text was written, sorts keys by UTF-16
code units, and writes numbers as ECMAScript does.
"""

from __future__ import annotations

import json
import math
import random
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.credentials.formats.jcs import CanonicalizationError, canonical_bytes
from generator.credentials.formats.jsontext import parse_json

SAFE = 2**53 - 1
# Chinese (BMP and the supplementary plane, whose characters are surrogate pairs in UTF-16),
# private use, emoji, and the characters JSON must escape.
chinese = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
anything = st.characters(codec="utf-8", exclude_categories=["Cs"])
letters = st.one_of(
    chinese,
    st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),
    st.characters(min_codepoint=0xE000, max_codepoint=0xF8FF),
    st.sampled_from('"\\/\b\f\n\r\t\x00\x1f\x7f\u2028\u2029\ufeff😀·'),
    anything,
)
strings = st.text(letters, max_size=8)
numbers = st.integers(-SAFE, SAFE) | st.floats(allow_nan=False, allow_infinity=False)
values = st.recursive(
    st.none() | st.booleans() | numbers | strings,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(strings, inner, max_size=4),
    max_leaves=16,
)
PROPERTIES = settings(max_examples=300, deadline=None)


def es_number(x: float) -> str:
    """ECMAScript Number::toString (ECMA-262 §6.1.6.1.20), from the shortest round-trip digits."""
    if x == 0:
        return "0"
    if x < 0:
        return "-" + es_number(-x)
    _, digits, exponent = Decimal(repr(x)).normalize().as_tuple()
    assert isinstance(exponent, int)
    d = "".join(map(str, digits))
    k, n = len(d), len(d) + exponent
    if k <= n <= 21:
        return d + "0" * (n - k)
    if 0 < n <= 21:
        return d[:n] + "." + d[n:]
    if -6 < n <= 0:
        return "0." + "0" * -n + d
    e = n - 1
    return d[0] + ("." + d[1:] if k > 1 else "") + "e" + ("+" if e > 0 else "-") + str(abs(e))


def reference(value: Any) -> str:
    """RFC 8785 §3.2 for values without fractions: keys sorted by UTF-16 code units, no
    whitespace, strings escaped as ECMAScript's JSON.stringify does."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(reference(k) + ":" + reference(value[k]) for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(reference(v) for v in value) + "]"
    if isinstance(value, float):
        return es_number(value)
    return json.dumps(value, ensure_ascii=False)  # str, int, bool, None


def shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: shuffled(v, rng) for k, v in items}
    if isinstance(value, list):
        return [shuffled(v, rng) for v in value]
    return value


def same(a: Any, b: Any) -> bool:
    """JSON equality: 1 and 1.0 are one number; -0.0 is 0."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return bool(a == b)


@PROPERTIES
@given(values)
def test_canonical_text_reads_back_as_the_same_value(value: Any) -> None:
    out = canonical_bytes(value)
    assert same(parse_json(out), value)
    assert canonical_bytes(parse_json(out)) == out  # idempotent


@PROPERTIES
@given(values, st.randoms(use_true_random=False))
def test_key_order_and_input_spelling_do_not_matter(value: Any, rng: random.Random) -> None:
    out = canonical_bytes(value)
    assert canonical_bytes(shuffled(value, rng)) == out
    respelled = json.dumps(value, ensure_ascii=True, indent=rng.choice([None, 0, 3]))
    assert canonical_bytes(parse_json(respelled)) == out


@PROPERTIES
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-SAFE, SAFE) | strings,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(strings, inner, max_size=4),
        max_leaves=16,
    )
)
def test_keys_sort_by_utf16_and_strings_are_escaped_minimally(value: Any) -> None:
    assert canonical_bytes(value) == reference(value).encode("utf-8")


@PROPERTIES
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_are_written_as_ecmascript_writes_them(x: float) -> None:
    text = canonical_bytes(x).decode("ascii")
    assert text == es_number(x)
    assert float(text) == x


@pytest.mark.parametrize(
    "value",
    [
        math.nan,
        math.inf,
        -math.inf,
        2**53,
        -(2**53),
        "\ud800",
        {"\udc00": 1},
        ["a", {"b": "\ud83d"}],
    ],
    ids=["nan", "inf", "-inf", "2^53", "-2^53", "lone-high", "lone-key", "nested-lone"],
)
def test_what_has_no_canonical_form_raises_our_error(value: Any) -> None:
    with pytest.raises(CanonicalizationError):
        canonical_bytes(value)


ascii_keys = st.text(st.characters(min_codepoint=0, max_codepoint=0x7F), max_size=6)
record_like = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**60), 2**60) | strings,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ascii_keys, inner, max_size=4),
    max_leaves=16,
)


@PROPERTIES
@given(st.one_of(values, record_like))
def test_canonical_bytes_are_the_librarys_whichever_encoder_writes_them(value: Any) -> None:
    """Records (ASCII keys, no floats) take the standard library's C encoder; its bytes, or its
    refusal, must be rfc8785's."""
    import rfc8785

    try:
        expected: bytes | None = rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, UnicodeEncodeError):
        expected = None
    if expected is None:
        with pytest.raises(CanonicalizationError):
            canonical_bytes(value)
    else:
        assert canonical_bytes(value) == expected
