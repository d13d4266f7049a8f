"""The forgeries of tests/hostile/_forgery.py put to the verify page in Chromium: each forged
record gets the same verdict as from the Python verifier; a registry signed by a key that is not
its root, and a registry older than one the browser has seen, leave the page refusing to judge.

The site is the injected one (every catalogue name a payload) with the agreement suite's
registry and status list published into it, so the verdict's details also show payloads."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from generator.credentials.formats.jsontext import dump_json
from generator.credentials.formats.verify import verification_result
from generator.credentials.publishing.publish import publish_records
from generator.credentials.repo import repo_trust
from generator.validate import load_catalogue
from hostile._forgery import (
    AGREEMENT,
    PAYLOAD_HOLDER,
    ROGUE,
    ROOT,
    lowered_registry,
    records,
    registry_signed_by,
    t,
)
from hostile._inject import FIND_INJECTED, collect_dialogs
from hostile.conftest import SITE_URL, InjectedSite

pytestmark = pytest.mark.browser
CASES = records()
NO_TRUST = "无法载入本站的密钥登记册，不能核验："


@pytest.fixture(scope="module")
def verify_site(injected: InjectedSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("forgery-site") / "site"
    shutil.copytree(injected.site, site)
    repo = tmp_path_factory.mktemp("forgery-repo")
    shutil.copytree(AGREEMENT / "repo", repo, dirs_exist_ok=True)
    publish_records(
        repo_root=repo,
        site_dir=site,
        catalogue=load_catalogue(injected.root / "catalogue"),
        workers=1,
        site_url=SITE_URL,
    )
    return site


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for case, (data, _, _) in CASES.items():
        out[case] = tmp_path / f"{case}.json"
        out[case].write_bytes(data)
    return out


def _site_copy(verify_site: Path, dest: Path) -> Path:
    shutil.copytree(verify_site, dest)
    return dest


def _replace_registry(site: Path, doc: dict) -> None:  # type: ignore[type-arg]
    path = site / "keys" / "registry.json"
    path.write_bytes(dump_json(doc))
    later = path.stat().st_mtime + 10  # so the server does not answer 304 Not Modified
    os.utime(path, (later, later))


def _open(page, base: str) -> str:  # type: ignore[no-untyped-def]
    """Load the verify page; the text of its trust line once the registry is judged. (Polled
    from here: the page's Content-Security-Policy forbids the eval of wait_for_function.)"""
    page.goto(f"{base}/verify/")
    deadline = time.monotonic() + 15
    while (text := page.inner_text("#xv-trust")).startswith("正在"):
        assert time.monotonic() < deadline, "the key registry never loaded"
        page.wait_for_timeout(50)
    return str(text)


def _judge(page, path: Path) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    page.evaluate("document.getElementById('xv-result').removeAttribute('data-verdict')")
    page.set_input_files("#xv-file", str(path))
    page.wait_for_selector("#xv-result[data-verdict]")
    box = page.locator("#xv-result")
    return (
        box.get_attribute("data-verdict"),
        box.get_attribute("data-reason"),
        page.inner_text("#xv-result .xv-message"),
    )


def test_forged_records_get_the_python_verdicts(
    page,
    verify_site: Path,
    serve,  # type: ignore[no-untyped-def]
    files: dict[str, Path],
) -> None:
    dialogs = collect_dialogs(page)
    _open(page, serve(verify_site))
    trust = repo_trust(AGREEMENT / "repo")
    for case, (data, verdict, reason) in sorted(CASES.items()):
        python = verification_result(data, trust=trust, now=t("2026-01-01T00:00:00"))
        assert _judge(page, files[case]) == (verdict, reason, python.message), case
        assert page.evaluate(FIND_INJECTED) == [] and dialogs == [], case
    # The last file judged shows its details: the holder's name and the certificate's (a
    # payload from the injected catalogue) as text.
    assert _judge(page, files["payload-in-holder-name"])[0] == "valid"
    details = page.inner_text("#xv-result")
    assert PAYLOAD_HOLDER in details and "<script>alert(1)</script>" in details


@pytest.mark.parametrize("claim_root", [False, True], ids=["rogue-key", "rogue-key-claiming-root"])
def test_a_registry_not_signed_by_its_root_stops_every_verdict(
    page,
    verify_site: Path,
    serve,  # type: ignore[no-untyped-def]
    files: dict[str, Path],
    tmp_path: Path,
    claim_root: bool,
) -> None:
    site = _site_copy(verify_site, tmp_path / "site")
    _replace_registry(site, registry_signed_by(ROGUE, claim_root=claim_root))
    why = (
        "the registry's signature does not match"
        if claim_root
        else "the registry is not signed by the root of its site"
    )
    assert _open(page, serve(site)) == NO_TRUST + why
    assert _judge(page, files["payload-in-holder-name"])[:2] == ("no-trust", "no-registry")


def test_a_registry_older_than_one_seen_is_refused(
    page,
    verify_site: Path,
    serve,  # type: ignore[no-untyped-def]
    files: dict[str, Path],
    tmp_path: Path,
) -> None:
    site = _site_copy(verify_site, tmp_path / "site")
    base = serve(site)
    assert _open(page, base).startswith("密钥登记册第 4 版")
    late = files["signed-after-key-revoked"]
    assert _judge(page, late)[:2] == ("key-revoked-before-issue", "key-revoked-before-issue")
    # The site now serves version 3, genuinely signed by the root, from before the revocation.
    _replace_registry(site, lowered_registry().signed_document(ROOT))
    assert _open(page, base) == (
        NO_TRUST + "密钥登记册版本 3 低于此前见过的版本 4：可能是被替换的旧副本。"
    )
    assert _judge(page, late)[:2] == ("no-trust", "no-registry")
