"""The demo: DEMO keys outside the tree, a DEMO registry in keys/, and demo records to try.

Run by `xcert demo` (and `make site`). Creates, only when absent, a DEMO root key and a DEMO
organization key under `$XCERT_DEMO_KEYS` (default `~/.local/share/xcert/demo-keys/`), encrypted
with the published demo passphrase. Then writes, only when their bytes differ, `keys/registry.json`
(DEMO root, organization `demo`), three records and a status list under `certificates/demo/`, and
samples (valid, altered, revoked) under `certificates/demo/samples/`. Dates and proof times are
fixed, and Ed25519 is deterministic, so running it twice changes nothing. A registry that is not
a DEMO one is never touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.credentials._catalogue import CatalogueLike
from generator.credentials._files import write_atomic
from generator.credentials.formats._time import UTC, format_utc
from generator.credentials.formats.batch import (
    BATCHES_DIR,
    MANIFEST_SUFFIX,
    BatchManifest,
    entry_line,
)
from generator.credentials.formats.errors import LegacyRegistryError
from generator.credentials.formats.jsontext import dump_json
from generator.credentials.formats.proof import add_proof, parse_proof
from generator.credentials.formats.record import Achievement, build_record, parse_record
from generator.credentials.formats.registry import KeyEntry, OrgEntry, Registry
from generator.credentials.formats.sealing import LookupParams, b64url, master_key, seal
from generator.credentials.formats.site import Site
from generator.credentials.formats.status import LIST_LENGTH, StatusList, status_entry
from generator.credentials.issuing.achievement import achievement_for
from generator.credentials.issuing.batch_writer import issued_groups
from generator.credentials.issuing.holder import Card, chinese_date, holder_files
from generator.credentials.issuing.keys import (
    KEY_FILE_SUFFIX,
    Signer,
    ensure_outside,
    load_signer,
    write_key_file,
)
from generator.credentials.issuing.store import HOLDER, PUBLISHED, RECORDS, REPO, resolve_store
from generator.credentials.paths import (
    DEMO_ORG,
    DEMO_SAMPLES,
    org_dir,
    registry_path,
    repo_status_details_path,
    repo_status_path,
)
from generator.credentials.repo import load_registry
from generator.credentials.site_url import resolve_site

DEMO_KEYS_ENV = "XCERT_DEMO_KEYS"
DEMO_STORE_ENV = "XCERT_DEMO_STORE"
DEMO_BATCH_ID = "20240701T020000Z-00000000"
DEMO_ORG_NAME = "DEMO 演示培训评价组织（仅供演示，非真实机构）"
DEMO_ROOT_NAME = "DEMO 演示根密钥（仅供演示，不签真实证书）"
# Published on purpose: demo keys sign nothing real, and every demo file says DEMO.
DEMO_PASSPHRASE = "xcert-demo-passphrase"
DEMO_EPOCH = dt.datetime(2024, 1, 1, tzinfo=UTC)
DEMO_ISSUED = dt.datetime(2024, 7, 1, 2, 0, tzinfo=UTC)
DEMO_REVOKED = dt.datetime(2024, 9, 1, 2, 0, tzinfo=UTC)
DEMO_CERTIFICATE = "web-frontend"  # the catalogue's certificate the demo records are of


@dataclass(frozen=True)
class DemoHolder:
    number: str
    name: str
    level: str
    issue_date: dt.date
    exam_date: dt.date | None = None
    exam_site: str | None = None
    national_id_masked: str | None = None
    revoked: str | None = None  # the revocation reason


HOLDERS = (
    DemoHolder(
        "DEMO-2024-000001",
        "张三",
        "中级",
        dt.date(2024, 6, 28),
        dt.date(2024, 6, 15),
        "DEMO 演示考点",
        "1101**********0011",
    ),
    DemoHolder("DEMO-2024-000002", "李四", "高级", dt.date(2024, 6, 28), dt.date(2024, 6, 16)),
    DemoHolder(
        "DEMO-2024-000003",
        "王五",
        "初级",
        dt.date(2024, 6, 28),
        revoked="DEMO 演示：考试违规，证书撤销",
    ),
)


@dataclass(frozen=True)
class DemoReport:
    key_dir: Path
    keys_created: bool
    files_written: list[Path]
    skipped: str | None = None


def demo_key_dir() -> Path:
    env = os.environ.get(DEMO_KEYS_ENV)
    return (
        Path(env).expanduser() if env else Path.home() / ".local" / "share" / "xcert" / "demo-keys"
    )


def demo_store_dir() -> Path:
    env = os.environ.get(DEMO_STORE_ENV)
    return (
        Path(env).expanduser() if env else Path.home() / ".local" / "share" / "xcert" / "demo-store"
    )


def _demo_batch(
    records: dict[str, dict[str, Any]],
    org_key: Signer,
    store_root: Path,
    repo_root: Path,
    site: Site,
) -> list[tuple[Path, bytes]]:
    """The demo's records in a DEMO store outside the repository, and their sealed batch in
    `certificates/demo/batches/` (fixed id, time and positions: the same bytes every run)."""
    store_root = resolve_store(store_root, repo_root)
    params = LookupParams()
    lines: list[bytes] = []
    placed: list[tuple[tuple[str, int, str], tuple[int, int]]] = []
    folder = store_root / DEMO_ORG / BATCHES_DIR / DEMO_BATCH_ID
    files: list[tuple[Path, bytes]] = []
    for number, doc in records.items():
        data = dump_json(doc)
        record = parse_record(doc, site=site)
        tag, entry = seal(master_key(record.hash, params), data)
        lines.append(entry_line(b64url(tag), entry))
        group = (record.certificate, int(record.issue_date[:4]), record.level)
        placed.append((group, (1, record.status_index)))
        files.append((folder / RECORDS / f"{number}.json", data))
        card = Card(
            record.holder,
            record.certificate_name,
            record.level,
            record.issuer_name,
            chinese_date(record.issue_date),
            number,
            None,
        )
        baked = holder_files(card, data, png=True)
        files += [(folder / HOLDER / f"{number}{sfx}", b) for sfx, b in baked]
    entries = b"".join(sorted(lines))
    manifest = BatchManifest(
        DEMO_BATCH_ID,
        DEMO_ORG,
        format_utc(DEMO_ISSUED),
        len(records),
        params,
        hashlib.sha256(entries).hexdigest(),
        len(entries),
        issued_groups(DEMO_ORG, placed, site=site),
    )
    signed = dump_json(manifest.signed_document(org_key))
    for where in (folder / REPO, org_dir(repo_root, DEMO_ORG)):
        files.append((where / BATCHES_DIR / manifest.entries_file, entries))
        files.append((where / BATCHES_DIR / f"{DEMO_BATCH_ID}{MANIFEST_SUFFIX}", signed))
    files.append((folder / PUBLISHED, b""))
    return files


def _demo_store_file(store: Path | None, number: str, suffix: str, repo_root: Path) -> bytes:
    folder = resolve_store(store or demo_store_dir(), repo_root) / DEMO_ORG / BATCHES_DIR
    return (folder / DEMO_BATCH_ID / HOLDER / f"{number}{suffix}").read_bytes()


def _demo_signer(key_dir: Path, key_id: str, organization: str, label: str) -> tuple[Signer, bool]:
    path = key_dir / f"{key_id}{KEY_FILE_SUFFIX}"
    if path.exists():
        return load_signer(path, passphrase=DEMO_PASSPHRASE), False
    signer = Signer.generate(key_id=key_id)
    write_key_file(
        path,
        signer,
        passphrase=DEMO_PASSPHRASE,
        organization=organization,
        label=label,
        demo=True,
        strength="interactive",
    )
    return signer, True


def _fallback_achievement(level: str) -> Achievement:
    """The demo's achievement when the catalogue cannot be read (its own tests, a bare tree)."""
    return Achievement(
        certificate=DEMO_CERTIFICATE,
        certificate_name="Web 前端开发职业技能等级证书",
        level=level,
        organization=DEMO_ORG,
        description=f"DEMO 演示：Web 前端开发职业技能等级证书，{level}。",
        criteria=f"DEMO 演示：通过 Web 前端开发职业技能等级证书（{level}）的考核，成绩合格。",
    )


