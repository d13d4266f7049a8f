"""`xcert serve`: build, serve the site on localhost, rebuild when the catalogue, the site sources,
the key registry or the issued records change."""
from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
import time
from pathlib import Path

from generator.commands.build import add_common, options
from generator.credentials.paths import REGISTRY_FILE, certificates_dir
from generator.errors import XcertError
from generator.site.build import build_site

WATCHED = ("catalogue", "site_src", "mkdocs.yml", str(REGISTRY_FILE))


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("serve", help="build, serve on localhost and rebuild on changes")
    add_common(p)
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    p.add_argument("--interval", type=float, default=1.0, help="seconds between change checks")
    p.set_defaults(run=run)


def snapshot(root: Path) -> dict[str, float]:
    """Modification times of every watched file; a change in this map triggers a rebuild."""
    state: dict[str, float] = {}
    for name in WATCHED:
        base = root / name
        paths = [base] if base.is_file() else sorted(base.rglob("*")) if base.is_dir() else []
        for p in paths:
            if p.is_file():
                state[str(p)] = p.stat().st_mtime
    state.update(_records(certificates_dir(root)))
    return state


def _records(base: Path) -> dict[str, float]:
    """The organizations' record folders (a batch added or a record removed changes the folder)
    and their status lists (a revocation). Not every record file: there may be a million, and
    a record is never edited in place, only issued, replaced or removed."""
    state: dict[str, float] = {}
    if not base.is_dir():
        return state
    for org in sorted(p for p in base.iterdir() if p.is_dir()):
        state[str(org)] = org.stat().st_mtime
        for p in sorted((org / "status").glob("*.json")):
            state[str(p)] = p.stat().st_mtime
    return state


def _rebuild(args: argparse.Namespace) -> None:
    try:
        report = build_site(options(args))
        print(f"rebuilt {report.pages} pages", flush=True)
    except XcertError as e:
        render = getattr(e, "render", None)
        print(render() if render else f"build failed: {e}", file=sys.stderr, flush=True)
        print("still serving the previous site", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    opts = options(args)
    # Taken before building, so an edit made during the first build, or right after the
    # "serving" line, is seen as a change.
    seen = snapshot(opts.root)
    build_site(opts)
    out = opts.out.resolve()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *a: object) -> None:  # quiet: the build output matters
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port),
                                             functools.partial(Handler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving {out} at http://127.0.0.1:{server.server_port}/ (Ctrl+C to stop)", flush=True)
    try:
        while True:
            time.sleep(args.interval)
            now = snapshot(opts.root)
            if now != seen:
                seen = now
                _rebuild(args)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
