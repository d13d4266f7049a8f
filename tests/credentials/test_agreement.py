"""The agreement suite's golden files are current, and the Python verifier gives their verdicts.
(tests/browser/test_verify_page.py checks the page against the same files.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from _scenarios import AGREEMENT, REGENERATE, build_agreement, t

from generator.credentials.formats.verify import (
    DETAILS,
    MESSAGES,
    Verdict,
    verification_result,
)
from generator.credentials.repo import repo_trust

EXPECTED = json.loads((AGREEMENT / "expected.json").read_text(encoding="utf-8"))
JS = Path(__file__).resolve().parents[2] / "site_src" / "assets" / "verify" / "verify.js"


def test_golden_files_are_current(tmp_path: Path) -> None:
    build_agreement(tmp_path)
    fresh = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    stored = sorted(p.relative_to(AGREEMENT) for p in AGREEMENT.rglob("*") if p.is_file())
    assert fresh == stored, f"golden files differ; regenerate with: {REGENERATE}"
    for rel in fresh:
        assert (tmp_path / rel).read_bytes() == (AGREEMENT / rel).read_bytes(), (
            f"{rel} differs; regenerate with: {REGENERATE}"
        )


def test_the_suite_covers_every_verdict() -> None:
    assert {v["verdict"] for v in EXPECTED.values()} == {v.value for v in Verdict}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_python_verdicts(case: str) -> None:
    trust = repo_trust(AGREEMENT / "repo")
    result = verification_result(
        (AGREEMENT / "cases" / f"{case}.json").read_bytes(),
        trust=trust,
        now=t("2026-01-01T00:00:00"),
    )
    assert (result.verdict.value, result.reason) == (
        EXPECTED[case]["verdict"],
        EXPECTED[case]["reason"],
    )


def test_the_page_words_verdicts_as_python_does() -> None:
    text = JS.read_text(encoding="utf-8")
    for table, name in ((MESSAGES, "MESSAGES"), (DETAILS, "DETAILS")):
        block = text[text.index(f"export const {name} = {{") :]
        block = block[: block.index("};")]
        # A long entry may be wrapped after its key by the formatter (Biome).
        js = dict(re.findall(r"^\s*'?([\w-]+)'?:\s*'([^']*)',$", block, flags=re.M))
        assert js == table, f"{name} in {JS} differs from generator/credentials/formats/verify.py"
