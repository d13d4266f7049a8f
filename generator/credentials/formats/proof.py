"""Data Integrity proofs with the `eddsa-jcs-2022` cryptosuite (W3C vc-di-eddsa).

To sign: the proof configuration (the proof without `proofValue`, carrying the document's
`@context`) and the unsecured document are each put in JCS form and hashed with SHA-256; the
signature is Ed25519 over hash(proof config) || hash(document), written base58btc (`z...`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import nacl.exceptions
import nacl.signing

from generator.credentials.formats._time import is_timestamp
from generator.credentials.formats.jcs import canonical_bytes
from generator.credentials.formats.multibase import (
    MultibaseError,
    decode_base58btc,
    decode_public_multikey,
    encode_base58btc,
)

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"
ASSERTION = "assertionMethod"
_DID_KEY = re.compile(r"^did:key:(z6Mk[1-9A-HJ-NP-Za-km-z]+)#(z6Mk[1-9A-HJ-NP-Za-km-z]+)\Z")


class ProofFormatError(ValueError):
    """The proof is missing or not an eddsa-jcs-2022 Data Integrity proof; `code` names why."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class ParsedProof:
    """The parts of a secured document's proof that verification needs. The public key is not
    among them: the verifier looks `verification_method` up in the key registry."""

    verification_method: str
    signature: bytes
    created: str
    proof_config: dict[str, Any]
    unsecured: dict[str, Any]


class ProofSigner(Protocol):
    """What signing needs of a key (generator.credentials.issuing.keys.Signer is one): the
    verification method it writes and an Ed25519 signature. The private key stays inside it."""

    @property
    def key_id(self) -> str: ...

    @property
    def public_key_multibase(self) -> str: ...

    @property
    def verification_method(self) -> str: ...

    def sign(self, message: bytes) -> bytes: ...


def proof_config(
    *, context: Any, created: str, verification_method: str, purpose: str = ASSERTION
) -> dict[str, Any]:
    config: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": purpose,
    }
    if context is not None:
        config["@context"] = context
    return config


@lru_cache(maxsize=64)
def _config_hash(config_json: str) -> bytes:
    # A batch shares one proof configuration: hash its canonical form once.
    return hashlib.sha256(canonical_bytes(json.loads(config_json))).digest()


def hash_data(*, proof_config: dict[str, Any], document: dict[str, Any]) -> bytes:
    """SHA-256(JCS(proof config)) || SHA-256(JCS(document)): the 64 bytes that are signed and
    verified; the one place that builds them."""
    try:
        key = json.dumps(proof_config, sort_keys=True, allow_nan=False)
    except (ValueError, TypeError, RecursionError):  # not plain JSON: no cache, same errors
        config_hash = hashlib.sha256(canonical_bytes(proof_config)).digest()
    else:
        config_hash = _config_hash(key)
    return config_hash + hashlib.sha256(canonical_bytes(document)).digest()


def add_proof(
    document: dict[str, Any],
    *,
    signer: ProofSigner,
    created: str,
    verification_method: str | None = None,
    purpose: str = ASSERTION,
    proof_set: bool = False,
) -> dict[str, Any]:
    """Return a copy of `document` secured with an eddsa-jcs-2022 proof made by `signer`, naming
    `verification_method` (default: the signer's own `did:key` one). With `proof_set` the proof
    is written as a set of one (`"proof": [{...}]`), as Open Badges 3.0 documents carry it; the
    signed bytes are the same either way (the document is hashed without its proof)."""
    if "proof" in document:
        raise ValueError("the document already has a proof")
    config = proof_config(
        context=document.get("@context"),
        created=created,
        verification_method=verification_method or signer.verification_method,
        purpose=purpose,
    )
    signature = signer.sign(hash_data(proof_config=config, document=document))
    proof = {**config, "proofValue": encode_base58btc(signature)}
    return {**document, "proof": [proof] if proof_set else proof}


def did_key_public_key(method: str) -> bytes | None:
    """The key of a `did:key:z6Mk...#z6Mk...` verification method, else None."""
    m = _DID_KEY.match(method)
    if m is None or m.group(1) != m.group(2):
        return None
    try:
        return decode_public_multikey(m.group(1))
    except MultibaseError:
        return None


def parse_proof(
    secured: dict[str, Any], *, purpose: str = ASSERTION, proof_set: bool = True
) -> ParsedProof:
    """Check the proof's form and split the secured document; raises ProofFormatError. With
    `proof_set` (every document xcert publishes) the proof must be a set of exactly one."""
    proof = secured.get("proof")
    if proof_set:
        proof = proof[0] if isinstance(proof, list) and len(proof) == 1 else None
    if not isinstance(proof, dict):
        raise ProofFormatError("no-proof", "the document has no single proof object")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofFormatError("unsupported-proof", "the proof is not an eddsa-jcs-2022 proof")
    if proof.get("proofPurpose") != purpose:
        raise ProofFormatError("bad-proof-purpose", f"the proof purpose is not {purpose}")
    vm = proof.get("verificationMethod")
    if not isinstance(vm, str) or not vm.startswith("did:") or vm.count("#") != 1:
        raise ProofFormatError("bad-verification-method", "the verification method is no DID URL")
    created = proof.get("created")
    if not is_timestamp(created):
        raise ProofFormatError("bad-created", "the proof's creation time is missing or malformed")
    try:
        value = proof.get("proofValue")
        signature = decode_base58btc(value) if isinstance(value, str) else b""
    except MultibaseError as e:
        raise ProofFormatError("bad-proof-value", str(e)) from e
    if len(signature) != 64:
        raise ProofFormatError("bad-proof-value", "the proof value is not a 64-byte signature")
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    if "@context" in config:
        # vc-di-eddsa: the document's @context must start with the proof's, which then stands.
        ctx, doc_ctx = config["@context"], unsecured.get("@context")
        ctx_list = ctx if isinstance(ctx, list) else [ctx]
        doc_list = doc_ctx if isinstance(doc_ctx, list) else [doc_ctx]
        if doc_list[: len(ctx_list)] != ctx_list:
            raise ProofFormatError(
                "bad-context", "the proof's @context does not match the document"
            )
        unsecured["@context"] = ctx
    return ParsedProof(
        verification_method=vm,
        signature=signature,
        created=str(created),
        proof_config=config,
        unsecured=unsecured,
    )


def signature_matches(parsed: ParsedProof, *, public_key: bytes) -> bool:
    """True when the signature by `public_key` fits the canonical proof configuration and
    document."""
    message = hash_data(proof_config=parsed.proof_config, document=parsed.unsecured)
    try:
        nacl.signing.VerifyKey(public_key).verify(message, parsed.signature)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, ValueError):
        return False
    return True
