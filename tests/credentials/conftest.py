"""Fixtures for the credential tests: fixed keys, a scratch repository, fast key derivation."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _scenarios  # noqa: E402
from _commands import PASS  # noqa: E402
from conftest import REPO  # noqa: E402

from generator.credentials.formats.jsontext import dump_json  # noqa: E402

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _qr_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QR images are cached per test, not in the user's ~/.cache; the site's address is the
    test suite's (a real registry needs one; the DEMO default has tests of its own)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XCERT_SITE_URL", _scenarios.SITE_URL)


@pytest.fixture()
def key_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private key folder outside the scratch repository, with the passphrase in the env."""
    d = tmp_path / "private-keys"
    monkeypatch.setenv("XCERT_KEY_DIR", str(d))
    monkeypatch.setenv("XCERT_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("XCERT_ROOT_PASSPHRASE", raising=False)
    return d


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A scratch repository holding the fixed test registry and acme's status list 1."""
    root = tmp_path / "repo"
    (root / "keys").mkdir(parents=True)
    (root / "keys" / "registry.json").write_bytes(
        dump_json(_scenarios.registry().signed_document(_scenarios.ROOT))
    )
    status = root / "certificates" / "acme" / "status"
    status.mkdir(parents=True)
    status_list = _scenarios.status_list()
    (status / "1.json").write_bytes(
        dump_json(
            status_list.signed_document(
                signer=_scenarios.A2, key_id="acme-2", issuer_name=_scenarios.ACME_NAME
            )
        )
    )
    details = root / "certificates" / "acme" / "status-details"
    details.mkdir(parents=True)
    (details / "1.json").write_bytes(dump_json(status_list.details_document()))
    return root


@pytest.fixture()
def scratch(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A repository with the shipped catalogue, and the env that puts keys and store outside it
    (the command-line tests: tests/credentials/_commands.py)."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "catalogue", repo / "catalogue")
    env = {**PASS, "XCERT_KEY_DIR": str(tmp_path / "keys"), "XCERT_STORE": str(tmp_path / "store")}
    return repo, env
