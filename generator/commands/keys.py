"""`xcert keys`: create the root key; add, rotate, revoke organization keys; show the registry."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.commands._credential_options import add_repo_option
from generator.credentials.formats._time import now_utc, parse_time_option
from generator.credentials.issuing import keyops
from generator.credentials.issuing.keys import KDF_STRENGTHS, default_key_dir
from generator.credentials.issuing.migrate import migrate_registry
from generator.credentials.paths import REGISTRY_FILE
from generator.credentials.repo import load_registry
from generator.credentials.site_url import resolve_site
from generator.errors import UsageError


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("keys", help="manage the root and organization keys")
    parser.set_defaults(run=run)
    common = argparse.ArgumentParser(add_help=False)
    add_repo_option(common)
    common.add_argument(
        "--key-dir",
        type=Path,
        default=None,
        help="folder of private key files, outside the repository (default: $XCERT_KEY_DIR "
        "or ~/.local/share/xcert/keys)",
    )
    common.add_argument(
        "--kdf",
        choices=sorted(KDF_STRENGTHS),
        default="moderate",
        help="argon2id cost for new key files (default: moderate)",
    )
    sub = parser.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    p = sub.add_parser(
        "init-root", parents=[common], help="create the root key and an empty registry"
    )
    p.add_argument(
        "--name", default="xcert 站点运营方根密钥", help="the root's name in the registry"
    )
    p = sub.add_parser("add-org", parents=[common], help="add an organization with a new key")
    p.add_argument("org", metavar="ORG", help="organization id (as in catalogue/organizations/)")
    p.add_argument("--name", help="organization name (default: from the catalogue)")
    p = sub.add_parser(
        "rotate", parents=[common], help="retire an organization's key, add a new one"
    )
    p.add_argument("org", metavar="ORG")
    p = sub.add_parser("revoke", parents=[common], help="revoke a key from a point in time")
    p.add_argument("key", metavar="KEY", help="key id (e.g. acme-edu-1) or its z6Mk... public key")
    p.add_argument(
        "--at",
        required=True,
        help="when the key stopped being trustworthy (ISO time, UTC if no zone)",
    )
    p.add_argument("--reason", required=True, help="why (published in the registry)")
    sub.add_parser("show", parents=[common], help="print the registry and the root fingerprint")
    sub.add_parser(
        "migrate",
        parents=[common],
        help="re-sign a registry of the first format (before did:web) for the site at site_url",
    )
    sub.add_parser(
        "set-site",
        parents=[common],
        help="re-sign the registry for the site address now configured (site_url)",
    )


def _org_name(repo: Path, org_id: str) -> str:
    from generator.credentials._catalogue import load

    org = load(repo).organizations.get(org_id)
    if org is None:
        raise UsageError(f"{org_id!r} is not an organization of the catalogue (or give --name)")
    return org.name


def run(args: argparse.Namespace) -> int:
    now = now_utc()
    if args.keys_command == "show":
        print(keyops.describe(load_registry(args.repo / REGISTRY_FILE)))
        return 0
    ctx = keyops.KeyOpsContext(args.repo, args.key_dir or default_key_dir(), strength=args.kdf)
    if args.keys_command == "init-root":
        site = resolve_site(args.repo, demo=False)
        registry = keyops.init_root(ctx, name=args.name, now=now, site=site)
        print(f"root key: {ctx.key_path(keyops.ROOT_KEY_ID)}")
    elif args.keys_command == "add-org":
        name = args.name or _org_name(args.repo, args.org)
        registry, path = keyops.add_org(ctx, org_id=args.org, name=name, now=now)
        print(f"{args.org} key: {path}")
    elif args.keys_command == "migrate":
        registry = migrate_registry(
            repo_root=args.repo, root=ctx.root(), site=resolve_site(args.repo, demo=False), now=now
        )
        print(f"site: {registry.site.url}")
    elif args.keys_command == "set-site":
        registry = keyops.set_site(ctx, site=resolve_site(args.repo, demo=False), now=now)
        print(f"site: {registry.site.url}")
    elif args.keys_command == "rotate":
        registry, path = keyops.rotate(ctx, org_id=args.org, now=now)
        print(f"{args.org} new key: {path}")
    else:
        try:
            at = parse_time_option(args.at)
        except ValueError as e:
            raise UsageError(str(e)) from e
        registry = keyops.revoke_key(ctx, key_id=args.key, at=at, reason=args.reason, now=now)
    print(f"{args.repo / REGISTRY_FILE}: version {registry.version}")
    print(f"root fingerprint: {registry.fingerprint}")
    return 0
