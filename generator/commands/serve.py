"""`xcert serve`: build, serve the site on localhost, rebuild when the catalogue, the site sources,
the key registry or the issued records change; the browser reloads by itself.

An edit of catalogue files rebuilds only the pages it changes (generator/site/preview.py); the
search index follows in the background. A broken edit is reported in the terminal and over the
served page, and the last good site stays served.
"""

from __future__ import annotations

import argparse
import http.server
import sys
import threading
import time
from pathlib import Path

from generator.commands.build import add_common, options
from generator.credentials.paths import REGISTRY_FILE, certificates_dir
from generator.errors import XcertError
from generator.site.live import LiveState, handler
from generator.site.preview import Preview

WATCHED = ("catalogue", "site_src", "mkdocs.yml", str(REGISTRY_FILE))


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("serve", help="build, serve on localhost and rebuild on changes")
    add_common(p)
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    p.add_argument("--interval", type=float, default=0.3, help="seconds between change checks")
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
    """The organizations' folders, their sealed batch manifests (a few per organization: a batch
    added, replaced or removed) and their status lists (a revocation)."""
    state: dict[str, float] = {}
    if not base.is_dir():
        return state
    for org in sorted(p for p in base.iterdir() if p.is_dir()):
        state[str(org)] = org.stat().st_mtime
        for p in sorted([*(org / "status").glob("*.json"), *(org / "batches").glob("*.json")]):
            state[str(p)] = p.stat().st_mtime
    return state


def _changed(before: dict[str, float], now: dict[str, float]) -> list[Path]:
    return [Path(p) for p in before.keys() | now.keys() if before.get(p) != now.get(p)]


class _Background:
    """Work done between edits, in one background thread: mkdocs' state prepared after a full
    build (`warm`); after incremental updates every page rendered and what the quick update
    missed applied (`settle`), then the search index rebuilt. Edits that come meanwhile are
    handled by the next run."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        self.wanted = threading.Event()
        self.settle = False
        threading.Thread(target=self._loop, daemon=True).start()

    def request(self, *, settle: bool) -> None:
        self.settle = self.settle or settle
        self.wanted.set()

    def _loop(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            settle, self.settle = self.settle, False
            try:
                self.preview.warm()
                if not settle:
                    continue
                settled = self.preview.settle()
                if settled is None:
                    continue  # an edit came meanwhile: its update asks for another run
                with self.preview.lock:
                    self.preview.reindex()
                print(f"settled ({len(settled)} more pages) and search index updated", flush=True)
            except XcertError as e:
                print(f"background update failed: {e}", file=sys.stderr, flush=True)


def _rebuild(
    preview: Preview, changed: list[Path], live: LiveState, background: _Background
) -> None:
    try:
        update = preview.update(changed)
    except XcertError as e:
        render = getattr(e, "render", None)
        message = render() if render else f"build failed: {e}"
        print(message, file=sys.stderr, flush=True)
        print("still serving the previous site", file=sys.stderr, flush=True)
        live.failed(message)
        return
    live.rebuilt()
    if update.full:
        print(f"rebuilt {len(preview.pages)} pages", flush=True)
    else:
        print(
            f"updated {len(update.changed)} changed pages in {update.seconds:.2f} s "
            f"(CPU {update.cpu:.2f} s)",
            flush=True,
        )
    background.request(settle=not update.full)


def run(args: argparse.Namespace) -> int:
    opts = options(args)
    out = opts.out.resolve()
    preview = Preview(opts, tree=out.parent / f".{out.name}.serve")
    # Taken before building, so an edit made during the first build, or right after the
    # "serving" line, is seen as a change.
    seen = snapshot(opts.root)
    preview.full()
    live = LiveState()
    background = _Background(preview)
    background.request(settle=False)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler(out, live))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving {out} at http://127.0.0.1:{server.server_port}/ (Ctrl+C to stop)", flush=True)
    try:
        while True:
            time.sleep(args.interval)
            now = snapshot(opts.root)
            if now != seen:
                changed, seen = _changed(seen, now), now
                _rebuild(preview, changed, live, background)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
