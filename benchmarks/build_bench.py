"""Time a full xcert build of a synthetic catalogue against a bare `mkdocs build`, in one run.

    python benchmarks/build_bench.py [--certificates 2000 --organizations 300 --notices 500
                                      --standards 20 --seed 1] [--repeat 3] [--check-repeat 3]
                                     [--stage-repeat 3] [--work DIR] [--json FILE] [--tiny]

What it does, all in the same run so the machine's load hits every figure alike:

1. writes a synthetic catalogue (benchmarks/synthetic_catalogue.py) as a ROOT in the work folder;
2. times `xcert check` on it (a subprocess, best of --check-repeat);
3. runs the build's stages one by one in a fresh subprocess (load+validate, render, docs tree,
   mkdocs, Pagefind, records) to show where the time goes (best of --stage-repeat per stage);
4. writes the bare baseline: one plain Markdown page per Markdown page of the generated docs tree,
   at the same path and with as many characters of Chinese text, the same Material theme
   (font: false), the same Markdown extensions and nav as the real mkdocs.yml, no plugins, no
   theme overrides, no extra CSS/JS, and entity pages out of the nav;
5. times the full build (`xcert build`, a subprocess) and the bare build (`mkdocs build`, a
   subprocess) --repeat times each, interleaved (full, bare, bare, full, …), deleting both
   output folders before each run (not timed);
6. prints pages, seconds (best and median), the ratio full/bare (target ≤ 1.5), the site's size
   (MB and MB per 1,000 pages, target < 30) and the check time (target < 2 s).

Both builds run as subprocesses, so both include interpreter start-up and imports. If the `xcert`
command line cannot be imported (another command module half-way), the same work is run through
the Python API (`generator.commands.check.run` / `generator.site.build.build_site`) and the
report says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

TARGET_RATIO = 1.5
TARGET_MB_PER_1000 = 30.0
TARGET_CHECK_S = 2.0

CHECK_API = """
import argparse, sys
from generator.commands import check
p = argparse.ArgumentParser(); sub = p.add_subparsers(); check.add_parser(sub)
a = p.parse_args(sys.argv[1:]); sys.exit(a.run(a))
"""
BUILD_API = """
import sys, datetime
from pathlib import Path
from generator.site.build import build_site, BuildOptions
r = build_site(BuildOptions(root=Path(sys.argv[1]), out=Path(sys.argv[2]),
                            today=datetime.date.fromisoformat(sys.argv[3])))
print(r)
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    return env


def _run(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True, check=False)
    return time.perf_counter() - t, p


