"""Findings as text for people and as workflow commands for GitHub Actions annotations.

`::error file=…,line=…,col=…,title=…::message` makes the hosted CI point at the line in the pull
request's diff, so a clerk sees what is wrong where it is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.errors import LocatedError


def text(finding: LocatedError, *, level: str = "error") -> str:
    """`file:line:col: field: message`, with `warning: ` in front of the field for warnings."""
    if level == "error":
        return str(finding)
    parts = [str(finding.location), level]
    if finding.field:
        parts.append(finding.field)
    return ": ".join(parts + [finding.message])


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def github(finding: LocatedError, *, level: str = "error") -> str:
    """One workflow command; `level` is `error` or `warning`."""
    loc = finding.location
    props = [f"file={_property(loc.file)}"]
    if loc.line:
        props += [f"line={loc.line}", f"col={max(loc.column, 1)}"]
    title = f"xcert check: {finding.field}" if finding.field else "xcert check"
    props.append(f"title={_property(title)}")
    return f"::{level} {','.join(props)}::{_data(finding.message)}"


def lines(findings: Iterable[LocatedError], *, level: str, fmt: str) -> list[str]:
    render = github if fmt == "github" else text
    return [render(f, level=level) for f in findings]
