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
    """The parts of a secured document's proof that verification needs."""

    public_key_multibase: str
    public_key: bytes
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
    document: dict[str, Any], *, signer: ProofSigner, created: str, purpose: str = ASSERTION
) -> dict[str, Any]:
    """Return a copy of `document` secured with an eddsa-jcs-2022 proof made by `signer`."""
    if "proof" in document:
        raise ValueError("the document already has a proof")
    config = proof_config(
        context=document.get("@context"),
        created=created,
        verification_method=signer.verification_method,
        purpose=purpose,
    )
    signature = signer.sign(hash_data(proof_config=config, document=document))
    return {**document, "proof": {**config, "proofValue": encode_base58btc(signature)}}


def parse_proof(secured: dict[str, Any], *, purpose: str = ASSERTION) -> ParsedProof:
    """Check the proof's form and split the secured document; raises ProofFormatError."""
    proof = secured.get("proof")
    if not isinstance(proof, dict):
        raise ProofFormatError("no-proof", "the document has no single proof object")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofFormatError("unsupported-proof", "the proof is not an eddsa-jcs-2022 proof")
    if proof.get("proofPurpose") != purpose:
        raise ProofFormatError("bad-proof-purpose", f"the proof purpose is not {purpose}")
    vm = proof.get("verificationMethod")
    m = _DID_KEY.match(vm) if isinstance(vm, str) else None
    if m is None or m.group(1) != m.group(2):
        raise ProofFormatError("bad-verification-method", "the verification method is not did:key")
    created = proof.get("created")
    if not is_timestamp(created):
        raise ProofFormatError("bad-created", "the proof's creation time is missing or malformed")
    try:
        public_key = decode_public_multikey(m.group(1))
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
        public_key_multibase=m.group(1),
        public_key=public_key,
        signature=signature,
        created=str(created),
        proof_config=config,
        unsecured=unsecured,
    )


def signature_matches(parsed: ParsedProof) -> bool:
    """True when the signature fits the canonical proof configuration and document."""
    message = hash_data(proof_config=parsed.proof_config, document=parsed.unsecured)
    try:
        nacl.signing.VerifyKey(parsed.public_key).verify(message, parsed.signature)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, ValueError):
        return False
    return True