def _achievement(catalogue: CatalogueLike | None, level: str) -> Achievement:
    cert = catalogue.certificates.get(DEMO_CERTIFICATE) if catalogue else None
    if catalogue is None or cert is None:
        return _fallback_achievement(level)
    own = level if level in cert.levels else str(cert.levels[-1])
    return achievement_for(catalogue, DEMO_CERTIFICATE, own)


def demo_index(number: str) -> int:
    """A fixed index that looks random (the demo is the same on every run), from the number."""
    return int(hashlib.sha256(number.encode()).hexdigest(), 16) % LIST_LENGTH


def _registry(root: Signer, org_key: Signer, existing: Registry | None, site: Site) -> Registry:
    org = OrgEntry(
        DEMO_ORG,
        DEMO_ORG_NAME,
        (KeyEntry(org_key.key_id, DEMO_ORG, org_key.public_key_multibase, format_utc(DEMO_EPOCH)),),
        demo=True,
    )
    wanted = Registry(
        1,
        format_utc(DEMO_EPOCH),
        root.public_key_multibase,
        DEMO_ROOT_NAME,
        (org,),
        demo=True,
        site=site,
    )
    if existing is None:
        return wanted
    same = (existing.root_public_key_multibase, existing.organizations, existing.site) == (
        wanted.root_public_key_multibase,
        wanted.organizations,
        wanted.site,
    )
    # Other demo keys (another machine): the replacement still gets a higher version.
    return (
        existing
        if same
        else Registry(
            existing.version + 1,
            wanted.updated,
            wanted.root_public_key_multibase,
            DEMO_ROOT_NAME,
            wanted.organizations,
            demo=True,
            site=site,
        )
    )


