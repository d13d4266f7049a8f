"""The site's identity in the published formats: its address (`site_url`) and what follows from it,
the `did:web` DIDs of the root and of each organization and the URLs of the status lists, the
JSON-LD context and the catalogue pages that records link to.

`did:web` turns an address into a DID by its host (a port's colon written `%3A`) and its path
segments joined by `:`; a DID `did:web:HOST:A:B` is resolved at `https://HOST/A/B/did.json`. The
root is `<site DID>:keys` (its document beside `keys/registry.json`), an organization
`<site DID>:organizations:<org>` (beside its catalogue page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from generator.credentials.paths import (
    SITE_CONTEXT,
    SITE_STATUS,
    SITE_STATUS_DETAILS,
)
from generator.slug import SLUG, SLUG_PATTERN

# The DEMO address: what `make site`, `xcert serve` and the tests use when mkdocs.yml sets no
# `site_url` (xcert serve's default address). Never the address of a published site.
DEMO_SITE_URL = "http://127.0.0.1:8000/"
KEY_ID = SLUG  # a key's id is a slug too: `acme-2`
ROOT_KEY_ID = "root"
_SEGMENT = re.compile(r"^[A-Za-z0-9._~-]+\Z")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?\Z")
LEVEL_FRAGMENTS = {"初级": "junior", "中级": "intermediate", "高级": "senior"}


class SiteUrlError(ValueError):
    """The text is not a usable site address (http(s), a host, a plain path, no query)."""


@dataclass(frozen=True)
class Site:
    """A site address, normalized to end with `/`."""

    url: str

    @classmethod
    def parse(cls, text: str) -> Site:
        parts = urlsplit(text.strip())
        host = parts.netloc.lower()
        segments = [s for s in parts.path.split("/") if s]
        if (
            parts.scheme not in ("https", "http")
            or not _HOST.match(host)
            or parts.query
            or parts.fragment
            or not all(_SEGMENT.match(s) for s in segments)
        ):
            raise SiteUrlError(
                f"{text!r} is not a site address like https://example.org/ or "
                "https://example.org/xcert/ (http or https, a host, a plain path)"
            )
        path = "".join(f"{s}/" for s in segments)
        return cls(f"{parts.scheme}://{host}/{path}")

    @property
    def did(self) -> str:
        parts = urlsplit(self.url)
        segments = [s for s in parts.path.split("/") if s]
        return ":".join(["did:web", parts.netloc.replace(":", "%3A"), *segments])

    @property
    def root_did(self) -> str:
        return f"{self.did}:keys"

    @property
    def root_method(self) -> str:
        return f"{self.root_did}#{ROOT_KEY_ID}"

    def org_did(self, org: str) -> str:
        return f"{self.did}:organizations:{org}"

    def key_method(self, org: str, key_id: str) -> str:
        """The verification method of an organization's key: `<org DID>#<key id>`."""
        return f"{self.org_did(org)}#{key_id}"

    def org_of(self, did: object) -> str | None:
        """The organization whose DID on this site `did` is, else None."""
        prefix = f"{self.did}:organizations:"
        if not isinstance(did, str) or not did.startswith(prefix):
            return None
        org = did[len(prefix) :]
        return org if SLUG.match(org) else None

    def split_method(self, method: object) -> tuple[str, str] | None:
        """(organization, key id) of `<org DID>#<key id>` on this site, else None."""
        if not isinstance(method, str) or method.count("#") != 1:
            return None
        did, key_id = method.split("#")
        org = self.org_of(did)
        return (org, key_id) if org is not None and KEY_ID.match(key_id) else None

    def at(self, path: str) -> str:
        return self.url + path

    @property
    def context_url(self) -> str:
        return self.at(SITE_CONTEXT)

    def status_list_url(self, org: str, number: int) -> str:
        return self.at(f"{SITE_STATUS}/{org}/{number}.json")

    def status_details_url(self, org: str, number: int) -> str:
        return self.at(f"{SITE_STATUS_DETAILS}/{org}/{number}.json")

    def parse_status_list_url(self, url: object) -> tuple[str, int] | None:
        """(organization, list number) of one of this site's status list URLs, else None."""
        prefix = self.at(f"{SITE_STATUS}/")
        if not isinstance(url, str) or not url.startswith(prefix):
            return None
        m = re.match(rf"({SLUG_PATTERN})/([1-9][0-9]{{0,5}})\.json\Z", url[len(prefix) :])
        return (m.group(1), int(m.group(2))) if m else None

    def certificate_url(self, certificate: str) -> str:
        return self.at(f"certificates/{certificate}/")

    def achievement_id(self, certificate: str, level: str) -> str:
        """The certificate at one level: its page, the level as the fragment."""
        return f"{self.certificate_url(certificate)}#{LEVEL_FRAGMENTS.get(level, level)}"

    def standard_url(self, standard: str) -> str:
        return self.at(f"standards/{standard}/")

    def organization_url(self, org: str) -> str:
        return self.at(f"organizations/{org}/")

    def did_document_path(self, did: str) -> str | None:
        """Where on this site the document of one of its DIDs is (relative to the root)."""
        if not did.startswith(self.did + ":"):
            return None
        return "/".join(did[len(self.did) + 1 :].split(":")) + "/did.json"
