"""docs/credentials.md documents every option of the credential commands and every CSV column."""

from __future__ import annotations

import argparse
import importlib
import re
from pathlib import Path

import pytest

from generator.credentials.issuing.issue import COLUMNS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "credentials.md").read_text(encoding="utf-8")


def _options(parser: argparse.ArgumentParser) -> set[str]:
    found = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _options(sub)
        found |= {o for o in action.option_strings if o.startswith("--") and o != "--help"}
    return found


@pytest.mark.parametrize(
    "command", ["keys", "issue", "revoke", "seal", "verify", "demo", "migrate"]
)
def test_every_option_is_documented(command: str) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    importlib.import_module(f"generator.commands.{command}").add_parser(sub)
    missing = sorted(o for o in _options(parser) if not re.search(rf"(?<![\w-]){o}(?![\w-])", DOC))
    assert missing == [], f"options of xcert {command} missing from docs/credentials.md"
    assert f"xcert {command}" in DOC


def test_every_csv_column_is_documented() -> None:
    for names in COLUMNS.values():
        for name in names:
            assert f"`{name}`" in DOC, name


def test_keys_subcommands_are_documented() -> None:
    for action in ("init-root", "add-org", "rotate", "revoke", "show"):
        assert f"xcert keys {action}" in DOC
