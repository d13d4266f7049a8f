"""Structural checks against the JSON Schemas shipped in catalogue/schemas/.

The schemas are the one description of the file formats: editors use them while typing, and the
validator uses the same files, so the two cannot disagree.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from generator.errors import Location, ValidationError
from generator.load import LocatedDict, LocatedList
from generator.load.yaml_loader import Yaml11Int

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "catalogue" / "schemas"
KINDS = (
    "organization",
    "certificate",
    "standard",
    "notice",
    "fields",
    "exam_forms",
    "majors",
    "policy",
    "integration",
)

_TYPE_NAMES = {
    bool: "a boolean",
    int: "a number",
    Yaml11Int: "a number",
    float: "a number",
    str: "text",
    list: "a list",
    dict: "a mapping",
    type(None): "empty",
}

_JSON_TYPES = {"string": str, "integer": int, "number": float, "array": list, "object": dict}


@cache
def validator(kind: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def _locate(root: Any, path: list[Any], file: str) -> tuple[Location, str]:
    """The location of the value at `path`, and the dotted field name."""
    node = root
    loc = getattr(root, "location", Location(file))
    names: list[str] = []
    for step in path:
        if isinstance(node, LocatedDict) and step in node:
            loc = node.key_locations[step]
            names.append(str(step))
        elif isinstance(node, LocatedList) and isinstance(step, int) and step < len(node):
            loc = node.item_locations[step]
            names[-1:] = [f"{names[-1]}[{step}]"] if names else [f"[{step}]"]
        node = node[step]
    return loc, ".".join(names)


def _describe(value: Any) -> str:
    kind = _TYPE_NAMES.get(type(value), type(value).__name__)
    if isinstance(value, bool):
        return (
            f"{kind} ({str(value).lower()}; YAML reads yes/no/on/off as booleans: quote the text)"
        )
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{kind} ({value}; quote it if it is text, e.g. a postcode or code)"
    if isinstance(value, str) and _looks_numeric(value):
        return (
            f"{kind} ('{value}': YAML reads 1e3 as text; write the number in plain digits, "
            "e.g. 1000)"
        )
    return kind


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _message(error: SchemaError) -> str:
    v = error.validator
    # jsonschema types these as "maybe unset"; for an error they are always the schema's values.
    value: Any = error.validator_value
    schema: Any = error.schema
    instance: Any = error.instance
    if v == "required":
        missing = error.message.split("'")[1]
        return f"missing required field '{missing}'"
    if v == "additionalProperties":
        extra = sorted(set(instance) - set(schema.get("properties", {})))
        return f"unknown field{'s' if len(extra) > 1 else ''} {', '.join(repr(x) for x in extra)}"
    if v == "type":
        expected = _TYPE_NAMES[_JSON_TYPES.get(value, str)]
        return f"expected {expected}, got {_describe(instance)}"
    if v == "enum":
        allowed = " / ".join(str(x) for x in value)
        return f"'{instance}' is not one of: {allowed}"
    if v == "pattern":
        if "a-z0-9" in value:
            return (
                f"'{instance}' is not a valid id: use lower-case ASCII letters, digits "
                "and single hyphens"
            )
        if "[0-9]{4}" in value:
            return f"'{instance}' is not a date in the form YYYY-MM-DD"
    if v in ("minimum", "maximum", "exclusiveMinimum"):
        return f"{instance} is out of range ({v} {value})"
    return _SIMPLE_MESSAGES.get(str(v), "{message}").format(value=value, message=error.message)


_SIMPLE_MESSAGES = {
    "minLength": "must not be empty",
    "maxLength": "longer than {value} characters",
    "minItems": "needs at least {value} item(s)",
    "uniqueItems": "has repeated items",
}


@cache
def _fast(kind: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python code: about ten times faster on valid files.

    It only decides valid or not; any file it rejects goes through jsonschema, which finds every
    error and its location. The schemas use no keyword outside what both implement (draft 7 and
    2020-12 agree on all of them), and tests check both give the same verdict.
    """
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    schema.pop("$schema", None)
    return fastjsonschema.compile(schema)


def _valid_fast(kind: str, data: Any) -> bool:
    try:
        _fast(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def check(kind: str, data: Any, file: str) -> list[ValidationError]:
    """Every schema error in one file, sorted by position."""
    if _valid_fast(kind, data):
        return _yaml11_numbers(data, file, set())
    errors: list[ValidationError] = []
    for error in validator(kind).iter_errors(data):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, LocatedDict):
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            path.append(extra[0])
        loc, name = _locate(data, path, file)
        if error.validator == "required":
            name = (name + "." if name else "") + error.message.split("'")[1]
        errors.append(ValidationError(_message(error), location=loc, field=name))
    errors += _yaml11_numbers(data, file, {e.field for e in errors})
    return sorted(errors, key=lambda e: (e.location.line, e.location.column))


def _yaml11_numbers(data: Any, file: str, reported: set[str]) -> list[ValidationError]:
    """Numbers that YAML 1.1 read from something other than plain digits (`0200` is octal 128,
    `1:30` is 90) where the schema accepted a number: the author almost never meant that."""
    found: list[ValidationError] = []

    def walk(node: Any, path: list[Any]) -> None:
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else ()
        )
        for key, value in items:
            if isinstance(value, Yaml11Int):
                loc, name = _locate(data, [*path, key], file)
                if name not in reported:
                    found.append(
                        ValidationError(
                            f"'{value.source}' is read by YAML as the number {int(value)}; "
                            "write the number in plain digits, or quote it if it is text",
                            location=loc,
                            field=name,
                        )
                    )
            else:
                walk(value, [*path, key])

    walk(data, [])
    return found
