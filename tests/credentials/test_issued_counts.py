"""The counts of issued certificates that the pages show come from the records publishing
verified: per certificate, issue year and level, revoked ones counted and set apart, and the same
whether a record was read now or known from the caches."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from _scenarios import A3, record
from test_publish import publish

from generator.credentials.formats.jsontext import dump_json
from generator.models import IssuedCount


def _issue(repo: Path, index: int, *, level: str, issued: dt.date) -> Path:
    number = f"ACME-{issued.year}-{index:06d}"
    doc = record(signer=A3, created="2024-10-01T00:00:00Z", index=index, name=f"学员{index}",
                 number=number, level=level, issue_date=issued)
    path = repo / "certificates" / "acme" / f"{number}.json"
    path.write_bytes(dump_json(doc))
    return path


def _batch(repo: Path) -> None:
    _issue(repo, 1, level="初级", issued=dt.date(2023, 6, 30))
    _issue(repo, 2, level="初级", issued=dt.date(2023, 12, 31))
    _issue(repo, 3, level="中级", issued=dt.date(2024, 1, 1))
    _issue(repo, 5, level="中级", issued=dt.date(2024, 3, 1))  # index 5: revoked in status list 1
    _issue(repo, 6, level="高级", issued=dt.date(2024, 9, 30))


EXPECTED = (
    IssuedCount("web-frontend", 2023, "初级", issued=2, revoked=0),
    IssuedCount("web-frontend", 2024, "中级", issued=2, revoked=1),
    IssuedCount("web-frontend", 2024, "高级", issued=1, revoked=0),
)


def test_publishing_counts_records_per_certificate_issue_year_and_level(repo: Path, tmp_path: Path) -> None:
    _batch(repo)
    report = publish(repo, tmp_path / "site")
    assert report.records == 5 and report.revoked == 1
    assert report.issued == EXPECTED


def test_counts_are_the_same_when_nothing_is_read_again(repo: Path, tmp_path: Path) -> None:
    _batch(repo)
    publish(repo, tmp_path / "a")
    again = publish(repo, tmp_path / "b")
    assert again.shards and again.shards.read == 0
    assert again.issued == EXPECTED
    # Without the manifest, records are read again but their verification comes from the cache.
    shutil.rmtree(repo / ".xcert-cache" / "published")
    cached = publish(repo, tmp_path / "c")
    assert cached.shards and (cached.shards.read, cached.shards.verified) == (5, 0)
    assert cached.issued == EXPECTED


def test_a_removed_record_leaves_the_counts(repo: Path, tmp_path: Path) -> None:
    _batch(repo)
    publish(repo, tmp_path / "a")
    (repo / "certificates" / "acme" / "ACME-2024-000006.json").unlink()
    report = publish(repo, tmp_path / "b")
    assert report.issued == EXPECTED[:2]


def test_no_records_means_no_counts(repo: Path, tmp_path: Path) -> None:
    assert publish(repo, tmp_path / "site").issued == ()
