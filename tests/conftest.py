"""Shared fixtures: a full build of the shipped catalogue, a local HTTP server, real Chromium."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from filelock import FileLock

REPO = Path(__file__).resolve().parents[1]
ASSETS = Path(__file__).resolve().parent / "assets"
TODAY = dt.date(2026, 11, 30)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Issued records go to private stores of the test session, never to the user's data folder; a
# test that issues gets stores of its own (_private_stores).
_SESSION_STORES = Path(tempfile.mkdtemp(prefix="xcert-test-stores-"))
os.environ.setdefault("XCERT_STORE", str(_SESSION_STORES / "store"))
os.environ.setdefault("XCERT_DEMO_STORE", str(_SESSION_STORES / "demo-store"))


@pytest.fixture(autouse=True)
def _private_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XCERT_STORE", str(tmp_path / "private-store"))
    monkeypatch.setenv("XCERT_DEMO_STORE", str(tmp_path / "demo-store"))


def run_xcert(
    *args: str, cwd: Path = REPO, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess, as a user would: this checkout's code (from
    any folder), and no terminal to prompt on."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def copy_repo(dest: Path) -> Path:
    """A scratch copy of the parts of the repository a build reads."""
    for name in ("catalogue", "site_src", "keys", "certificates"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("demo"))
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def once_per_run(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]
) -> Path:
    """A folder `make` fills once for the whole test run, however many xdist workers share it.

    The first worker to ask makes it under a file lock; the others wait for the lock and find it
    done. Whoever uses it must not change it (copy it first)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, shared by its workers (each has its own below it)
    folder, done = base / f"shared-{name}", base / f"shared-{name}.done"
    with FileLock(str(base / f"shared-{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def _build_shipped(folder: Path) -> None:
    root = copy_repo(folder / "repo")
    result = run_xcert("build", "--root", str(root), "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr


# `make test` runs the suite on every core (pytest-xdist, --dist loadscope). Tests that share a
# module- or class-scoped fixture (a site built for the module, say) stay together on one worker,
# so the fixture is made once; every other test goes alone to whichever worker is free. Only the
# workers see the fixtures, so they write down the modules that share one (_SHARED_MODULES, a file
# the controller names), and the controller's scheduler reads it before handing out work.
_SHARED_MODULES = "XCERT_TEST_SHARED_MODULES"


def _shares_a_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    scopes = {d[-1].scope for d in info.name2fixturedefs.values() if d} if info else set()
    return bool(scopes & {"module", "class", "package"})


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("dist", "no") != "no" and not os.environ.get("PYTEST_XDIST_WORKER"):
        fd, path = tempfile.mkstemp(prefix="xcert-shared-modules-")
        os.close(fd)
        os.environ[_SHARED_MODULES] = path  # the workers start later and inherit it


def pytest_unconfigure(config: pytest.Config) -> None:
    path = os.environ.get(_SHARED_MODULES)
    if path and not os.environ.get("PYTEST_XDIST_WORKER"):
        Path(path).unlink(missing_ok=True)


@pytest.hookimpl(tryfirst=True)  # before the worker reports its collection to the controller
def pytest_collection_finish(session: pytest.Session) -> None:
    path = os.environ.get(_SHARED_MODULES)
    if path and os.environ.get("PYTEST_XDIST_WORKER"):
        shared = sorted({i.nodeid.split("::")[0] for i in session.items if _shares_a_fixture(i)})
        temporary = f"{path}.{os.environ['PYTEST_XDIST_WORKER']}"
        Path(temporary).write_text("\n".join(shared), encoding="utf-8")
        os.replace(temporary, path)


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist, absent with -p no:xdist
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class _Scheduling(LoadScopeScheduling):
        shared: set[str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.shared is None:
                self.shared = set(Path(os.environ[_SHARED_MODULES]).read_text().split())
            module = nodeid.split("::", 1)[0]
            return module if module in self.shared else nodeid

    return _Scheduling(config, log)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalogue built once for the run with a fixed date (do not change it)."""
    return once_per_run(tmp_path_factory, "built-site", _build_shipped) / "repo" / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator[object]:
    """serve(directory) → base URL of a local HTTP server for that directory."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for s in servers:
        s.shutdown()


@pytest.fixture(scope="session")
def site_url(built_site: Path, serve) -> str:  # type: ignore[no-untyped-def]
    return serve(built_site)


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    pg = context.new_page()
    yield pg
    context.close()


PHONE_WIDTH = 390  # CSS pixels


@pytest.fixture(scope="module")
def phone(browser):  # type: ignore[no-untyped-def]
    """A page on a phone's screen (390 × 844 CSS pixels, touch), shared by a module's tests."""
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=1,
    )
    yield context.new_page()
    context.close()
