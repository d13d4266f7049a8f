"""Private keys: encrypted files, passphrases, where keys may live, and that they never show."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from generator.credentials.issuing.errors import KeyFileError, WrongPassphraseError
from generator.credentials.issuing.keys import (
    Signer,
    ensure_outside,
    find_private_key_files,
    load_signer,
    read_key_info,
    write_key_file,
)
from generator.errors import UsageError


def write(
    path: Path, signer: Signer | None = None, passphrase: str = "a long passphrase"
) -> Signer:
    signer = signer or Signer.generate(key_id=path.stem)
    write_key_file(
        path, signer, passphrase=passphrase, organization="acme", label="ACME", strength="min"
    )
    return signer


def test_encrypted_key_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "acme-1.xcert-key"
    signer = write(path)
    assert path.stat().st_mode & 0o777 == 0o600
    loaded = load_signer(path, passphrase="a long passphrase")
    assert loaded.public_key == signer.public_key
    assert loaded.sign(b"message") == signer.sign(b"message")
    info = read_key_info(path)
    assert (info.key_id, info.organization, info.public_key_multibase) == (
        "acme-1",
        "acme",
        signer.public_key_multibase,
    )


def test_the_file_holds_no_clear_private_key(tmp_path: Path) -> None:
    path = tmp_path / "k.xcert-key"
    seed = bytes(write(path)._key)
    text = path.read_bytes()
    assert seed not in text and seed.hex().encode() not in text
    assert set(json.loads(text)) >= {"kdf", "sealed", "publicKeyMultibase"}


def test_wrong_passphrase_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "k.xcert-key"
    write(path, passphrase="the right one!")
    with pytest.raises(WrongPassphraseError, match="wrong passphrase"):
        load_signer(path, passphrase="the wrong one")


def test_an_existing_key_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "k.xcert-key"
    write(path)
    with pytest.raises(KeyFileError, match="exists already"):
        write(path)


def test_a_damaged_or_foreign_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(KeyFileError, match="not an xcert private key"):
        load_signer(path, passphrase="x")


def test_the_private_key_never_shows() -> None:
    signer = Signer.generate(key_id="acme-1")
    seed_hex = bytes(signer._key).hex()
    assert seed_hex not in repr(signer) and seed_hex not in str(signer)
    assert "acme-1" in repr(signer)
    with pytest.raises(TypeError):
        pickle.dumps(signer)


def test_keys_may_not_live_in_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    with pytest.raises(UsageError, match="outside the repository"):
        ensure_outside(repo / "keys" / "root.xcert-key", repo)
    ensure_outside(tmp_path / "elsewhere" / "root.xcert-key", repo)


def test_private_key_files_are_found_in_the_tree(tmp_path: Path) -> None:
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "registry.json").write_text('{"publicKeyMultibase": "z6Mk"}')
    (tmp_path / "a.xcert-key").write_text("{}")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "kp.json").write_text('{"privateKeyMultibase": "z3u2"}')
    (tmp_path / "id.pem").write_text("-----BEGIN PRIVATE KEY-----")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "x.key").write_text("")
    found = find_private_key_files(tmp_path, exclude=(tmp_path / "site",))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.xcert-key",
        "id.pem",
        "notes/kp.json",
    ]
