"""Load every catalogue file, check it, and build the typed Catalogue; all errors in one run."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.errors import CatalogueErrors, LocatedError, Location, ValidationError
from generator.load import LocatedDict, load_yaml_file
from generator.models import Catalogue
from generator.validate import construct, references, schema

# Folder name → schema kind, in the order they are read.
ENTITY_DIRS = {"organizations": "organization", "certificates": "certificate",
               "standards": "standard", "notices": "notice"}


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


class _Collector:
    """Gathers errors so one run reports all of them."""

    def __init__(self) -> None:
        self.errors: list[LocatedError] = []

    def load(self, kind: str, path: Path, shown: str) -> LocatedDict | None:
        try:
            data = load_yaml_file(path, display=shown)
        except LocatedError as e:
            self.errors.append(e)
            return None
        if not isinstance(data, LocatedDict):
            self.errors.append(ValidationError("the file must hold a mapping of fields",
                                               location=Location(shown, 1, 1)))
            return None
        found = schema.check(kind, data, shown)
        self.errors.extend(found)
        return None if found else data


def load_catalogue(root: Path) -> Catalogue:
    """Read `root` (the catalogue/ folder); raise CatalogueErrors listing every problem."""
    root = Path(root)
    if not root.is_dir():
        raise CatalogueErrors([ValidationError("catalogue folder not found", location=Location(str(root)))],
                              root=str(root))
    c = _Collector()
    singletons: dict[str, Any] = {}
    for kind in ("fields", "exam_forms"):
        path = root / f"{kind}.yaml"
        shown = _display(path, root)
        if not path.is_file():
            c.errors.append(ValidationError("required file is missing", location=Location(shown)))
            continue
        singletons[kind] = c.load(kind, path, shown)
    raw: dict[str, list[tuple[str, LocatedDict]]] = {}
    for folder, kind in ENTITY_DIRS.items():
        raw[kind] = []
        for path in sorted((root / folder).glob("*")):
            shown = _display(path, root)
            if path.suffix not in (".yaml", ".yml"):
                if not path.name.startswith("."):
                    c.errors.append(ValidationError("not a .yaml file", location=Location(shown)))
                continue
            data = c.load(kind, path, shown)
            if data is not None:
                if data["id"] != path.stem:
                    c.errors.append(ValidationError(
                        f"id '{data['id']}' does not match the file name '{path.name}'",
                        location=data.key_locations["id"], field="id"))
                raw[kind].append((shown, data))
    catalogue = construct.build(singletons, raw, c.errors)
    if catalogue is not None:
        c.errors.extend(references.check(catalogue))
    if c.errors:
        c.errors.sort(key=lambda e: (e.location.file, e.location.line, e.location.column))
        raise CatalogueErrors(c.errors, root=f"{root.name}/")
    assert catalogue is not None
    return catalogue
