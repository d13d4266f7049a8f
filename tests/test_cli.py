"""The command line, run as a user runs it: exit codes and messages."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ASSETS, run_xcert


def test_check_accepts_the_shipped_catalogue() -> None:
    result = run_xcert("check")
    assert result.returncode == 0, result.stderr
    assert "94 certificates" in result.stdout and "75 organizations" in result.stdout


def test_check_reports_every_error_with_file_line_and_field(tmp_path: Path) -> None:
    root = tmp_path / "catalogue"
    shutil.copytree(ASSETS / "catalogue" / "valid", root)
    shutil.copy(
        ASSETS / "catalogue" / "invalid" / "unknown-organization.yaml", root / "certificates"
    )
    shutil.copy(
        ASSETS / "catalogue" / "invalid" / "period-ends-before-start.yaml", root / "notices"
    )
    result = run_xcert("check", "--catalogue", str(root))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "catalogue/certificates/unknown-organization.yaml:5:1: organization: "
        "unknown organization 'no-such-org'",
        "catalogue/notices/period-ends-before-start.yaml:9:3: period.end: "
        "the period ends (2019-03-01) before it starts (2019-03-26)",
        "2 errors in catalogue/",
    ]
    assert "Traceback" not in result.stderr


def test_bad_arguments_exit_with_code_2(tmp_path: Path) -> None:
    result = run_xcert("build", "--root", str(tmp_path), "--today", "30/11/2026")
    assert result.returncode == 2
    assert "--today must be a date" in result.stderr
    assert run_xcert("no-such-command").returncode == 2


def test_missing_catalogue_is_a_clear_error(tmp_path: Path) -> None:
    result = run_xcert("check", "--catalogue", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "catalogue folder not found" in result.stderr