def _cli_works() -> bool:
    """Can `python -m generator` import all its command modules?"""
    p = subprocess.run(
        [sys.executable, "-m", "generator", "--help"],
        cwd=REPO,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    return p.returncode == 0


def _check_cmd(catalogue: Path, cli: bool) -> list[str]:
    if cli:
        return [sys.executable, "-m", "generator", "check", "--catalogue", str(catalogue)]
    return [sys.executable, "-c", CHECK_API, "check", "--catalogue", str(catalogue)]


def _build_cmd(root: Path, out: Path, today: str, cli: bool) -> list[str]:
    if cli:
        return [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--root",
            str(root),
            "--out",
            str(out),
            "--today",
            today,
        ]
    return [sys.executable, "-c", BUILD_API, str(root), str(out), today]


def _ok(p: subprocess.CompletedProcess[str], what: str) -> None:
    if p.returncode != 0:
        sys.stderr.write(p.stdout[-3000:] + p.stderr[-6000:])
        raise SystemExit(f"{what} failed (exit {p.returncode})")


# --------------------------------------------------------------------------- stage worker


def stage_worker(root: Path, work: Path, today: str, keep_tree: bool) -> dict[str, Any]:
    """Run build_site's steps one by one (in a fresh interpreter); return the seconds of each.

    Follows generator/site/build.py: load_catalogue → publish records (their counts feed the
    pages) → render_pages + render_api → write_tree → build_html → index_site → deleting
    the docs tree (build_site removes its work folder once the site is moved out). With
    `keep_tree` the docs tree stays in `work` for the bare baseline (and that step is not timed)."""
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    import calendar

    from generator.render.api import render_api
    from generator.render.pages import render_pages
    from generator.site import build as site_build
    from generator.site.html import build_html
    from generator.site.search_index import index_site
    from generator.site.tree import write_tree
    from generator.validate import load_catalogue

    times["imports"] = time.perf_counter() - t0

    day = dt.date.fromisoformat(today)
    t = time.perf_counter()
    cat = load_catalogue(root / "catalogue")
    times["load+validate"] = time.perf_counter() - t

    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    # Records are published first: the pages show the counts of issued certificates.
    t = time.perf_counter()
    _, issued = site_build._publish_records(root, work / "published", cat, day)
    times["records"] = time.perf_counter() - t

    t = time.perf_counter()
    pages = render_pages(cat, today=day, issued=issued, workers=min(2, os.cpu_count() or 1))
    times["render pages"] = time.perf_counter() - t
    t = time.perf_counter()
    pages = pages + render_api(cat, today=day, issued=issued)
    times["render api"] = time.perf_counter() - t

    t = time.perf_counter()
    config = write_tree(
        work=work,
        site_src=root / "site_src",
        pages=pages,
        base_config=root / "mkdocs.yml",
        extra=site_build._extra(root),
    )
    times["write tree"] = time.perf_counter() - t

    t = time.perf_counter()
    build_html(config, epoch=calendar.timegm(day.timetuple()))
    times["mkdocs (build_html)"] = time.perf_counter() - t

    t = time.perf_counter()
    indexed = index_site(work / "site")
    times["pagefind (index_site)"] = time.perf_counter() - t

    docs = work / "docs"
    md = sum(1 for _ in docs.rglob("*.md"))
    if not keep_tree:
        t = time.perf_counter()
        shutil.rmtree(docs)
        shutil.rmtree(work / "overrides", ignore_errors=True)
        times["delete docs tree"] = time.perf_counter() - t
    return {
        "times": times,
        "generated": len(pages),
        "markdown_pages": md,
        "indexed": indexed,
        "generated_other_files": sum(1 for p in pages if not p.path.endswith(".md")),
    }


# --------------------------------------------------------------------------- bare baseline


def _filler_source() -> str:
    """Chinese text from the real catalogue, to fill the bare pages."""
    parts: list[str] = []
    for p in sorted((REPO / "catalogue" / "notices").glob("*.yaml")):
        d = yaml.safe_load(p.read_text(encoding="utf-8"))
        parts.append(d["summary"])
        parts.extend(d.get("key_points", []))
    for p in sorted((REPO / "catalogue" / "standards").glob("*.yaml")):
        d = yaml.safe_load(p.read_text(encoding="utf-8"))
        parts.append(d.get("summary", ""))
    return "".join(x.replace("\n", "") for x in parts if x)


_FM = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def write_bare(tree_docs: Path, base_config: Path, bare: Path) -> int:
    """One plain page per Markdown page of the generated docs tree; return the page count."""
    if bare.exists():
        shutil.rmtree(bare)
    docs = bare / "docs"
    text = _filler_source()
    pos = 0
    count = 0
    for src in sorted(tree_docs.rglob("*.md")):
        content = src.read_text(encoding="utf-8")
        title = src.stem
        m = _FM.match(content)
        body = content
        if m:
            fm = yaml.safe_load(m.group(1)) or {}
            title = str(fm.get("title", title))
            body = content[m.end() :]
        n = len(body)
        chunk = ""
        while len(chunk) < n:
            take = min(n - len(chunk), len(text) - pos)
            chunk += text[pos : pos + take]
            pos = (pos + take) % len(text)
        paragraphs = [chunk[i : i + 200] for i in range(0, len(chunk), 200)]
        out = docs / src.relative_to(tree_docs)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        count += 1
    real = yaml.safe_load(base_config.read_text(encoding="utf-8"))
    theme = {k: v for k, v in real.get("theme", {}).items() if k != "custom_dir"}
    theme["name"] = "material"
    theme["font"] = False
    config: dict[str, Any] = {
        "site_name": real.get("site_name", "bare"),
        "site_description": real.get("site_description", ""),
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": real.get("use_directory_urls", True),
        "theme": theme,
        "plugins": [],
        "markdown_extensions": real.get("markdown_extensions", []),
        "nav": _nav(real.get("nav", []), docs),
        "validation": {"nav": {"omitted_files": "ignore"}},
    }
    (bare / "mkdocs.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return count


def _nav(items: list[Any], docs: Path) -> list[Any]:
    """The real nav, less entries whose page the mirrored tree lacks."""
    out: list[Any] = []
    for item in items:
        title, target = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(target, list):
            sub = _nav(target, docs)
            if sub:
                out.append({title: sub})
        elif (docs / target).exists():
            out.append({title: target} if title else target)
    return out


# --------------------------------------------------------------------------- sizes


def site_size(site: Path) -> dict[str, Any]:
    total = 0
    html = 0
    by_top: dict[str, int] = {}
    by_ext: dict[str, int] = {}
    files = 0
    for p in site.rglob("*"):
        if not p.is_file():
            continue
        size = p.stat().st_size
        files += 1
        total += size
        rel = p.relative_to(site)
        top = rel.parts[0] if len(rel.parts) > 1 else "(top level)"
        by_top[top] = by_top.get(top, 0) + size
        ext = p.suffix or "(none)"
        by_ext[ext] = by_ext.get(ext, 0) + size
        if p.suffix == ".html":
            html += 1
    du = subprocess.run(["du", "-sk", str(site)], capture_output=True, text=True, check=False)
    du_kb = int(du.stdout.split()[0]) if du.returncode == 0 else 0
    return {
        "bytes": total,
        "files": files,
        "html_pages": html,
        "du_bytes": du_kb * 1024,
        "by_top": dict(sorted(by_top.items(), key=lambda kv: -kv[1])),
        "by_ext": dict(sorted(by_ext.items(), key=lambda kv: -kv[1])),
    }


def _mb(n: float) -> float:
    return n / 1_000_000


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--certificates", type=int, default=2000)
    p.add_argument("--organizations", type=int, default=300)
    p.add_argument("--notices", type=int, default=500)
    p.add_argument("--standards", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=3, help="full and bare builds, each (default 3)")
    p.add_argument("--check-repeat", type=int, default=3)
    p.add_argument("--stage-repeat", type=int, default=3)
    p.add_argument("--today", default="2026-11-30")
    p.add_argument(
        "--work", type=Path, default=None, help="work folder (default: a new temporary one)"
    )
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    p.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    p.add_argument(
        "--tiny",
        action="store_true",
        help="a few pages, one run of everything: checks that the script still works",
    )
    p.add_argument(
        "--stage-worker", nargs=3, metavar=("ROOT", "WORK", "TODAY"), help=argparse.SUPPRESS
    )
    p.add_argument("--keep-tree", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.tiny:
        a.certificates, a.organizations, a.notices, a.standards = 12, 4, 8, 2
        a.repeat = a.check_repeat = a.stage_repeat = 1

    if a.stage_worker:
        root, work, today = a.stage_worker
        print(json.dumps(stage_worker(Path(root), Path(work), today, a.keep_tree)))
        return 0

    import synthetic_catalogue as syn

    work = a.work or Path(tempfile.mkdtemp(prefix="xcert-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    root = work / "root"
    started = dt.datetime.now().astimezone()
    load_at_start = _loadavg()
    print(f"work folder: {work}", flush=True)

    t = time.perf_counter()
    gen = syn.generate(
        certificates=a.certificates,
        organizations=a.organizations,
        notices=a.notices,
        standards=a.standards,
        seed=a.seed,
    )
    if root.exists():
        shutil.rmtree(root)
    catalogue = syn.write_root(root, gen)
    print(
        f"generated {len(gen.certificates)} certificates, {len(gen.organizations)} organizations, "
        f"{len(gen.standards)} standards, {len(gen.notices)} notices "
        f"in {time.perf_counter() - t:.1f} s",
        flush=True,
    )

    cli = _cli_works()
    how = (
        "`python -m generator` (the xcert CLI)"
        if cli
        else "the Python API (the CLI did not import)"
    )
    print(f"running xcert through {how}", flush=True)

    # -- check
    check_times = []
    for _ in range(a.check_repeat):
        s, proc = _run(_check_cmd(catalogue, cli), work)
        _ok(proc, "xcert check")
        check_times.append(s)
    runs = ", ".join(f"{x:.2f}" for x in check_times)
    print(f"xcert check: best {min(check_times):.2f} s, runs {runs}", flush=True)

    # -- stages (the first run also leaves the docs tree for the bare baseline)
    stage_runs = []
    tree = work / "stage-tree"
    for i in range(a.stage_repeat):
        s, proc = _run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--stage-worker",
                str(root),
                str(tree),
                a.today,
            ]
            + (["--keep-tree"] if i == 0 else []),
            work,
        )
        _ok(proc, "stage run")
        stage_runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        stage_runs[-1]["wall"] = s
        if i == 0:
            bare = work / "bare"
            bare_pages = write_bare(tree / "docs", root / "mkdocs.yml", bare)
        print(
            f"stage run {i + 1}: "
            + ", ".join(f"{k} {v:.2f}" for k, v in stage_runs[-1]["times"].items()),
            flush=True,
        )
    keys = list(dict.fromkeys(k for r in stage_runs for k in r["times"]))
    stages = {k: min(r["times"][k] for r in stage_runs if k in r["times"]) for k in keys}
    info = stage_runs[0]

    # -- full and bare, interleaved
    full_out = work / "site-full"
    bare_site = bare / "site"
    full_times: list[float] = []
    bare_times: list[float] = []
    for i in range(a.repeat):
        order = ("full", "bare") if i % 2 == 0 else ("bare", "full")
        for what in order:
            if what == "full":
                shutil.rmtree(full_out, ignore_errors=True)
                s, proc = _run(_build_cmd(root, full_out, a.today, cli), work)
                _ok(proc, "xcert build")
                full_times.append(s)
            else:
                shutil.rmtree(bare_site, ignore_errors=True)
                s, proc = _run(
                    [
                        sys.executable,
                        "-m",
                        "mkdocs",
                        "build",
                        "--strict",
                        "-q",
                        "-f",
                        str(bare / "mkdocs.yml"),
                    ],
                    bare,
                )
                _ok(proc, "bare mkdocs build")
                bare_times.append(s)
            print(f"  {what} build {i + 1}: {s:.1f} s", flush=True)

    full_size = site_size(full_out)
    bare_size = site_size(bare_site)
    full_best, bare_best = min(full_times), min(bare_times)
    ratio = full_best / bare_best
    ratio_median = statistics.median(full_times) / statistics.median(bare_times)
    pages = full_size["html_pages"]
    mb_per_1000 = _mb(full_size["bytes"]) / pages * 1000
    check_best = min(check_times)

    result: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "command": "python benchmarks/build_bench.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpu": _cpu_name(),
            "load_average_at_start": load_at_start,
            "load_average_at_end": _loadavg(),
        },
        "xcert_via": "cli" if cli else "api",
        "catalogue": {
            "certificates": len(gen.certificates),
            "organizations": len(gen.organizations),
            "standards": len(gen.standards),
            "notices": len(gen.notices),
        },
        "pages": {
            "html": pages,
            "generated": info["generated"],
            "markdown": info["markdown_pages"],
            "generated_non_markdown": info["generated_other_files"],
            "indexed": info["indexed"],
            "bare_markdown": bare_pages,
            "bare_html": bare_size["html_pages"],
        },
        "check_s": check_times,
        "full_s": full_times,
        "bare_s": bare_times,
        "ratio_best": ratio,
        "ratio_median": ratio_median,
        "stages_best_s": stages,
        "stage_wall_s": [r["wall"] for r in stage_runs],
        "size": {"full": full_size, "bare": bare_size, "mb_per_1000_pages": mb_per_1000},
        "targets": {
            "ratio": ratio <= TARGET_RATIO,
            "size": mb_per_1000 < TARGET_MB_PER_1000,
            "check": check_best < TARGET_CHECK_S,
        },
    }
    _report(result)
    if a.json:
        a.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if not a.keep and a.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _report(r: dict[str, Any]) -> None:
    def ok(b: bool) -> str:
        return "met" if b else "MISSED"

    pg = r["pages"]
    full, bare = r["size"]["full"], r["size"]["bare"]
    st = r["stages_best_s"]
    total_stages = sum(st.values())
    c, m = r["catalogue"], r["machine"]
    runs_full = ", ".join(f"{x:.1f}" for x in r["full_s"])
    runs_bare = ", ".join(f"{x:.1f}" for x in r["bare_s"])
    runs_check = ", ".join(f"{x:.2f}" for x in r["check_s"])
    bare_per_1000 = _mb(bare["bytes"]) / max(bare["html_pages"], 1) * 1000
    lines = [
        "",
        f"## Results ({r['date']}, {m['cpus']} CPUs, {m['cpu']}, Python {m['python']})",
        "",
        (
            f"catalogue: {c['certificates']} certificates, {c['organizations']} organizations, "
            f"{c['standards']} standards, {c['notices']} notices"
        ),
        (
            f"pages: {pg['html']} HTML pages in the full site ({pg['markdown']} Markdown pages "
            f"in the docs tree, {pg['generated_non_markdown']} generated non-Markdown files, "
            f"{pg['indexed']} indexed by Pagefind); bare: {pg['bare_html']} HTML pages "
            f"from {pg['bare_markdown']} Markdown pages"
        ),
        "",
        "| measure | best | median | runs | target |",
        "|---|---|---|---|---|",
        (
            f"| full xcert build (s) | {min(r['full_s']):.1f} | "
            f"{statistics.median(r['full_s']):.1f} | "
            f"{runs_full} | |"
        ),
        (
            f"| bare mkdocs build (s) | {min(r['bare_s']):.1f} | "
            f"{statistics.median(r['bare_s']):.1f} | "
            f"{runs_bare} | |"
        ),
        (
            f"| ratio full / bare | {r['ratio_best']:.2f} | {r['ratio_median']:.2f} | | "
            f"≤ {TARGET_RATIO} — {ok(r['targets']['ratio'])} |"
        ),
        (
            f"| xcert check (s) | {min(r['check_s']):.2f} | "
            f"{statistics.median(r['check_s']):.2f} | "
            f"{runs_check} | < {TARGET_CHECK_S:g} — {ok(r['targets']['check'])} |"
        ),
        (
            f"| full site size (MB) | {_mb(full['bytes']):.1f} "
            f"(du {_mb(full['du_bytes']):.1f}) | | | |"
        ),
        (
            f"| MB per 1,000 pages | {r['size']['mb_per_1000_pages']:.1f} | | | "
            f"< {TARGET_MB_PER_1000:g} — {ok(r['targets']['size'])} |"
        ),
        (
            f"| bare site size (MB) | {_mb(bare['bytes']):.1f} "
            f"({bare_per_1000:.1f} per 1,000 pages) | | | |"
        ),
        "",
        (
            f"load average (1/5/15 min) at start {m['load_average_at_start']}, "
            f"at end {m['load_average_at_end']}"
        ),
        "",
        (
            f"Stages of the full build (best of {len(r['stage_wall_s'])} separate runs each; "
            f"sum {total_stages:.1f} s):"
        ),
        "",
        "| stage | seconds | share |",
        "|---|---|---|",
    ]
    lines += [f"| {k} | {v:.2f} | {v / total_stages:.0%} |" for k, v in st.items()]
    lines += ["", "Full site by top-level folder (MB):", "", "| folder | MB |", "|---|---|"]
    lines += [f"| {k} | {_mb(v):.2f} |" for k, v in list(full["by_top"].items())[:12]]
    by_ext = ", ".join(f"{k} {_mb(v):.1f}" for k, v in list(full["by_ext"].items())[:8])
    lines += ["", f"Full site by file type (MB): {by_ext}", ""]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
