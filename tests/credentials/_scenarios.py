"""Fixed keys and a fixed clock for credential tests, and the agreement suite's records.

`build_agreement(dest)` writes a small repository (`repo/keys/registry.json`, the status list of
organization `acme`), one file per case under `cases/`, and `expected.json` (case → verdict,
reason). Everything is deterministic (Ed25519 signatures are), so the files under
tests/assets/credentials/agreement/ are golden: regenerate them with
`python tests/credentials/generate_assets.py`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.credentials.formats._time import UTC, format_utc
from generator.credentials.formats.jsontext import dump_json
from generator.credentials.formats.proof import add_proof, parse_proof
from generator.credentials.formats.record import LEVELS, Achievement, build_record
from generator.credentials.formats.registry import KeyEntry, OrgEntry, Registry
from generator.credentials.formats.site import Site
from generator.credentials.formats.status import StatusList, status_entry
from generator.credentials.issuing.achievement import achievement_for
from generator.credentials.issuing.keys import Signer

ASSETS = Path(__file__).resolve().parents[1] / "assets" / "credentials"
SITE_URL = "https://xcert.example/"  # the agreement suite's site (reserved .example domain)
SITE = Site(SITE_URL)
AGREEMENT = ASSETS / "agreement"
REGENERATE = "python tests/credentials/generate_assets.py"


def t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_signer(name: str) -> Signer:
    """A key from a fixed seed: for tests only, never for real records."""
    return Signer.from_seed(hashlib.sha256(f"xcert test key {name}".encode()).digest(), key_id=name)


test_signer.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


ROOT = test_signer("root")
A1, A2, A3 = test_signer("acme-1"), test_signer("acme-2"), test_signer("acme-3")
B1 = test_signer("beta-1")
ROGUE = test_signer("rogue-1")
ACME_NAME = "示例培训评价组织 ACME"
BETA_NAME = "示例培训评价组织 BETA"


@dataclass
class FakeCertificate:
    id: str
    name: str
    organization: str
    levels: tuple[str, ...]
    standard: str | None = None
    short_name: str = ""
    batch: int = 1
    summary: str = ""


@dataclass
class FakeTask:
    name: str


@dataclass
class FakeWorkArea:
    name: str
    tasks: tuple[FakeTask, ...] = ()


@dataclass
class FakeStandardLevel:
    level: str
    goal: str = ""
    work_areas: tuple[FakeWorkArea, ...] = ()


@dataclass
class FakeStandard:
    id: str
    name: str
    levels: tuple[FakeStandardLevel, ...] = ()


@dataclass
class FakeNamed:
    id: str
    name: str


@dataclass
class FakeCatalogue:
    """The parts of generator.validate's Catalogue that credentials use."""

    certificates: dict[str, FakeCertificate] = field(default_factory=dict)
    organizations: dict[str, FakeNamed] = field(default_factory=dict)
    standards: dict[str, FakeStandard] = field(default_factory=dict)


def catalogue() -> FakeCatalogue:
    return FakeCatalogue(
        certificates={
            "web-frontend": FakeCertificate(
                "web-frontend",
                "Web 前端开发职业技能等级证书",
                "acme",
                ("初级", "中级", "高级"),
                "web-frontend",
            ),
            "big-data": FakeCertificate(
                "big-data", "大数据应用开发职业技能等级证书", "beta", ("中级",)
            ),
        },
        organizations={"acme": FakeNamed("acme", ACME_NAME), "beta": FakeNamed("beta", BETA_NAME)},
        standards={
            "web-frontend": FakeStandard(
                "web-frontend",
                "Web 前端开发职业技能等级标准",
                (
                    FakeStandardLevel(
                        "中级",
                        "能完成网站前端页面的开发与调试。",
                        (
                            FakeWorkArea(
                                "页面开发", (FakeTask("静态网页开发"), FakeTask("页面交互"))
                            ),
                        ),
                    ),
                ),
            )
        },
    )


def registry() -> Registry:
    """acme: key 1 retired 2024-06-01; key 2 compromised, revoked at 2024-09-01; key 3 current."""
    acme = OrgEntry(
        "acme",
        ACME_NAME,
        (
            KeyEntry(
                "acme-1",
                "acme",
                A1.public_key_multibase,
                "2024-01-01T00:00:00Z",
                "2024-06-01T00:00:00Z",
            ),
            KeyEntry(
                "acme-2",
                "acme",
                A2.public_key_multibase,
                "2024-06-01T00:00:00Z",
                "2024-09-01T00:00:00Z",
                "2024-09-01T00:00:00Z",
                "私钥泄露",
            ),
            KeyEntry("acme-3", "acme", A3.public_key_multibase, "2024-09-01T00:00:00Z"),
        ),
    )
    beta = OrgEntry(
        "beta",
        BETA_NAME,
        (KeyEntry("beta-1", "beta", B1.public_key_multibase, "2024-01-01T00:00:00Z"),),
    )
    return Registry(
        4, "2024-09-01T00:00:00Z", ROOT.public_key_multibase, "测试根密钥", (acme, beta), site=SITE
    )


