"""The build step: verify everything, publish at hash paths, never publish a forged record."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from _scenarios import AGREEMENT, catalogue

from generator.credentials.demo import ensure_demo
from generator.credentials.errors import PrivateKeyInTreeError, PublishError
from generator.credentials.publish import publish_records
from generator.credentials.record import record_hash

CASES = AGREEMENT / "cases"


def add(repo: Path, case: str, number: str | None = None) -> Path:
    if number is None:
        number = json.loads((CASES / f"{case}.json").read_bytes())["credentialSubject"][
            "certificateNumber"
        ]
    target = repo / "certificates" / "acme" / f"{number}.json"
    shutil.copyfile(CASES / f"{case}.json", target)
    return target


def test_records_are_published_at_their_hash_paths(repo: Path, tmp_path: Path) -> None:
    add(repo, "valid")
    add(repo, "valid-current-key")
    add(repo, "certificate-revoked")
    site = tmp_path / "site"
    report = publish_records(
        repo_root=repo,
        site_dir=site,
        site_url="https://xcert.example/",
        catalogue=catalogue(),
        workers=1,
    )
    assert (report.records, report.revoked, report.status_lists, report.qr_codes) == (3, 1, 1, 3)
    h = record_hash(number="ACME-2024-000003", name="买买提·艾力")
    assert h == record_hash(number=" acme-2024-000003", name="买买提•艾力")  # typed variants
    assert (site / "r" / f"{h}.json").read_bytes() == (
        CASES / "valid-current-key.json"
    ).read_bytes()
    assert (site / "r" / f"{h}.svg").read_text().startswith("<svg")
    assert sorted(p.name for p in (site / "r").iterdir() if p.suffix == ".json") == sorted(
        f"{record_hash(number=n, name=m)}.json"
        for n, m in [
            ("ACME-2024-000000", "张三"),
            ("ACME-2024-000003", "买买提·艾力"),
            ("ACME-2024-000005", "王五"),
        ]
    )
    assert (site / "keys" / "registry.json").read_bytes() == (
        repo / "keys" / "registry.json"
    ).read_bytes()
    assert json.loads((site / "status" / "index.json").read_text()) == {
        "statusLists": ["status/acme/1.json"]
    }
    index = json.loads((site / "verify" / "catalogue.json").read_text())
    assert index["certificates"]["web-frontend"]["standard"] == "web-frontend"
    assert "noindex" in (site / "r" / "index.html").read_text()


def test_qr_images_are_reused_from_the_cache(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.credentials.publish as publish

    add(repo, "valid")
    publish_records(
        repo_root=repo,
        site_dir=tmp_path / "a",
        catalogue=catalogue(),
        workers=1,
        site_url="https://xcert.example/",
    )

    def no_new_qr(path: Path, link: str) -> None:
        raise AssertionError("a cached QR image was made again")

    monkeypatch.setattr(publish, "write_qr", no_new_qr)
    publish_records(
        repo_root=repo,
        site_dir=tmp_path / "b",
        catalogue=catalogue(),
        workers=1,
        site_url="https://xcert.example/",
    )
    assert sorted(p.name for p in (tmp_path / "b" / "r").glob("*.svg")) == sorted(
        p.name for p in (tmp_path / "a" / "r").glob("*.svg")
    )


@pytest.mark.parametrize(
    "case",
    [
        "altered-subject",
        "wrong-key",
        "unknown-key",
        "key-revoked-before-issue",
        "key-retired-before-issue",
        "malformed-json",
        "status-list-missing",
    ],
)
def test_a_failing_record_stops_publishing_and_is_named(
    repo: Path, tmp_path: Path, case: str
) -> None:
    add(repo, "valid")
    bad = add(repo, case, number="ZZZ-BAD-0001")
    site = tmp_path / "site"
    with pytest.raises(PublishError) as info:
        publish_records(repo_root=repo, site_dir=site, catalogue=catalogue(), workers=1)
    assert [f for f, _ in info.value.failures] == [str(bad.relative_to(repo))]
    assert not (site / "r").exists()


def test_all_failing_files_are_listed(repo: Path, tmp_path: Path) -> None:
    for case in ("altered-subject", "unknown-key", "no-proof"):
        add(repo, case, number=f"ZZZ-{case}")
    with pytest.raises(PublishError) as info:
        publish_records(
            repo_root=repo, site_dir=tmp_path / "site", catalogue=catalogue(), workers=1
        )
    assert len(info.value.failures) == 3
    assert str(info.value).endswith("3 files failed verification; no record published")


def test_a_private_key_in_the_tree_stops_the_build(repo: Path, tmp_path: Path) -> None:
    (repo / "keys" / "acme-1.xcert-key").write_text("{}")
    with pytest.raises(PrivateKeyInTreeError, match="keys/acme-1.xcert-key"):
        publish_records(
            repo_root=repo, site_dir=tmp_path / "site", catalogue=catalogue(), workers=1
        )


def test_parallel_workers_give_the_same_site(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.credentials._parallel as parallel

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    add(repo, "valid")
    add(repo, "valid-current-key")
    one, two = tmp_path / "one", tmp_path / "two"
    publish_records(
        repo_root=repo, site_dir=one, catalogue=catalogue(), workers=1, site_url="https://x.example"
    )
    publish_records(
        repo_root=repo, site_dir=two, catalogue=catalogue(), workers=2, site_url="https://x.example"
    )
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)


def test_the_demo_is_deterministic_and_publishes(tmp_path: Path) -> None:
    repo, keys = tmp_path / "repo", tmp_path / "demo-keys"
    first = ensure_demo(repo_root=repo, key_dir=keys)
    assert first.keys_created and len(first.files_written) == 8
    snapshot = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    mtimes = {p: p.stat().st_mtime_ns for p in snapshot}
    again = ensure_demo(repo_root=repo, key_dir=keys)
    assert (again.keys_created, again.files_written) == (False, [])
    assert {p: p.stat().st_mtime_ns for p in snapshot} == mtimes
    assert sorted(p.name for p in keys.iterdir()) == ["demo-1.xcert-key", "demo-root.xcert-key"]
    site = tmp_path / "site"
    report = publish_records(repo_root=repo, site_dir=site, catalogue=catalogue(), workers=1)
    assert (report.records, report.revoked, report.demo) == (3, 1, True)
    assert sorted(p.name for p in (site / "verify" / "demo").iterdir()) == [
        "altered.json",
        "index.json",
        "revoked.json",
        "valid.json",
    ]
    assert "DEMO" in (repo / "keys" / "registry.json").read_text(encoding="utf-8")


def test_the_demo_leaves_a_real_registry_alone(repo: Path, tmp_path: Path) -> None:
    before = (repo / "keys" / "registry.json").read_bytes()
    report = ensure_demo(repo_root=repo, key_dir=tmp_path / "demo-keys")
    assert report.skipped and (repo / "keys" / "registry.json").read_bytes() == before
    assert not (repo / "certificates" / "demo").exists()


def test_demo_keys_may_not_live_in_the_repository(tmp_path: Path) -> None:
    from generator.errors import UsageError

    with pytest.raises(UsageError):
        ensure_demo(repo_root=tmp_path, key_dir=tmp_path / "keys" / "demo")
