"""The CI workflows cannot run here, so they are checked: well-formed, wired up, and every `run:`
step uses only this project's commands with options that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from maintainer_fixtures import REPO

from generator.cli import _parser

WORKFLOWS = REPO / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
ACTIONS = {
    "actions/checkout",
    "actions/configure-pages",
    "actions/setup-python",
    "actions/upload-artifact",
    "actions/upload-pages-artifact",
    "actions/deploy-pages",
    "marocchino/sticky-pull-request-comment",
}
OPERATORS = {"&&", "||", ";", "|", "&"}
REDIRECTS = {">", ">>", "<", "2>", "2>>"}


def _load(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in doc:  # YAML 1.1 reads the key `on` as a boolean
        doc["on"] = doc.pop(True)
    return doc  # type: ignore[no-any-return]


def _steps(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for job in doc["jobs"].values() for s in job.get("steps", [])]


def _commands(script: str) -> list[list[str]]:
    """Simple commands of a shell script: operators split them, assignments and redirections go."""
    commands: list[list[str]] = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars="&|;<>")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        current: list[str] = []
        skip = False
        for token in lexer:
            if skip:
                skip = False
            elif token in OPERATORS:
                commands.append(current)
                current = []
            elif token in REDIRECTS:
                skip = True
            elif not current and re.match(r"^[A-Z_]+=", token):
                continue
            else:
                current.append(token)
        commands.append(current)
    return [c for c in commands if c]


def _make_targets() -> set[str]:
    return set(
        re.findall(
            r"^([a-z][\w-]*):", (REPO / "Makefile").read_text(encoding="utf-8"), re.MULTILINE
        )
    )


def _check_command(cmd: list[str]) -> None:
    if cmd[:3] == ["python", "-m", "generator"]:
        cmd = ["xcert", *cmd[3:]]
    if cmd[:3] == ["python", "-m", "pip"]:
        cmd = ["pip", *cmd[3:]]
    name, args = cmd[0], cmd[1:]
    if name == "xcert":
        try:
            _parser().parse_args(args)
        except SystemExit:
            pytest.fail(f"xcert does not accept: {shlex.join(cmd)}")
    elif name == "make":
        assert set(args) <= _make_targets(), cmd
    elif name == "pip":
        # Only this project is installed: its dependencies come from pyproject.toml.
        assert args[0] == "install" and [a for a in args[1:] if not a.startswith("-")] in (
            ["."],
            [".[test]"],
        ), cmd
    elif name != "git":
        pytest.fail(
            f"not one of the project's commands (make, xcert, python -m generator, git, pip): {cmd}"
        )


def test_there_are_the_three_workflows() -> None:
    assert [p.name for p in FILES] == ["deploy.yml", "pr.yml", "schedule.yml"]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_workflow_is_well_formed_and_runs_only_project_commands(path: Path) -> None:
    doc = _load(path)
    assert doc["name"] and doc["on"] and doc["jobs"]
    for name, job in doc["jobs"].items():
        if "uses" in job:  # a reusable workflow in this repository
            called = REPO / job["uses"]
            assert job["uses"].startswith("./.github/workflows/") and called.is_file(), name
            assert "workflow_call" in _load(called)["on"]
            continue
        assert job["runs-on"] == "ubuntu-latest" and job["steps"], name
    for step in _steps(doc):
        assert ("uses" in step) != ("run" in step), step
        if "uses" in step:
            action, _, version = step["uses"].partition("@")
            assert action in ACTIONS and re.fullmatch(r"v\d+", version), step["uses"]
            continue
        # Untrusted values reach a script through env:, never through ${{ }} (script injection).
        assert "${{" not in step["run"], step
        for cmd in _commands(step["run"]):
            _check_command(cmd)


def test_pull_requests_check_build_diff_and_keep_a_preview() -> None:
    doc = _load(WORKFLOWS / "pr.yml")
    assert "pull_request" in doc["on"]
    runs = [s["run"] for s in _steps(doc) if "run" in s]
    assert "xcert check --format github --strict" in runs
    assert "xcert build" in runs
    assert any(r.startswith('xcert diff "origin/$BASE_REF"') for r in runs)
    uploads = [
        s["with"]["path"]
        for s in _steps(doc)
        if s.get("uses", "").startswith("actions/upload-artifact")
    ]
    assert "site/" in uploads and "site-diff.md" in uploads
    checkout = next(s for s in _steps(doc) if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch must be in the clone


def test_main_deploys_and_the_schedule_rebuilds_daily() -> None:
    deploy = _load(WORKFLOWS / "deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"] and "workflow_call" in deploy["on"]
    assert (
        deploy["permissions"]["pages"] == "write" and deploy["permissions"]["id-token"] == "write"
    )
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in _steps(deploy))
    schedule = _load(WORKFLOWS / "schedule.yml")
    cron = schedule["on"]["schedule"][0]["cron"]
    assert len(cron.split()) == 5 and cron.split()[2:] == ["*", "*", "*"]  # every day
    assert schedule["jobs"]["rebuild"]["uses"] == "./.github/workflows/deploy.yml"
    assert schedule["permissions"] == deploy["permissions"]


def test_the_command_splitter_sees_every_command() -> None:
    assert _commands('A=1 xcert diff "origin/$B" > x.md && rm -rf / # ok\npip install -e .') == [
        ["xcert", "diff", "origin/$B"],
        ["rm", "-rf", "/"],
        ["pip", "install", "-e", "."],
    ]


def test_workflows_are_documented() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for path in FILES:
        assert f"`{path.name}`" in guide, path.name
    assert (REPO / ".github" / "PULL_REQUEST_TEMPLATE.md").is_file()
    assert ".github/PULL_REQUEST_TEMPLATE.md" in guide and ".github/CODEOWNERS.example" in guide


def test_codeowners_example_names_real_files_and_whole_organizations() -> None:
    text = (REPO / ".github" / "CODEOWNERS.example").read_text(encoding="utf-8")
    rules = [
        line.split() for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]
    assert all(len(r) >= 2 and all(o.startswith("@") for o in r[1:]) for r in rules), rules
    owners: dict[str, set[str]] = {}
    for pattern, *who in rules:
        if pattern != "*":
            assert (REPO / pattern.lstrip("/")).exists(), pattern
        if (
            pattern.startswith("/catalogue/")
            and pattern.endswith(".yaml")
            and pattern.count("/") == 3
        ):
            owners.setdefault(who[0], set()).add(pattern)
    from generator.validate import load_catalogue

    cat = load_catalogue(REPO / "catalogue")
    for team, files in owners.items():
        org = next(Path(f).stem for f in files if f.startswith("/catalogue/organizations/"))
        expected = {f"/catalogue/organizations/{org}.yaml"}
        expected |= {f"/catalogue/certificates/{c.id}.yaml" for c in cat.certificates_of(org)}
        expected |= {
            f"/catalogue/standards/{s.id}.yaml"
            for s in cat.standards.values()
            if s.organization == org
        }
        assert files == expected, team
