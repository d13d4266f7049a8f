"""`xcert migrate`: re-issue an organization's records of the first format (before did:web)."""

from __future__ import annotations

import argparse

from generator.commands._credential_options import add_key_option, add_repo_option
from generator.credentials import _catalogue
from generator.credentials.formats._time import now_utc
from generator.credentials.issuing.keyops import org_signer
from generator.credentials.issuing.migrate import migrate_records


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "migrate",
        help="re-issue an organization's records of the first format (run `xcert keys migrate` "
        "first)",
    )
    parser.set_defaults(run=run)
    parser.add_argument("--org", required=True, help="the organization whose records to re-issue")
    add_key_option(parser)
    add_repo_option(parser)


def run(args: argparse.Namespace) -> int:
    registry, signer = org_signer(repo_root=args.repo, org=args.org, key_path=args.key)
    report = migrate_records(
        repo_root=args.repo,
        org=args.org,
        signer=signer,
        registry=registry,
        catalogue=_catalogue.load(args.repo),
        now=now_utc(),
    )
    print(
        f"re-issued {report.records} records of {args.org} ({report.revoked} revoked) into "
        f"{report.status_lists} status list(s); hand the holders their new files"
    )
    return 0
