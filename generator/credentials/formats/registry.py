"""The key registry: which public keys each organization signs with, and when; signed by the root.

It is a Verifiable Credential about the site (`site_url`), issued by the site's root
(`did:web:<site>:keys`) and secured like the records. It binds the site's DIDs to keys: each
organization (`did:web:<site>:organizations:<org>`) has keys, named `<org DID>#<key id>`, with a
window (`validFrom`, `validUntil`) and maybe `revokedAt` + reason. A record signed inside its
key's window stays valid when the key is later retired; a key revoked at T invalidates the
records it signed at or after T only. `version` goes up by one with every change
and a saved registry may never have a lower version than the one it replaces. The DID documents
the site publishes are generated from it (`did.py`); it stays the source of truth for windows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from typing import Any

from generator.credentials.formats._time import checked_timestamp, format_utc, parse_timestamp
from generator.credentials.formats.context import VC_CONTEXT
from generator.credentials.formats.errors import RegistryError
from generator.credentials.formats.jsontext import is_json_integer
from generator.credentials.formats.multibase import MultibaseError, decode_public_multikey
from generator.credentials.formats.proof import (
    ProofFormatError,
    ProofSigner,
    add_proof,
    parse_proof,
    signature_matches,
)
from generator.credentials.formats.site import (
    DEMO_SITE_URL,
    KEY_ID,
    Site,
    SiteUrlError,
)
from generator.credentials.paths import SITE_REGISTRY
from generator.slug import SLUG

REGISTRY_TYPE = "XcertKeyRegistry"


def fingerprint(public_key_multibase: str) -> str:
    """SHA-256 of the raw 32-byte public key, hex in groups of four: what people compare."""
    digest = hashlib.sha256(decode_public_multikey(public_key_multibase)).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


@dataclass(frozen=True)
class KeyEntry:
    """One organization key and its window."""

    key_id: str
    organization: str
    public_key_multibase: str
    valid_from: str
    valid_until: str | None = None
    revoked_at: str | None = None
    revocation_reason: str | None = None

    def problem_at(self, created: dt.datetime) -> str | None:
        """None when the key could sign at `created`, else the verdict code saying why not."""
        if self.revoked_at is not None and created >= parse_timestamp(self.revoked_at):
            return "key-revoked-before-issue"
        if created < parse_timestamp(self.valid_from):
            return "key-not-valid-at-issue"
        if self.valid_until is not None and created >= parse_timestamp(self.valid_until):
            return "key-not-valid-at-issue"
        return None

    @property
    def active(self) -> bool:
        return self.valid_until is None and self.revoked_at is None

    def to_json(self, site: Site) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": site.key_method(self.organization, self.key_id),
            "type": "XcertKey",
            "publicKeyMultibase": self.public_key_multibase,
            "validFrom": self.valid_from,
        }
        if self.valid_until is not None:
            out["validUntil"] = self.valid_until
        if self.revoked_at is not None:
            out["revokedAt"] = self.revoked_at
            out["revocationReason"] = self.revocation_reason or ""
        return out


@dataclass(frozen=True)
class OrgEntry:
    """An organization that issues records, with all its keys, past and present."""

    org_id: str
    name: str
    keys: tuple[KeyEntry, ...]
    demo: bool = False

    @property
    def current_key(self) -> KeyEntry | None:
        active = [k for k in self.keys if k.active]
        return active[-1] if active else None

    def to_json(self, site: Site) -> dict[str, Any]:
        out: dict[str, Any] = {"id": site.org_did(self.org_id), "type": "XcertOrganization"}
        out["name"] = self.name
        if self.demo:
            out["demo"] = True
        out["keys"] = [k.to_json(site) for k in self.keys]
        return out


@dataclass(frozen=True)
class Registry:
    """The registry's content; `signed_document` turns it into the published credential."""

    version: int
    updated: str
    root_public_key_multibase: str
    root_name: str
    organizations: tuple[OrgEntry, ...] = ()
    demo: bool = False
    site: Site = Site(DEMO_SITE_URL)

    def __post_init__(self) -> None:
        if any(not KEY_ID.match(k.key_id) for o in self.organizations for k in o.keys):
            raise RegistryError("a key id is not a slug like acme-1")
        if self.version < 1:
            raise RegistryError("the registry version starts at 1")
        ids = [o.org_id for o in self.organizations]
        if len(ids) != len(set(ids)):
            raise RegistryError("an organization appears twice in the registry")
        keys = [k.public_key_multibase for o in self.organizations for k in o.keys]
        if len(keys) != len(set(keys)) or self.root_public_key_multibase in keys:
            raise RegistryError("a public key appears twice in the registry")

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.root_public_key_multibase)

    def organization(self, org_id: str) -> OrgEntry | None:
        return next((o for o in self.organizations if o.org_id == org_id), None)

    def key_by_multibase(self, multibase: str) -> KeyEntry | None:
        for org in self.organizations:
            for key in org.keys:
                if key.public_key_multibase == multibase:
                    return key
        return None

    def key_by_id(self, key_id: str) -> KeyEntry | None:
        for org in self.organizations:
            for key in org.keys:
                if key_id in (key.key_id, key.public_key_multibase):
                    return key
        return None

    def key_for_method(self, method: str) -> KeyEntry | None:
        """The organization key a verification method `<org DID>#<key id>` names, else None."""
        found = self.site.split_method(method)
        org = self.organization(found[0]) if found else None
        return next((k for k in org.keys if found and k.key_id == found[1]), None) if org else None

    def unsigned_document(self) -> dict[str, Any]:
        root = self.site.root_did
        subject: dict[str, Any] = {
            "id": self.site.url,
            "type": "XcertSite",
            "version": self.version,
            "demo": self.demo,
            "root": {
                "id": root,
                "type": "XcertRootKey",
                "publicKeyMultibase": self.root_public_key_multibase,
                "name": self.root_name,
                "fingerprint": self.fingerprint,
            },
            "organizations": [o.to_json(self.site) for o in self.organizations],
        }
        return {
            "@context": [VC_CONTEXT, self.site.context_url],
            "id": self.site.at(SITE_REGISTRY),
            "type": ["VerifiableCredential", REGISTRY_TYPE],
            "issuer": {"id": root, "name": self.root_name},
            "validFrom": self.updated,
            "credentialSubject": subject,
        }

    def signed_document(self, root: ProofSigner) -> dict[str, Any]:
        if root.public_key_multibase != self.root_public_key_multibase:
            raise RegistryError("the registry must be signed by its own root key")
        return add_proof(
            self.unsigned_document(),
            signer=root,
            created=self.updated,
            verification_method=self.site.root_method,
            proof_set=True,
        )

    # Changes: each returns the next version.

    def with_site(self, *, site: Site, at: dt.datetime) -> Registry:
        """The registry for another address (the site moved): every DID changes with it."""
        return replace(self, version=self.version + 1, updated=format_utc(at), site=site)

    def _next(self, *, at: dt.datetime, organizations: tuple[OrgEntry, ...]) -> Registry:
        return replace(
            self, version=self.version + 1, updated=format_utc(at), organizations=organizations
        )

    def with_organization(
        self, *, org_id: str, name: str, key: ProofSigner, at: dt.datetime, demo: bool = False
    ) -> Registry:
        if not SLUG.match(org_id):
            raise RegistryError(f"{org_id!r} is not an organization id (a slug like acme-edu)")
        if self.organization(org_id) is not None:
            raise RegistryError(f"organization {org_id!r} is in the registry already")
        entry = KeyEntry(key.key_id, org_id, key.public_key_multibase, format_utc(at))
        org = OrgEntry(org_id, name, (entry,), demo=demo)
        return self._next(at=at, organizations=(*self.organizations, org))

    def with_rotation(self, *, org_id: str, key: ProofSigner, at: dt.datetime) -> Registry:
        org = self.organization(org_id)
        if org is None:
            raise RegistryError(f"organization {org_id!r} is not in the registry")
        # Timestamps have whole seconds. The old key's window closes at the end of the rotation's
        # second, so a record it signed earlier in that same second stays valid; the new key is
        # valid from the start of that second. Both keys are valid for that one second.
        start = format_utc(at)
        end = format_utc(at.replace(microsecond=0) + dt.timedelta(seconds=1))
        keys = tuple(replace(k, valid_until=end) if k.active else k for k in org.keys)
        keys += (KeyEntry(key.key_id, org_id, key.public_key_multibase, start),)
        return self._replace_org(replace(org, keys=keys), at=at)

    def with_revocation(
        self, *, key_id: str, at: dt.datetime, reason: str, now: dt.datetime
    ) -> Registry:
        key = self.key_by_id(key_id)
        if key is None:
            raise RegistryError(f"no key {key_id!r} in the registry")
        if key.revoked_at is not None:
            raise RegistryError(f"key {key.key_id} was revoked already at {key.revoked_at}")
        if not reason.strip():
            raise RegistryError("a key revocation needs a reason")
        org = self.organization(key.organization)
        assert org is not None
        revoked = replace(key, revoked_at=format_utc(at), revocation_reason=reason.strip())
        keys = tuple(revoked if k == key else k for k in org.keys)
        return self._replace_org(replace(org, keys=keys), at=now)

    def _replace_org(self, org: OrgEntry, *, at: dt.datetime) -> Registry:
        orgs = tuple(org if o.org_id == org.org_id else o for o in self.organizations)
        return self._next(at=at, organizations=orgs)

    def next_key_id(self, org_id: str) -> str:
        org = self.organization(org_id)
        return f"{org_id}-{len(org.keys) + 1 if org else 1}"


