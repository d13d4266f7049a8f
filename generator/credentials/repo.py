"""The repository's credential files read and written checked: the key registry and the status
lists, and the `Trust` that judges records against them. The formats themselves stay pure
(`generator.credentials.formats`); this module is where they meet the disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.credentials._files import write_atomic
from generator.credentials.formats.errors import (
    LegacyRegistryError,
    RegistryError,
    StatusListError,
    StatusListMissingError,
)
from generator.credentials.formats.jsontext import JSONTextError, dump_json, parse_json
from generator.credentials.formats.legacy import is_legacy_registry, legacy_registry
from generator.credentials.formats.proof import ProofSigner
from generator.credentials.formats.registry import Registry, registry_from_document
from generator.credentials.formats.status import StatusList, status_list_from_document
from generator.credentials.formats.verify import Trust
from generator.credentials.paths import (
    REGISTRY_FILE,
    registry_path,
    repo_status_details_path,
    repo_status_path,
)


def load_registry(path: Path) -> Registry:
    """The registry at `path`, checked; raises RegistryError, LegacyRegistryError for one in the
    first format (which says how to move it on)."""
    try:
        doc = parse_json(path.read_bytes())
        if is_legacy_registry(doc):
            old = legacy_registry(doc)
            how = "run `xcert demo` again" if old.demo else "run `xcert keys migrate`"
            raise LegacyRegistryError(
                f"{path}: a key registry in the format before did:web identities; {how}",
                registry=old,
            )
        return registry_from_document(doc)
    except FileNotFoundError as e:
        raise RegistryError(
            f"{path}: no key registry (run `xcert keys init-root`, or `xcert demo`)"
        ) from e
    except JSONTextError as e:
        raise RegistryError(f"{path}: not JSON: {e}") from e
    except LegacyRegistryError:
        raise
    except RegistryError as e:
        raise RegistryError(f"{path}: {e}") from e


def save_registry(
    path: Path, registry: Registry, *, root: ProofSigner, previous: Registry | None
) -> None:
    """Sign and write the registry; its version must be above the one it replaces."""
    if previous is not None:
        if registry.version <= previous.version:
            raise RegistryError(
                f"registry version {registry.version} does not exceed the current "
                f"version {previous.version}; a registry version never goes down"
            )
        if registry.root_public_key_multibase != previous.root_public_key_multibase:
            raise RegistryError("the new registry has another root key than the current one")
    write_atomic(path, dump_json(registry.signed_document(root)))


def root_fingerprint(keys_dir: Path) -> str | None:
    """The footer's text: the root fingerprint of `keys_dir/registry.json`, marked when DEMO.

    None when there is no registry; raises RegistryError when it does not verify.
    """
    path = keys_dir / REGISTRY_FILE.name
    if not path.exists():
        return None
    try:
        registry = load_registry(path)
    except LegacyRegistryError as e:
        if getattr(e.registry, "demo", False):
            return None  # an old DEMO: the build publishes nothing of it (publish_records)
        raise
    return f"{registry.fingerprint}（DEMO 演示根密钥）" if registry.demo else registry.fingerprint


def read_status_list(repo_root: Path, list_id: str, *, registry: Registry) -> StatusList:
    """The verified status list `list_id` from the repository; raises StatusListError
    (StatusListMissingError when the repository has no such list)."""
    ids = registry.site.parse_status_list_url(list_id)
    if ids is None:
        raise StatusListMissingError(f"no status list {list_id}")
    path = repo_status_path(repo_root, *ids)
    try:
        status = status_list_from_document(
            parse_json(path.read_bytes()),
            registry=registry,
            details=read_status_details(repo_status_details_path(repo_root, *ids)),
        )
    except FileNotFoundError as e:
        raise StatusListMissingError(f"no status list {list_id}") from e
    except JSONTextError as e:
        raise StatusListError(f"{path}: not JSON: {e}") from e
    except StatusListError as e:
        raise StatusListError(f"{path}: {e}") from e
    if status.list_id != list_id:
        raise StatusListError(f"{path}: holds {status.list_id}, not {list_id}")
    return status


def read_status_details(path: Path) -> Any:
    """The sealed revocation details beside a status list, or None when absent or unreadable
    (the verdict then says the date and reason are unknown; the bit still counts)."""
    try:
        return parse_json(path.read_bytes())
    except (FileNotFoundError, JSONTextError):
        return None


def repo_trust(repo_root: Path) -> Trust:
    """A Trust in the repository's registry, reading its status lists when a record needs one."""
    registry = load_registry(registry_path(repo_root))

    def load_list(list_id: str) -> StatusList | StatusListError:
        try:
            return read_status_list(repo_root, list_id, registry=registry)
        except StatusListError as e:
            return e

    return Trust(registry, load_list=load_list)
