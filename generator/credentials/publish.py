"""The build step for issued records: verify everything, then publish at non-enumerable paths.

`publish_records` refuses a tree holding a private key, verifies the key registry, every status
list and every record under `certificates/`, and fails listing every failing file (nothing forged
is published). Then it writes into the site:

- `r/<hash>.json`: each record, byte for byte, at `record.record_hash(number, name)`;
- `r/<hash>.svg`: a QR code of its verify link `<site_url>/verify/#r=<hash>`, when the site's
  address is known (argument, or `site_url` in mkdocs.yml);
- `keys/registry.json`, `status/<org>/<n>.json`, `status/index.json`;
- `verify/catalogue.json`: certificate id → name, organization, standard, for the verify page;
- `verify/demo/`: the demo's sample files, when the registry is the DEMO one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
import yaml

from generator.credentials._catalogue import CatalogueLike
from generator.credentials._catalogue import load as load_catalogue
from generator.credentials._files import write_atomic
from generator.credentials._parallel import fork_map
from generator.credentials._time import now_utc
from generator.credentials.errors import PrivateKeyInTreeError, PublishError, StatusListError
from generator.credentials.jsontext import JSONTextError, dump_json, parse_json
from generator.credentials.keys import find_private_key_files
from generator.credentials.registry import REGISTRY_FILE, load_registry
from generator.credentials.status import site_status_path, status_list_from_document
from generator.credentials.verify import Trust, Verdict, verification_result

# Verdicts of genuine records: published so that the page can say "revoked" or "not yet valid".
PUBLISHABLE = frozenset({Verdict.VALID, Verdict.CERTIFICATE_REVOKED, Verdict.NOT_YET_VALID})
RECORDS_DIR = "r"
SITE_REGISTRY = "keys/registry.json"
SITE_STATUS_INDEX = "status/index.json"
SITE_CATALOGUE = "verify/catalogue.json"
SITE_DEMO = "verify/demo"
DEMO_ORG = "demo"  # reserved organization id of the demo (generator/credentials/demo.py)
DEMO_SAMPLES = Path("certificates") / DEMO_ORG / "samples"
# Keeps servers that list folders from listing the records.
_NO_LISTING = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
    '<meta name="robots" content="noindex"><title>xcert</title></head>'
    '<body data-pagefind-ignore="all"></body></html>\n'
)


@dataclass(frozen=True)
class PublishReport:
    records: int
    revoked: int
    not_yet_valid: int
    status_lists: int
    qr_codes: int
    demo: bool
    fingerprint: str | None


def configured_site_url(repo_root: Path) -> str | None:
    """`site_url` from mkdocs.yml, which QR codes need to hold an absolute link."""
    try:
        config = yaml.safe_load((repo_root / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    url = config.get("site_url") if isinstance(config, dict) else None
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else None


def verify_link(record_hash: str, *, site_url: str) -> str:
    return f"{site_url.rstrip('/')}/verify/#r={record_hash}"


def write_qr(path: Path, link: str) -> None:
    # A fixed mask skips segno's mask evaluation (6x faster); every reader decodes any mask.
    buffer = io.BytesIO()
    segno.make_qr(link, error="m", mask=0).save(buffer, kind="svg", xmldecl=False, scale=4)
    write_atomic(path, buffer.getvalue())


# Set in the parent before the workers fork, so each worker has them without pickling.
_TRUST: Trust | None = None
_NOW = now_utc()


def _check(path: Path) -> tuple[str, str, str, str | None]:
    assert _TRUST is not None
    result = verification_result(path.read_bytes(), trust=_TRUST, now=_NOW)
    return (
        str(path),
        result.verdict.value,
        result.message,
        result.record.hash if result.record else None,
    )


def qr_cache_dir() -> Path:
    """Where QR images are kept between builds ($XDG_CACHE_HOME/xcert/qr): making one costs
    about 1 ms, copying it far less."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "xcert" / "qr"


def _write(job: tuple[str, str, Path, str | None]) -> None:
    src, record_hash, out, site_url = job
    write_atomic(out / f"{record_hash}.json", Path(src).read_bytes())
    if site_url:
        link = verify_link(record_hash, site_url=site_url)
        cached = qr_cache_dir() / f"{hashlib.sha256(link.encode()).hexdigest()[:32]}.svg"
        if not cached.exists():
            write_qr(cached, link)
        write_atomic(out / f"{record_hash}.svg", cached.read_bytes())


def publish_records(
    *,
    repo_root: Path,
    site_dir: Path,
    site_url: str | None = None,
    catalogue: CatalogueLike | None = None,
    now: dt.datetime | None = None,
    workers: int | None = None,
) -> PublishReport:
    """Verify the registry, every status list and record; publish them, or fail listing all."""
    global _TRUST, _NOW
    keys = find_private_key_files(repo_root, exclude=(site_dir,))
    if keys:
        raise PrivateKeyInTreeError([str(p.relative_to(repo_root)) for p in keys])
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

    paths = _files_under(repo_root, "*/*.json", registry.demo)
    _TRUST, _NOW = trust, now or now_utc()
    checked = fork_map(_check, paths, workers=workers)
    by_hash: dict[str, str] = {}
    counts = {v: 0 for v in PUBLISHABLE}
    for path_text, verdict, message, record_hash in checked:
        rel = str(Path(path_text).relative_to(repo_root))
        if Verdict(verdict) not in PUBLISHABLE:
            failures.append((rel, f"{verdict}: {message}"))
        elif record_hash in by_hash:
            failures.append((rel, f"same number and name as {by_hash[record_hash]}"))
        else:
            assert record_hash is not None
            by_hash[record_hash] = rel
            counts[Verdict(verdict)] += 1
    if failures:
        raise PublishError(failures)

    out = site_dir / RECORDS_DIR
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / "index.html", _NO_LISTING.encode())
    jobs = [(str(repo_root / rel), h, out, site_url) for h, rel in by_hash.items()]
    fork_map(_write, jobs, workers=workers)
    write_atomic(site_dir / SITE_REGISTRY, (repo_root / REGISTRY_FILE).read_bytes())
    for path, status in lists:
        write_atomic(site_dir / site_status_path(status.org, status.number), path.read_bytes())
    index = [site_status_path(s.org, s.number) for _, s in lists]
    write_atomic(site_dir / SITE_STATUS_INDEX, dump_json({"statusLists": index}))
    if registry.demo:
        _publish_demo_samples(repo_root / DEMO_SAMPLES, site_dir / SITE_DEMO)
    return PublishReport(
        records=len(by_hash),
        revoked=counts[Verdict.CERTIFICATE_REVOKED],
        not_yet_valid=counts[Verdict.NOT_YET_VALID],
        status_lists=len(lists),
        qr_codes=len(by_hash) if site_url else 0,
        demo=registry.demo,
        fingerprint=registry.fingerprint,
    )


def _files_under(repo_root: Path, pattern: str, demo_registry: bool) -> list[Path]:
    """Files of `certificates/` matching `pattern`; the demo's only under a DEMO registry (a real
    root replaces the DEMO one, and the leftover demo records are not the real root's)."""
    found = sorted((repo_root / "certificates").glob(pattern))
    if demo_registry:
        return found
    demo = repo_root / "certificates" / DEMO_ORG
    return [p for p in found if demo not in p.parents]


def _publish_demo_samples(src: Path, dst: Path) -> None:
    if not src.is_dir():
        return
    names = []
    for path in sorted(src.glob("*.json")):
        write_atomic(dst / path.name, path.read_bytes())
        names.append(path.name)
    write_atomic(dst / "index.json", dump_json({"samples": names}))


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
