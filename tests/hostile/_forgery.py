"""Forged records and key registries, made with the agreement suite's fixed keys and clock
(tests/credentials/_scenarios.py): what a forger who holds a genuine record, a key of their own,
or an old registry can produce. Ed25519 is deterministic, so every run makes the same bytes.

Registry (version 4): acme-1 retired 2024-06-01, acme-2 revoked 2024-09-01 (私钥泄露), acme-3
current; ROGUE is in no registry.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "credentials"))

from _scenarios import A1, A2, A3, AGREEMENT, ROGUE, ROOT, SITE, achievement, record, registry, t

from generator.credentials.formats.jsontext import dump_json
from generator.credentials.formats.proof import add_proof
from generator.credentials.formats.registry import Registry
from generator.credentials.issuing.keys import Signer

# What the payload record's holder is called: the page must show it as text.
PAYLOAD_HOLDER = '<img src=x onerror=alert(1)>"><svg onload=alert(1)>张三'


def _method(key: Signer) -> str:
    """The verification method naming `key`: its organization's DID (acme-2 → acme) # its id."""
    return (
        SITE.root_method
        if key is ROOT
        else SITE.key_method(key.key_id.rsplit("-", 1)[0], key.key_id)
    )


def _resigned(doc: dict[str, Any], signer: Signer, created: str) -> dict[str, Any]:
    unsigned = {k: v for k, v in doc.items() if k != "proof"}
    return add_proof(
        unsigned,
        signer=signer,
        created=created,
        verification_method=_method(signer),
        proof_set=True,
    )


def _claiming(doc: dict[str, Any], key: Signer) -> dict[str, Any]:
    """The proof says `key` made it; it did not."""
    out = copy.deepcopy(doc)
    out["proof"][0]["verificationMethod"] = _method(key)
    return out


def _moved(
    doc: dict[str, Any], *, created: str | None = None, issued: str | None = None
) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    if created:
        out["proof"][0]["created"] = created
    if issued:
        out["credentialSubject"]["issueDate"] = issued
        out["validFrom"] = f"{issued}T00:00:00+08:00"
    return out


def records() -> dict[str, tuple[bytes, str, str]]:
    """case → (file bytes, verdict, reason) that both verifiers must give."""
    genuine = record(signer=A2, created="2024-07-01T00:00:00Z", index=0)
    altered = copy.deepcopy(genuine)
    altered["credentialSubject"].update(name="李四", achievement=achievement("高级").to_json(SITE))
    # acme-1 signed after it was retired; acme-2 signed after it was revoked.
    late_a1 = record(signer=A1, created="2024-07-01T00:00:00Z", index=6)
    late_a2 = record(
        signer=A2, created="2024-09-02T00:00:00Z", index=4, issue_date=dt.date(2024, 9, 2)
    )
    cases = {
        # The forger's own key: not in the registry.
        "re-signed-by-unregistered-key": (
            _resigned(altered, ROGUE, "2024-07-01T00:00:00Z"),
            "unknown-key",
            "key-not-in-registry",
        ),
        # The forger's own signature, with the proof naming a registered key.
        "re-signed-claiming-registered-key": (
            _claiming(_resigned(altered, ROGUE, "2024-07-01T00:00:00Z"), A3),
            "altered",
            "signature-mismatch",
        ),
        # Genuine late signatures, refused for the key's window...
        "signed-after-key-retired": (late_a1, "key-not-valid-at-issue", "key-not-valid-at-issue"),
        "signed-after-key-revoked": (
            late_a2,
            "key-revoked-before-issue",
            "key-revoked-before-issue",
        ),
        # ...and the same records with their dates moved into the window after signing.
        "proof-time-moved-into-window": (
            _moved(late_a1, created="2024-05-01T00:00:00Z"),
            "altered",
            "signature-mismatch",
        ),
        "issue-date-moved-into-window": (
            _moved(late_a1, issued="2024-05-01"),
            "altered",
            "signature-mismatch",
        ),
        "both-dates-moved-before-revocation": (
            _moved(late_a2, created="2024-08-01T00:00:00Z", issued="2024-08-01"),
            "altered",
            "signature-mismatch",
        ),
        # A genuine record whose holder's name is a payload: valid, and shown as text.
        "payload-in-holder-name": (
            record(
                signer=A3,
                created="2024-10-01T00:00:00Z",
                index=9,
                name=PAYLOAD_HOLDER,
                number="ACME-2024-000009",
            ),
            "valid",
            "valid",
        ),
    }
    return {
        name: (dump_json(doc), verdict, reason) for name, (doc, verdict, reason) in cases.items()
    }


def lowered_registry() -> Registry:
    """Version 3, signed by the real root: acme-2 not yet revoked. Served in place of version 4
    it would make `signed-after-key-revoked` valid."""
    current = registry()
    acme = current.organization("acme")
    assert acme is not None
    keys = tuple(
        dataclasses.replace(
            k,
            revoked_at=None,
            revocation_reason=None,
            valid_until=None if k.key_id == "acme-2" else k.valid_until,
        )
        for k in acme.keys
        if k.key_id != "acme-3"
    )
    orgs = tuple(
        dataclasses.replace(o, keys=keys) if o.org_id == "acme" else o
        for o in current.organizations
    )
    return dataclasses.replace(
        current, version=3, updated="2024-06-01T00:00:00Z", organizations=orgs
    )


def registry_signed_by(signer: Signer, *, claim_root: bool = False) -> dict[str, Any]:
    """The genuine registry content naming the real root, signed by `signer` instead."""
    doc = add_proof(
        registry().unsigned_document(),
        signer=signer,
        created="2024-09-01T00:00:00Z",
        proof_set=True,
    )
    return _claiming(doc, ROOT) if claim_root else doc


def registry_with_new_root() -> Registry:
    """A self-consistent registry under the forger's own root key."""
    return dataclasses.replace(
        registry(), root_public_key_multibase=ROGUE.public_key_multibase, root_name="伪造的根密钥"
    )


__all__ = [
    "A2",
    "AGREEMENT",
    "PAYLOAD_HOLDER",
    "ROGUE",
    "ROOT",
    "lowered_registry",
    "records",
    "registry",
    "registry_signed_by",
    "registry_with_new_root",
    "t",
]
