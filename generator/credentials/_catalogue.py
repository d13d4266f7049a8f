"""What the credentials package needs from the catalogue (generator.validate.load_catalogue)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol


class CertificateLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def organization(self) -> str: ...
    @property
    def levels(self) -> tuple[str, ...]: ...
    @property
    def standard(self) -> str | None: ...
    @property
    def batch(self) -> int: ...
    @property
    def summary(self) -> str: ...


class NamedLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


class TaskLike(Protocol):
    @property
    def name(self) -> str: ...


class WorkAreaLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def tasks(self) -> tuple[TaskLike, ...]: ...


class StandardLevelLike(Protocol):
    @property
    def level(self) -> str: ...
    @property
    def goal(self) -> str: ...
    @property
    def work_areas(self) -> tuple[WorkAreaLike, ...]: ...


class StandardLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def levels(self) -> tuple[StandardLevelLike, ...]: ...


class CatalogueLike(Protocol):
    @property
    def certificates(self) -> Mapping[str, CertificateLike]: ...
    @property
    def organizations(self) -> Mapping[str, NamedLike]: ...
    @property
    def standards(self) -> Mapping[str, StandardLike]: ...


def load(repo_root: Path) -> CatalogueLike:
    """The validated catalogue of the repository (raises the catalogue's own errors)."""
    from generator.validate import load_catalogue  # the lead's loader; imported when needed

    catalogue: CatalogueLike = load_catalogue(repo_root / "catalogue")
    return catalogue
