"""The verifier's result form on random and mutated input: it always returns a verdict, never
raises, and says `valid` only for bytes whose canonical form is what a registered key signed.

The trust and the genuine records are the agreement suite's (tests/assets/credentials/agreement/);
tests/credentials/test_vectors.py already changes single characters of a signed text, so these
change its structure: values of other types, keys removed or added, proofs swapped, records
re-signed by random keys, raw text spliced and deeply nested.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.credentials.formats.jcs import CanonicalizationError, canonical_bytes
from generator.credentials.formats.proof import add_proof
from generator.credentials.formats.verify import (
    RecordVerificationError,
    Verdict,
    VerificationResult,
    verification_result,
    verify_record,
)
from generator.credentials.issuing.keys import Signer
from generator.credentials.repo import repo_trust
from hostile._forgery import AGREEMENT, t

NOW = t("2026-01-01T00:00:00")
TRUST = repo_trust(AGREEMENT / "repo")
GENUINE = {
    name: json.loads((AGREEMENT / "cases" / f"{name}.json").read_text(encoding="utf-8"))
    for name in (
        "valid",
        "valid-current-key",
        "valid-old-key-after-rotation",
        "certificate-revoked",
    )
}
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    [
        "",
        "张三",
        "中级",
        "2024-03-01",
        "2024-03-01T00:00:00Z",
        "eddsa-jcs-2022",
        "DataIntegrityProof",
        "z6Mk",
        "urn:xcert:status:acme:1",
        "\u202e",
        "\ud800",
        "0",
        "1e400",
    ]
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)


def judge(data: bytes | str) -> VerificationResult:
    result = verification_result(data, trust=TRUST, now=NOW)
    assert isinstance(result, VerificationResult) and isinstance(result.verdict, Verdict)
    assert result.message, "every verdict is explained"
    return result


def canonical(doc: Any) -> bytes | None:
    try:
        return canonical_bytes(doc)
    except CanonicalizationError:
        return None


def valid_only_if_signed(doc: Any, result: VerificationResult) -> None:
    """`valid` means the bytes are, in canonical form, one of the records a registered key
    signed (JSON texts that parse to the same value are the same record)."""
    if result.ok:
        assert canonical(doc) in {canonical(g) for g in GENUINE.values()}, doc


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    """A genuine record with one to three structural changes."""
    doc = copy.deepcopy(GENUINE[draw(st.sampled_from(sorted(GENUINE)))])
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent, last = _at(doc, path[:-1]), path[-1]
        action = draw(st.sampled_from(["replace", "delete", "add", "wrap", "swap-proof"]))
        if action == "replace":
            parent[last] = draw(json_values)
        elif action == "delete":
            del parent[last]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(text)] = draw(json_values)
        elif action == "wrap":
            parent[last] = [parent[last]] if draw(st.booleans()) else {"value": parent[last]}
        elif action == "swap-proof" and "proof" in doc:
            other = GENUINE[draw(st.sampled_from(sorted(GENUINE)))]
            doc["proof"] = copy.deepcopy(other["proof"])
    return doc


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_get_a_verdict(data: bytes) -> None:
    assert not judge(data).ok


@FUZZ
@given(json_values)
def test_random_json_gets_a_verdict(value: Any) -> None:
    result = judge(json.dumps(value, ensure_ascii=False))
    assert not result.ok


@FUZZ
@given(mutated())
def test_mutated_records_get_a_verdict_and_only_signed_bytes_are_valid(doc: Any) -> None:
    try:
        data = json.dumps(doc, ensure_ascii=False)
    except ValueError:  # a lone surrogate cannot be written as UTF-8 text
        return
    valid_only_if_signed(doc, judge(data))


@FUZZ
@given(mutated(), st.binary(min_size=32, max_size=32))
def test_records_re_signed_by_unregistered_keys_are_never_valid(doc: Any, seed: bytes) -> None:
    """Whatever the content, a signature by a key outside the registry is unknown-key."""
    if not isinstance(doc, dict) or canonical(doc) is None:
        return
    doc.pop("proof", None)
    forged = add_proof(
        doc, signer=Signer.from_seed(seed, key_id="forger"), created="2024-10-01T00:00:00Z"
    )
    result = judge(json.dumps(forged, ensure_ascii=False))
    assert not result.ok
    if result.record is not None:  # it was read as a record: then the key is what is wrong
        assert (result.verdict, result.reason) == (Verdict.UNKNOWN_KEY, "key-not-in-registry")


@FUZZ
@given(st.sampled_from(sorted(GENUINE)), st.data())
def test_spliced_text_gets_a_verdict(name: str, data: st.DataObject) -> None:
    genuine = json.dumps(GENUINE[name], ensure_ascii=False, indent=1)
    start = data.draw(st.integers(0, len(genuine)))
    end = data.draw(st.integers(start, min(len(genuine), start + 40)))
    insert = data.draw(
        st.text(st.characters(codec="utf-8"), max_size=20)
        | st.sampled_from(['"name":"李四",', '{"a":' * 50, "]]]]", "\\ud800", ',"proof":null', " "])
    )
    changed = genuine[:start] + insert + genuine[end:]
    result = judge(changed)
    if result.ok:
        valid_only_if_signed(json.loads(changed), result)


@pytest.mark.parametrize(
    "data",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        b"\xef\xbb\xbf\xef\xbb\xbf{}",
        b"\x00" * 64,
        "{" + ",".join(f'"k{i}":{i}' for i in range(50_000)) + "}",
        json.dumps(
            {
                **GENUINE["valid"],
                "credentialSubject": {**GENUINE["valid"]["credentialSubject"], "level": 1e400},
            }
        ),
    ],
    ids=["deep-list", "deep-object", "two-boms", "nul-bytes", "wide-object", "infinite-number"],
)
def test_extreme_inputs_get_a_verdict(data: bytes | str) -> None:
    assert not judge(data).ok


def test_a_lone_surrogate_in_a_key_is_malformed_not_a_crash() -> None:
    """JSON text may escape half a surrogate pair (\\ud800); the page's canonical form refuses
    it (jcs.js), and so must ours, instead of failing inside rfc8785's key sort."""
    doc = copy.deepcopy(GENUINE["valid"])
    doc["credentialSubject"]["\ud800"] = 1
    result = judge(json.dumps(doc).encode("ascii"))
    assert (result.verdict, result.reason) == (Verdict.MALFORMED, "not-canonical")


def test_the_raising_form_raises_only_its_own_error() -> None:
    with pytest.raises(RecordVerificationError) as info:
        verify_record(b"[" * 100_000, trust=TRUST, now=NOW)
    assert info.value.result.verdict is Verdict.MALFORMED
    for doc in GENUINE.values():
        result = judge(json.dumps(doc, ensure_ascii=False))
        assert result.verdict in (Verdict.VALID, Verdict.CERTIFICATE_REVOKED)
