"""Fixtures of the hostile-input and fault suite: the injected site, built once, and a runner that
executes the real command line while measuring what it costs."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, TODAY, run_xcert

from generator.credentials.formats.jsontext import dump_json
from generator.credentials.formats.registry import KeyEntry, OrgEntry, Registry
from generator.credentials.formats.site import Site
from generator.credentials.issuing.keys import Signer, write_key_file
from hostile._inject import SKELETON, Injector, inject

SITE_URL = "https://xcert.example/"  # a real (not DEMO) registry needs the site's address

ASSETS = Path(__file__).resolve().parents[1] / "assets" / "hostile"


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under `root` and the SHA-256 of its bytes."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def leftovers(out: Path) -> list[str]:
    """Temporary build folders or a half-swapped site left beside `out`."""
    return sorted(p.name for p in out.parent.glob(f".{out.name}.build-*")) + (
        [out.name + ".old"] if out.with_name(out.name + ".old").exists() else []
    )


@dataclass(frozen=True)
class Run:
    """One finished command: exit code, output, CPU seconds and peak memory (MiB)."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    cpu: float
    max_rss_mib: float
    wall: float


def start_xcert(
    *args: str, cwd: Path = REPO, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.Popen[bytes]:
    """The real command line in its own process group (so a test can kill all of it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        start_new_session=True,
        **kwargs,
    )


def run_measured(
    *commands: Sequence[str], timeout: float = 60, env: dict[str, str] | None = None
) -> list[Run]:
    """Run the commands at the same time. Each one's own CPU time and peak memory come from
    wait4, so a case that is slow or greedy is caught even when cases share the machine."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        procs = []
        for i, command in enumerate(commands):
            with open(f"{tmp}/{i}.out", "wb") as out, open(f"{tmp}/{i}.err", "wb") as err:
                procs.append(start_xcert(*command, env=env, stdout=out, stderr=err))
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            for proc in procs:
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        runs = []
        try:
            for i, (command, proc) in enumerate(zip(commands, procs, strict=True)):
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
                runs.append(
                    Run(
                        tuple(command),
                        proc.returncode,
                        Path(f"{tmp}/{i}.out").read_text(encoding="utf-8"),
                        Path(f"{tmp}/{i}.err").read_text(encoding="utf-8"),
                        usage.ru_utime + usage.ru_stime,
                        usage.ru_maxrss / 1024,
                        time.monotonic() - started,
                    )
                )
        finally:
            timer.cancel()
    if expired.is_set():
        pytest.fail(f"{[' '.join(c) for c in commands]} ran for more than {timeout} s")
    return runs


@dataclass(frozen=True)
class InjectedSite:
    """A repository whose catalogue holds payloads in every free-text field, and its site."""

    root: Path
    site: Path
    digest: dict[str, str]
    injector: Injector


def site_repo(dest: Path) -> Path:
    """The project's site_src/ and mkdocs.yml, ready for a catalogue/."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "site_src", dest / "site_src")
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


@pytest.fixture(scope="session")
def injected(tmp_path_factory: pytest.TempPathFactory) -> InjectedSite:
    root = site_repo(tmp_path_factory.mktemp("injected"))
    injector = inject(root / "catalogue")
    result = run_xcert("build", "--root", str(root), "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    return InjectedSite(root, root / "site", tree_digest(root / "site"), injector)


def scratch_copy(src: InjectedSite, dest: Path) -> Path:
    """A copy of the injected repository with its built site: the "previous site" of a case."""
    shutil.copytree(src.root, dest, symlinks=True)
    return dest


# --- a repository that can issue: the skeleton catalogue, a registry, a key outside the tree ---

PASSPHRASE = "hostile test passphrase"
ISSUER = "test-org"


@dataclass(frozen=True)
class IssuingRepo:
    root: Path
    key: Path
    env: dict[str, str]

    def issue(self, csv_path: Path) -> tuple[str, ...]:
        """The `xcert issue` arguments for one batch."""
        return (
            "issue",
            "--repo",
            str(self.root),
            "--org",
            ISSUER,
            "--key",
            str(self.key),
            str(csv_path),
        )

    @property
    def store(self) -> Path:
        return Path(self.env["XCERT_STORE"])

    def records(self) -> list[str]:
        """The record files issued: in the private store, outside the repository."""
        return sorted(p.name for p in self.store.glob("*/batches/*/records/*.json"))

    def record(self, name: str) -> Path:
        (path,) = self.store.glob(f"*/batches/*/records/{name}")
        return path


def issuing_repo(dest: Path) -> IssuingRepo:
    """A repository whose key registry lists test-org's key (valid from 2024), with that key
    encrypted (cheap KDF) in a folder beside it, outside the tree."""

    def signer(name: str) -> Signer:
        return Signer.from_seed(
            hashlib.sha256(f"xcert hostile key {name}".encode()).digest(), key_id=name
        )

    root, org_key = signer("root"), signer(f"{ISSUER}-1")
    registry = Registry(
        1,
        "2024-01-01T00:00:00Z",
        root.public_key_multibase,
        "测试根密钥",
        (
            OrgEntry(
                ISSUER,
                "测试培训评价组织有限公司",
                (
                    KeyEntry(
                        org_key.key_id, ISSUER, org_key.public_key_multibase, "2024-01-01T00:00:00Z"
                    ),
                ),
            ),
        ),
        site=Site(SITE_URL),
    )
    repo = dest / "repo"
    shutil.copytree(SKELETON, repo / "catalogue")
    (repo / "keys").mkdir(parents=True)
    (repo / "keys" / "registry.json").write_bytes(dump_json(registry.signed_document(root)))
    key = dest / "private" / f"{org_key.key_id}.xcert-key"
    write_key_file(
        key, org_key, passphrase=PASSPHRASE, organization=ISSUER, label="test", strength="min"
    )
    return IssuingRepo(
        repo,
        key,
        {
            "XCERT_PASSPHRASE": PASSPHRASE,
            "XCERT_STORE": str(dest / "store"),
            "XCERT_SITE_URL": SITE_URL,
        },
    )
