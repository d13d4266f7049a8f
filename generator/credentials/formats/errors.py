"""Errors about the published formats (registry, status lists, look-up entries); each subclasses
the project's XcertError, so the CLI reports them in its one place (exit code 1)."""

from __future__ import annotations

from generator.errors import XcertError


class CredentialError(XcertError):
    """Base of the credential errors, in every part of the package (exit code 1)."""


class RegistryError(CredentialError):
    """The key registry is missing, badly signed, or a change to it is not allowed."""


class StatusListError(CredentialError):
    """A status list is missing, badly signed, or an index is out of range."""


class StatusListMissingError(StatusListError):
    """No status list with that id is available."""


class LegacyRegistryError(RegistryError):
    """The key registry is in the first format (before did:web); `registry` is its content."""

    def __init__(self, message: str, *, registry: object) -> None:
        super().__init__(message)
        self.registry = registry
