"""`xcert new`: a valid, commented file with a fresh id, from options or from answers in a
terminal."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from maintainer_fixtures import REPO, run_xcert

NOTICE = [
    "--title",
    "关于第五批职业技能等级证书的公示",
    "--doc-number",
    "职教所〔2026〕5号",
    "--date",
    "2026-12-01",
    "--summary",
    "公示第五批名单。",
    "--certificate",
    "web-frontend",
    "--organization",
    "miit-etc",
    "--contact-name",
    "黄洋",
    "--contact-email",
    "x_one2019@163.com",
]


@pytest.fixture()
def catalogue(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "catalogue", tmp_path / "catalogue")
    return tmp_path / "catalogue"


def _new(catalogue: Path, kind: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_xcert("new", kind, "--catalogue", str(catalogue), *args)


def test_every_kind_of_new_file_passes_check(catalogue: Path) -> None:
    made = [
        _new(
            catalogue, "organization", "--id", "example-education", "--name", "示例教育科技有限公司"
        ),
        _new(
            catalogue,
            "certificate",
            "--id",
            "example-skill",
            "--name",
            "示例技能职业技能等级证书",
            "--short-name",
            "示例技能",
            "--organization",
            "example-education",
            "--batch",
            "5",
            "--field",
            "electronic-information",
            "--level",
            "初级",
            "--level",
            "中级",
        ),
        _new(
            catalogue,
            "standard",
            "--id",
            "example-skill",
            "--name",
            "示例技能职业技能等级标准",
            "--organization",
            "example-education",
            "--code",
            "T/EX 0001-2026",
        ),
        _new(catalogue, "notice", *NOTICE),
    ]
    for result in made:
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("wrote ")
    check = run_xcert("check", "--catalogue", str(catalogue), "--strict")
    assert check.returncode == 0, check.stderr
    assert "76 organizations, 95 certificates, 4 standards, 19 notices" in check.stdout


def test_a_new_notice_is_commented_and_points_editors_at_its_schema(catalogue: Path) -> None:
    assert _new(catalogue, "notice", *NOTICE).returncode == 0
    text = (catalogue / "notices" / "2026-5-announcement.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schemas/notice.schema.json"
    assert lines[1] == "# notice: 关于第五批职业技能等级证书的公示"
    assert (catalogue / "notices" / "../schemas/notice.schema.json").resolve().is_file()
    # The period defaults to five working days from the date: 1-7 December 2026.
    assert 'period:\n  start: "2026-12-01"\n  end: "2026-12-07"' in text
    assert 'contacts:\n- name: "黄洋"\n  email: "x_one2019@163.com"' in text
    assert "# key_points:" in text and "# source:" in text  # what to fill in next


def test_ids_are_fresh_and_nothing_is_overwritten(catalogue: Path) -> None:
    assert _new(catalogue, "notice", *NOTICE).returncode == 0
    again = _new(catalogue, "notice", *NOTICE)
    assert again.returncode == 0
    assert (catalogue / "notices" / "2026-5-announcement-2.yaml").is_file()
    # Without a document number the id comes from the date and kind.
    plain = _new(
        catalogue,
        "notice",
        "--title",
        "说明",
        "--kind",
        "通知",
        "--date",
        "2026-12-02",
        "--summary",
        "一则通知。",
    )
    assert plain.returncode == 0 and (catalogue / "notices" / "2026-12-02-notice.yaml").is_file()
    before = (catalogue / "organizations" / "miit-etc.yaml").read_bytes()
    taken = _new(catalogue, "organization", "--id", "miit-etc", "--name", "重名")
    assert taken.returncode == 2
    assert "catalogue/organizations/miit-etc.yaml already exists" in taken.stderr
    assert (catalogue / "organizations" / "miit-etc.yaml").read_bytes() == before


@pytest.mark.parametrize(
    ("kind", "args", "message"),
    [
        ("notice", ["--title", "x"], "xcert new notice needs --summary"),
        (
            "certificate",
            ["--id", "a"],
            "needs --name, --short-name, --organization, --batch, --field",
        ),
        (
            "certificate",
            [
                "--id",
                "a",
                "--name",
                "n",
                "--short-name",
                "s",
                "--organization",
                "nobody",
                "--batch",
                "1",
                "--field",
                "electronic-information",
            ],
            "unknown organization 'nobody'",
        ),
        ("organization", ["--id", "Bad_Id", "--name", "n"], "'Bad_Id' is not a valid id"),
        (
            "notice",
            ["--title", "x", "--summary", "y", "--kind", "公告"],
            "--kind: '公告' is not one of",
        ),
        (
            "notice",
            ["--title", "x", "--summary", "y", "--date", "2026-13-01"],
            "--date must be a date",
        ),
    ],
)
def test_bad_or_missing_options_exit_2_with_the_reason(
    catalogue: Path, kind: str, args: list[str], message: str
) -> None:
    result = _new(catalogue, kind, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def _answer_prompts(
    args: list[str], answers: dict[str, str], timeout: float = 30
) -> tuple[int, str]:
    """Run the command with a terminal on stdin and answer each prompt that starts with a key."""
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        cwd=REPO,
        stdin=child,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    os.close(child)
    assert proc.stdout is not None
    out, pending, deadline = b"", b"", time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.2)
        if not ready:
            continue
        chunk = os.read(proc.stdout.fileno(), 4096)
        out, pending = out + chunk, pending + chunk
        text = pending.decode("utf-8", "ignore")
        if text.rstrip().endswith(":"):
            prompt = text.strip().splitlines()[-1]
            reply = next((v for k, v in answers.items() if prompt.startswith(k)), "")
            os.write(main, reply.encode("utf-8") + b"\n")
            pending = b""
    out += proc.stdout.read() or b""
    os.close(main)
    return proc.wait(timeout=5), out.decode("utf-8", "replace")


def test_in_a_terminal_it_asks_for_what_is_missing(catalogue: Path) -> None:
    code, out = _answer_prompts(
        ["new", "organization", "--catalogue", str(catalogue)],
        {"id": "asked-education", "全称": "问答教育有限公司"},
    )
    assert code == 0, out
    assert "id（小写字母、数字、连字符）:" in out and "全称:" in out
    text = (catalogue / "organizations" / "asked-education.yaml").read_text(encoding="utf-8")
    assert 'name: "问答教育有限公司"' in text
    assert run_xcert("check", "--catalogue", str(catalogue)).returncode == 0
