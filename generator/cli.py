"""The `xcert` command line: parses arguments, calls one command, reports errors in one place."""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence

from generator.errors import CatalogueErrors, UsageError, XcertError

# One module per command under generator/commands/; each defines `add_parser(subparsers)`
# and `run(args) -> int`.
COMMANDS = (
    "check",
    "build",
    "serve",
    "keys",
    "issue",
    "revoke",
    "seal",
    "verify",
    "demo",
    "new",
    "diff",
    "migrate",
)


def _parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xcert", description="1+X 证书目录站点生成与证书签发工具")
    parser.add_argument("--verbose", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # Only the command being run is imported (`xcert check` need not load mkdocs); without one,
    # or with an unknown one, all are, for the help and the list of choices.
    named = next((a for a in argv if not a.startswith("-")), None)
    for name in (named,) if named in COMMANDS else COMMANDS:
        module = importlib.import_module(f"generator.commands.{name}")
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = _parser(argv)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except CatalogueErrors as e:
        print(e.render(), file=sys.stderr)
        return 1
    except UsageError as e:
        if args.verbose:
            traceback.print_exc()
        print(f"xcert: error: {e}", file=sys.stderr)
        return 2
    except XcertError as e:
        if args.verbose:
            traceback.print_exc()
        print(f"xcert: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
