"""`xcert seal`: move a folder of plaintext records (`certificates/ORG/*.json`, the layout before
sealed batches) into the organization's private store and write the sealed batches instead."""

from __future__ import annotations

import argparse
import os
import sys

from generator.commands._credential_options import add_png_option, add_signing_options
from generator.credentials.formats._time import now_utc
from generator.credentials.issuing.keyops import org_signer
from generator.credentials.issuing.sealed import seal_folder
from generator.credentials.issuing.store import Store, resolve_store
from generator.credentials.site_url import configured_site_url


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "seal",
        help="move certificates/ORG/*.json plaintext records into the private store as sealed "
        "batches",
    )
    parser.set_defaults(run=run)
    parser.add_argument("--org", required=True, help="the organization whose folder to seal")
    add_png_option(parser)
    add_signing_options(parser)


def run(args: argparse.Namespace) -> int:
    store = Store(resolve_store(args.store, args.repo))
    registry, signer = org_signer(repo_root=args.repo, org=args.org, key_path=args.key)
    report = seal_folder(
        repo_root=args.repo,
        store=store,
        org=args.org,
        signer=signer,
        registry=registry,
        now=now_utc(),
        workers=os.cpu_count() or 1,
        site_url=configured_site_url(args.repo),
        progress=sys.stderr.isatty(),
        png=args.png,
    )
    for batch in report.batches:
        print(f"sealed batch {batch.batch_id} ({batch.folder})")
    print(
        f"moved {report.records} records of {args.org} into the store {store.root}; "
        f"removed {len(report.removed)} plaintext files from certificates/{args.org}/"
    )
    if report.removed:
        print(
            "If these files were ever committed, they are still in git history. Remove them "
            "there too, then force-push and ask everyone to re-clone:\n"
            "  git filter-repo --invert-paths --path-regex "
            f"'^certificates/{args.org}/[^/]+\\.json$'\n"
            "(https://github.com/newren/git-filter-repo; on GitHub, also ask support to purge "
            "cached views of the old commits)."
        )
    return 0
