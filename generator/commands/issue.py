"""`xcert issue`: sign one record per row of a CSV batch (all rows checked first)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from generator.commands._credential_options import add_key_option, add_repo_option
from generator.credentials import _catalogue
from generator.credentials.formats._time import now_utc
from generator.credentials.issuing.issue import issue_batch
from generator.credentials.issuing.keyops import org_signer
from generator.errors import UsageError


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "issue", help="issue signed certificate records from a CSV batch"
    )
    parser.set_defaults(run=run)
    parser.add_argument(
        "csv", type=Path, metavar="BATCH.csv", help="the batch (see docs/credentials.md)"
    )
    parser.add_argument("--org", required=True, help="the issuing organization's id")
    add_key_option(parser)
    add_repo_option(parser)


def run(args: argparse.Namespace) -> int:
    if not args.csv.is_file():
        raise UsageError(f"{args.csv}: no such file")
    registry, signer = org_signer(repo_root=args.repo, org=args.org, key_path=args.key)
    report = issue_batch(
        args.csv,
        repo_root=args.repo,
        org=args.org,
        signer=signer,
        registry=registry,
        catalogue=_catalogue.load(args.repo),
        now=now_utc(),
        workers=os.cpu_count() or 1,
    )
    for path in report.status_lists:
        print(f"created status list {path}")
    print(f"issued {len(report.records)} records under {args.repo / 'certificates' / args.org}")
    return 0
