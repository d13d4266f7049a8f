"""Where credential files live, in the repository and on the published site: the one place that
names them, so issuing, publishing, the commands and the verify page's URLs agree.

Repository (relative to its root): `keys/registry.json` (the signed key registry),
`certificates/<org>/` (issued records), `certificates/<org>/status/<n>.json` (status lists),
`certificates/<org>/status-details/<n>.json` (their sealed revocation details), `.xcert-cache/`
(the build's caches, git-ignored). Site (relative to its root):
`keys/registry.json` and `keys/did.json` (the root's DID document), `r/` (the sealed record
shards), `status/<org>/<n>.json`, `status-details/<org>/<n>.json`, `organizations/<org>/did.json`,
`contexts/xcert-v1.jsonld`, `verify/catalogue.json`, `verify/demo/`.
"""

from __future__ import annotations

from pathlib import Path

# The repository.
CERTIFICATES_DIR = "certificates"
REGISTRY_FILE = Path("keys") / "registry.json"
STATUS_DIR = "status"  # inside an organization's folder of certificates/
STATUS_DETAILS_DIR = "status-details"  # the sealed revocation details, beside the lists
CACHE_DIR = ".xcert-cache"
DEMO_ORG = "demo"  # the organization id reserved for the demo
DEMO_SAMPLES = Path(CERTIFICATES_DIR) / DEMO_ORG / "samples"
# Folders of a working tree that git never commits here (the built site, its previous copy and
# the build's work folders, caches, virtual environments): scans of the repository for private
# keys and plaintext records pass over them.
_UNCOMMITTED_DIRS = frozenset(
    {
        ".git",
        "site",
        "site.old",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".pytest_cache",
        ".hypothesis",
        ".mypy_cache",
        ".ruff_cache",
        CACHE_DIR,
    }
)
_BUILD_WORK_PREFIX = ".site.build-"


def is_uncommitted_dir(name: str) -> bool:
    """Whether a folder of this name, anywhere in the repository, holds nothing git commits."""
    return name in _UNCOMMITTED_DIRS or name.startswith(_BUILD_WORK_PREFIX)


# The site (paths relative to its root, as URLs use them).
SITE_REGISTRY = "keys/registry.json"
SITE_RECORDS = "r"
SITE_STATUS = "status"
SITE_STATUS_INDEX = "status/index.json"
SITE_STATUS_DETAILS = "status-details"
SITE_CONTEXT = "contexts/xcert-v1.jsonld"  # the project's JSON-LD context, version 1
SITE_CATALOGUE = "verify/catalogue.json"
SITE_DEMO = "verify/demo"


def certificates_dir(repo_root: Path) -> Path:
    return repo_root / CERTIFICATES_DIR


def org_dir(repo_root: Path, org: str) -> Path:
    return repo_root / CERTIFICATES_DIR / org


def registry_path(repo_root: Path) -> Path:
    return repo_root / REGISTRY_FILE


def repo_status_path(repo_root: Path, org: str, number: int) -> Path:
    return org_dir(repo_root, org) / STATUS_DIR / f"{number}.json"


def repo_status_details_path(repo_root: Path, org: str, number: int) -> Path:
    return org_dir(repo_root, org) / STATUS_DETAILS_DIR / f"{number}.json"


def site_status_path(org: str, number: int) -> str:
    return f"{SITE_STATUS}/{org}/{number}.json"


def site_status_details_path(org: str, number: int) -> str:
    return f"{SITE_STATUS_DETAILS}/{org}/{number}.json"


def default_cache_dir(repo_root: Path) -> Path:
    return repo_root / CACHE_DIR
