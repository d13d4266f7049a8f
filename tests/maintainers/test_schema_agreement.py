"""The JSON Schemas editors use and the validator give the same verdict, case by case.

The editor path is followed as an editor follows it: the `# yaml-language-server: $schema=…` line
at the top of each file names the schema, which is loaded on its own with jsonschema. Its verdict
is compared with `load_catalogue`'s on the shipped catalogue, on every invalid fixture and on
random mutations of valid files. The only rejections the schema cannot make are the cross-file
and arithmetic checks listed in BEYOND_SCHEMA.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from maintainer_fixtures import ASSETS, REPO, VALID

from generator.errors import CatalogueErrors, LoadError
from generator.load import load_yaml_file
from generator.scaffold import schema_line_for
from generator.validate import load_catalogue
from generator.validate.schema import SCHEMA_DIR

CATALOGUE = REPO / "catalogue"
SHIPPED = sorted(p for p in CATALOGUE.rglob("*.yaml"))
INVALID = sorted((ASSETS / "catalogue" / "invalid").glob("*.yaml"))
# What only the validator can check: references to other files, real calendar dates, sums.
BEYOND_SCHEMA = re.compile(
    r"unknown (organization|certificate|standard|notice|field|exam form|major) '|"
    r"is not a real date|"
    r"the period ends .* before it starts|shares add up to|is above the cost cap|"
    r"class \d+ ends .* before it starts|"
    r"is not a work area, task, skill, requirement or glossary definition"
)
_HEADER = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value))


@cache
def _standalone(schema_file: Path) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_file.read_text(encoding="utf-8")))


def _line(text: str, path: list[Any]) -> int:
    """The 1-based line of the value (or key) at `path`, found in the composed YAML node tree."""
    node = yaml.compose(text)
    line = node.start_mark.line
    for step in path:
        if isinstance(step, int):
            node = node.value[step]
            line = node.start_mark.line
        else:
            key, node = next((k, v) for k, v in node.value if k.value == step)
            line = key.start_mark.line
    return line + 1


def _schema_lines(kind: str, text: str, data: Any) -> set[int]:
    """Lines the standalone schema finds errors at: the value's key, an extra key itself, and for
    a missing field the key of the mapping that lacks it."""
    lines = set()
    for error in _standalone(SCHEMA_DIR / f"{kind}.schema.json").iter_errors(_plain(data)):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties":
            path.append(min(set(error.instance) - set(error.schema.get("properties", {}))))
        lines.add(_line(text, path))
    return lines


def _validator_errors(folder: str, name: str, data: bytes) -> list[tuple[int, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "catalogue"
        shutil.copytree(VALID, root)
        (root / folder / name).write_bytes(data)
        try:
            load_catalogue(root)
        except CatalogueErrors as e:
            # Only this file's: a broken file can leave another file's reference to it dangling.
            return [
                (x.location.line, x.message)
                for x in e.errors
                if x.location.file.endswith(f"/{name}")
            ]
    return []


def test_every_catalogue_file_names_the_schema_the_validator_uses() -> None:
    assert len(SHIPPED) > 190
    for path in SHIPPED:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == schema_line_for(path, CATALOGUE), f"{path}: first line is {first!r}"
        named = (path.parent / _HEADER.match(first).group(1)).resolve()  # type: ignore[union-attr]
        assert named.parent == SCHEMA_DIR and named.is_file(), path


def test_the_shipped_catalogue_is_valid_under_the_schemas_alone() -> None:
    for path in SHIPPED:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        schema_file = (path.parent / _HEADER.match(first).group(1)).resolve()  # type: ignore[union-attr]
        errors = [
            e.message for e in _standalone(schema_file).iter_errors(_plain(load_yaml_file(path)))
        ]
        assert not errors, f"{path}: {errors}"


@pytest.mark.parametrize("case", INVALID, ids=[c.stem for c in INVALID])
def test_each_invalid_case_gets_the_same_verdict(case: Path) -> None:
    folder = (
        case.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace").split("kind:", 1)[1].strip()
    )
    kind = {
        "organizations": "organization",
        "certificates": "certificate",
        "standards": "standard",
        "notices": "notice",
    }[folder]
    errors = _validator_errors(folder, case.name, case.read_bytes())
    assert errors, "the validator must reject every invalid case"
    try:
        data = load_yaml_file(case)
    except LoadError:
        return  # not YAML a schema could see (syntax, encoding, aliases, duplicate keys)
    text = case.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    schema_lines = _schema_lines(kind, text, data)
    if schema_lines:
        assert {line for line, _ in errors} == schema_lines, errors
    else:
        assert all(BEYOND_SCHEMA.search(message) for _, message in errors), errors


# Mutations: drop a field, add one, or replace a value with one of these. Strings are chosen so a
# value is either wrong for the schema or fine for the validator too (no ids that could dangle).
_VALUES = [None, True, 0, 7, 2.5, "", "UPPER CASE", "通知", [], {}, ["UPPER CASE"], {"x": 1}]
_BASES = {
    "notice": ("notices", "first-batch.yaml"),
    "organization": ("organizations", "test-org.yaml"),
    "certificate": ("certificates", "tax.yaml"),
}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, prefix + (i,))
    return out


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[str, str, dict[str, Any]]:
    kind = draw(st.sampled_from(sorted(_BASES)))
    folder, name = _BASES[kind]
    doc = _plain(load_yaml_file(VALID / folder / name))
    path = draw(st.sampled_from(_paths(doc)))
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    action = draw(st.sampled_from(["replace"] if path == ("id",) else ["drop", "replace", "add"]))
    if action == "drop":
        del parent[path[-1]]
    elif action == "add" and isinstance(parent, dict):
        parent["unexpected_field"] = draw(st.sampled_from(_VALUES))
    else:
        parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(_VALUES)))
    return folder, name, doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated())
def test_schema_and_validator_agree_on_mutations(case: tuple[str, str, dict[str, Any]]) -> None:
    folder, name, doc = case
    kind = {v[0]: k for k, v in _BASES.items()}[folder]
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    schema_valid = not list(_standalone(SCHEMA_DIR / f"{kind}.schema.json").iter_errors(doc))
    errors = _validator_errors(folder, name, text.encode("utf-8"))
    event("schema accepts" if schema_valid else "schema rejects")
    assert schema_valid == (not errors), (text, errors)
    if errors:  # and at the same places
        assert {line for line, _ in errors} == _schema_lines(kind, text, doc), (text, errors)
