"""A verifier that no one here wrote accepts what xcert publishes: Digital Bazaar's VC stack
(`@digitalbazaar/vc` 7 with the eddsa-jcs-2022 cryptosuite and `vc-bitstring-status-list`), JSON-LD
safe-mode expansion (`jsonld`) and the 1EdTech Open Badges 3.0 JSON Schema, all pinned in
tests/interop/package-lock.json (`make test` runs `npm ci` there). The built DEMO site is served on
loopback; the verifier's document loader resolves the site's address and did:web DIDs there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "credentials"))

from _scenarios import AGREEMENT, SITE_URL, catalogue  # noqa: E402

from generator.credentials.formats._time import now_utc  # noqa: E402
from generator.credentials.formats.did import did_documents  # noqa: E402
from generator.credentials.formats.site import DEMO_SITE_URL  # noqa: E402
from generator.credentials.formats.verify import verification_result  # noqa: E402
from generator.credentials.publishing.publish import publish_records  # noqa: E402
from generator.credentials.repo import load_registry, repo_trust  # noqa: E402

HERE = Path(__file__).resolve().parent
SCHEMA = HERE.parent / "assets" / "open-badges-3" / "achievementcredential.schema.json"
sys.path.insert(0, str(HERE.parent))
from conftest import TODAY, copy_repo  # noqa: E402


def _node_ready() -> None:
    if shutil.which("node") is None:
        pytest.fail("node is missing: apt-get install nodejs npm (make test needs it)")
    if not (HERE / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        pytest.fail(
            "the pinned verifier is not installed: run `npm ci` in tests/interop (`make test` does)"
        )


def generic(sites: dict[str, str], files: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """The generic verifier's findings on each file (see verify.mjs)."""
    _node_ready()
    request = {
        "sites": sites,
        "schema": str(SCHEMA),
        "files": [{"name": k, "path": str(v)} for k, v in files.items()],
    }
    run = subprocess.run(
        ["node", str(HERE / "verify.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=HERE,
    )
    assert run.returncode == 0, run.stderr
    result: dict[str, dict[str, Any]] = json.loads(run.stdout)
    return result


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalogue with the DEMO, built as `make site` builds it (no site_url: the DEMO
    address)."""
    root = copy_repo(tmp_path_factory.mktemp("interop-repo"))
    env = {"XCERT_DEMO_KEYS": str(tmp_path_factory.mktemp("interop-demo-keys"))}
    clean = {k: v for k, v in os.environ.items() if k != "XCERT_SITE_URL"}
    for args in (
        ("demo", "--repo", str(root)),
        ("build", "--root", str(root), "--today", TODAY.isoformat()),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "generator", *args],
            text=True,
            capture_output=True,
            timeout=900,
            env={**clean, **env},
        )
        assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def demo(demo_site: Path, serve) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    base = serve(demo_site)
    files = {
        name: demo_site / "verify" / "demo" / f"{name}.json"
        for name in ("valid", "revoked", "altered")
    }
    files["registry"] = demo_site / "keys" / "registry.json"
    files["status-list"] = demo_site / "status" / "demo" / "1.json"
    return generic({DEMO_SITE_URL: base}, files)


def test_the_valid_sample_verifies_with_its_status_bit_unset(demo: dict[str, Any]) -> None:
    assert demo["valid"]["verified"], demo["valid"]["errors"]
    assert demo["valid"]["status"] is False


def test_the_revoked_sample_verifies_with_its_status_bit_set(demo: dict[str, Any]) -> None:
    assert demo["revoked"]["verified"], demo["revoked"]["errors"]
    assert demo["revoked"]["status"] is True


def test_the_altered_sample_is_rejected(demo: dict[str, Any]) -> None:
    assert demo["altered"]["verified"] is False
    assert "Invalid signature." in demo["altered"]["errors"]


def test_the_registry_and_the_status_list_verify_the_same_way(demo: dict[str, Any]) -> None:
    for name in ("registry", "status-list"):
        assert demo[name]["verified"], (name, demo[name]["errors"])


def test_every_published_credential_passes_json_ld_safe_mode(demo: dict[str, Any]) -> None:
    for name in ("valid", "revoked", "registry", "status-list"):
        assert demo[name]["expanded"], (name, demo[name].get("expandError"))


def test_records_are_open_badges_3_achievement_credentials(demo: dict[str, Any]) -> None:
    for name in ("valid", "revoked"):
        assert demo[name]["schemaValid"], (name, demo[name]["schemaErrors"])


def test_did_documents_never_disagree_with_the_registry(demo_site: Path) -> None:
    registry = load_registry(demo_site / "keys" / "registry.json")
    published = {}
    for path in [demo_site / "keys" / "did.json", *demo_site.glob("organizations/*/did.json")]:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert registry.site.did_document_path(doc["id"]) == str(path.relative_to(demo_site))
        published[doc["id"]] = doc
    assert published == did_documents(registry)
    for org in registry.organizations:
        doc = published[registry.site.org_did(org.org_id)]
        assert [m["publicKeyMultibase"] for m in doc["verificationMethod"]] == [
            k.public_key_multibase for k in org.keys
        ]


# --- The agreement suite: xcert, the verify page (tests/browser) and the generic verifier ---

# What a generic verifier cannot judge: key windows (DID documents have none) and xcert's own
# rules on the form of a field (a level, a real calendar date).
NOT_JUDGED = {"key-revoked-before-issue", "key-not-valid-at-issue"}
NOT_JUDGED_REASONS = {"bad-subject"}


@pytest.fixture(scope="module")
def agreement(tmp_path_factory: pytest.TempPathFactory, serve) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The agreement suite's registry and status list published as a site, and every case."""
    repo = tmp_path_factory.mktemp("agreement-repo")
    shutil.copytree(AGREEMENT / "repo", repo, dirs_exist_ok=True)
    site = tmp_path_factory.mktemp("agreement-site")
    publish_records(
        repo_root=repo, site_dir=site, site_url=SITE_URL, catalogue=catalogue(), workers=1
    )
    files = {p.stem: p for p in sorted((AGREEMENT / "cases").glob("*.json"))}
    return generic({SITE_URL: serve(site)}, files)


def test_xcert_and_the_generic_verifier_agree_on_the_agreement_suite(
    agreement: dict[str, Any],
) -> None:
    trust = repo_trust(AGREEMENT / "repo")
    judged = 0
    for case, found in sorted(agreement.items()):
        data = (AGREEMENT / "cases" / f"{case}.json").read_bytes()
        ours = verification_result(data, trust=trust, now=now_utc())  # the generic one's clock
        if ours.verdict.value in NOT_JUDGED or ours.reason in NOT_JUDGED_REASONS:
            continue
        judged += 1
        accepted = bool(found.get("verified"))
        assert accepted == (ours.verdict.value in ("valid", "certificate-revoked")), (case, found)
        if accepted:
            assert found["status"] is (ours.verdict.value == "certificate-revoked"), case
    assert judged >= 19
