"""Private keys: the `Signer` object and passphrase-encrypted key files. The only module that
touches private key bytes.

A key file is JSON: the public Multikey and labels in clear, the 32-byte Ed25519 seed sealed with
PyNaCl `SecretBox` under a key derived from the passphrase by argon2id (`nacl.pwhash`). Key files
live outside the repository (`--key`/`--key-dir`, `XCERT_KEY_DIR`); `find_private_key_files`
lets `xcert check` and the build refuse a tree that contains one.
"""

from __future__ import annotations

import base64
import getpass
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.signing
import nacl.utils

from generator.credentials.formats.multibase import decode_public_multikey, encode_public_multikey
from generator.credentials.issuing.errors import KeyFileError, WrongPassphraseError
from generator.credentials.paths import is_uncommitted_dir
from generator.errors import UsageError

KEY_FILE_SUFFIX = ".xcert-key"
KEY_FILE_FORMAT = "xcert-private-key"
PASSPHRASE_ENV = "XCERT_PASSPHRASE"
ROOT_PASSPHRASE_ENV = "XCERT_ROOT_PASSPHRASE"
KEY_DIR_ENV = "XCERT_KEY_DIR"
MIN_PASSPHRASE = 12
# Suffixes and markers by which a private key file is recognised anywhere in the tree.
# Split so this source file is not itself taken for key material by scanners of the repository.
PRIVATE_KEY_MARKERS = (
    KEY_FILE_FORMAT.encode(),
    b"PRIVATE" + b" KEY-----",
    b"privateKey" + b"Multibase",
)
PRIVATE_KEY_SUFFIXES = (KEY_FILE_SUFFIX, ".pem", ".key", ".p8", ".jwk")

KDF_STRENGTHS: dict[str, tuple[int, int]] = {
    "min": (nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_MIN),
    "interactive": (
        nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE,
        nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE,
    ),
    "moderate": (nacl.pwhash.argon2id.OPSLIMIT_MODERATE, nacl.pwhash.argon2id.MEMLIMIT_MODERATE),
    "sensitive": (
        nacl.pwhash.argon2id.OPSLIMIT_SENSITIVE,
        nacl.pwhash.argon2id.MEMLIMIT_SENSITIVE,
    ),
}


class Signer:
    """An Ed25519 signing key with its key id; signs bytes, never shows the private part."""

    __slots__ = ("_key", "key_id", "public_key", "public_key_multibase")

    def __init__(self, signing_key: nacl.signing.SigningKey, *, key_id: str) -> None:
        self._key = signing_key
        self.key_id = key_id
        self.public_key = bytes(signing_key.verify_key)
        self.public_key_multibase = encode_public_multikey(self.public_key)

    @classmethod
    def generate(cls, *, key_id: str) -> Signer:
        return cls(nacl.signing.SigningKey.generate(), key_id=key_id)

    @classmethod
    def from_seed(cls, seed: bytes, *, key_id: str) -> Signer:
        return cls(nacl.signing.SigningKey(seed), key_id=key_id)

    @property
    def verification_method(self) -> str:
        """The `did:key` verification method written into proofs."""
        mk = self.public_key_multibase
        return f"did:key:{mk}#{mk}"

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message).signature

    def __repr__(self) -> str:
        return f"Signer(key_id={self.key_id!r}, public_key={self.public_key_multibase!r})"

    def __reduce__(self) -> Any:
        raise TypeError("a Signer is not pickled: the private key stays in this process")


@dataclass(frozen=True)
class KeyFileInfo:
    """The clear-text part of a key file."""

    key_id: str
    organization: str
    label: str
    public_key_multibase: str
    demo: bool


def _derive(passphrase: str, salt: bytes, ops: int, mem: int) -> bytes:
    return nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE, passphrase.encode("utf-8"), salt, opslimit=ops, memlimit=mem
    )


def write_key_file(
    path: Path,
    signer: Signer,
    *,
    passphrase: str,
    organization: str,
    label: str,
    demo: bool = False,
    strength: str = "moderate",
) -> None:
    """Encrypt the signer's seed under the passphrase and write it to `path` (mode 0600)."""
    if path.exists():
        raise KeyFileError(f"{path}: exists already; refusing to overwrite a private key")
    ops, mem = KDF_STRENGTHS[strength]
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    box = nacl.secret.SecretBox(_derive(passphrase, salt, ops, mem))
    sealed = box.encrypt(bytes(signer._key))  # seed only; nonce is prepended by SecretBox
    doc = {
        "format": KEY_FILE_FORMAT,
        "version": 1,
        "demo": demo,
        "keyId": signer.key_id,
        "organization": organization,
        "label": label,
        "publicKeyMultibase": signer.public_key_multibase,
        "kdf": {
            "algorithm": "argon2id",
            "opslimit": ops,
            "memlimit": mem,
            "salt": base64.b64encode(salt).decode(),
        },
        "cipher": "xsalsa20poly1305",
        "sealed": base64.b64encode(bytes(sealed)).decode(),
    }
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")


