"""`xcert build`: check the catalogue and build the site into site/ (replaced only on success)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from generator.china_time import today_in_china
from generator.errors import UsageError
from generator.site.build import BuildOptions, build_site
from generator.site.renderer import Renderer


def parse_today(value: str | None) -> dt.date:
    """The date that decides notice statuses: --today, else today in China."""
    if value is None:
        return today_in_china()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise UsageError(f"--today must be a date like 2026-11-30, not {value!r}") from e


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--root", type=Path, default=Path("."), help="the repository folder (default: .)"
    )
    p.add_argument("--out", type=Path, default=None, help="the site folder (default: ROOT/site)")
    p.add_argument(
        "--today",
        default=None,
        help="date for notice statuses, YYYY-MM-DD (default: today in China)",
    )


def options(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(
        root=args.root,
        out=args.out or args.root / "site",
        today=parse_today(args.today),
        renderer=Renderer(getattr(args, "renderer", Renderer.MKDOCS)),
    )


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("build", help="check the catalogue and build the site")
    add_common(p)
    p.add_argument(
        "--renderer",
        choices=[r.value for r in Renderer],
        default=Renderer.MKDOCS.value,
        help="what builds the HTML: mkdocs with Material (default) or Zensical, "
        "Material's successor (needs pip install -e '.[zensical]')",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    report = build_site(options(args))
    print(
        f"built {report.pages} catalogue pages ({report.indexed} indexed for search, "
        f"{report.records} certificate records) into {report.out}"
    )
    return 0
