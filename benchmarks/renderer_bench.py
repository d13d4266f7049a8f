"""mkdocs + Material against Zensical on the same generated tree, and in the whole build.

1. renders the generated docs tree once (the shipped catalogue, or a synthetic one with
   --certificates N), then times the HTML stage alone on it: `mkdocs build`, a cold
   `zensical build` (no cache), and `zensical build` with its cache: of an unchanged tree, and
   after one notice page changed (what a clerk's save would cost through Zensical);
2. times the whole `xcert build` (records, pages, HTML, Pagefind) with each renderer.

Each figure is the median of --runs runs, in seconds, on this machine as it is (the load average
is printed beside them).

    python benchmarks/renderer_bench.py                      # the shipped catalogue
    python benchmarks/renderer_bench.py --certificates 2000  # 2,000 / 300 / 500, synthetic
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generator.models import IssuedRecords
from generator.render.api import render_api
from generator.render.pages import render_pages
from generator.site.build import BuildOptions, build_site
from generator.site.html import build_html
from generator.site.renderer import Renderer
from generator.site.tree import write_tree
from generator.site.zensical import build_html_zensical
from generator.validate import load_catalogue

TODAY = dt.date(2026, 11, 30)


def _median(runs: int, before: Callable[[], None], step: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        before()
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _tree(root: Path, work: Path) -> tuple[Path, int]:
    cat = load_catalogue(root / "catalogue")
    issued = IssuedRecords(as_of=TODAY)
    pages = render_pages(cat, today=TODAY, issued=issued) + render_api(
        cat, today=TODAY, issued=issued
    )
    config = write_tree(
        work=work,
        site_src=root / "site_src",
        pages=pages,
        base_config=root / "mkdocs.yml",
        extra={},
    )
    return config, sum(1 for p in pages if p.path.endswith(".md"))


def _zensical_cached(config: Path) -> None:
    """What `zensical build` costs when its cache (.cache/ beside the config) is warm."""
    command = [sys.executable, "-m", "zensical", "build", "--config-file", str(config)]
    subprocess.run(
        command,
        cwd=config.parent,
        check=True,
        capture_output=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def _append(page: Path) -> None:
    with page.open("a", encoding="utf-8") as f:
        f.write("\n一处修改。\n")


def _root(a: argparse.Namespace, work: Path) -> Path:
    """A scratch repository: builds write caches beside the catalogue, never in this checkout."""
    if not a.certificates:
        root = work / "root"
        for name in ("catalogue", "site_src", "keys", "certificates"):
            if (ROOT_DIR / name).exists():
                shutil.copytree(ROOT_DIR / name, root / name, ignore=shutil.ignore_patterns("demo"))
        shutil.copy2(ROOT_DIR / "mkdocs.yml", root / "mkdocs.yml")
        return root
    import synthetic_catalogue as syn

    gen = syn.generate(
        certificates=a.certificates,
        organizations=a.organizations,
        notices=a.notices,
        standards=a.standards,
    )
    root = work / "root"
    syn.write_root(root, gen)
    return root


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--certificates", type=int, default=0, help="synthetic catalogue of this size")
    p.add_argument("--organizations", type=int, default=300)
    p.add_argument("--notices", type=int, default=500)
    p.add_argument("--standards", type=int, default=20)
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="xcert-renderer-bench-"))
    try:
        root = _root(a, work)
        config, pages = _tree(root, work / "tree")
        site, cache = config.parent / "site", config.parent / ".cache"
        print(f"{pages} Markdown pages; load average {os.getloadavg()[0]:.2f}; runs {a.runs}")

        def clean() -> None:
            shutil.rmtree(site, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)

        epoch = int(time.time())
        html = {
            "mkdocs build": _median(a.runs, clean, lambda: build_html(config, epoch=epoch)),
            "zensical build, cold": _median(
                a.runs, clean, lambda: build_html_zensical(config, epoch=epoch)
            ),
        }
        clean()
        _zensical_cached(config)
        html["zensical build, unchanged tree (cache)"] = _median(
            a.runs, lambda: None, lambda: _zensical_cached(config)
        )
        # What a clerk's save costs through Zensical's cache: one notice page changed.
        notice = sorted((config.parent / "docs" / "notices").glob("*.md"))[-1]
        html["zensical build, one notice changed (cache)"] = _median(
            a.runs, lambda: _append(notice), lambda: _zensical_cached(config)
        )

        full = {}
        for renderer in Renderer:
            out = work / f"site-{renderer.value}"
            opts = BuildOptions(root=root, out=out, today=TODAY, renderer=renderer)
            full[f"xcert build --renderer {renderer.value}"] = _median(
                a.runs, lambda: None, lambda opts=opts: build_site(opts)
            )

        print("\nHTML stage on the same generated tree (s, median)")
        for name, seconds in html.items():
            print(f"  {name:<42} {seconds:7.2f}")
        print("\nWhole build, search index included (s, median)")
        for name, seconds in full.items():
            print(f"  {name:<42} {seconds:7.2f}")
        print(f"\nload average at the end {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
