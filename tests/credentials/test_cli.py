"""The credential commands run for real, in a subprocess, as a user would run them."""

from __future__ import annotations

import json
from pathlib import Path

from _commands import copy_site_sources, setup_org, write_batch
from _scenarios import AGREEMENT
from conftest import run_xcert


def test_keys_issue_revoke_verify_end_to_end(
    scratch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    repo, env = scratch
    r = run_xcert("keys", "init-root", "--kdf", "min", cwd=repo, env=env)
    assert r.returncode == 0, r.stderr
    assert "root fingerprint:" in r.stdout and (tmp_path / "keys" / "root.xcert-key").exists()
    r = run_xcert("keys", "add-org", "miit-etc", "--kdf", "min", cwd=repo, env=env)
    assert r.returncode == 0, r.stderr
    assert "version 2" in r.stdout
    batch = write_batch(tmp_path / "batch.csv", "中级", "高级")
    r = run_xcert("issue", "--org", "miit-etc", str(batch), cwd=repo, env=env)
    assert r.returncode == 0, r.stderr
    assert "issued 2 records" in r.stdout
    records = sorted((tmp_path / "store").glob("miit-etc/batches/*/records/*.json"))
    assert [p.name for p in records] == ["MIIT-2025-000001.json", "MIIT-2025-000002.json"]
    assert not list((repo / "certificates" / "miit-etc").glob("*.json"))  # only sealed
    r = run_xcert("verify", *map(str, records), cwd=repo, env=env)
    assert r.returncode == 0 and r.stdout.count(": valid: ") == 2, r.stdout
    r = run_xcert("keys", "rotate", "miit-etc", "--kdf", "min", cwd=repo, env=env)
    assert r.returncode == 0, r.stderr
    r = run_xcert("verify", *map(str, records), cwd=repo, env=env)
    assert r.returncode == 0, r.stdout  # rotation keeps old records valid
    r = run_xcert(
        "revoke",
        "MIIT-2025-000002",
        "--reason",
        "证书信息有误",
        "--date",
        "2025-02-01",
        cwd=repo,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    r = run_xcert("verify", "--json", *map(str, records), cwd=repo, env=env)
    verdicts = [json.loads(line)["verdict"] for line in r.stdout.splitlines()]
    assert (r.returncode, verdicts) == (1, ["valid", "certificate-revoked"])
    r = run_xcert(
        "keys",
        "revoke",
        "miit-etc-1",
        "--at",
        "2020-01-01",
        "--reason",
        "私钥泄露",
        cwd=repo,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    r = run_xcert("verify", str(records[0]), cwd=repo, env=env)
    assert r.returncode == 1 and "key-revoked-before-issue" in r.stdout
    r = run_xcert("keys", "show", cwd=repo, env=env)
    assert (
        r.returncode == 0
        and "version 4" in r.stdout
        and "revoked at 2020-01-01T00:00:00Z: 私钥泄露" in r.stdout
    )


def test_a_bad_batch_exits_1_naming_the_rows(
    scratch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    repo, env = scratch
    setup_org(repo, env)
    batch = write_batch(tmp_path / "batch.csv", "中级", "专家", encoding="utf-8")
    r = run_xcert("issue", "--org", "miit-etc", str(batch), cwd=repo, env=env)
    assert r.returncode == 1
    assert f"{batch}:3:0: 等级: '专家' is not 初级, 中级 or 高级" in r.stderr
    assert "1 bad row in" in r.stderr and not (repo / "certificates" / "miit-etc").exists()


def test_wrong_passphrase_exits_1(scratch: tuple[Path, dict[str, str]]) -> None:
    repo, env = scratch
    assert run_xcert("keys", "init-root", "--kdf", "min", cwd=repo, env=env).returncode == 0
    r = run_xcert(
        "keys",
        "add-org",
        "miit-etc",
        "--kdf",
        "min",
        cwd=repo,
        env={**env, "XCERT_ROOT_PASSPHRASE": "not the root passphrase"},
    )
    assert r.returncode == 1 and "wrong passphrase" in r.stderr


def test_no_passphrase_and_no_terminal_is_a_usage_error(
    scratch: tuple[Path, dict[str, str]],
) -> None:
    repo, env = scratch
    env = {k: v for k, v in env.items() if "PASSPHRASE" not in k}
    r = run_xcert("keys", "init-root", cwd=repo, env=env)
    assert r.returncode == 2 and "XCERT_ROOT_PASSPHRASE" in r.stderr


def test_a_key_folder_inside_the_repository_is_refused(
    scratch: tuple[Path, dict[str, str]],
) -> None:
    repo, env = scratch
    r = run_xcert("keys", "init-root", "--key-dir", str(repo / "keys"), cwd=repo, env=env)
    assert r.returncode == 2 and "outside the repository" in r.stderr


def test_verify_gives_the_agreement_verdicts(tmp_path: Path) -> None:
    expected = json.loads((AGREEMENT / "expected.json").read_text())
    files = [str(AGREEMENT / "cases" / f"{name}.json") for name in expected]
    r = run_xcert(
        "verify", "--json", "--repo", str(AGREEMENT / "repo"), *files, cwd=tmp_path, env={}
    )
    got = {Path(json.loads(line)["file"]).stem: json.loads(line) for line in r.stdout.splitlines()}
    assert {k: {"verdict": v["verdict"], "reason": v["reason"]} for k, v in got.items()} == expected
    assert r.returncode == 1
    valid = [str(AGREEMENT / "cases" / "valid.json")]
    assert (
        run_xcert(
            "verify", "--repo", str(AGREEMENT / "repo"), *valid, cwd=tmp_path, env={}
        ).returncode
        == 0
    )


def test_demo_twice_changes_nothing(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {
        "XCERT_DEMO_KEYS": str(tmp_path / "demo-keys"),
        "XCERT_DEMO_STORE": str(tmp_path / "demo-store"),
    }
    first = run_xcert("demo", cwd=repo, env=env)
    assert first.returncode == 0 and "created DEMO keys" in first.stdout, first.stderr
    second = run_xcert("demo", cwd=repo, env=env)
    assert (second.returncode, second.stdout.strip()) == (0, "demo up to date")


def test_a_build_refuses_a_registry_older_than_the_published_one(
    scratch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    repo, env = scratch
    copy_site_sources(repo)
    r = run_xcert("keys", "init-root", "--kdf", "min", cwd=repo, env=env)
    assert r.returncode == 0, r.stderr
    version_1 = (repo / "keys" / "registry.json").read_bytes()
    r = run_xcert("keys", "add-org", "miit-etc", "--kdf", "min", cwd=repo, env=env)
    assert r.returncode == 0, r.stderr
    r = run_xcert("build", "--today", "2026-11-30", cwd=repo, env=env)
    assert r.returncode == 0, r.stderr
    published = (repo / "site" / "keys" / "registry.json").read_bytes()
    (repo / "keys" / "registry.json").write_bytes(version_1)  # a pull request reverting it
    r = run_xcert("build", "--today", "2026-11-30", cwd=repo, env=env)
    assert r.returncode == 1
    assert "keys/registry.json is version 1, older than version 2 already published" in r.stderr
    assert (repo / "site" / "keys" / "registry.json").read_bytes() == published
