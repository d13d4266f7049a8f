"""The maintainers' documentation names every option of their commands and every policy field."""

from __future__ import annotations

import argparse
import json

import pytest
from maintainer_fixtures import REPO

from generator.cli import _parser
from generator.validate.schema import SCHEMA_DIR

GUIDE = (REPO / "docs" / "maintainers.md").read_text(encoding="utf-8")


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices[name]  # type: ignore[no-any-return]


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return [
        o for a in parser._actions for o in a.option_strings if o.startswith("--") and o != "--help"
    ]


COMMANDS = [("check",), ("diff",)] + [
    ("new", kind) for kind in ("notice", "organization", "certificate", "standard")
]


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_option_is_documented(path: tuple[str, ...]) -> None:
    parser = _parser()
    for name in path:
        parser = _subparser(parser, name)
    heading = "## xcert new KIND" if path[0] == "new" else f"## xcert {path[0]}"
    assert heading in GUIDE
    section = GUIDE.split(heading, 1)[1].split("\n## ", 1)[0]
    if path[0] == "new":
        section = (
            section.split(f"`xcert new {path[1]}`", 1)[1].split("`xcert new ", 1)[0]
            + section.split("`xcert new notice`", 1)[0]
        )  # options common to every kind
    missing = [o for o in _options(parser) if f"`{o}`" not in section]
    assert not missing, f"docs/maintainers.md does not document {missing} of xcert {' '.join(path)}"


def test_every_policy_field_is_documented() -> None:
    schema = json.loads((SCHEMA_DIR / "policy.schema.json").read_text(encoding="utf-8"))
    formats = (REPO / "docs" / "catalogue.md").read_text(encoding="utf-8")
    for field in schema["properties"]:
        assert f"`{field}`" in formats, field


def test_contributing_walks_through_a_pull_request_in_chinese() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for step in (
        "Fork",
        "xcert new notice",
        "xcert check",
        "git push",
        "拉取请求",
        "审核人看什么",
        "如有异议",
        "工作日",
        "CODEOWNERS",
        "feed.xml",
        "periods.ics",
    ):
        assert step in guide, step
