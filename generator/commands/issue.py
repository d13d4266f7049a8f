"""`xcert issue`: issue a CSV batch: the signed records into the organization's private store,
a sealed, signed batch into the repository (all rows checked first)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator.commands._credential_options import add_png_option, add_signing_options
from generator.credentials import _catalogue
from generator.credentials.formats._time import now_utc
from generator.credentials.issuing.batch_writer import BATCH_RECORDS, ENTRIES_BYTES
from generator.credentials.issuing.keyops import org_signer
from generator.credentials.issuing.sealed import issue_sealed
from generator.credentials.issuing.store import Store, resolve_store
from generator.credentials.site_url import configured_site_url
from generator.errors import UsageError


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "issue", help="issue a CSV batch into the private store and a sealed batch"
    )
    parser.set_defaults(run=run)
    parser.add_argument(
        "csv", type=Path, metavar="BATCH.csv", help="the batch (see docs/credentials.md)"
    )
    parser.add_argument("--org", required=True, help="the issuing organization's id")
    add_png_option(parser)
    parser.add_argument(
        "--batch-size",
        type=_positive,
        default=BATCH_RECORDS,
        metavar="N",
        help=f"records per sealed batch at most (default {BATCH_RECORDS:,}; a batch also closes "
        f"before its entries pass {ENTRIES_BYTES // 2**20} MiB, under GitHub's 50 MB warning); a "
        "larger CSV makes several batches, committed together",
    )
    add_signing_options(parser)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def run(args: argparse.Namespace) -> int:
    if not args.csv.is_file():
        raise UsageError(f"{args.csv}: no such file")
    store = Store(resolve_store(args.store, args.repo))
    registry, signer = org_signer(repo_root=args.repo, org=args.org, key_path=args.key)
    report = issue_sealed(
        args.csv,
        repo_root=args.repo,
        store=store,
        org=args.org,
        signer=signer,
        registry=registry,
        catalogue=_catalogue.load(args.repo),
        now=now_utc(),
        workers=os.cpu_count() or 1,
        site_url=configured_site_url(args.repo),
        progress=sys.stderr.isatty(),
        png=args.png,
        batch_size=args.batch_size,
    )
    for batch in report.recovered:
        print(f"finished batch {batch.batch_id} of an interrupted run")
    if report.already:
        print(
            f"{args.csv} was issued before as batch {report.batch.batch_id} "
            f"({report.records} records); nothing new issued"
        )
        return 0
    for path in report.status_lists:
        print(f"created status list {path}")
    print(f"issued {report.records} records into the store {report.batch.folder}")
    for manifest in report.manifests:
        print(f"sealed batch for the repository: {manifest} (+ .entries)")
    return 0
