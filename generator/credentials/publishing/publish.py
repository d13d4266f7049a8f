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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.credentials._catalogue import CatalogueLike
from generator.credentials._catalogue import load as load_catalogue
from generator.credentials._files import write_atomic
from generator.credentials.formats.errors import StatusListError
from generator.credentials.formats.jsontext import JSONTextError, dump_json, parse_json
from generator.credentials.formats.sealing import LookupParams
from generator.credentials.formats.status import status_list_from_document
from generator.credentials.formats.verify import Trust
from generator.credentials.issuing.errors import PrivateKeyInTreeError
from generator.credentials.issuing.keys import find_private_key_files
from generator.credentials.paths import (
    DEMO_ORG,
    DEMO_SAMPLES,
    REGISTRY_FILE,
    SITE_CATALOGUE,
    SITE_DEMO,
    SITE_RECORDS,
    SITE_REGISTRY,
    SITE_STATUS_INDEX,
    certificates_dir,
    default_cache_dir,
    site_status_path,
)
from generator.credentials.publishing.batches import BatchReport, BatchSource, publish_batches
from generator.credentials.publishing.plaintext import refuse_plaintext_records
from generator.credentials.repo import load_registry
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


def configured_site_url(repo_root: Path) -> str | None:
    """`site_url` from mkdocs.yml: the holders' QR codes and verify links need it."""
    try:
        config = yaml.safe_load((repo_root / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    url = config.get("site_url") if isinstance(config, dict) else None
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else None


BATCHES_ENV = "XCERT_BATCHES"


def batch_sources(repo_root: Path, extra: tuple[Path, ...] | None) -> list[BatchSource]:
    """Where sealed batches are read: `certificates/` of the repository, and the folders given
    (else `$XCERT_BATCHES`, folders separated by the path separator), laid out the same way:
    a mirror of object storage when batches have left git (docs/scale.md)."""
    folders = extra if extra is not None else tuple(
        Path(p) for p in os.environ.get(BATCHES_ENV, "").split(os.pathsep) if p
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
    if not (repo_root / REGISTRY_FILE).exists():
        return PublishReport(0, 0, 0, 0, 0, demo=False, fingerprint=None)
    registry = load_registry(repo_root / REGISTRY_FILE)
    trust = Trust(registry)
    failures: list[tuple[str, str]] = []
    lists = []
    for path in _files_under(repo_root, "*/status/*.json", registry.demo):
        try:
            status = status_list_from_document(parse_json(path.read_bytes()), registry=registry)
        except (JSONTextError, StatusListError) as e:
            failures.append((str(path.relative_to(repo_root)), str(e)))
            continue
        if path.parent.parent.name != status.org or path.stem != str(status.number):
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
    for path, status in lists:
        write_atomic(site_dir / site_status_path(status.org, status.number), path.read_bytes())
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
