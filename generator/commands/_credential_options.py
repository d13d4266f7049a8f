"""Options shared by the credential commands (keys, issue, seal, migrate, revoke, verify, demo)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_repo_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", type=Path, default=Path("."), help="repository root (default: .)")


def add_key_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--key",
        type=Path,
        help="the organization's private key file (default: its current key in $XCERT_KEY_DIR)",
    )


def add_store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        type=Path,
        help="the organization's private store, outside the repository "
        "(default: $XCERT_STORE, else ~/.local/share/xcert/store)",
    )


def add_png_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--png",
        action="store_true",
        help="also write each holder's baked PNG certificate (about 40 ms of CPU a record; "
        "the baked SVG is always written)",
    )


def add_signing_options(parser: argparse.ArgumentParser) -> None:
    """--key, --store and --repo: the commands that sign as an organization and write its store."""
    add_key_option(parser)
    add_store_option(parser)
    add_repo_option(parser)
