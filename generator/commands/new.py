"""`xcert new KIND`: write a new, valid, commented catalogue file with a fresh id.

Options give the essential fields; in a terminal the command asks for any that are missing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import scaffold


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "new", help="write a new catalogue file (notice, organization, certificate, standard)"
    )
    kinds = p.add_subparsers(dest="new_kind", required=True, metavar="KIND")
    for kind, asks in scaffold.ASKS.items():
        k = kinds.add_parser(kind, help=f"a new {kind} in catalogue/{scaffold.FOLDERS[kind]}/")
        k.add_argument(
            "--catalogue",
            type=Path,
            default=Path("catalogue"),
            help="catalogue folder (default: catalogue)",
        )
        for a in asks:
            k.add_argument(
                a.option,
                dest=a.key,
                action="append" if a.many else "store",
                help=a.help,
                metavar=a.option[2:].upper().replace("-", "_"),
            )
        k.set_defaults(run=run)


def _ask(a: scaffold.Ask, default: object) -> object:
    shown = "、".join(default) if isinstance(default, list) else default
    suffix = f" [{shown}]" if shown else ""
    answer = input(f"{a.prompt}{suffix}: ").strip()
    return answer or default


def run(args: argparse.Namespace) -> int:
    given = {a.key: getattr(args, a.key) for a in scaffold.ASKS[args.new_kind]}
    ask = _ask if sys.stdin.isatty() else None
    new = scaffold.new_file(args.new_kind, args.catalogue, given, ask)
    scaffold.write(new)
    print(f"wrote {new.path}")
    print(f"next: fill in the commented fields, then run: xcert check --catalogue {args.catalogue}")
    return 0
