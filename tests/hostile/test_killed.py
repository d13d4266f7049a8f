"""kill -9 at a random moment: a build leaves the previous site complete and served, an issuance
leaves its batch on disk whole or not at all, and the next run succeeds.

Two builds at once are refused with a clear message: tests/test_build.py
(test_a_second_build_at_the_same_time_is_refused_with_a_clear_message).
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import REPO, TODAY

from hostile.conftest import (
    InjectedSite,
    issuing_repo,
    leftovers,
    run_measured,
    scratch_copy,
    start_xcert,
    tree_digest,
)

KILLS = 6
SERVED = ("", "certificates/web-frontend/", "search/", "api/certificates.json",
          "pagefind/pagefind-entry.json")
BATCH_ROWS = 2000  # enough for issuance to sign in forked workers (_parallel.PARALLEL_FROM)


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


def test_a_build_killed_at_any_moment_leaves_a_complete_site(injected: InjectedSite, tmp_path: Path,
                                                             serve) -> None:  # type: ignore[no-untyped-def]
    root = scratch_copy(injected, tmp_path / "repo")
    out = root / "site"
    before = tree_digest(out)
    # A new organization, so that a finished build is told apart from the previous site.
    (root / "catalogue" / "organizations" / "new-org.yaml").write_text("id: new-org\nname: 新组织\n",
                                                                      encoding="utf-8")
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
        where = f"kill {i + 1} after {delay:.2f} s of {timing.wall:.2f} s (seed {seed}, exit {code})"
        assert state in (before, after), f"{where}: the site is neither the old one nor the new one"
        _served(base, out)
    (rerun,) = run_measured(build)
    assert rerun.returncode == 0, rerun.stderr
    assert tree_digest(out) == after
    assert leftovers(out) == [], "the next build removes what killed builds left"


# Kills the process at the Nth record it moves out of its committed batch folder: the worst
# moment of an issuance, which a random delay rarely hits.
KILL_WHILE_MOVING = """
import os, signal, sys
real, moved = os.replace, [0]
def replace(src, dst, *args, **kwargs):
    if "/.batch-" in str(src):
        moved[0] += 1
        if moved[0] == int(os.environ["XCERT_TEST_KILL_AT"]):
            os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst, *args, **kwargs)
os.replace = replace
sys.argv[0] = "xcert"
from generator.cli import main
sys.exit(main())
"""


def _batch(path: Path, first: int, rows: int) -> list[str]:
    numbers = [f"TEST-2024-{i:06d}" for i in range(first, first + rows)]
    lines = ["证书编号,姓名,证书,等级,发证日期"]
    lines += [f"{n},持证人{i},web-frontend,中级,2024-06-30" for i, n in enumerate(numbers)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sorted(f"{n}.json" for n in numbers)


def test_an_issuance_killed_while_moving_records_is_whole_and_finished_next_time(tmp_path: Path) -> None:
    repo = issuing_repo(tmp_path)
    batch = _batch(tmp_path / "batch.csv", 1, BATCH_ROWS)
    killed = subprocess.run([sys.executable, "-c", KILL_WHILE_MOVING, *repo.issue(tmp_path / "batch.csv")],
                            cwd=REPO, env={**os.environ, **repo.env, "XCERT_TEST_KILL_AT": "10"},
                            capture_output=True, text=True, timeout=120, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert repo.records() == batch, "every record of the batch is visible from the commit on"
    assert list((repo.root / "certificates").glob(".batch-*")), "killed while moving"
    more = _batch(tmp_path / "more.csv", BATCH_ROWS + 1, 1)
    (run,) = run_measured(repo.issue(tmp_path / "more.csv"), env=repo.env)
    assert run.returncode == 0, run.stderr
    org = repo.root / "certificates" / "test-org"
    assert sorted(p.name for p in org.glob("*.json")) == sorted(batch + more)
    assert not list((repo.root / "certificates").glob(".batch-*"))


def test_an_issuance_killed_at_random_writes_all_of_its_batch_or_none(tmp_path: Path) -> None:
    template = issuing_repo(tmp_path / "template")
    batch = _batch(tmp_path / "batch.csv", 1, BATCH_ROWS)
    (timing,) = run_measured(template.issue(tmp_path / "batch.csv"), env=template.env)
    assert timing.returncode == 0, timing.stderr
    seed = random.randrange(1 << 32)
    rng = random.Random(seed)
    for i in range(3):
        repo = issuing_repo(tmp_path / f"run-{i}")
        delay = rng.uniform(0.05, timing.wall)
        _kill_after(repo.issue(tmp_path / "batch.csv"), delay, env=repo.env)
        state = repo.records()
        assert state in ([], batch), f"partial batch after {delay:.2f} s (seed {seed})"
    # The same batch again: issued now if the killed run had not committed, refused if it had.
    (again,) = run_measured(repo.issue(tmp_path / "batch.csv"), env=repo.env)
    if state:
        assert again.returncode == 1 and "has been issued already" in again.stderr
    else:
        assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in (repo.root / "certificates" / "test-org").glob("*.json")) == batch
    assert not list((repo.root / "certificates").glob(".batch-*"))
    assert not list((repo.root / "certificates").glob("*/.incoming-*"))
