"""The repository's credential files read and written checked: the key registry and the status
lists, and the `Trust` that judges records against them. The formats themselves stay pure
(`generator.credentials.formats`); this module is where they meet the disk."""

from __future__ import annotations

from pathlib import Path

from generator.credentials._files import write_atomic
from generator.credentials.formats.errors import (
    RegistryError,
    StatusListError,
    StatusListMissingError,
)
from generator.credentials.formats.jsontext import JSONTextError, dump_json, parse_json
from generator.credentials.formats.proof import ProofSigner
from generator.credentials.formats.registry import Registry, registry_from_document
from generator.credentials.formats.status import (
    StatusList,
    parse_status_list_id,
    status_list_from_document,
)
from generator.credentials.formats.verify import Trust
from generator.credentials.paths import REGISTRY_FILE, registry_path, repo_status_path


def load_registry(path: Path) -> Registry:
    try:
        return registry_from_document(parse_json(path.read_bytes()))
    except FileNotFoundError as e:
        raise RegistryError(
            f"{path}: no key registry (run `xcert keys init-root`, or `xcert demo`)"
        ) from e
    except JSONTextError as e:
        raise RegistryError(f"{path}: not JSON: {e}") from e
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
    registry = load_registry(path)
    return f"{registry.fingerprint}（DEMO 演示根密钥）" if registry.demo else registry.fingerprint


def read_status_list(repo_root: Path, list_id: str, *, registry: Registry) -> StatusList:
    """The verified status list `list_id` from the repository; raises StatusListError
    (StatusListMissingError when the repository has no such list)."""
    ids = parse_status_list_id(list_id)
    if ids is None:
        raise StatusListMissingError(f"no status list {list_id}")
    path = repo_status_path(repo_root, *ids)
    try:
        status = status_list_from_document(parse_json(path.read_bytes()), registry=registry)
    except FileNotFoundError as e:
        raise StatusListMissingError(f"no status list {list_id}") from e
    except JSONTextError as e:
        raise StatusListError(f"{path}: not JSON: {e}") from e
    except StatusListError as e:
        raise StatusListError(f"{path}: {e}") from e
    if status.list_id != list_id:
        raise StatusListError(f"{path}: holds {status.list_id}, not {list_id}")
    return status


def repo_trust(repo_root: Path) -> Trust:
    """A Trust in the repository's registry, reading its status lists when a record needs one."""
    registry = load_registry(registry_path(repo_root))

    def load_list(list_id: str) -> StatusList | StatusListError:
        try:
            return read_status_list(repo_root, list_id, registry=registry)
        except StatusListError as e:
            return e

    return Trust(registry, load_list=load_list)
