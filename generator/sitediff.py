"""What a change does to the public site: build it at a git revision and at the working tree,
compare.

Both sides are built by the code running now, from each side's catalogue, site_src/ and
mkdocs.yml, so the report shows what the data change does (the pull request a clerk opens) and
nothing else. The search index and the sitemap are left out of the comparison: they change with
any page and say nothing a reviewer can act on, so neither side builds a search index.

Neither side publishes issued records or shows the key registry: a working tree holds records
that git ignores (the DEMO ones of `xcert demo`, publishing's caches), and a revision holds only
committed ones, so building each side with its own records reported the DEMO files as added by
every change. Records are verified by `xcert build`; the report says when the change touches them.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator import lifecycle
from generator.errors import BuildError, CatalogueErrors, UsageError
from generator.models import Catalogue
from generator.site.build import BuildOptions, build_site
from generator.site.html import HtmlCache
from generator.validate import load_catalogue

BUILD_INPUTS = ("catalogue", "site_src", "mkdocs.yml")
RECORD_INPUTS = ("keys", "certificates")
IGNORED_DIRS = ("pagefind",)
IGNORED_FILES = ("sitemap.xml", "sitemap.xml.gz")
LIST_LIMIT = 60  # a PR comment holds at most 65,536 characters
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
NO_PERIOD, MISSING = "无公示期", "不存在"


@dataclass(frozen=True)
class Change:
    """One row of the report: what it is, where, and the value before and after."""

    name: str
    where: str
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class SiteDiff:
    base: str
    today: dt.date
    pages: dict[str, list[Change]]  # "added" / "removed" / "changed" → pages (URL, title)
    files: dict[str, list[str]]  # the same for files that are not pages (feeds, data, charts)
    notices: list[Change]  # notices whose period status differs
    standings: list[Change]  # certificates and organizations whose standing differs
    records: list[str] = field(default_factory=list)  # files of keys/ and certificates/ changed

    @property
    def empty(self) -> bool:
        return (
            not any(self.pages.values())
            and not any(self.files.values())
            and not self.notices
            and not self.standings
            and not self.records
        )


def _git(root: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=True)
    except FileNotFoundError as e:
        raise UsageError("git is not installed") from e
    except subprocess.CalledProcessError as e:
        detail = e.stderr.decode("utf-8", "replace").strip()
        raise UsageError(f"git {' '.join(args[:2])} failed: {detail}") from e
    return result.stdout


def export_revision(root: Path, revision: str, dest: Path) -> None:
    """The build inputs as they are at `revision`, written under `dest`; the repository is not
    touched."""
    commit = (
        _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
    )
    names = set(_git(root, "ls-tree", "--name-only", commit).decode("utf-8").splitlines())
    paths = [p for p in BUILD_INPUTS if p in names]
    if "catalogue" not in paths:
        raise UsageError(f"{revision} has no catalogue/ folder")
    archive = _git(root, "archive", "--format=tar", commit, "--", *paths)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")


def _files(site: Path) -> dict[str, bytes]:
    out = {}
    for p in sorted(site.rglob("*")):
        rel = p.relative_to(site).as_posix()
        if p.is_file() and rel.split("/")[0] not in IGNORED_DIRS and rel not in IGNORED_FILES:
            out[rel] = p.read_bytes()
    return out


def _url(rel: str) -> str:
    return "/" + rel.removesuffix("index.html")


def _title(data: bytes) -> str:
    """The page's title without the " - <site name>" the theme adds."""
    m = _TITLE.search(data.decode("utf-8", "replace"))
    return html.unescape(m.group(1)).rsplit(" - ", 1)[0].strip() if m else ""


def compare_sites(
    before: Path, after: Path
) -> tuple[dict[str, list[Change]], dict[str, list[str]]]:
    a, b = _files(before), _files(after)
    groups = {
        "added": sorted(b.keys() - a.keys()),
        "removed": sorted(a.keys() - b.keys()),
        "changed": sorted(k for k in a.keys() & b.keys() if a[k] != b[k]),
    }
    pages: dict[str, list[Change]] = {}
    files: dict[str, list[str]] = {}
    for group, names in groups.items():
        pages[group] = sorted(
            (Change(_title(b.get(n) or a[n]), _url(n)) for n in names if n.endswith(".html")),
            key=lambda c: c.where,
        )
        files[group] = ["/" + n for n in names if not n.endswith(".html")]
    return pages, files


def _notice_status(cat: Catalogue, notice_id: str, today: dt.date) -> str:
    n = cat.notices.get(notice_id)
    if n is None:
        return MISSING
    status = n.status(today)
    return status.value if status else NO_PERIOD