def registry_from_document(doc: Any) -> Registry:
    """Check the registry credential's form and root signature; raises RegistryError."""
    try:
        if not isinstance(doc, dict) or not has_type(doc, REGISTRY_TYPE):
            raise RegistryError("not a key registry")
        parsed = parse_proof(doc)
        subject = doc["credentialSubject"]
        site = Site.parse(subject["id"])
        if subject["id"] != site.url or doc["@context"] != [VC_CONTEXT, site.context_url]:
            raise RegistryError("the registry's site or @context is not in its normal form")
        root = subject["root"]["publicKeyMultibase"]
        if (
            doc["issuer"]["id"] != site.root_did
            or subject["root"]["id"] != site.root_did
            or parsed.verification_method != site.root_method
        ):
            raise RegistryError("the registry is not signed by the root of its site")
        if not signature_matches(parsed, public_key=decode_public_multikey(root)):
            raise RegistryError("the registry's signature does not match (altered?)")
        if subject["root"].get("fingerprint") != fingerprint(root):
            raise RegistryError("the registry's root fingerprint is not its root key's")
        orgs = [_org_entry(o, site) for o in subject["organizations"]]
        version = subject["version"]
        if not is_json_integer(version):
            raise RegistryError("the registry version is not an integer")
        return Registry(
            version=int(version),
            updated=checked_timestamp(doc["validFrom"]),
            root_public_key_multibase=root,
            root_name=str(subject["root"]["name"]),
            organizations=tuple(orgs),
            demo=bool(subject.get("demo")),
            site=site,
        )
    except ProofFormatError as e:
        raise RegistryError(f"the registry's proof is malformed: {e}") from e
    except (KeyError, TypeError, ValueError, MultibaseError, SiteUrlError) as e:
        raise RegistryError(f"the registry is malformed: {e}") from e


def _org_entry(o: dict[str, Any], site: Site) -> OrgEntry:
    org_id = site.org_of(o["id"])
    if org_id is None:
        raise RegistryError(f"{o['id']!r} is not an organization DID of {site.url}")
    keys = []
    for k in o["keys"]:
        found = site.split_method(k["id"])
        if found is None or found[0] != org_id:
            raise RegistryError(f"{k['id']!r} is not a key of {o['id']}")
        keys.append(
            KeyEntry(
                key_id=found[1],
                organization=org_id,
                public_key_multibase=_multikey(k["publicKeyMultibase"]),
                valid_from=checked_timestamp(k["validFrom"]),
                valid_until=checked_timestamp(k["validUntil"]) if "validUntil" in k else None,
                revoked_at=checked_timestamp(k["revokedAt"]) if "revokedAt" in k else None,
                revocation_reason=str(k.get("revocationReason", "")) if "revokedAt" in k else None,
            )
        )
    return OrgEntry(org_id, str(o["name"]), tuple(keys), demo=bool(o.get("demo")))


def _multikey(value: Any) -> str:
    decode_public_multikey(value)
    return str(value)


def has_type(doc: dict[str, Any], name: str) -> bool:
    types = doc.get("type")
    return isinstance(types, list) and name in types
