"""`dump_json` writes its own indented text for plain values (the standard library's indenting
encoder is pure Python and slow); on random JSON with Chinese text, escapes, tuples, floats and
non-string keys, its bytes are json.dumps's with `ensure_ascii=False, indent=2`."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.credentials.formats.jsontext import dump_json

letters = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),
    st.sampled_from('"\\/\b\f\n\r\t\x00\x1f\x7f\u2028\u2029\ufeff😀·'),
    st.characters(codec="utf-8", exclude_categories=["Cs"]),
)
strings = st.text(letters, max_size=8)
leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities too: json.dumps writes them, and so must dump_json
    | strings
)
keys = strings | st.integers() | st.booleans() | st.none()
values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(strings, inner, max_size=4)
        | st.dictionaries(keys, inner, max_size=3)
    ),
    max_leaves=20,
)


def reference(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@settings(max_examples=400, deadline=None)
@given(values)
def test_dump_json_writes_the_standard_librarys_indented_text(value: Any) -> None:
    assert dump_json(value) == reference(value)


def test_dump_json_keeps_key_order_and_nesting_of_a_record_like_document() -> None:
    doc = {"b": [1, {"z": "中文\n", "a": []}, {}], "a": {"x": None, "y": True, "n": -(2**60)}}
    assert dump_json(doc) == reference(doc)
    assert dump_json(doc).decode("utf-8").splitlines()[1] == '  "b": ['