def compare_statuses(
    before: Catalogue, after: Catalogue, today: dt.date
) -> tuple[list[Change], list[Change]]:
    notices = []
    for nid in sorted(before.notices.keys() | after.notices.keys()):
        was, now = _notice_status(before, nid, today), _notice_status(after, nid, today)
        if was != now:
            title = (after.notices.get(nid) or before.notices[nid]).title
            notices.append(Change(title, f"/notices/{nid}/", was, now))
    standings = []
    for kind in ("certificates", "organizations"):
        old, new = getattr(before, kind), getattr(after, kind)
        for eid in sorted(old.keys() | new.keys()):
            was = (
                lifecycle.standing(before, kind, eid, today).standing.value
                if eid in old
                else MISSING
            )
            now = (
                lifecycle.standing(after, kind, eid, today).standing.value
                if eid in new
                else MISSING
            )
            if was != now:
                standings.append(
                    Change((new.get(eid) or old[eid]).name, f"/{kind}/{eid}/", was, now)
                )
    return notices, standings


def _build(root: Path, out: Path, today: dt.date, label: str, cache: HtmlCache) -> Catalogue:
    try:
        cat = load_catalogue(root / "catalogue")
    except CatalogueErrors as e:
        raise BuildError(f"the catalogue at {label} is not valid:\n{e.render()}") from e
    try:
        build_site(
            BuildOptions(root=root, out=out, today=today, records=False, search=False),
            catalogue=cat,
            html_cache=cache,
        )
    except BuildError as e:
        raise BuildError(f"building {label} failed: {e}") from e
    return cat


def changed_records(root: Path, base: str) -> list[str]:
    """Files of keys/ and certificates/ that the working tree changes against `base`: committed
    or not, new files included, files git ignores (the DEMO records) left out."""
    changed = _git(root, "diff", "--name-only", "-z", base, "--", *RECORD_INPUTS)
    new = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", *RECORD_INPUTS)
    return sorted({n for n in (changed + new).decode("utf-8").split("\0") if n})


def diff_site(root: Path, base: str, *, today: dt.date) -> SiteDiff:
    """Build `base` and the working tree under `root` for `today` and compare them."""
    root = root.resolve()
    with tempfile.TemporaryDirectory(prefix="xcert-diff-") as tmp:
        work = Path(tmp)
        export_revision(root, base, work / "base")
        records = changed_records(root, base)
        cache = HtmlCache()  # the pages a change leaves alone are rendered once
        before = _build(work / "base", work / "base-site", today, base, cache)
        after = _build(root, work / "head-site", today, "the working tree", cache)
        pages, files = compare_sites(work / "base-site", work / "head-site")
    notices, standings = compare_statuses(before, after, today)
    return SiteDiff(
        base=base,
        today=today,
        pages=pages,
        files=files,
        notices=notices,
        standings=standings,
        records=records,
    )


def _limited(lines: list[str]) -> list[str]:
    if len(lines) <= LIST_LIMIT:
        return lines
    return lines[:LIST_LIMIT] + [f"- ……另有 {len(lines) - LIST_LIMIT} 项"]


def _cell(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|")


def to_markdown(d: SiteDiff) -> str:
    """The report as Markdown for a pull-request comment or the workflow summary."""
    out = [f"## 站点变化：`{_cell(d.base)}` → 本次修改", ""]
    if d.empty:
        return "\n".join(out + ["构建出的站点没有变化。", ""])
    names = {"added": "新增", "removed": "删除", "changed": "修改"}
    out += ["| | 页面 | 其他文件 |", "|---|---|---|"]
    out += [f"| {label} | {len(d.pages[g])} | {len(d.files[g])} |" for g, label in names.items()]
    out.append("")
    for g, label in names.items():
        if d.pages[g]:
            out += [f"### {label}的页面", ""]
            out += _limited([f"- `{p.where}` {_cell(p.name)}" for p in d.pages[g]])
            out.append("")
    if any(d.files.values()):
        out += ["<details><summary>其他文件（订阅源、数据、图表）</summary>", ""]
        for g, label in names.items():
            out += _limited([f"- {label} `{f}`" for f in d.files[g]])
        out += ["", "</details>", ""]
    if d.records:
        out += [
            "### 证书记录与密钥",
            "",
            f"本次修改涉及 `keys/` 与 `certificates/` 中的 {len(d.records)} 个文件。"
            "上面的比较不含已发证书的记录与计数；这些文件由 `xcert build` 逐一核验。",
            "",
        ]
        out += _limited([f"- `{_cell(name)}`" for name in d.records])
        out.append("")
    for title, rows in (
        (f"公示状态变化（按 {d.today.isoformat()} 计）", d.notices),
        (f"证书与组织状态变化（按 {d.today.isoformat()} 计）", d.standings),
    ):
        if rows:
            out += [f"### {title}", "", "| 名称 | 页面 | 修改前 | 修改后 |", "|---|---|---|---|"]
            out += [f"| {_cell(c.name)} | `{c.where}` | {c.before} | **{c.after}** |" for c in rows]
            out.append("")
    return "\n".join(out)
