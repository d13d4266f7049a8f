"""The build step for issued records: verify everything, then publish the sealed batches so
that only someone who knows a certificate's number and holder's name can find one.

`publish_records` refuses a tree holding a private key or a plaintext record (one naming its
holder, publishing/plaintext.py), verifies the key registry, every status list and every sealed
batch (publishing/batches.py), and fails listing every failing file: nothing forged is
published, and the build reads no plaintext record and derives no key. Then it writes into the
site:

- `r/<shard>.json` and `r/index.json`: the batches' sealed entries, merged into shards by tag;
  one look-up fetches one shard of about 34-68 KB;
- `keys/registry.json`, `status/<org>/<n>.json`, `status/index.json`;
- `verify/catalogue.json`: certificate id → name, organization, standard, for the verify page;
- `verify/demo/`: the demo's sample files, when the registry is the DEMO one.

Batches are read from `certificates/` and from the folders given (`$XCERT_BATCHES`), laid out the
same way, for batches kept outside git (docs/scale.md). The counts of issued certificates come
from the batches' signed counts; revocations from the status lists.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.credentials._catalogue import CatalogueLike
from generator.credentials._catalogue import load as load_catalogue
from generator.credentials._files import write_atomic
from generator.credentials.formats.context import context_bytes
from generator.credentials.formats.did import did_documents
from generator.credentials.formats.errors import LegacyRegistryError, RegistryError, StatusListError
from generator.credentials.formats.jsontext import JSONTextError, dump_json, parse_json
from generator.credentials.formats.registry import Registry
from generator.credentials.formats.sealing import LookupParams
from generator.credentials.formats.site import Site, SiteUrlError
from generator.credentials.formats.status import status_list_from_document
from generator.credentials.formats.verify import Trust
from generator.credentials.issuing.errors import PrivateKeyInTreeError
from generator.credentials.issuing.keys import find_private_key_files
from generator.credentials.paths import (
    DEMO_ORG,
    DEMO_SAMPLES,
    REGISTRY_FILE,
    SITE_CATALOGUE,
    SITE_CONTEXT,
    SITE_DEMO,
    SITE_RECORDS,
    SITE_REGISTRY,
    SITE_STATUS_INDEX,
    certificates_dir,
    default_cache_dir,
    repo_status_details_path,
    site_status_details_path,
    site_status_path,
)
from generator.credentials.publishing.batches import BatchReport, BatchSource, publish_batches
from generator.credentials.publishing.plaintext import refuse_plaintext_records
from generator.credentials.repo import load_registry, read_status_details
from generator.credentials.site_url import SiteUrlMissingError, configured_site_url
from generator.models import IssuedCount


@dataclass(frozen=True)
class PublishReport:
    records: int
    revoked: int
    not_yet_valid: int
    status_lists: int
    qr_codes: int
    demo: bool
    fingerprint: str | None
    shards: BatchReport | None = None  # what was read, checked and rewritten

    @property
    def issued(self) -> tuple[IssuedCount, ...]:
        """Published records per certificate, issue year and level."""
        return self.shards.issued if self.shards else ()


def registry_site(registry: Registry, configured: str | None) -> Site:
    """The site the build publishes: the registry's, which must be the configured one. A DEMO
    registry needs none configured; a real one does (the DEMO address must never be live)."""
    if configured is None:
        if registry.demo:
            return registry.site
        raise SiteUrlMissingError(
            f"{REGISTRY_FILE} is a real key registry but no site address is configured: set "
            "site_url in mkdocs.yml (or $XCERT_SITE_URL) to the address the site is published at"
        )
    try:
        site = Site.parse(configured)
    except SiteUrlError as e:
        raise SiteUrlMissingError(f"site_url: {e}") from e
    if site != registry.site:
        again = "run `xcert demo` again" if registry.demo else "run `xcert keys set-site`"
        raise RegistryError(
            f"{REGISTRY_FILE} is signed for {registry.site.url}, but the site is published at "
            f"{site.url}; every DID and status list URL names the site: {again}"
        )
    return site


def _publish_identity(site_dir: Path, registry: Registry) -> None:
    """The DID documents of the root and the organizations, generated from the registry."""
    for did, document in did_documents(registry).items():
        path = registry.site.did_document_path(did)
        assert path is not None  # every DID of the registry is one of its site's
        write_atomic(site_dir / path, dump_json(document))


BATCHES_ENV = "XCERT_BATCHES"


def batch_sources(repo_root: Path, extra: tuple[Path, ...] | None) -> list[BatchSource]:
    """Where sealed batches are read: `certificates/` of the repository, and the folders given
    (else `$XCERT_BATCHES`, folders separated by the path separator), laid out the same way:
    a mirror of object storage when batches have left git (docs/scale.md)."""
    folders = (
        extra
        if extra is not None
        else tuple(Path(p) for p in os.environ.get(BATCHES_ENV, "").split(os.pathsep) if p)
    )
    sources = [BatchSource(certificates_dir(repo_root), "certificates")]
    sources += [BatchSource(f, str(f)) for f in folders]
    return sources


def publish_records(
    *,
    repo_root: Path,
    site_dir: Path,
    site_url: str | None = None,
    catalogue: CatalogueLike | None = None,
    now: dt.datetime | None = None,
    workers: int | None = None,
    cache_dir: Path | None = None,
    params: LookupParams | None = None,
    batches: tuple[Path, ...] | None = None,
) -> PublishReport:
    """Verify the registry, every status list and record; publish them, or fail listing all."""
    cache_dir = cache_dir if cache_dir is not None else default_cache_dir(repo_root)
    keys = find_private_key_files(repo_root, exclude=(site_dir, cache_dir))
    if keys:
        raise PrivateKeyInTreeError([str(p.relative_to(repo_root)) for p in keys])
    refuse_plaintext_records(repo_root, exclude=(site_dir, cache_dir))
    workers = workers if workers is not None else (os.cpu_count() or 1)
    site_url = site_url or configured_site_url(repo_root)
    cat = catalogue if catalogue is not None else load_catalogue(repo_root)
    write_atomic(site_dir / SITE_CATALOGUE, dump_json(catalogue_index(cat)))
    write_atomic(site_dir / SITE_CONTEXT, context_bytes())
    if not (repo_root / REGISTRY_FILE).exists():
        return PublishReport(0, 0, 0, 0, 0, demo=False, fingerprint=None)
    try:
        registry = load_registry(repo_root / REGISTRY_FILE)
    except LegacyRegistryError as e:
        if not getattr(e.registry, "demo", False):
            raise
        # A DEMO made before did:web identities: disposable, so the build goes on without it.
        print(f"warning: {e}; no DEMO record is published", file=sys.stderr)
        return PublishReport(0, 0, 0, 0, 0, demo=False, fingerprint=None)
    registry_site(registry, site_url)
    trust = Trust(registry)
    failures: list[tuple[str, str]] = []
    lists = []
    for path in _files_under(repo_root, "*/status/*.json", registry.demo):
        org, number = path.parent.parent.name, path.stem
        details = (
            repo_status_details_path(repo_root, org, int(number)) if number.isdigit() else None
        )
        try:
            status = status_list_from_document(
                parse_json(path.read_bytes()),
                registry=registry,
                details=read_status_details(details) if details else None,
            )
        except (JSONTextError, StatusListError) as e:
            failures.append((str(path.relative_to(repo_root)), str(e)))
            continue
        if org != status.org or number != str(status.number):
            failures.append((str(path.relative_to(repo_root)), f"holds {status.list_id}"))
            continue
        trust.add_status_list(status)
        lists.append((path, status))

    out = site_dir / SITE_RECORDS
    shards = publish_batches(
        sources=batch_sources(repo_root, batches),
        records_dir=out,
        trust=trust,
        params=params or LookupParams(),
        cache_dir=cache_dir,
        workers=workers,
        skip_orgs=frozenset() if registry.demo else frozenset({DEMO_ORG}),
        failures=failures,
    )
    write_atomic(site_dir / SITE_REGISTRY, (repo_root / REGISTRY_FILE).read_bytes())
    _publish_identity(site_dir, registry)
    for path, status in lists:
        write_atomic(site_dir / site_status_path(status.org, status.number), path.read_bytes())
        if status.sealed:
            sealed = status.details_document()
            write_atomic(
                site_dir / site_status_details_path(status.org, status.number), dump_json(sealed)
            )
    index = [site_status_path(s.org, s.number) for _, s in lists]
    write_atomic(site_dir / SITE_STATUS_INDEX, dump_json({"statusLists": index}))
    if registry.demo:
        _publish_demo_samples(repo_root / DEMO_SAMPLES, site_dir / SITE_DEMO)
    return PublishReport(
        records=shards.records,
        revoked=shards.revoked,
        not_yet_valid=0,
        status_lists=len(lists),
        qr_codes=0,
        demo=registry.demo,
        fingerprint=registry.fingerprint,
        shards=shards,
    )


def _files_under(repo_root: Path, pattern: str, demo_registry: bool) -> list[Path]:
    """Files of `certificates/` matching `pattern`; the demo's only under a DEMO registry (a real
    root replaces the DEMO one, and the leftover demo records are not the real root's)."""
    found = sorted(certificates_dir(repo_root).glob(pattern))
    if demo_registry:
        return found
    demo = certificates_dir(repo_root) / DEMO_ORG
    return [p for p in found if demo not in p.parents]


def _publish_demo_samples(src: Path, dst: Path) -> None:
    if not src.is_dir():
        return
    names = []
    for path in sorted(src.glob("*.json")):
        write_atomic(dst / path.name, path.read_bytes())
        names.append(path.name)
    write_atomic(dst / "index.json", dump_json({"samples": names}))
    for path in sorted([*src.glob("*.svg"), *src.glob("*.png")]):
        write_atomic(dst / path.name, path.read_bytes())  # baked images of the valid sample


def catalogue_index(catalogue: CatalogueLike) -> dict[str, Any]:
    """Certificate id → what the verify page shows and links to."""
    certificates = {}
    for cid, cert in sorted(catalogue.certificates.items()):
        org = catalogue.organizations.get(cert.organization)
        std = catalogue.standards.get(cert.standard) if cert.standard else None
        certificates[cid] = {
            "name": cert.name,
            "organization": cert.organization,
            "organizationName": org.name if org else cert.organization,
            "standard": std.id if std else None,
            "standardName": std.name if std else None,
            "levels": list(cert.levels),
        }
    return {"certificates": certificates}
