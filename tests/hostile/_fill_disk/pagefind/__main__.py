"""Stand-in for `python -m pagefind`: runs the real Pagefind, and fills the disk under the site
just before it (XCERT_TEST_FILL_WHEN=before), so that Pagefind meets the full disk. The filler is
the file XCERT_TEST_FILL."""

from __future__ import annotations

import os
import subprocess
import sys

STUBS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fill(path: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)


def real_pagefind() -> str:
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != STUBS]
    for name in [m for m in sys.modules if m == "pagefind" or m.startswith("pagefind.")]:
        del sys.modules[name]
    from pagefind.service import _must_get_executable

    return str(_must_get_executable().resolve())


if __name__ == "__main__":
    binary = real_pagefind()
    when, filler = os.environ["XCERT_TEST_FILL_WHEN"], os.environ["XCERT_TEST_FILL"]
    if when == "before":
        fill(filler)
    sys.exit(subprocess.call([binary, *sys.argv[1:]]))
