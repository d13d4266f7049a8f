"""`xcert revoke`: revoke an issued certificate (sets its status bit, re-signs the status list)."""

from __future__ import annotations

import argparse

from generator.china_time import today_in_china
from generator.commands._credential_options import add_signing_options
from generator.credentials.formats._time import now_utc
from generator.credentials.issuing.keyops import org_signer
from generator.credentials.issuing.revocation import revoke_certificate
from generator.credentials.issuing.store import Store, resolve_store


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("revoke", help="revoke an issued certificate by its number")
    parser.set_defaults(run=run)
    parser.add_argument("number", metavar="NUMBER", help="the certificate number")
    parser.add_argument("--reason", required=True, help="why (published with the status list)")
    parser.add_argument("--date", help="the revocation date, YYYY-MM-DD (default: today)")
    add_signing_options(parser)


def run(args: argparse.Namespace) -> int:
    now = now_utc()
    store = Store(resolve_store(args.store, args.repo))
    store.recover(args.repo)
    batch, record = store.find_record(args.number)
    registry, signer = org_signer(repo_root=args.repo, org=batch.org, key_path=args.key)
    report = revoke_certificate(
        repo_root=args.repo,
        record_path=record,
        reason=args.reason,
        date=args.date or today_in_china(now).isoformat(),
        signer=signer,
        registry=registry,
        now=now,
    )
    print(f"revoked {report.record} (index {report.index} of {report.status_list})")
    return 0
