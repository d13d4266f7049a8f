"""The JSON-LD contexts the published credentials name: the W3C VC 2.0 context, the Open Badges 3.0
context (records), and the project's own, versioned and `@protected`, which defines every other
term and type (`xcert-v1.jsonld` beside this module; published at `paths.SITE_CONTEXT`).

A new term means a new version of the file (`xcert-v2.jsonld`), never an edit of a published one:
signed records name the context by URL, and its meaning must not change under them.
"""

from __future__ import annotations

from importlib import resources

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
CONTEXT_FILE = "xcert-v1.jsonld"


def context_bytes() -> bytes:
    """The project's context, as published."""
    return resources.files(__package__).joinpath(CONTEXT_FILE).read_bytes()
