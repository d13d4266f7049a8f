"""Errors of issuing: key files, batches, revocations, and keys that may not sign."""

from __future__ import annotations

from collections.abc import Sequence

from generator.credentials.formats.errors import CredentialError
from generator.errors import LocatedError


class KeyFileError(CredentialError):
    """A private key file is missing, unreadable, in the wrong place, or not an xcert key."""


class WrongPassphraseError(KeyFileError):
    """The passphrase does not open the key file."""


class SigningKeyError(CredentialError):
    """The key given may not sign for the organization now (another organization's, outside its
    window, revoked), or the organization is not in the registry."""


class RevocationError(CredentialError):
    """A certificate cannot be revoked as asked: no such record, no reason, a bad date."""


class BatchErrors(CredentialError):
    """Every bad row of one CSV batch; nothing of the batch was written."""

    def __init__(self, errors: Sequence[LocatedError], *, source: str) -> None:
        self.errors = list(errors)
        self.source = source
        n = len(self.errors)
        head = f"{n} bad row{'s' if n != 1 else ''} in {source}; no record written"
        super().__init__("\n".join([*(str(e) for e in self.errors), head]))


class PrivateKeyInTreeError(CredentialError):
    """A private key file was found inside the repository tree."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = list(paths)
        lines = [f"{p}: private key file inside the repository" for p in self.paths]
        lines.append("move private keys outside the tree (see docs/credentials.md)")
        super().__init__("\n".join(lines))
