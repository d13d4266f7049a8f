"""The counts of issued certificates that the pages show come from the sealed batches' signed
counts: per certificate, issue year and level, revoked ones (from the status lists) set apart,
and the same whether a batch was read now or known from the build's state."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from _scenarios import A3, record, seal_into, t
from test_publish import publish

from generator.models import IssuedCount


def _record(index: int, *, level: str, issued: dt.date) -> dict[str, object]:
    return record(
        signer=A3,
        created="2024-10-01T00:00:00Z",
        index=index,
        name=f"学员{index}",
        number=f"ACME-{issued.year}-{index:06d}",
        level=level,
        issue_date=issued,
    )


def _batch(repo: Path) -> Path:
    return seal_into(
        repo,
        [
            _record(1, level="初级", issued=dt.date(2023, 6, 30)),
            _record(2, level="初级", issued=dt.date(2023, 12, 31)),
            _record(3, level="中级", issued=dt.date(2024, 1, 1)),
            _record(5, level="中级", issued=dt.date(2024, 3, 1)),  # index 5: revoked in list 1
            _record(6, level="高级", issued=dt.date(2024, 9, 30)),
        ],
    )


EXPECTED = (
    IssuedCount("web-frontend", 2023, "初级", issued=2, revoked=0),
    IssuedCount("web-frontend", 2024, "中级", issued=2, revoked=1),
    IssuedCount("web-frontend", 2024, "高级", issued=1, revoked=0),
)


def test_publishing_counts_records_per_certificate_issue_year_and_level(
    repo: Path, tmp_path: Path
) -> None:
    _batch(repo)
    report = publish(repo, tmp_path / "site")
    assert report.records == 5 and report.revoked == 1
    assert report.issued == EXPECTED


def test_counts_are_the_same_when_nothing_is_read_again(repo: Path, tmp_path: Path) -> None:
    _batch(repo)
    publish(repo, tmp_path / "a")
    again = publish(repo, tmp_path / "b")
    assert again.shards and again.shards.batches_read == 0
    assert again.issued == EXPECTED
    shutil.rmtree(repo / ".xcert-cache")
    assert publish(repo, tmp_path / "c").issued == EXPECTED


def test_a_removed_batch_leaves_the_counts(repo: Path, tmp_path: Path) -> None:
    _batch(repo)
    other = seal_into(
        repo, [_record(7, level="高级", issued=dt.date(2024, 10, 1))], now=t("2024-10-09T00:00:00")
    )
    assert publish(repo, tmp_path / "a").issued[-1].issued == 2
    other.unlink()
    assert publish(repo, tmp_path / "b").issued == EXPECTED


def test_no_records_means_no_counts(repo: Path, tmp_path: Path) -> None:
    assert publish(repo, tmp_path / "site").issued == ()
