"""A full disk during a build: on a small tmpfs holding the previous site, the disk fills up at
each stage in turn (the lock file, publishing, the docs tree, mkdocs, Pagefind). Every time the
command says so in one line, exits 1, keeps the previous site byte for byte and leaves no
temporary folder; with the space back, the build succeeds.

Mounting a tmpfs needs root; elsewhere the module is skipped. Pagefind is reached by a stand-in
for `python -m pagefind` (tests/hostile/_fill_disk/) that fills the disk just before running the
real Pagefind, which itself exits 0 on a full disk, leaving empty files
(generator/site/search_index.py checks its output for that).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TODAY

from hostile.conftest import InjectedSite, leftovers, run_measured, tree_digest

STUBS = Path(__file__).resolve().parent / "_fill_disk"


def _size(site: Path) -> int:
    """Bytes the site takes on a tmpfs (whole 4 KiB pages per file)."""
    return sum(-(-p.stat().st_size // 4096) * 4096 for p in site.rglob("*") if p.is_file())


@pytest.fixture()
def disk(tmp_path: Path, injected: InjectedSite) -> Iterator[Path]:
    """A tmpfs three times the site's size, holding a copy of the injected site at site/."""
    mount = tmp_path / "disk"
    mount.mkdir()
    size_kib = 3 * _size(injected.site) // 1024
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(
            f"cannot mount a small tmpfs ({result.stderr.strip() or 'not root'}); "
            "the full-disk cases need root"
        )
    try:
        shutil.copytree(injected.site, mount / "site")
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def _fill(path: Path, *, leave: int) -> None:
    """Write a filler file until only `leave` bytes are free (to the page)."""
    free = shutil.disk_usage(path.parent).free
    with open(path, "wb") as f:
        f.writelines(b"\0" * (1 << 16) for _ in range(max(0, free - leave) // (1 << 16)))
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:  # the last bytes, page by page
        while shutil.disk_usage(path.parent).free > leave:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)


# stage → (bytes left free before the build, when the pagefind stand-in fills the disk, the
# module that meets the full disk, as the traceback of --verbose shows)
PAGE = 4096
STAGES = {
    "lock-file": (0, None, "generator/site/swap.py"),
    # one page: the lock file takes it, and the first file publishing writes (the verify page's
    # catalogue index) finds none left
    "publishing": (PAGE, None, "generator/credentials/"),
    "docs-tree": (64 * 1024, None, "generator/site/tree.py"),
    # a third of the site: the docs tree fits, the HTML does not
    "mkdocs": (None, None, "generator/site/html.py"),
    "pagefind": (None, "before", "generator/site/search_index.py"),
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_full_disk_keeps_the_previous_site(
    stage: str, disk: Path, injected: InjectedSite
) -> None:
    leave, when, where = STAGES[stage]
    filler = disk / "filler"
    env = {}
    if when is not None:
        env = {
            "PYTHONPATH": os.pathsep.join(filter(None, [str(STUBS), os.environ.get("PYTHONPATH")])),
            "XCERT_TEST_FILL": str(filler),
            "XCERT_TEST_FILL_WHEN": when,
        }
    else:
        _fill(filler, leave=_size(injected.site) // 3 if leave is None else leave)
    out = disk / "site"
    build = ("build", "--root", str(injected.root), "--out", str(out), "--today", TODAY.isoformat())
    (run,) = run_measured(("--verbose", *build), env=env)
    *traceback, last = run.stderr.splitlines()
    assert (run.returncode, last) == (
        1,
        f"xcert: error: no space left on the device while building in {disk}; {out} is unchanged",
    )
    assert where in "\n".join(traceback), f"the disk did not fill up in {where}"
    assert tree_digest(out) == injected.digest
    assert leftovers(out) == []
    if stage != "publishing":
        return
    filler.unlink()  # with the space back, the build goes through
    (again,) = run_measured(build)
    assert again.returncode == 0, again.stderr
    # The same inputs build the same bytes, but for Pagefind's filter files: Pagefind numbers
    # pages in the order the file system lists them, and a tmpfs lists them differently.
    assert _outside_search(tree_digest(out)) == _outside_search(injected.digest)


def _outside_search(digest: dict[str, str]) -> dict[str, str]:
    return {path: h for path, h in digest.items() if not path.startswith("pagefind/")}
