"""The key-management operations behind `xcert keys`: create the root, add, rotate and revoke
organization keys, each re-signing the registry at the next version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.credentials.formats._time import format_utc
from generator.credentials.formats.errors import RegistryError
from generator.credentials.formats.proof import ProofSigner
from generator.credentials.formats.registry import KeyEntry, Registry
from generator.credentials.formats.site import Site
from generator.credentials.issuing.errors import KeyFileError, SigningKeyError
from generator.credentials.issuing.keys import (
    KEY_FILE_SUFFIX,
    ROOT_PASSPHRASE_ENV,
    Signer,
    default_key_dir,
    ensure_outside,
    load_signer,
    passphrase,
    write_key_file,
)
from generator.credentials.paths import registry_path
from generator.credentials.repo import load_registry, save_registry
from generator.errors import UsageError

ROOT_KEY_ID = "root"


def current_org_key(
    registry: Registry, signer: ProofSigner, org: str, now: dt.datetime
) -> KeyEntry:
    """The registry's entry for `signer`'s key, which must be `org`'s and valid at `now`: what
    issuing, sealing, migrating and revoking each check before they sign anything."""
    key = registry.key_by_multibase(signer.public_key_multibase)
    if key is None or key.organization != org or key.problem_at(now) is not None:
        raise SigningKeyError(f"key {signer.key_id} is not a currently valid key of {org}")
    return key


@dataclass(frozen=True)
class KeyOpsContext:
    """Where things are: the repository (public registry) and the private key folder."""

    repo_root: Path
    key_dir: Path
    strength: str = "moderate"

    def __post_init__(self) -> None:
        ensure_outside(self.key_dir, self.repo_root)

    @property
    def registry_path(self) -> Path:
        return registry_path(self.repo_root)

    def key_path(self, key_id: str) -> Path:
        return self.key_dir / f"{key_id}{KEY_FILE_SUFFIX}"

    def root(self) -> Signer:
        return load_signer(
            self.key_path(ROOT_KEY_ID),
            passphrase=passphrase(purpose="the root key", env=ROOT_PASSPHRASE_ENV),
        )

    def new_key(
        self, key_id: str, *, organization: str, label: str, env: str | None = None
    ) -> Signer:
        path = self.key_path(key_id)
        if path.exists():
            raise KeyFileError(f"{path}: a key file with this id exists already")
        signer = Signer.generate(key_id=key_id)
        secret = passphrase(
            purpose=f"the new key {key_id}", new=True, **({"env": env} if env else {})
        )
        write_key_file(
            path,
            signer,
            passphrase=secret,
            organization=organization,
            label=label,
            strength=self.strength,
        )
        return signer


def init_root(ctx: KeyOpsContext, *, name: str, now: dt.datetime, site: Site) -> Registry:
    if ctx.registry_path.exists():
        current = load_registry(ctx.registry_path)
        if not current.demo:
            raise RegistryError(f"{ctx.registry_path}: a root exists already")
    root = ctx.new_key(ROOT_KEY_ID, organization="", label=name, env=ROOT_PASSPHRASE_ENV)
    registry = Registry(1, format_utc(now), root.public_key_multibase, name, site=site)
    # A DEMO registry gives way to the first real root; the demo records then stop verifying.
    save_registry(ctx.registry_path, registry, root=root, previous=None)
    return registry


def add_org(
    ctx: KeyOpsContext, *, org_id: str, name: str, now: dt.datetime
) -> tuple[Registry, Path]:
    current = load_registry(ctx.registry_path)
    root = ctx.root()
    key_id = current.next_key_id(org_id)
    key = ctx.new_key(key_id, organization=org_id, label=name)
    registry = current.with_organization(org_id=org_id, name=name, key=key, at=now)
    save_registry(ctx.registry_path, registry, root=root, previous=current)
    return registry, ctx.key_path(key_id)


def rotate(ctx: KeyOpsContext, *, org_id: str, now: dt.datetime) -> tuple[Registry, Path]:
    current = load_registry(ctx.registry_path)
    org = current.organization(org_id)
    if org is None:
        raise RegistryError(f"organization {org_id!r} is not in the registry")
    root = ctx.root()
    key_id = current.next_key_id(org_id)
    key = ctx.new_key(key_id, organization=org_id, label=org.name)
    registry = current.with_rotation(org_id=org_id, key=key, at=now)
    save_registry(ctx.registry_path, registry, root=root, previous=current)
    return registry, ctx.key_path(key_id)


def set_site(ctx: KeyOpsContext, *, site: Site, now: dt.datetime) -> Registry:
    """The registry re-signed for another site address (records issued before name the old
    one: they stop verifying, so move a site before issuing, or issue again)."""
    current = load_registry(ctx.registry_path)
    if current.site == site:
        raise RegistryError(f"the registry is for {site.url} already")
    registry = current.with_site(site=site, at=now)
    save_registry(ctx.registry_path, registry, root=ctx.root(), previous=current)
    return registry


def revoke_key(
    ctx: KeyOpsContext, *, key_id: str, at: dt.datetime, reason: str, now: dt.datetime
) -> Registry:
    current = load_registry(ctx.registry_path)
    registry = current.with_revocation(key_id=key_id, at=at, reason=reason, now=now)
    save_registry(ctx.registry_path, registry, root=ctx.root(), previous=current)
    return registry


def describe(registry: Registry) -> str:
    """The registry as `xcert keys show` prints it."""
    lines = [
        f"key registry version {registry.version}, updated {registry.updated}"
        + ("  [DEMO]" if registry.demo else ""),
        f"site: {registry.site.url}",
        f"root: {registry.root_name} ({registry.site.root_did})",
        f"root fingerprint: {registry.fingerprint}",
    ]
    for org in registry.organizations:
        lines.append(f"{org.org_id}: {org.name}" + ("  [DEMO]" if org.demo else ""))
        for k in org.keys:
            window = f"from {k.valid_from}" + (f" until {k.valid_until}" if k.valid_until else "")
            state = f"; revoked at {k.revoked_at}: {k.revocation_reason}" if k.revoked_at else ""
            current = "  (current)" if k is org.current_key else ""
            lines.append(f"  {k.key_id}  {k.public_key_multibase}  {window}{state}{current}")
    return "\n".join(lines)


def org_signer(*, repo_root: Path, org: str, key_path: Path | None) -> tuple[Registry, Signer]:
    """The registry and the organization's signer, from `key_path` or its current key file in
    the key folder ($XCERT_KEY_DIR)."""
    registry = load_registry(registry_path(repo_root))
    if key_path is None:
        entry = registry.organization(org)
        current = entry.current_key if entry else None
        if current is None:
            raise UsageError(f"{org!r} has no current key in the registry; give --key")
        key_path = default_key_dir() / f"{current.key_id}{KEY_FILE_SUFFIX}"
    ensure_outside(key_path, repo_root)
    return registry, load_signer(key_path, passphrase=passphrase(purpose=key_path.name))
