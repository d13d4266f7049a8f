"""The site's DID documents (`did:web`), generated from the signed key registry at build time: one
for the root (`<site>keys/did.json`) and one per organization
(`<site>organizations/<org>/did.json`), each listing as `Multikey` assertion methods every key
the registry gives it, past and present, so records signed before a rotation still verify.

A DID document says which keys an identifier controls; it has no notion of a key's window or
compromise. Those stay in the registry, which xcert's verifier and the verify page read; a
generic verifier sees every key the organization ever had (docs/credentials.md).
"""

from __future__ import annotations

from typing import Any

from generator.credentials.formats.context import DID_CONTEXT, MULTIKEY_CONTEXT
from generator.credentials.formats.registry import Registry


def _document(did: str, methods: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": [
            {"id": vm, "type": "Multikey", "controller": did, "publicKeyMultibase": key}
            for vm, key in methods
        ],
        "assertionMethod": [vm for vm, _ in methods],
    }


def did_documents(registry: Registry) -> dict[str, dict[str, Any]]:
    """DID → its document, for the root and every organization of the registry."""
    site = registry.site
    docs = {
        site.root_did: _document(
            site.root_did, [(site.root_method, registry.root_public_key_multibase)]
        )
    }
    for org in registry.organizations:
        did = site.org_did(org.org_id)
        docs[did] = _document(
            did,
            [(site.key_method(org.org_id, k.key_id), k.public_key_multibase) for k in org.keys],
        )
    return docs