def _read_doc(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise KeyFileError(f"{path}: no such key file") from e
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise KeyFileError(f"{path}: not a readable key file: {e}") from e
    if not isinstance(doc, dict) or doc.get("format") != KEY_FILE_FORMAT:
        raise KeyFileError(f"{path}: not an xcert private key file")
    return doc


def read_key_info(path: Path) -> KeyFileInfo:
    """The clear-text labels of a key file, without the passphrase."""
    doc = _read_doc(path)
    return KeyFileInfo(
        key_id=str(doc.get("keyId", "")),
        organization=str(doc.get("organization", "")),
        label=str(doc.get("label", "")),
        public_key_multibase=str(doc.get("publicKeyMultibase", "")),
        demo=bool(doc.get("demo", False)),
    )


def load_signer(path: Path, *, passphrase: str) -> Signer:
    """Open a key file; raises WrongPassphraseError when the passphrase does not fit."""
    doc = _read_doc(path)
    try:
        kdf = doc["kdf"]
        salt = base64.b64decode(kdf["salt"])
        sealed = base64.b64decode(doc["sealed"])
        ops, mem = int(kdf["opslimit"]), int(kdf["memlimit"])
        expected = decode_public_multikey(doc["publicKeyMultibase"])
        key_id = str(doc["keyId"])
    except (KeyError, TypeError, ValueError) as e:
        raise KeyFileError(f"{path}: damaged key file ({e})") from e
    box = nacl.secret.SecretBox(_derive(passphrase, salt, ops, mem))
    try:
        seed = box.decrypt(sealed)
    except nacl.exceptions.CryptoError:
        raise WrongPassphraseError(f"{path}: wrong passphrase") from None
    signer = Signer.from_seed(seed, key_id=key_id)
    if signer.public_key != expected:
        raise KeyFileError(f"{path}: the sealed key does not match its public key")
    return signer


def passphrase(*, purpose: str, env: str = PASSPHRASE_ENV, new: bool = False) -> str:
    """The passphrase from `env` (or XCERT_PASSPHRASE), else asked on the terminal."""
    value = os.environ.get(env) or os.environ.get(PASSPHRASE_ENV)
    if value is None:
        if not sys.stdin.isatty():
            raise UsageError(f"set {env} or run in a terminal to type the passphrase for {purpose}")
        value = getpass.getpass(f"Passphrase for {purpose}: ")
        if new and getpass.getpass("Repeat passphrase: ") != value:
            raise UsageError("the two passphrases differ")
    if new and len(value) < MIN_PASSPHRASE:
        raise UsageError(f"a new key's passphrase needs at least {MIN_PASSPHRASE} characters")
    return value


def default_key_dir() -> Path:
    env = os.environ.get(KEY_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path.home() / ".local" / "share" / "xcert" / "keys"


def ensure_outside(path: Path, repo_root: Path) -> None:
    """Refuse a private key location inside the repository tree."""
    p, root = path.expanduser().resolve(), repo_root.resolve()
    if p == root or root in p.parents:
        raise UsageError(f"{path}: private keys must live outside the repository ({root})")


def find_private_key_files(root: Path, *, exclude: tuple[Path, ...] = ()) -> list[Path]:
    """Files under `root` that look like private keys (by suffix or content).

    `exclude` names output folders (the built site) that are not searched.
    """
    skip = {p.resolve() for p in exclude}
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [
            d
            for d in dirnames
            if not is_uncommitted_dir(d) and (Path(dirpath) / d).resolve() not in skip
        ]
        for name in filenames:
            p = Path(dirpath) / name
            if name.endswith(PRIVATE_KEY_SUFFIXES) or _looks_private(p):
                found.append(p)
    return sorted(found)


def _looks_private(path: Path) -> bool:
    if path.suffix not in {".json", ".txt", ".asc", ""}:
        return False
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    return any(m in head for m in PRIVATE_KEY_MARKERS)
