"""Load every catalogue file, check it, and build the typed Catalogue; all errors in one run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import (
    CatalogueErrors,
    CatalogueWarning,
    LocatedError,
    Location,
    ValidationError,
)
from generator.load import LocatedDict, load_yaml_file
from generator.models import Catalogue
from generator.validate import construct, policy, references, schema

# Folder name → schema kind, in the order they are read.
ENTITY_DIRS = {
    "organizations": "organization",
    "certificates": "certificate",
    "standards": "standard",
    "notices": "notice",
}
# Singleton files a catalogue may leave out: majors until standards name majors; policy.yaml
# then holds the defaults of generator.models.Policy.
OPTIONAL_FILES = {"majors", "policy", "integration"}


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


class FileCache:
    """Each file's parsed and schema-checked content, kept while the file is unchanged (same
    modification time, size and inode): `xcert serve` re-reads only the files an edit touched.
    Cross-references and everything after are checked again on every load."""

    def __init__(self) -> None:
        self._files: dict[
            tuple[str, str], tuple[tuple[int, int, int], LocatedDict | None, list[LocatedError]]
        ] = {}

    def get(
        self, kind: str, path: Path, shown: str
    ) -> tuple[LocatedDict | None, list[LocatedError]]:
        try:
            st = path.lstat()
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            return _read(kind, path, shown)
        key = (kind, str(path))
        hit = self._files.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1], hit[2]
        data, errors = _read(kind, path, shown)
        self._files[key] = (stamp, data, errors)
        return data, errors


def _read(kind: str, path: Path, shown: str) -> tuple[LocatedDict | None, list[LocatedError]]:
    """One file, parsed and checked against its schema: its data when valid, and its errors."""
    try:
        data = load_yaml_file(path, display=shown)
    except LocatedError as e:
        return None, [e]
    if not isinstance(data, LocatedDict):
        return None, [
            ValidationError(
                "the file must hold a mapping of fields", location=Location(shown, 1, 1)
            )
        ]
    found = schema.check(kind, data, shown)
    return (None if found else data), list(found)


class _Collector:
    """Gathers errors so one run reports all of them."""

    def __init__(self, cache: FileCache | None = None) -> None:
        self.errors: list[LocatedError] = []
        self.cache = cache

    def load(self, kind: str, path: Path, shown: str) -> LocatedDict | None:
        data, errors = (
            self.cache.get(kind, path, shown)
            if self.cache is not None
            else _read(kind, path, shown)
        )
        self.errors.extend(errors)
        return data


@dataclass(frozen=True)
class CheckResult:
    """One validation run: the catalogue when it is valid, every error, and every warning."""

    catalogue: Catalogue | None
    errors: list[LocatedError]
    warnings: list[CatalogueWarning]
    root: str  # as shown in messages, e.g. "catalogue/"


def load_catalogue(root: Path, *, cache: FileCache | None = None) -> Catalogue:
    """Read `root` (the catalogue/ folder); raise CatalogueErrors listing every problem."""
    catalogue, errors, shown = _collect(Path(root), cache)
    if errors:
        raise CatalogueErrors(errors, root=shown)
    assert catalogue is not None
    return catalogue


def check_catalogue(root: Path, *, min_working_days: int | None = None) -> CheckResult:
    """Every error and, for a valid catalogue, every warning; raises nothing for bad data."""
    catalogue, errors, shown = _collect(Path(root))
    if errors:
        return CheckResult(None, errors, [], shown)
    assert catalogue is not None
    return CheckResult(
        catalogue, [], policy.check(catalogue, min_working_days=min_working_days), shown
    )


def _collect(
    root: Path, cache: FileCache | None = None
) -> tuple[Catalogue | None, list[LocatedError], str]:
    if not root.is_dir():
        return (
            None,
            [ValidationError("catalogue folder not found", location=Location(str(root)))],
            str(root),
        )
    c = _Collector(cache)
    singletons: dict[str, Any] = {}
    for kind in ("fields", "exam_forms", "majors", "policy", "integration"):
        path = root / f"{kind}.yaml"
        shown = _display(path, root)
        if kind in OPTIONAL_FILES and not path.is_file():
            continue
        if not path.is_file():
            c.errors.append(ValidationError("required file is missing", location=Location(shown)))
            continue
        singletons[kind] = c.load(kind, path, shown)
    raw: dict[str, list[tuple[str, LocatedDict]]] = {}
    failed: dict[str, set[str]] = {}
    for folder, kind in ENTITY_DIRS.items():
        raw[kind], failed[kind] = [], set()
        for path in sorted((root / folder).glob("*")):
            shown = _display(path, root)
            if path.suffix not in (".yaml", ".yml"):
                if not path.name.startswith("."):
                    c.errors.append(ValidationError("not a .yaml file", location=Location(shown)))
                continue
            data = c.load(kind, path, shown)
            if data is None:
                failed[kind].add(path.stem)  # its own error says why; references to it do not
            else:
                if data["id"] != path.stem:
                    c.errors.append(
                        ValidationError(
                            f"id '{data['id']}' does not match the file name '{path.name}'",
                            location=data.key_locations["id"],
                            field="id",
                        )
                    )
                raw[kind].append((shown, data))
    catalogue = construct.build(singletons, raw, c.errors)
    if catalogue is not None:
        majors_failed = (root / "majors.yaml").is_file() and singletons.get("majors") is None
        c.errors.extend(
            references.check(
                catalogue,
                references.Failed(
                    organizations=frozenset(failed["organization"]),
                    certificates=frozenset(failed["certificate"]),
                    standards=frozenset(failed["standard"]),
                    notices=frozenset(failed["notice"]),
                    majors=majors_failed,
                ),
            )
        )
    c.errors.sort(key=lambda e: (e.location.file, e.location.line, e.location.column))
    return catalogue, c.errors, f"{root.name}/"
