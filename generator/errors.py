"""The project's error types: one base, subclasses that carry what the user needs to fix the
input."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in an input file; line and column are 1-based, 0 when unknown."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


class XcertError(Exception):
    """Base of every error the CLI reports without a traceback (exit code 1)."""


class UsageError(XcertError):
    """Bad arguments or environment for a command (exit code 2)."""


class LocatedError(XcertError):
    """An error about one place in one input file, naming the field concerned."""

    def __init__(self, message: str, *, location: Location, field: str = "") -> None:
        self.message = message
        self.location = location
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.location)
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"


class LoadError(LocatedError):
    """The file is not readable YAML (syntax, encoding, duplicate key, size, alias bomb)."""


class ValidationError(LocatedError):
    """The YAML is well-formed but a value is wrong (type, enumeration, reference, date, slug)."""


class CatalogueWarning(LocatedError):
    """A finding that does not stop a build (a policy the data misses); an error under --strict."""


class CatalogueErrors(XcertError):
    """Every error found in one validation run, reported together."""

    def __init__(self, errors: list[LocatedError], *, root: str) -> None:
        self.errors = errors
        self.root = root
        n = len(errors)
        super().__init__(f"{n} error{'s' if n != 1 else ''} in {root}")

    def render(self) -> str:
        lines = [str(e) for e in self.errors]
        lines.append(str(self))
        return "\n".join(lines)


class BuildError(XcertError):
    """The site could not be built; the previous site is left as it was."""
