"""kill -9 at a random moment: a build leaves the previous site complete and served, and the next
run succeeds. (A killed issuance: tests/credentials/test_store.py.)

Two builds at once are refused with a clear message: tests/test_build.py
(test_a_second_build_at_the_same_time_is_refused_with_a_clear_message).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import TODAY

from hostile.conftest import (
    InjectedSite,
    leftovers,
    run_measured,
    scratch_copy,
    start_xcert,
    tree_digest,
)

KILLS = 6
SERVED = (
    "",
    "certificates/web-frontend/",
    "search/",
    "api/certificates.json",
    "pagefind/pagefind-entry.json",
)


def _kill_after(args: tuple[str, ...], delay: float, *, env: dict[str, str] | None = None) -> int:
    """Start the command, SIGKILL its whole process group after `delay` s; its exit code."""
    proc = start_xcert(*args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # it had finished
    return proc.wait()


def _served(base: str, out: Path) -> None:
    for path in SERVED:
        with urllib.request.urlopen(f"{base}/{path}", timeout=10) as response:
            body = response.read()
        local = out / path / "index.html" if path == "" or path.endswith("/") else out / path
        assert (response.status, body) == (200, local.read_bytes()), path


def test_a_build_killed_at_any_moment_leaves_a_complete_site(
    injected: InjectedSite, tmp_path: Path, serve
) -> None:  # type: ignore[no-untyped-def]
    root = scratch_copy(injected, tmp_path / "repo")
    out = root / "site"
    before = tree_digest(out)
    # A new organization, so that a finished build is told apart from the previous site.
    (root / "catalogue" / "organizations" / "new-org.yaml").write_text(
        "id: new-org\nname: 新组织\n", encoding="utf-8"
    )
    build = ("build", "--root", str(root), "--today", TODAY.isoformat())
    (timing,) = run_measured((*build[:3], "--out", str(tmp_path / "finished"), *build[3:]))
    assert timing.returncode == 0, timing.stderr
    after = tree_digest(tmp_path / "finished")
    base = serve(out)
    seed = random.randrange(1 << 32)
    rng = random.Random(seed)
    for i in range(KILLS):
        delay = rng.uniform(0.05, timing.wall)
        code = _kill_after(build, delay)
        state = tree_digest(out)
        where = (
            f"kill {i + 1} after {delay:.2f} s of {timing.wall:.2f} s (seed {seed}, exit {code})"
        )
        assert state in (before, after), f"{where}: the site is neither the old one nor the new one"
        _served(base, out)
    (rerun,) = run_measured(build)
    assert rerun.returncode == 0, rerun.stderr
    assert tree_digest(out) == after
    assert leftovers(out) == [], "the next build removes what killed builds left"
