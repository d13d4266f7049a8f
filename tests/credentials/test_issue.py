"""Batch issuance from CSV: every row checked first, all or nothing, every bad row named; the
records go to the private store, the repository gets only the sealed batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _scenarios import A2, A3, catalogue, t

from generator.credentials.formats.sealing import LookupParams
from generator.credentials.formats.verify import verification_result
from generator.credentials.issuing.errors import BatchErrors, SigningKeyError
from generator.credentials.issuing.sealed import issue_sealed
from generator.credentials.issuing.store import Store
from generator.credentials.repo import load_registry, repo_trust

NOW = t("2024-10-08T02:00:00")
HEADER = "证书编号,姓名,证书,等级,发证日期,考试日期,考点,身份证号\n"
GOOD = (
    "ACME-2024-100001,赵一,web-frontend,中级,2024-10-01,2024-09-20,南京考点,320102199001011232\n"
    "acme-2024-100002,钱二,web-frontend,高级,2024/9/30,,,\n"
    "ACME-2024-100003,孙三,web-frontend,初级,2024年9月30日,2024-09-01,,\n"
)


def issue(repo: Path, text: str | bytes, name: str = "batch.csv", *, signer=A3):  # type: ignore[no-untyped-def]
    path = repo.parent / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return issue_sealed(
        path,
        repo_root=repo,
        store=Store(repo.parent / "store"),
        org="acme",
        signer=signer,
        registry=load_registry(repo / "keys" / "registry.json"),
        catalogue=catalogue(),
        now=NOW,
        params=FAST,
    )


FAST = LookupParams(iterations=1, memory=64)  # the layout is the same at any cost


def records(repo: Path) -> list[Path]:
    return sorted((repo.parent / "store").glob("acme/batches/*/records/*.json"))


def test_a_good_batch_writes_one_valid_record_per_row(repo: Path) -> None:
    report = issue(repo, HEADER + GOOD)
    assert [p.name for p in records(repo)] == [
        "ACME-2024-100001.json",
        "ACME-2024-100002.json",
        "ACME-2024-100003.json",
    ]
    assert report.records == 3 and [m.is_file() for m in report.manifests] == [True]
    trust = repo_trust(repo)
    for path in records(repo):
        result = verification_result(path.read_bytes(), trust=trust, now=NOW)
        assert result.verdict == "valid", result.message
    first = json.loads(records(repo)[0].read_text(encoding="utf-8"))
    s = first["credentialSubject"]
    level = s["achievement"]["level"]
    assert (s["name"], level, s["issueDate"], s["examDate"], s["examSite"]) == (
        "赵一",
        "中级",
        "2024-10-01",
        "2024-09-20",
        "南京考点",
    )
    assert s["nationalIdMasked"] == "3201**********1232"
    assert "320102199001011232" not in records(repo)[0].read_text(encoding="utf-8")
    second = json.loads(records(repo)[1].read_text(encoding="utf-8"))["credentialSubject"]
    assert second["certificateNumber"] == "ACME-2024-100002" and second["issueDate"] == "2024-09-30"
    assert "examDate" not in second


def test_status_positions_are_random_and_never_reused(repo: Path) -> None:
    rows = "".join(
        f"ACME-2024-3{i:05d},学员{i},web-frontend,中级,2024-10-01,,,\n" for i in range(40)
    )
    issue(repo, HEADER + rows)
    issue(repo, HEADER + "ACME-2024-100004,李四,web-frontend,中级,2024-10-01,,,\n", "b2.csv")
    indexes = [
        int(json.loads(p.read_text())["credentialStatus"]["statusListIndex"]) for p in records(repo)
    ]
    assert len(set(indexes)) == 41
    assert 5 not in indexes  # set in the repository's list already: it would be born revoked
    assert sorted(indexes) != list(range(41)) and max(indexes) > 1000  # not handed out in order


def test_one_bad_row_writes_nothing_and_names_the_row(repo: Path) -> None:
    text = HEADER + GOOD + "ACME-2024-100009,周九,web-frontend,特级,2024-10-01,,,\n"
    with pytest.raises(BatchErrors) as info:
        issue(repo, text)
    assert records(repo) == []
    assert not (repo / "certificates" / "acme" / "batches").exists()
    assert [e.location.line for e in info.value.errors] == [5]
    assert str(
        info.value.errors[0]
    ) == "batch.csv:5:0: 等级: '特级' is not 初级, 中级 or 高级".replace(
        "batch.csv", str(repo.parent / "batch.csv")
    )
    assert "1 bad row in" in str(info.value) and "no record written" in str(info.value)


def test_every_bad_row_is_reported(repo: Path) -> None:
    text = HEADER + (
        "ACME-2024-100001,赵一,web-frontend,中级,2024-10-01,,,\n"
        "ACME-2024-100001,钱二,web-frontend,中级,2024-10-01,,,\n"  # duplicate in the batch
        "X1,孙三,web-frontend,中级,2024-10-01,,,\n"  # number format
        "ACME-2024-100004,,no-such-cert,中级,2024-13-01,,,\n"  # name, certificate, date
        "ACME-2024-100005,李五,big-data,中级,2024-10-01,,,\n"  # another organization's
        "ACME-2024-100006,周六,web-frontend,中级,2024-10-01,2024-10-02,,\n"  # exam after issue
        "ACME-2024-100007,吴七,web-frontend,中级,2030-01-01,,,\n"  # in the future
        "ACME-2024-100008,郑八,web-frontend,中级,2024-10-01,,,320102199001011233\n"  # check digit
        "3.20102E+17,王九,web-frontend,中级,2024-10-01,,,\n"  # spreadsheet mangled
    )
    with pytest.raises(BatchErrors) as info:
        issue(repo, text)
    by_line: dict[int, list[str]] = {}
    for e in info.value.errors:
        by_line.setdefault(e.location.line, []).append(e.field)
    assert by_line == {
        3: ["证书编号"],
        4: ["证书编号"],
        5: ["姓名", "证书", "发证日期"],
        6: ["证书"],
        7: ["考试日期"],
        8: ["发证日期"],
        9: ["身份证号"],
        10: ["证书编号", "证书编号"],
    }
    assert "also line 2" in str(info.value)
    assert records(repo) == []


def test_a_number_issued_before_is_refused(repo: Path) -> None:
    issue(repo, HEADER + GOOD)
    with pytest.raises(BatchErrors, match="has been issued already"):
        issue(repo, HEADER + "ACME-2024-100002,钱二,web-frontend,中级,2024-10-01,,,\n", "again.csv")


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: ("\ufeff" + s).encode("utf-8"),  # Excel "CSV UTF-8"
        lambda s: s.replace("\n", "\r\n").encode("gb18030"),  # Excel "CSV" on Chinese Windows
        lambda s: s.replace(",", ";").encode("utf-8"),  # semicolon locales
        lambda s: s.replace(",", "\t").encode("utf-8"),  # pasted from a sheet
    ],
    ids=["utf8-bom", "gb18030-crlf", "semicolon", "tab"],
)
def test_spreadsheet_exports_are_read(repo: Path, encode) -> None:  # type: ignore[no-untyped-def]
    assert issue(repo, encode(HEADER + GOOD + "\n\n")).records == 3


def test_english_headers_in_any_order(repo: Path) -> None:
    text = "name,number,level,certificate,issue_date\n"
    text += "赵一,ACME-2024-200001,中级,web-frontend,2024-10-01\n"
    assert issue(repo, text).records == 1


def test_unknown_and_missing_columns_are_reported_on_line_1(repo: Path) -> None:
    with pytest.raises(BatchErrors) as info:
        issue(repo, "证书编号,姓名,证书,等级,备注\nACME-2024-1,赵一,web-frontend,中级,x\n")
    assert [(e.location.line, e.field) for e in info.value.errors] == [(1, "备注"), (1, "发证日期")]


def test_a_key_outside_its_window_cannot_issue(repo: Path) -> None:
    with pytest.raises(SigningKeyError, match="not a currently valid key"):
        issue(repo, HEADER + GOOD, signer=A2)  # acme-2 was revoked on 2024-09-01
