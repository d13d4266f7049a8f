"""Reading the first record format (before `did:web`): key registries issued by a `did:key` root,
records and status lists naming `urn:xcert:` identifiers. Only to move them to today's format
(`xcert keys migrate`, `xcert migrate`, `xcert demo`); nothing verifies or publishes them any more.

A first-format registry lists organizations by slug and keys by id; its root signed it with
`did:key:<root>#<root>`, a record's proof names `did:key:<key>#<key>`, and a status list carries
its revocations (index, date, reason) in the clear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.credentials.formats._time import checked_timestamp, is_date, parse_timestamp
from generator.credentials.formats.errors import RegistryError
from generator.credentials.formats.jsontext import is_json_integer
from generator.credentials.formats.multibase import MultibaseError, decode_public_multikey
from generator.credentials.formats.proof import (
    ProofFormatError,
    did_key_public_key,
    parse_proof,
    signature_matches,
)
from generator.credentials.formats.registry import KeyEntry, OrgEntry, Registry, has_type

REGISTRY_ID = "urn:xcert:key-registry"
ORG_URN = "urn:xcert:organization:"
_LIST_ID = re.compile(r"^urn:xcert:status:([a-z0-9]+(?:-[a-z0-9]+)*):([1-9][0-9]{0,5})\Z")


def is_legacy_registry(doc: Any) -> bool:
    subject = doc.get("credentialSubject") if isinstance(doc, dict) else None
    return isinstance(subject, dict) and subject.get("id") == REGISTRY_ID


def legacy_registry(doc: Any) -> Registry:
    """The content of a first-format registry, its root signature checked; the site is unknown
    (the DEMO default stands in). Raises RegistryError."""
    try:
        if not has_type(doc, "XcertKeyRegistry") or not is_legacy_registry(doc):
            raise RegistryError("not a first-format key registry")
        parsed = parse_proof(doc, proof_set=False)
        subject = doc["credentialSubject"]
        root = subject["root"]["publicKeyMultibase"]
        key = did_key_public_key(parsed.verification_method)
        if key is None or key != decode_public_multikey(root):
            raise RegistryError("the registry is not signed by the root key it names")
        if not signature_matches(parsed, public_key=key):
            raise RegistryError("the registry's signature does not match (altered?)")
        orgs = []
        for o in subject["organizations"]:
            keys = tuple(
                KeyEntry(
                    key_id=str(k["id"]),
                    organization=str(o["id"]),
                    public_key_multibase=str(k["publicKeyMultibase"]),
                    valid_from=checked_timestamp(k["validFrom"]),
                    valid_until=checked_timestamp(k["validUntil"]) if "validUntil" in k else None,
                    revoked_at=checked_timestamp(k["revokedAt"]) if "revokedAt" in k else None,
                    revocation_reason=str(k.get("revocationReason", ""))
                    if "revokedAt" in k
                    else None,
                )
                for k in o["keys"]
            )
            orgs.append(OrgEntry(str(o["id"]), str(o["name"]), keys, demo=bool(o.get("demo"))))
        if not is_json_integer(subject["version"]):
            raise RegistryError("the registry version is not an integer")
        return Registry(
            version=int(subject["version"]),
            updated=checked_timestamp(doc["validFrom"]),
            root_public_key_multibase=root,
            root_name=str(subject["root"]["name"]),
            organizations=tuple(orgs),
            demo=bool(subject.get("demo")),
        )
    except ProofFormatError as e:
        raise RegistryError(f"the registry's proof is malformed: {e}") from e
    except (KeyError, TypeError, ValueError, MultibaseError) as e:
        raise RegistryError(f"the registry is malformed: {e}") from e


@dataclass(frozen=True)
class LegacyRecord:
    """What a first-format record says, its signature checked against a key of its issuer."""

    organization: str
    holder: str
    certificate: str
    level: str
    number: str
    issue_date: str
    exam_date: str | None
    exam_site: str | None
    national_id_masked: str | None
    status_list: tuple[str, int]  # (organization, list number) of its urn:xcert:status list
    status_index: int


def legacy_record(doc: Any, *, registry: Registry) -> LegacyRecord:
    """A first-format record, checked: its proof's key is a key of its issuer in `registry`,
    valid when it signed, and the signature holds. Raises ValueError saying why not."""
    if not isinstance(doc, dict) or "XcertCertificateCredential" not in doc.get("type", []):
        raise ValueError("not an xcert record")
    issuer = doc.get("issuer", {}).get("id", "")
    if not isinstance(issuer, str) or not issuer.startswith(ORG_URN):
        raise ValueError("not a first-format record (its issuer is no urn:xcert:organization)")
    org = issuer[len(ORG_URN) :]
    try:
        parsed = parse_proof(doc, proof_set=False)
    except ProofFormatError as e:
        raise ValueError(f"its proof is malformed: {e}") from e
    public = did_key_public_key(parsed.verification_method)
    key = None
    owner = registry.organization(org)
    for entry in owner.keys if owner else ():
        if public is not None and decode_public_multikey(entry.public_key_multibase) == public:
            key = entry
    if key is None or public is None:
        raise ValueError("it is not signed by a key of its organization")
    if key.problem_at(parse_timestamp(parsed.created)) is not None:
        raise ValueError(f"its key {key.key_id} was not valid when it signed")
    if not signature_matches(parsed, public_key=public):
        raise ValueError("its signature does not match (altered?)")
    s, st = doc["credentialSubject"], doc["credentialStatus"]
    m = _LIST_ID.match(str(st.get("statusListCredential")))
    if m is None or m.group(1) != org:
        raise ValueError("its status entry is not one of its organization's lists")
    return LegacyRecord(
        organization=org,
        holder=str(s["name"]),
        certificate=str(s["certificate"]),
        level=str(s["level"]),
        number=str(s["certificateNumber"]),
        issue_date=str(s["issueDate"]),
        exam_date=s.get("examDate"),
        exam_site=s.get("examSite"),
        national_id_masked=s.get("nationalIdMasked"),
        status_list=(m.group(1), int(m.group(2))),
        status_index=int(st["statusListIndex"]),
    )


def legacy_revocations(doc: Any) -> dict[int, tuple[str, str]]:
    """index → (date, reason) of a first-format status list (its signature is not checked: the
    records it covers are, and a revocation only ever takes a certificate away)."""
    out: dict[int, tuple[str, str]] = {}
    subject = doc.get("credentialSubject", {}) if isinstance(doc, dict) else {}
    for r in subject.get("revocations", []) if isinstance(subject, dict) else []:
        if isinstance(r, dict) and is_json_integer(r.get("index")) and is_date(r.get("date")):
            out[int(r["index"])] = (str(r["date"]), str(r.get("reason", "")))
    return out
