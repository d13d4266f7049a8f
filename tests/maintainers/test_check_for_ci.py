"""`xcert check` for pull requests: GitHub annotations, warnings about short 公示, --strict,
policy.yaml."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from maintainer_fixtures import ASSETS, REPO, VALID, run_xcert

SHORT = (
    "catalogue/notices/first-batch.yaml:7:1: warning: period: the 公示 period "
    "2019-03-26 to 2019-03-31 has 4 working days, fewer than the minimum of 5; lengthen it, "
    "or, if the document really sets it, add 'first-batch' to accepted_short_announcements "
    "in catalogue/policy.yaml"
)


def _catalogue(tmp_path: Path) -> Path:
    root = tmp_path / "catalogue"
    shutil.copytree(VALID, root)
    return root


def test_errors_become_annotations_on_file_and_line(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    shutil.copy(
        ASSETS / "catalogue" / "invalid" / "unknown-organization.yaml", root / "certificates"
    )
    shutil.copy(
        ASSETS / "catalogue" / "invalid" / "period-ends-before-start.yaml", root / "notices"
    )
    result = run_xcert("check", "--catalogue", str(root), "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        (
            "::error file=catalogue/certificates/unknown-organization.yaml,line=5,col=1,"
            "title=xcert check%3A organization::unknown organization 'no-such-org'"
        ),
        (
            "::error file=catalogue/notices/period-ends-before-start.yaml,line=9,col=3,"
            "title=xcert check%3A period.end::"
            "the period ends (2019-03-01) before it starts (2019-03-26)"
        ),
    ]
    assert result.stderr.strip().endswith("2 errors in catalogue/")


def test_a_short_period_is_a_warning_and_exit_0(tmp_path: Path) -> None:
    result = run_xcert("check", "--catalogue", str(_catalogue(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [SHORT]
    assert result.stdout.strip().endswith("2 notices, 1 warning")


def test_strict_makes_warnings_errors(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    result = run_xcert("check", "--catalogue", str(root), "--strict")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "1 error in catalogue/ (--strict: warnings are errors)"
    github = run_xcert("check", "--catalogue", str(root), "--format", "github")
    assert github.returncode == 0
    assert github.stdout.splitlines()[0].startswith(
        "::warning file=catalogue/notices/first-batch.yaml,line=7,col=1,"
        "title=xcert check%3A period::"
        "the 公示 period 2019-03-26 to 2019-03-31 has 4 working days"
    )
    strict = run_xcert("check", "--catalogue", str(root), "--format", "github", "--strict")
    assert strict.returncode == 1 and strict.stdout.startswith(
        "::error file=catalogue/notices/first-batch.yaml"
    )


def test_the_minimum_comes_from_policy_yaml_or_the_option(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    policy = root / "policy.yaml"
    policy.write_text("announcement_min_working_days: 6\n", encoding="utf-8")
    result = run_xcert("check", "--catalogue", str(root))
    assert "2 warnings" in result.stdout  # first-batch (4) and cost-caps (5) are under 6
    assert run_xcert("check", "--catalogue", str(root), "--min-working-days", "4").stderr == ""
    policy.write_text("accepted_short_announcements: [first-batch]\n", encoding="utf-8")
    result = run_xcert("check", "--catalogue", str(root), "--strict")
    assert result.returncode == 0 and result.stderr == ""
    bad = run_xcert("check", "--catalogue", str(root), "--min-working-days", "0")
    assert bad.returncode == 2 and "at least 1" in bad.stderr


def test_policy_yaml_is_validated_like_every_file(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    (root / "policy.yaml").write_text(
        "announcement_min_working_days: 0\naccepted_short_announcements: [no-such-notice]\n",
        encoding="utf-8",
    )
    result = run_xcert("check", "--catalogue", str(root))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "catalogue/policy.yaml:1:1: announcement_min_working_days: 0 is out of range (minimum 1)",
        "1 error in catalogue/",
    ]
    (root / "policy.yaml").write_text(
        "accepted_short_announcements: [no-such-notice]\n", encoding="utf-8"
    )
    result = run_xcert("check", "--catalogue", str(root))
    assert result.stderr.splitlines()[0] == (
        "catalogue/policy.yaml:1:32: accepted_short_announcements[0]: "
        "unknown notice 'no-such-notice'"
    )


def test_a_period_beyond_the_holiday_calendar_is_a_clear_warning(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    notice = root / "notices" / "cost-caps.yaml"
    notice.write_text(
        notice.read_text(encoding="utf-8").replace(
            'period: {start: "2019-11-26", end: "2019-12-02"}',
            'period: {start: "2099-01-05", end: "2099-01-11"}',
        ),
        encoding="utf-8",
    )
    result = run_xcert("check", "--catalogue", str(root))
    assert result.returncode == 0
    assert (
        "catalogue/notices/cost-caps.yaml:7:1: warning: period: "
        "cannot count working days for 2099-01-05: "
        "the official holiday calendar in chinese-calendar"
    ) in result.stderr


def test_the_shipped_catalogue_passes_strict_quickly() -> None:
    started = time.perf_counter()
    result = run_xcert("check", "--strict", "--format", "github", cwd=REPO)
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("catalogue/ is valid:")
    assert elapsed < 5, f"xcert check took {elapsed:.1f}s"
