"""Errors raised by the credentials package; each subclasses the project's XcertError."""

from __future__ import annotations

from collections.abc import Sequence

from generator.errors import LocatedError, XcertError


class CredentialError(XcertError):
    """Base of the credential errors (exit code 1)."""


class KeyFileError(CredentialError):
    """A private key file is missing, unreadable, in the wrong place, or not an xcert key."""


class WrongPassphraseError(KeyFileError):
    """The passphrase does not open the key file."""


class RegistryError(CredentialError):
    """The key registry is missing, badly signed, or a change to it is not allowed."""


class StatusListError(CredentialError):
    """A status list is missing, badly signed, or an index is out of range."""


class StatusListMissingError(StatusListError):
    """No status list with that id is available."""


class BatchErrors(CredentialError):
    """Every bad row of one CSV batch; nothing of the batch was written."""

    def __init__(self, errors: Sequence[LocatedError], *, source: str) -> None:
        self.errors = list(errors)
        self.source = source
        n = len(self.errors)
        head = f"{n} bad row{'s' if n != 1 else ''} in {source}; no record written"
        super().__init__("\n".join([*(str(e) for e in self.errors), head]))


class PublishError(CredentialError):
    """Some records or status lists failed verification; nothing was published."""

    def __init__(self, failures: Sequence[tuple[str, str]]) -> None:
        self.failures = list(failures)
        n = len(self.failures)
        lines = [f"{path}: {why}" for path, why in self.failures]
        lines.append(f"{n} file{'s' if n != 1 else ''} failed verification; no record published")
        super().__init__("\n".join(lines))


class PrivateKeyInTreeError(CredentialError):
    """A private key file was found inside the repository tree."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = list(paths)
        lines = [f"{p}: private key file inside the repository" for p in self.paths]
        lines.append("move private keys outside the tree (see docs/credentials.md)")
        super().__init__("\n".join(lines))