def record(
    *,
    signer: Signer,
    created: str,
    index: int,
    name: str = "张三",
    level: str = "中级",
    number: str | None = None,
    issue_date: dt.date = dt.date(2024, 3, 1),
    org: str = "acme",
    list_number: int = 1,
    tweak: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    doc = build_record(
        site=SITE,
        organization=org,
        issuer_name=ACME_NAME if org == "acme" else BETA_NAME,
        holder=name,
        achievement=achievement(level),
        number=number or f"ACME-2024-{index:06d}",
        issue_date=issue_date,
        status=status_entry(SITE, org, list_number, index),
        exam_date=dt.date(2024, 2, 20),
        exam_site="示例考点",
        national_id_masked="3201**********1234",
    )
    for path, value in (tweak or {}).items():
        target = doc
        *head, last = path.split(".")
        for part in head:
            target = target[part]
        target[last] = value
    return add_proof(
        doc,
        signer=signer,
        created=created,
        # The signer's own organization (acme-2 → acme), as a key's file names it.
        verification_method=SITE.key_method(signer.key_id.rsplit("-", 1)[0], signer.key_id),
        proof_set=True,
    )


def achievement(level: str) -> Achievement:
    """web-frontend at `level`, as issuance describes it (levels the standard lacks: made up)."""
    if level in LEVELS:
        return achievement_for(catalogue(), "web-frontend", level)
    return replace(achievement_for(catalogue(), "web-frontend", "中级"), level=level)


def status_list() -> StatusList:
    """acme's list 1: index 5 revoked (the `certificate-revoked` case's record)."""
    empty = StatusList.empty(site=SITE, org="acme", number=1, updated="2024-03-01T00:00:00Z")
    revoked = record(signer=A2, created="2024-07-01T00:00:00Z", index=5, name="王五")
    return empty.with_revocation(
        index=5,
        signature=parse_proof(revoked).signature,
        date="2024-08-15",
        reason="考试违规",
        at=t("2024-08-01T00:00:00"),
    )


def _bytes(doc: Any) -> bytes:
    return dump_json(doc)


def cases() -> dict[str, tuple[bytes, str, str]]:
    """case name → (file bytes, expected verdict, expected reason)."""
    valid = record(signer=A2, created="2024-07-01T00:00:00Z", index=0)
    altered_subject = json.loads(json.dumps(valid))
    altered_subject["credentialSubject"]["achievement"] = achievement("高级").to_json(SITE)
    altered_proof = json.loads(json.dumps(valid))
    pv = altered_proof["proof"][0]["proofValue"]
    altered_proof["proof"][0]["proofValue"] = pv[:20] + ("A" if pv[20] != "A" else "B") + pv[21:]
    wrong_key = record(signer=B1, created="2024-07-01T00:00:00Z", index=0)
    wrong_key["proof"][0]["verificationMethod"] = SITE.key_method("acme", "acme-2")
    no_proof = {k: v for k, v in valid.items() if k != "proof"}
    w3c = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "AlumniCredential"],
        "issuer": "https://vc.example/issuers/5678",
        "credentialSubject": {"alumniOf": "The School of Examples"},
    }
    out: dict[str, tuple[bytes, str, str]] = {
        "valid": (_bytes(valid), "valid", "valid"),
        "valid-with-bom": (b"\xef\xbb\xbf" + _bytes(valid), "valid", "valid"),
        "altered-subject": (_bytes(altered_subject), "altered", "signature-mismatch"),
        "altered-proof": (_bytes(altered_proof), "altered", "signature-mismatch"),
        "wrong-key": (_bytes(wrong_key), "altered", "signature-mismatch"),
        "no-proof": (_bytes(no_proof), "malformed", "no-proof"),
        "malformed-json": (_bytes(valid)[:200], "malformed", "invalid-json"),
        "not-utf8": (_bytes(valid).decode().encode("gb18030"), "malformed", "invalid-json"),
        "non-credential-json": (b'{"hello": "world"}\n', "not-a-record", "not-credential"),
        "json-array": (b"[1, 2, 3]\n", "not-a-record", "not-object"),
        "other-credential": (_bytes(w3c), "not-a-record", "not-credential"),
    }
    # Signed cases: name → (signer, created, record() arguments, verdict, reason or same).
    signed: dict[str, tuple[Signer, str, dict[str, Any], str, str]] = {
        "valid-old-key-after-rotation": (A1, "2024-03-01", {"index": 1}, "valid", ""),
        "valid-key-revoked-after-issue": (
            A2,
            "2024-08-31T23:59:59",
            {"index": 2, "name": "李四"},
            "valid",
            "",
        ),
        "valid-current-key": (A3, "2024-10-01", {"index": 3, "name": "买买提·艾力"}, "valid", ""),
        "unknown-key": (ROGUE, "2024-07-01", {"index": 0}, "unknown-key", "key-not-in-registry"),
        "key-of-other-organization": (
            B1,
            "2024-07-01",
            {"index": 0},
            "unknown-key",
            "key-of-other-organization",
        ),
        "key-revoked-before-issue": (
            A2,
            "2024-09-01",
            {"index": 4},
            "key-revoked-before-issue",
            "",
        ),
        "key-retired-before-issue": (A1, "2024-07-01", {"index": 6}, "key-not-valid-at-issue", ""),
        "certificate-revoked": (
            A2,
            "2024-07-01",
            {"index": 5, "name": "王五"},
            "certificate-revoked",
            "",
        ),
        "not-yet-valid": (
            A3,
            "2024-10-01",
            {"index": 7, "issue_date": dt.date(2999, 1, 1)},
            "not-yet-valid",
            "",
        ),
        "status-list-missing": (
            A3,
            "2024-10-01",
            {"index": 0, "list_number": 2},
            "status-unavailable",
            "status-list-missing",
        ),
        "bad-level": (A3, "2024-10-01", {"index": 8, "level": "特级"}, "malformed", "bad-subject"),
        "bad-date": (
            A3,
            "2024-10-01",
            {"index": 8, "tweak": {"credentialSubject.issueDate": "2024-02-30"}},
            "malformed",
            "bad-subject",
        ),
    }
    for name, (signer, when, kwargs, verdict, reason) in signed.items():
        created = format_utc(t(when if "T" in when else f"{when}T00:00:00"))
        doc = record(signer=signer, created=created, **kwargs)
        out[name] = (_bytes(doc), verdict, reason or verdict)
    return out