def ensure_demo(
    *,
    repo_root: Path,
    key_dir: Path | None = None,
    catalogue: CatalogueLike | None = None,
    demo_store: Path | None = None,
    site: Site | None = None,
) -> DemoReport:
    """Create what is missing of the demo, its records of the catalogue's `web-frontend`, under
    `site` (default: the configured address, else the DEMO one)."""
    key_dir = key_dir or demo_key_dir()
    ensure_outside(key_dir, repo_root)
    reg_path = registry_path(repo_root)
    try:
        existing = load_registry(reg_path) if reg_path.exists() else None
    except LegacyRegistryError as e:
        # A first-format registry: a DEMO one gives way (at a higher version), a real one stays.
        existing = e.registry if isinstance(e.registry, Registry) else None
        if existing is None or not existing.demo:
            return DemoReport(key_dir, False, [], skipped=f"{e}")
    if existing is not None and not existing.demo:
        return DemoReport(key_dir, False, [], skipped="keys/registry.json is a real registry")
    site = site or resolve_site(repo_root, demo=True)
    root, new_root = _demo_signer(key_dir, "demo-root", "", DEMO_ROOT_NAME)
    org_key, new_org = _demo_signer(key_dir, "demo-1", DEMO_ORG, DEMO_ORG_NAME)
    registry = _registry(root, org_key, existing, site)
    written: list[Path] = []

    def put(path: Path, data: bytes) -> None:
        if write_atomic(path, data):
            written.append(path)

    put(reg_path, dump_json(registry.signed_document(root)))
    created = format_utc(DEMO_ISSUED)
    status = StatusList.empty(site=site, org=DEMO_ORG, number=1, updated=created)
    records: dict[str, dict[str, Any]] = {}
    for h in HOLDERS:
        index = demo_index(h.number)
        doc = build_record(
            site=site,
            organization=DEMO_ORG,
            issuer_name=DEMO_ORG_NAME,
            holder=h.name,
            achievement=_achievement(catalogue, h.level),
            number=h.number,
            issue_date=h.issue_date,
            status=status_entry(site, DEMO_ORG, 1, index),
            exam_date=h.exam_date,
            exam_site=h.exam_site,
            national_id_masked=h.national_id_masked,
        )
        records[h.number] = add_proof(
            doc,
            signer=org_key,
            created=created,
            verification_method=site.key_method(DEMO_ORG, org_key.key_id),
            proof_set=True,
        )
        if h.revoked:
            status = status.with_revocation(
                index=index,
                signature=parse_proof(records[h.number]).signature,
                date=DEMO_REVOKED.date().isoformat(),
                reason=h.revoked,
                at=DEMO_REVOKED,
            )
    for path in _demo_batch(records, org_key, demo_store or demo_store_dir(), repo_root, site):
        put(*path)
    for old in org_dir(repo_root, DEMO_ORG).glob("*.json"):
        old.unlink()  # records of the layout before sealed batches
        written.append(old)
    signed = status.signed_document(
        signer=org_key, key_id=org_key.key_id, issuer_name=DEMO_ORG_NAME
    )
    put(repo_status_path(repo_root, DEMO_ORG, 1), dump_json(signed))
    put(repo_status_details_path(repo_root, DEMO_ORG, 1), dump_json(status.details_document()))
    samples = repo_root / DEMO_SAMPLES
    first, revoked = HOLDERS[0].number, next(h.number for h in HOLDERS if h.revoked)
    altered = json.loads(json.dumps(records[first]))
    # The forgery people try: the same file claiming a higher level (its achievement swapped).
    level = "高级" if HOLDERS[0].level != "高级" else "初级"
    altered["credentialSubject"]["achievement"] = _achievement(catalogue, level).to_json(site)
    put(samples / "valid.json", dump_json(records[first]))
    put(samples / "altered.json", dump_json(altered))
    put(samples / "revoked.json", dump_json(records[revoked]))
    # The valid record as the holder's baked certificate images (Open Badges 3.0 baking): the
    # verify page takes them like the JSON.
    for suffix in (".svg", ".png"):
        put(samples / f"valid{suffix}", _demo_store_file(demo_store, first, suffix, repo_root))
    return DemoReport(key_dir, new_root or new_org, written)
