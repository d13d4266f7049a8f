"""Known-answer tests from the W3C vc-di-eddsa test vectors (eddsa-jcs-2022)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.credentials.formats.jcs import canonical_bytes
from generator.credentials.formats.multibase import decode_secret_multikey, encode_public_multikey
from generator.credentials.formats.proof import (
    ProofFormatError,
    add_proof,
    did_key_public_key,
    hash_data,
    parse_proof,
    signature_matches,
)
from generator.credentials.issuing.keys import Signer

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "vectors" / "vc-di-eddsa"

# The facts, from w3c/vc-di-eddsa TestVectors/ (see ../shared/vectors/README.md).
PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
UNSIGNED: dict[str, Any] = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2",
    ],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
CREATED = "2023-02-24T23:36:38Z"
PROOF_HASH = "66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db"
DOC_HASH = "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19"
PROOF_VALUE = (
    "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"
)
SIGNATURE_HEX = (
    "407cd12654b33d718ecbb99179a1506daaa849450bf3fc523cce3e1c96f8b803"
    "51da3f253d725c6f00b07c9e5448d50b3ef78012b9ab54255116d069c6dd2808"
)
VM = f"did:key:{PUBLIC}#{PUBLIC}"


def signed() -> dict[str, Any]:
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": CREATED,
        "verificationMethod": VM,
        "proofPurpose": "assertionMethod",
        "@context": UNSIGNED["@context"],
        "proofValue": PROOF_VALUE,
    }
    return {**copy.deepcopy(UNSIGNED), "proof": proof}


def verifies(doc: Any) -> bool:
    try:
        parsed = parse_proof(doc, proof_set=False)
    except ProofFormatError:
        return False
    key = did_key_public_key(parsed.verification_method)
    try:
        return key is not None and signature_matches(parsed, public_key=key)
    except ProofFormatError:
        return False


def test_secret_key_decodes_to_the_public_key() -> None:
    signer = Signer.from_seed(decode_secret_multikey(SECRET), key_id="vector")
    assert signer.public_key_multibase == PUBLIC
    assert encode_public_multikey(signer.public_key) == PUBLIC


def test_signer_reproduces_the_official_proof_value() -> None:
    signer = Signer.from_seed(decode_secret_multikey(SECRET), key_id="vector")
    secured = add_proof(copy.deepcopy(UNSIGNED), signer=signer, created=CREATED)
    assert secured["proof"]["proofValue"] == PROOF_VALUE
    assert secured == signed()


def test_hashes_are_the_official_ones() -> None:
    parsed = parse_proof(signed(), proof_set=False)
    data = hash_data(proof_config=parsed.proof_config, document=parsed.unsecured)
    assert data.hex() == PROOF_HASH + DOC_HASH
    assert parsed.signature.hex() == SIGNATURE_HEX


def test_verifier_accepts_the_official_signed_credential() -> None:
    assert verifies(signed())


@pytest.mark.skipif(not VECTORS.exists(), reason="../shared/vectors is not present")
def test_files_agree_with_the_embedded_values() -> None:
    key_pair = json.loads((VECTORS / "keyPair.json").read_text())
    assert (key_pair["publicKeyMultibase"], key_pair["privateKeyMultibase"]) == (PUBLIC, SECRET)
    assert json.loads((VECTORS / "unsigned.json").read_text()) == UNSIGNED
    jcs = VECTORS / "eddsa-jcs-2022"
    assert json.loads((jcs / "signedJCS.json").read_text()) == signed()
    assert canonical_bytes(UNSIGNED) == (jcs / "canonDocJCS.txt").read_bytes().strip()
    config = {k: v for k, v in signed()["proof"].items() if k != "proofValue"}
    assert canonical_bytes(config) == (jcs / "proofCanonJCS.txt").read_bytes().strip()
    assert (jcs / "sigBTC58JCS.txt").read_text().strip() == PROOF_VALUE
    assert verifies(json.loads((jcs / "signedJCS.json").read_text()))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    """Every string (keys included) in a JSON value, with where it is."""
    out: list[tuple[tuple[Any, ...], str]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.append(((*prefix, ("key", k)), k))
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*prefix, i)))
    elif isinstance(value, str):
        out.append((prefix, value))
    return out


def _replace(doc: Any, path: tuple[Any, ...], new: str) -> Any:
    doc = copy.deepcopy(doc)
    target = doc
    for part in path[:-1]:
        target = target[part]
    last = path[-1]
    if isinstance(last, tuple):  # a key: rename it, keeping the value
        target[new] = target.pop(last[1])
    else:
        target[last] = new
    return doc


def test_every_one_character_change_of_every_string_is_rejected() -> None:
    original = signed()
    checked = 0
    for path, text in _paths(original):
        for i, c in enumerate(text):
            new = text[:i] + ("x" if c != "x" else "y") + text[i + 1 :]
            assert not verifies(_replace(original, path, new)), (path, i)
            checked += 1
    assert checked > 800  # every character of every key and value


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_one_character_change_of_the_text_is_rejected_unless_it_means_the_same(
    data: st.DataObject,
) -> None:
    text = json.dumps(signed(), indent=2)
    i = data.draw(st.integers(0, len(text) - 1))
    new_char = data.draw(st.characters(codec="utf-8").filter(lambda c: c != text[i]))
    changed = text[:i] + new_char + text[i + 1 :]
    try:
        doc = json.loads(changed)
    except json.JSONDecodeError:
        return  # not JSON any more: nothing to verify
    assert verifies(doc) == (doc == signed())
