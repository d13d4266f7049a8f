"""`xcert check`: validate the whole catalogue without building; warnings fail only with
--strict."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.errors import CatalogueErrors
from generator.validate import check_catalogue, report


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of days, at least 1, not {value!r}"
        )
    return int(value)


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("check", help="validate the catalogue without building")
    p.add_argument(
        "--catalogue",
        type=Path,
        default=Path("catalogue"),
        help="catalogue folder (default: catalogue)",
    )
    p.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text for people (default); github also prints GitHub Actions annotations on stdout",
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    p.add_argument(
        "--min-working-days",
        type=_positive,
        default=None,
        metavar="N",
        help="the shortest 公示 period in working days (default: catalogue/policy.yaml, else 5)",
    )
    p.set_defaults(run=run)


def _refuse_private_keys(repo_root: Path) -> None:
    """A private key or a plaintext record (one naming its holder) anywhere in the repository
    fails the check, before anything else."""
    from generator.credentials.issuing.errors import PrivateKeyInTreeError
    from generator.credentials.issuing.keys import find_private_key_files
    from generator.credentials.publishing.plaintext import refuse_plaintext_records

    found = find_private_key_files(repo_root)
    if found:
        raise PrivateKeyInTreeError([str(p.relative_to(repo_root)) for p in found])
    refuse_plaintext_records(repo_root)


def run(args: argparse.Namespace) -> int:
    _refuse_private_keys(args.catalogue.resolve().parent)
    result = check_catalogue(args.catalogue, min_working_days=args.min_working_days)
    warning_level = "error" if args.strict else "warning"
    if args.format == "github":
        for line in report.lines(result.errors, level="error", fmt="github") + report.lines(
            result.warnings, level=warning_level, fmt="github"
        ):
            print(line)
    if result.errors:
        raise CatalogueErrors(result.errors, root=result.root)
    if args.strict and result.warnings:
        raise CatalogueErrors(
            list(result.warnings), root=f"{result.root} (--strict: warnings are errors)"
        )
    for line in report.lines(result.warnings, level="warning", fmt="text"):
        print(line, file=sys.stderr)
    cat = result.catalogue
    assert cat is not None
    n = len(result.warnings)
    warned = f", {n} warning{'s' if n != 1 else ''}" if n else ""
    print(
        f"{result.root} is valid: {len(cat.organizations)} organizations, {len(cat.certificates)} "
        f"certificates, {len(cat.standards)} standards, {len(cat.notices)} notices{warned}"
    )
    return 0