def build_agreement(dest: Path) -> None:
    reg = registry()
    (dest / "repo" / "keys").mkdir(parents=True, exist_ok=True)
    (dest / "repo" / "keys" / "registry.json").write_bytes(dump_json(reg.signed_document(ROOT)))
    status_dir = dest / "repo" / "certificates" / "acme" / "status"
    status_dir.mkdir(parents=True, exist_ok=True)
    status = status_list()
    (status_dir / "1.json").write_bytes(
        dump_json(status.signed_document(signer=A2, key_id="acme-2", issuer_name=ACME_NAME))
    )
    details_dir = dest / "repo" / "certificates" / "acme" / "status-details"
    details_dir.mkdir(parents=True, exist_ok=True)
    (details_dir / "1.json").write_bytes(dump_json(status.details_document()))
    (dest / "cases").mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, (data, verdict, reason) in cases().items():
        (dest / "cases" / f"{name}.json").write_bytes(data)
        expected[name] = {"verdict": verdict, "reason": reason}
    (dest / "expected.json").write_bytes(dump_json(expected))


__all__ = [
    "AGREEMENT",
    "REGENERATE",
    "SITE",
    "SITE_URL",
    "build_agreement",
    "catalogue",
    "format_utc",
    "registry",
    "t",
]


FAST_ITERATIONS = 1  # Argon2id passes: the sealed layout's code paths at a test's speed
FAST_MEMORY = 64  # KiB


def registry_of(repo: Path) -> Registry:
    from generator.credentials.repo import load_registry

    return load_registry(repo / "keys" / "registry.json")


def seal_into(
    repo: Path,
    docs: list[dict[str, Any]] | list[bytes],
    *,
    org: str = "acme",
    signer: Signer = A3,
    now: dt.datetime | None = None,
) -> Path:
    """Issue `docs` (signed records) as one sealed batch, the way `xcert seal` moves records
    into the store: the store is `repo`'s sibling `store/`. Returns the batch's manifest."""
    from generator.credentials.formats.sealing import LookupParams
    from generator.credentials.issuing.sealed import seal_folder
    from generator.credentials.issuing.store import Store

    folder = repo / "certificates" / org
    folder.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        data = doc if isinstance(doc, bytes) else dump_json(doc)
        number = json.loads(data)["credentialSubject"]["certificateNumber"]
        (folder / f"{number}.json").write_bytes(data)
    report = seal_folder(
        repo_root=repo,
        store=Store(repo.parent / "store"),
        org=org,
        signer=signer,
        registry=registry_of(repo),
        now=now or t("2024-10-08T02:00:00"),
        params=LookupParams(iterations=FAST_ITERATIONS, memory=FAST_MEMORY),
        png=False,
    )
    (batch,) = report.batches
    return folder / "batches" / f"{batch.batch_id}.json"


PUBLISHED_CASES = ("valid", "valid-current-key", "certificate-revoked")


def publish_agreement(site: Path, repo: Path) -> None:
    """Publish into the built site `site` the agreement suite's key registry, status list and
    three records (PUBLISHED_CASES), sealed as `xcert seal` would. `repo` is a new folder of the
    caller's own: seal_into keeps the store beside it, so two callers must not share it."""
    from generator.credentials.formats.sealing import LookupParams
    from generator.credentials.publishing.publish import publish_records

    shutil.copytree(AGREEMENT / "repo", repo, dirs_exist_ok=True)
    sealed = [(AGREEMENT / "cases" / f"{case}.json").read_bytes() for case in PUBLISHED_CASES]
    seal_into(repo, sealed, now=t("2025-01-01T00:00:00"))
    publish_records(
        repo_root=repo,
        site_dir=site,
        catalogue=catalogue(),
        workers=1,
        site_url=SITE_URL,
        params=LookupParams(iterations=FAST_ITERATIONS, memory=FAST_MEMORY),
    )
