"""`xcert diff BASE` on a fixture repository with two commits: pages and statuses that change."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from maintainer_fixtures import REPO, copy_repo, run_xcert

GIT = [
    "git",
    "-c",
    "user.name=Clerk",
    "-c",
    "user.email=clerk@example.cn",
    "-c",
    "commit.gpgsign=false",
]


def _xcert(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command run inside the fixture repository."""
    return run_xcert(*args, cwd=cwd, timeout=300)


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        [*GIT, "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Commit 1: the shipped catalogue. Commit 2: a new 公示 written by `xcert new`. Uncommitted on
    top: the first-batch 公示's period moved so that it is open again."""
    root = copy_repo(tmp_path_factory.mktemp("diff"))
    # The project's ignore rules, as a real clone has them (builds leave .xcert-cache/ behind).
    (root / ".gitignore").write_bytes((REPO / ".gitignore").read_bytes())
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    made = _xcert(
        "new",
        "notice",
        "--catalogue",
        "catalogue",
        "--title",
        "关于第五批职业技能等级证书的公示",
        "--doc-number",
        "职教所〔2026〕5号",
        "--date",
        "2026-11-27",
        "--summary",
        "公示第五批名单。",
        "--certificate",
        "ui-design",
        "--organization",
        "tencent-cloud-beijing",
        cwd=root,
    )
    assert made.returncode == 0, made.stderr
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "publish a 公示")
    notice = root / "catalogue" / "notices" / "2019-67-first-batch-announcement.yaml"
    notice.write_text(
        notice.read_text(encoding="utf-8")
        .replace("end: '2019-03-31'", "end: '2026-12-31'")
        .replace("start: '2019-03-26'", "start: '2026-11-01'"),
        encoding="utf-8",
    )
    return root


def test_diff_against_the_previous_commit_lists_pages_and_statuses(repo: Path) -> None:
    result = _xcert("diff", "HEAD~1", "--today", "2026-11-30", cwd=repo)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("## 站点变化：`HEAD~1` → 本次修改")
    assert (
        "### 新增的页面\n\n- `/notices/2026-5-announcement/` 关于第五批职业技能等级证书的公示"
        in out
    )
    assert "- `/notices/` 公示公告与通知" in out
    assert "- `/certificates/ui-design/` " in out
    assert (
        "/notices/2019-67-first-batch-announcement/" in out
    )  # edited, not committed: the working tree counts
    assert "- 修改 `/notices/feed.xml`" in out and "- 修改 `/notices/periods.ics`" in out
    assert "pagefind" not in out and "sitemap" not in out
    assert (
        "| 关于第五批职业技能等级证书的公示 | `/notices/2026-5-announcement/` | "
        "不存在 | **公示中** |" in out
    )
    assert "| `/notices/2019-67-first-batch-announcement/` | 已结束 | **公示中** |" in out
    assert (
        "| 界面设计职业技能等级证书 | `/certificates/ui-design/` | 已公示，待确认 | **公示中** |"
        in out
    )
    # The repository is left as it was: no worktree, nothing staged.
    assert _git(repo, "worktree", "list").count("\n") == 1
    assert (
        _git(repo, "status", "--porcelain").strip()
        == "M catalogue/notices/2019-67-first-batch-announcement.yaml"
    )


def test_diff_writes_the_report_for_the_workflow_summary(repo: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = _xcert("diff", "HEAD", "--today", "2026-11-30", "--output", str(summary), cwd=repo)
    assert result.returncode == 0, result.stderr
    assert summary.read_text(encoding="utf-8") == result.stdout
    assert "/notices/2026-5-announcement/" not in result.stdout  # committed in HEAD: no change
    assert "| 已结束 | **公示中** |" in result.stdout


def test_an_unknown_revision_is_a_usage_error(repo: Path) -> None:
    result = _xcert("diff", "no-such-branch", cwd=repo)
    assert result.returncode == 2
    assert "git rev-parse" in result.stderr and "Traceback" not in result.stderr


def test_records_git_ignores_do_not_show_as_changes(repo: Path, tmp_path: Path) -> None:
    """`xcert demo` leaves DEMO records (ignored by git) in the working tree; the report lists
    only what the edit does, and names the record files git would commit."""
    clone = tmp_path / "repo"
    shutil.copytree(repo, clone)
    made = run_xcert(
        "demo",
        "--key-dir",
        str(tmp_path / "demo-keys"),
        cwd=clone,
        env={"PYTHONPATH": str(REPO)},
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    assert (clone / "certificates" / "demo").is_dir()
    result = _xcert("diff", "HEAD", "--today", "2026-11-30", cwd=clone)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for published in ("/r/", "/status/", "/verify/demo", "/keys/"):
        assert published not in out
    assert "| 删除 | 0 | 0 |" in out and "| 新增 | 0 | 0 |" in out
    assert "- `/notices/2019-67-first-batch-announcement/` " in out
    assert "### 证书记录与密钥" in out and "- `keys/registry.json`" in out
    assert "certificates/demo" not in out  # ignored by git: never part of a change
