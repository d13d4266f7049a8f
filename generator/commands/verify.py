"""`xcert verify`: the verify page's verdicts on the command line; exit 0 only if all are valid."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from generator.credentials.formats._time import now_utc
from generator.credentials.formats.verify import verification_result
from generator.credentials.repo import repo_trust


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("verify", help="verify certificate record files")
    parser.set_defaults(run=run)
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument(
        "--repo",
        type=Path,
        default=Path("."),
        help="repository holding keys/registry.json and the status lists (default: .)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per file")


def run(args: argparse.Namespace) -> int:
    trust = repo_trust(args.repo)
    now = now_utc()
    all_valid = True
    for path in args.files:
        try:
            data = path.read_bytes()
        except OSError as e:
            print(f"{path}: cannot read: {e.strerror}")
            all_valid = False
            continue
        result = verification_result(data, trust=trust, now=now)
        all_valid = all_valid and result.ok
        if args.json:
            print(
                json.dumps(
                    {
                        "file": str(path),
                        "verdict": result.verdict.value,
                        "reason": result.reason,
                        "message": result.message,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            print(f"{path}: {result.verdict.value}: {result.message}")
            if result.record is not None and result.ok:
                r = result.record
                print(
                    f"  {r.holder} · {r.certificate_name}（{r.level}） · 编号 {r.number} · "
                    f"发证 {r.issue_date} · {r.issuer_name}"
                )
    return 0 if all_valid else 1
