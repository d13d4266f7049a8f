"""`xcert demo`: create, when absent, the DEMO keys, registry and records (docs/credentials.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.commands._credential_options import add_repo_option
from generator.credentials._catalogue import CatalogueLike
from generator.credentials.issuing.demo import demo_key_dir, ensure_demo
from generator.errors import XcertError


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("demo", help="create the DEMO keys and records to try /verify/")
    parser.set_defaults(run=run)
    add_repo_option(parser)
    parser.add_argument(
        "--key-dir",
        type=Path,
        default=None,
        help="where the DEMO private keys live (default: $XCERT_DEMO_KEYS or "
        "~/.local/share/xcert/demo-keys)",
    )


def _catalogue(repo: Path) -> CatalogueLike | None:
    """The catalogue the demo's records describe, when it can be read."""
    try:
        from generator.credentials._catalogue import load

        return load(repo)
    except (ImportError, XcertError):
        return None


def run(args: argparse.Namespace) -> int:
    report = ensure_demo(
        repo_root=args.repo,
        key_dir=args.key_dir or demo_key_dir(),
        catalogue=_catalogue(args.repo),
    )
    if report.skipped:
        print(f"demo skipped: {report.skipped}")
        return 0
    if report.keys_created:
        print(f"created DEMO keys in {report.key_dir}")
    for path in report.files_written:
        print(f"wrote {path}")
    if not report.keys_created and not report.files_written:
        print("demo up to date")
    return 0
