"""`xcert serve` in a subprocess, as a maintainer runs it: it serves the built site, rebuilds when
the issued records change (the certificate page's counts follow), and keeps serving the previous
site when an edit breaks the catalogue."""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, TODAY, copy_repo, run_xcert
from playwright.sync_api import expect

DEMO_PASSPHRASE = (
    "xcert-demo-passphrase"  # published on purpose: generator/credentials/issuing/demo.py
)


class Served:
    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: queue.Queue[str] = queue.Queue()
        for stream in (proc.stdout, proc.stderr):
            threading.Thread(target=self._pump, args=(stream,), daemon=True).start()
        self.url = self.wait_for(r"serving .* at (http://127\.0\.0\.1:\d+)/").group(1)

    def _pump(self, stream) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 180) -> re.Match[str]:
        end = time.monotonic() + timeout
        seen = []
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=max(0.1, end - time.monotonic()))
            except queue.Empty:
                break
            seen.append(line)
            if m := re.search(pattern, line):
                return m
        raise AssertionError(f"no line matching {pattern!r} in {timeout} s; output: {seen}")

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return response.read().decode("utf-8")


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[Served, Path]]:
    root = copy_repo(tmp_path / "repo")
    shutil.rmtree(root / "keys", ignore_errors=True)  # no registry yet, whatever `make site` left
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--root",
            str(root),
            "--port",
            "0",
            "--interval",
            "0.2",
            "--today",
            TODAY.isoformat(),
        ],
        cwd=REPO,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        yield Served(proc), root
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_rebuilds_when_records_are_issued_and_the_counts_follow(
    served, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    server, root = served
    assert "本站尚未发布此证书的颁证记录。" in server.get("/certificates/web-frontend/")
    demo = run_xcert(
        "demo",
        "--repo",
        str(root),
        "--key-dir",
        str(tmp_path / "demo-keys"),
        env={"XCERT_PASSPHRASE": DEMO_PASSPHRASE},
    )
    assert demo.returncode == 0, demo.stderr
    # The demo writes several files; serve may rebuild once before the last of them lands, and
    # rebuilds again when it does.
    end = time.monotonic() + 180
    page = ""
    while "DEMO 演示数据" not in page and time.monotonic() < end:
        server.wait_for(r"^rebuilt \d+ pages$", timeout=end - time.monotonic())
        page = server.get("/certificates/web-frontend/")
    assert "DEMO 演示数据" in page and "<td>2024年</td>" in page


def test_serve_keeps_the_previous_site_when_an_edit_breaks_the_catalogue(served) -> None:  # type: ignore[no-untyped-def]
    server, root = served
    before = server.get("/certificates/web-frontend/")
    (root / "catalogue" / "certificates" / "web-frontend.yaml").write_text(
        "id: web-frontend\nname: [unclosed\n", encoding="utf-8"
    )
    server.wait_for(r"still serving the previous site")
    assert server.get("/certificates/web-frontend/") == before


NOTICE = "catalogue/notices/2019-67-first-batch-announcement.yaml"
NOTICE_URL = "/notices/2019-67-first-batch-announcement/"
TITLE = "\ntitle: 关于参与 1+X 证书制度试点的首批"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _state(server: Served) -> dict[str, object]:
    import json

    return json.loads(server.get("/__xcert/state.json"))  # type: ignore[no-any-return]


def test_serve_updates_only_the_changed_pages_and_adds_its_reload_script(served) -> None:  # type: ignore[no-untyped-def]
    server, root = served
    assert _state(server) == {"version": 0, "error": None}
    assert "export" not in server.get("/__xcert/reload.js") and "location.reload()" in server.get(
        "/__xcert/reload.js"
    )
    _edit(root, NOTICE, TITLE, TITLE.replace("首批", "首批（改）"))
    server.wait_for(r"^updated \d+ changed pages in [\d.]+ s \(CPU [\d.]+ s\)$")
    page = server.get(NOTICE_URL)
    assert "试点的首批（改）职业教育" in page
    assert page.count('<script type="module" src="/__xcert/reload.js"></script>') == 1
    assert _state(server) == {"version": 1, "error": None}
    # The reload script is the server's, never the site's.
    assert "__xcert" not in (root / "site" / NOTICE_URL.strip("/") / "index.html").read_text(
        encoding="utf-8"
    )


def test_the_browser_reloads_by_itself_and_shows_a_broken_edit(served, page) -> None:  # type: ignore[no-untyped-def]
    server, root = served
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server.url + NOTICE_URL)
    # Locator waits poll from Playwright's own script; wait_for_function would eval in the page,
    # which its Content-Security-Policy forbids once the answer is not there at the first try.
    page.locator("h1").wait_for(timeout=60_000)
    _edit(root, NOTICE, TITLE, TITLE.replace("首批", "首批（改）"))
    expect(page.locator("h1")).to_contain_text("首批（改）", timeout=60_000)
    _edit(root, NOTICE, "\nissuer:", "\nissuer: [unclosed\nx:")
    box = page.wait_for_selector("#xcert-serve-error", timeout=60_000)
    assert "catalogue/notices/2019-67-first-batch-announcement.yaml:" in box.text_content()
    assert "首批（改）" in page.locator("h1").text_content()  # the last good page stays
    assert errors == []
