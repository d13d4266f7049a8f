"""`xcert check`: validate the whole catalogue without building."""
from __future__ import annotations

import argparse
from pathlib import Path

from generator.validate import load_catalogue


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("check", help="validate the catalogue without building")
    p.add_argument("--catalogue", type=Path, default=Path("catalogue"), help="catalogue folder (default: catalogue)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    cat = load_catalogue(args.catalogue)
    print(f"catalogue/ is valid: {len(cat.organizations)} organizations, {len(cat.certificates)} certificates, "
          f"{len(cat.standards)} standards, {len(cat.notices)} notices")
    return 0
