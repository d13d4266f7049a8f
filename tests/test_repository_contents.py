"""What the public repository itself holds: never the DEMO files `xcert demo` writes per machine.

`xcert demo` writes a DEMO registry into keys/ on every machine; committed, it would make every
clone trust that machine's DEMO root until `xcert demo` replaced it.
"""

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tracked(*paths: str) -> list[str]:
    try:
        result = subprocess.run(
            ["git", "ls-files", "--", *paths],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return result.stdout.splitlines()


def test_no_demo_key_registry_is_tracked() -> None:
    for name in _tracked("keys/"):
        if name.endswith(".json"):
            document = json.loads((ROOT / name).read_text(encoding="utf-8"))
            text = json.dumps(document, ensure_ascii=False)
            assert '"demo": true' not in text, f"{name} is a DEMO file written by xcert demo"


def test_nothing_under_the_demo_records_folder_is_tracked() -> None:
    assert _tracked("certificates/demo/") == []
