"""Hostile batch CSVs through `xcert issue`: each case is one file beside the message it must
produce (tests/assets/hostile/csv/<case>.csv and .expected, where {csv} stands for the file's
path and {today} for today's date in China). A refused batch writes nothing at all.

Spreadsheet encodings are converted, not refused: GBK/GB18030 (Excel's plain "CSV" on Chinese
Windows) and UTF-16 with a byte-order mark (Excel's "Unicode text"). Cells a spreadsheet would
run as a formula (= + - @ at the start of a name or an exam site) are refused, as are invisible
format characters there; tests/credentials/test_issue.py covers the ordinary mistakes.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from hostile.conftest import ASSETS, IssuingRepo, issuing_repo, run_measured

CASES = ASSETS / "csv"
ACCEPTED = {"gbk-from-excel", "utf16-unicode-text"}
CHINA = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture()
def repo(tmp_path: Path) -> IssuingRepo:
    return issuing_repo(tmp_path)


def _batch(case: str, dest: Path) -> Path:
    path = dest / f"{case}.csv"
    if case == "enormous-cell":
        header = "证书编号,姓名,证书,等级,发证日期\n"
        path.write_text(
            header + "TEST-2024-000001," + "长" * 200_000 + ",web-frontend,中级,2024-06-30\n",
            encoding="utf-8",
        )
    else:
        path.write_bytes((CASES / f"{case}.csv").read_bytes())
    return path


REFUSED = sorted({p.stem for p in CASES.glob("*.csv")} - ACCEPTED | {"enormous-cell"})


def test_every_case_has_its_message() -> None:
    assert {p.stem for p in CASES.glob("*.expected")} == set(REFUSED)


@pytest.mark.parametrize("case", REFUSED)
def test_a_hostile_batch_is_refused_and_nothing_written(
    case: str, repo: IssuingRepo, tmp_path: Path
) -> None:
    csv = _batch(case, tmp_path)
    (run,) = run_measured(repo.issue(csv), env=repo.env)
    today = dt.datetime.now(CHINA).date().isoformat()
    expected = (CASES / f"{case}.expected").read_text(encoding="utf-8")
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == expected.format(csv=csv, today=today)
    assert not (repo.root / "certificates").exists(), "a refused batch writes nothing"


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_spreadsheet_encodings_are_converted(case: str, repo: IssuingRepo, tmp_path: Path) -> None:
    (run,) = run_measured(repo.issue(_batch(case, tmp_path)), env=repo.env)
    assert (run.returncode, run.stderr) == (0, ""), run.stderr
    assert repo.records() == ["TEST-2024-000001.json", "TEST-2024-000002.json"]
    holders = [
        json.loads(repo.record(name).read_text("utf-8"))["credentialSubject"]["name"]
        for name in repo.records()
    ]
    assert holders == ["张三", "买买提·艾力"]
