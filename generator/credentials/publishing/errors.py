"""Errors of publishing: what failed verification, so that nothing was published."""

from __future__ import annotations

from collections.abc import Sequence

from generator.credentials.formats.errors import CredentialError


class PublishError(CredentialError):
    """Some records or status lists failed verification; nothing was published."""

    def __init__(self, failures: Sequence[tuple[str, str]]) -> None:
        self.failures = list(failures)
        n = len(self.failures)
        lines = [f"{path}: {why}" for path, why in self.failures]
        lines.append(f"{n} file{'s' if n != 1 else ''} failed verification; no record published")
        super().__init__("\n".join(lines))
