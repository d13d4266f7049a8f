"""`xcert diff BASE`: build the site at BASE and at the working tree; print the difference as
Markdown."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.commands.build import parse_today
from generator.sitediff import diff_site, to_markdown


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "diff", help="show what the working tree changes on the built site, as Markdown"
    )
    p.add_argument("base", metavar="BASE", help="git revision to compare with, e.g. origin/main")
    p.add_argument(
        "--root", type=Path, default=Path("."), help="the repository folder (default: .)"
    )
    p.add_argument(
        "--today",
        default=None,
        help="date for notice statuses, YYYY-MM-DD (default: today in China)",
    )
    p.add_argument(
        "--output",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="also write the report to FILE (repeatable; e.g. $GITHUB_STEP_SUMMARY)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    report = to_markdown(diff_site(args.root, args.base, today=parse_today(args.today)))
    print(report)
    for path in args.output:
        path.write_text(report + "\n", encoding="utf-8")
    return 0
