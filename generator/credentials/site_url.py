"""The site's address, which every DID and status list URL is made from: `--site-url`, else
`$XCERT_SITE_URL`, else `site_url` in mkdocs.yml. A DEMO (a DEMO key registry, or none) without
one uses the DEMO address `http://127.0.0.1:8000/` (what `xcert serve` serves); anything else
without one is an error saying what to set."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from generator.credentials.formats.errors import CredentialError
from generator.credentials.formats.site import DEMO_SITE_URL, Site, SiteUrlError

SITE_URL_ENV = "XCERT_SITE_URL"


class SiteUrlMissingError(CredentialError):
    """A real (not DEMO) registry and no site address configured."""


def configured_site_url(repo_root: Path) -> str | None:
    """`$XCERT_SITE_URL`, else `site_url` from mkdocs.yml, else None."""
    env = os.environ.get(SITE_URL_ENV)
    if env:
        return env
    try:
        config = yaml.safe_load((repo_root / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    url = config.get("site_url") if isinstance(config, dict) else None
    return url if isinstance(url, str) and url else None


def resolve_site(repo_root: Path, *, explicit: str | None = None, demo: bool) -> Site:
    """The site of a build or a registry; `demo` allows the DEMO address as the default."""
    text = explicit or configured_site_url(repo_root)
    if text is None:
        if demo:
            return Site(DEMO_SITE_URL)
        raise SiteUrlMissingError(
            "no site address: set site_url in mkdocs.yml to the address the site is published "
            "at (e.g. site_url: https://example.org/xcert/), or set $XCERT_SITE_URL; every "
            "issuer DID and status list URL is made from it"
        )
    try:
        return Site.parse(text)
    except SiteUrlError as e:
        raise SiteUrlMissingError(f"site_url: {e}") from e
