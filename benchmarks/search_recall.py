"""Chinese search recall of the shipped catalogue under several Pagefind versions, in Chromium.

Pagefind 1.5 segments queries in the browser with Intl.Segmenter (ICU) while the extended
indexer segments pages with jieba (Pagefind issue #1237). This measures what a visitor gets:

1. build the site's HTML once with this repository's generator (or take --site);
2. for each version: index a copy of that HTML with that version, using this repository's own
   indexing code (generator/site/search_index.py) under a venv holding exactly that version
   (--indexer cli uses the `python -m pagefind` command line instead);
3. serve the copy on 127.0.0.1 and, in Chromium, run each query through Pagefind's JS API
   (`pagefind.search(q)`, every result's data() loaded);
4. print recall per query and overall, and the index size.

Two kinds of ground truth:
- "title": pages whose title or name (certificate name/short name, organisation name/aliases,
  standard name, notice title/document number) contains the query, listed in TRUTH below and
  checked against catalogue/ on every run;
- "text": pages whose indexed text (the data-pagefind-body region, without data-pagefind-ignore
  and table headers) contains the query, computed from the built HTML, like the measurements in
  issue #1237.

Usage (with the repository's venv, which has Playwright):
    python benchmarks/search_recall.py 1.5.2 1.5.0 1.4.0 1.3.0 --install
Venvs are /tmp/pf-VERSION by default (--venvs); --install creates missing ones with
`pip install 'pagefind[extended]==V' 'pagefind_bin_extended==V' cbor2`
(cbor2: search_index.py rewrites the bundle with it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import html.parser
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from _chromium import CHROMIUM, CHROMIUM_ARGS

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 30)
TOP = 5  # Pagefind's default UI shows five results before "load more"

# query → pages whose title/name contains it (derived from catalogue/*.yaml; see title_truth()).
TRUTH: dict[str, list[str]] = {
    "养老": ["/organizations/china-social-welfare-elderly-service-association/"],
    "照护": [
        "/certificates/dementia-elderly-care/",
        "/certificates/early-childhood-care/",
        "/certificates/elderly-care/",
    ],
    "老年照护": ["/certificates/elderly-care/"],
    "机器人": [
        "/certificates/industrial-robot-assembly-commissioning/",
        "/certificates/industrial-robot-integration/",
        "/certificates/industrial-robot-operation-maintenance/",
        "/certificates/industrial-robot-programming/",
        "/organizations/beijing-huahang-weishi-robotics/",
        "/organizations/shenyang-siasun-robot/",
    ],
    "工业机器人": [
        "/certificates/industrial-robot-assembly-commissioning/",
        "/certificates/industrial-robot-integration/",
        "/certificates/industrial-robot-operation-maintenance/",
        "/certificates/industrial-robot-programming/",
    ],
    "前端": ["/certificates/web-frontend/", "/standards/web-frontend/"],
    "民航": ["/certificates/civil-aviation-cargo/", "/certificates/civil-aviation-ground-service/"],
    "物流": [
        "/certificates/logistics-management/",
        "/organizations/cflp-training/",
        "/standards/logistics-management/",
    ],
    "财税": ["/certificates/intelligent-finance-tax/"],
    "大数据": [
        "/certificates/big-data-analysis-application/",
        "/certificates/big-data-development-java/",
        "/certificates/big-data-financial-analysis/",
        "/certificates/big-data-platform-operation/",
    ],
    "云计算": [
        "/certificates/cloud-computing-development-operation/",
        "/certificates/cloud-data-center-operation/",
        "/certificates/cloud-platform-operation-development/",
        "/organizations/tencent-cloud-beijing/",
    ],
    "无人机": ["/certificates/uav-piloting/"],
    "母婴": ["/certificates/maternal-infant-care/", "/organizations/hunan-jinzhi-weiye/"],
    "5G": ["/certificates/5g-base-station/", "/certificates/5g-mobile-network-operation/"],
    "341号": ["/notices/2019-341-third-batch-announcement/"],
    "职教所": ["/notices/2019-67-first-batch-announcement/"],
    "公示": [
        "/notices/2019-137-teacher-training-announcement/",
        "/notices/2019-314-exam-cost-caps/",
        "/notices/2019-341-third-batch-announcement/",
        "/notices/2019-67-first-batch-announcement/",
    ],
    "焊接": ["/certificates/rail-equipment-welding/", "/certificates/special-welding/"],
    "汽车": [
        "/certificates/auto-paint-color-spraying/",
        "/certificates/automotive-maintenance/",
        "/certificates/icv-inspection-maintenance/",
        "/certificates/icv-testing-assembly/",
        "/certificates/intelligent-nev/",
        "/organizations/beijing-xianglong-borui-auto/",
        "/organizations/guoqi-icv-research-institute/",
    ],
    "数控": [
        "/certificates/cnc-equipment-maintenance/",
        "/certificates/cnc-turning-milling/",
        "/certificates/multi-axis-cnc-machining/",
        "/organizations/wuhan-huazhong-cnc/",
    ],
    "网络安全": [
        "/certificates/enterprise-network-security/",
        "/certificates/network-security-assessment/",
        "/certificates/network-security-operation/",
    ],
    "幼儿": ["/certificates/early-childhood-care/"],
    "家政": ["/certificates/high-end-housekeeping/"],
    "英语": ["/certificates/practical-english/", "/standards/practical-english/"],
    "轨道交通": [
        "/certificates/rail-electrical-equipment-assembly/",
        "/certificates/rail-equipment-ndt/",
        "/certificates/rail-equipment-welding/",
        "/certificates/urban-rail-station-service/",
        "/certificates/urban-rail-train-crew/",
        "/organizations/guangzhou-metro-training-institute/",
    ],
    "网店": ["/certificates/online-store-operation/"],
    "物联网": ["/certificates/iot-smart-home-integration/"],
}

KINDS = ("certificates", "organizations", "standards", "notices")
NAME_FIELDS = ("name", "short_name", "title", "doc_number")


# ---------------------------------------------------------------- ground truth


def _records(catalogue: Path) -> dict[str, dict]:
    import yaml

    out = {}
    for kind in KINDS:
        for f in sorted((catalogue / kind).glob("*.yaml")):
            d = yaml.safe_load(f.read_text(encoding="utf-8"))
            out[f"/{kind}/{d['id']}/"] = d
    return out


def title_truth(catalogue: Path, queries: list[str]) -> dict[str, list[str]]:
    """Recompute TRUTH from the YAML: pages whose title/name contains the query."""
    names: dict[str, list[str]] = {}
    for url, d in _records(catalogue).items():
        values = [d.get(k) for k in NAME_FIELDS] + list(d.get("aliases") or [])
        names[url] = [str(v) for v in values if v]
    return {
        q: sorted(u for u, ns in names.items() if any(q.lower() in n.lower() for n in ns))
        for q in queries
    }


def name_queries(catalogue: Path) -> dict[str, list[str]]:
    """--names: every certificate's short name (title truth) and every notice number "N号"
    (truth: notices whose document number ends in exactly that number)."""
    records = _records(catalogue)
    shorts = sorted(
        {
            d["short_name"]
            for u, d in records.items()
            if u.startswith("/certificates/") and d.get("short_name")
        }
    )
    out = title_truth(catalogue, shorts)
    numbers: dict[str, list[str]] = {}
    for url, d in records.items():
        m = re.search(r"(?<!\d)(\d+号)$", str(d.get("doc_number") or ""))
        if m:
            numbers.setdefault(m.group(1), []).append(url)
    out.update({n: sorted(us) for n, us in sorted(numbers.items())})
    return out


def all_names(catalogue: Path) -> dict[str, dict[str, list[str]]]:
    """--all-names: every name a visitor may type, by group, with the pages it names (its own
    page; more than one only where two entities share the name, e.g. two notices numbered 89号).
    Groups: certificate short names, certificate full names, organization names and aliases,
    notice 文号 in full, notice numbers "N号"."""
    groups: dict[str, dict[str, set[str]]] = {g: {} for g in NAME_GROUPS}

    def add(group: str, name: object, url: str) -> None:
        if name:
            groups[group].setdefault(str(name), set()).add(url)

    for url, d in _records(catalogue).items():
        if url.startswith("/certificates/"):
            add("certificate short names", d.get("short_name"), url)
            add("certificate full names", d.get("name"), url)
        elif url.startswith("/organizations/"):
            for name in [d.get("name"), *(d.get("aliases") or [])]:
                add("organization names and aliases", name, url)
        elif url.startswith("/notices/") and d.get("doc_number"):
            add("notice 文号 in full", d["doc_number"], url)
            m = re.search(r"(?<!\d)(\d+号)$", str(d["doc_number"]))
            if m:
                add("notice numbers N号", m.group(1), url)
    return {g: {q: sorted(us) for q, us in sorted(names.items())} for g, names in groups.items()}


NAME_GROUPS = (
    "certificate short names",
    "certificate full names",
    "organization names and aliases",
    "notice 文号 in full",
    "notice numbers N号",
)
# How the search page searches (site_src/assets/search.js): its engine module and ranking.
PAGE_ENGINE = "/assets/search-bundle/pagefind.js"
PAGE_OPTIONS = {"ranking": {"pageLength": 0.3}}


class _BodyText(html.parser.HTMLParser):
    """Text inside data-pagefind-body, minus data-pagefind-ignore subtrees, script/style and the
    table headers the indexer is told to pass over (generator/site/search_index.py)."""

    VOID = frozenset(
        {
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "source",
            "track",
            "wbr",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[bool, bool]] = []  # (in body, ignored) per open element
        self.parts: list[str] = []
        self.has_body = False

    def _state(self) -> tuple[bool, bool]:
        return self.stack[-1] if self.stack else (False, False)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        names = {k for k, _ in attrs}
        body, ignored = self._state()
        if "data-pagefind-body" in names:
            body, self.has_body = True, True
        if "data-pagefind-ignore" in names or tag in ("script", "style", "thead"):
            ignored = True
        self.stack.append((body, ignored))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        body, ignored = self._state()
        if body and not ignored:
            self.parts.append(data)


def text_truth(site: Path, queries: list[str]) -> dict[str, list[str]]:
    """Pages whose indexed text contains the query (case-insensitive substring)."""
    texts: dict[str, str] = {}
    for f in sorted(site.rglob("*.html")):
        if "pagefind" in f.relative_to(site).parts:
            continue
        p = _BodyText()
        p.feed(f.read_text(encoding="utf-8"))
        if p.has_body:
            rel = f.relative_to(site).as_posix()
            url = "/" + rel.removesuffix("index.html")
            texts[url] = " ".join(p.parts).lower()
    return {q: sorted(u for u, t in texts.items() if q.lower() in t) for q in queries}


# ---------------------------------------------------------------- building and indexing


def build_html(out: Path) -> Path:
    """Build the shipped catalogue (HTML plus this interpreter's index) into out/site."""
    sys.path.insert(0, str(REPO))
    from generator.site.build import BuildOptions, build_site

    root = REPO
    if not (REPO / "site_src" / "verify" / "index.md").exists():
        # The verify page is written elsewhere; mkdocs (strict) needs it for the nav.
        root = out / "repo"
        for name in ("catalogue", "site_src"):
            shutil.copytree(REPO / name, root / name)
        shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
        (root / "site_src" / "verify").mkdir(exist_ok=True)
        (root / "site_src" / "verify" / "index.md").write_text(
            "---\ntitle: 证书核验\nsearch_exclude: true\n---\n\n# 证书核验\n", encoding="utf-8"
        )
    site = out / "site"
    build_site(BuildOptions(root=root, out=site, today=TODAY))
    return site


def ensure_venv(venv: Path, version: str, install: bool) -> None:
    """The venv must hold pagefind and pagefind_bin_extended at exactly `version`, and cbor2
    (generator/site/search_index.py rewrites the bundle with it)."""
    want = {"pagefind": version, "pagefind_bin_extended": version}
    py = venv / "bin" / "python"
    if not py.exists():
        if not install:
            sys.exit(f"{venv} is missing; create it or pass --install")
        subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
    have = installed_versions(venv)
    if {k: have[k] for k in want} != want or not have["cbor2"]:
        if not install:
            sys.exit(f"{venv} holds {have}, not pagefind {version} with cbor2; pass --install")
        subprocess.run(
            [
                str(py),
                "-m",
                "pip",
                "install",
                "-q",
                f"pagefind[extended]=={version}",
                f"pagefind_bin_extended=={version}",
                "cbor2",
            ],
            check=True,
        )
        have = installed_versions(venv)
        if {k: have[k] for k in want} != want:
            sys.exit(f"{venv}: wanted pagefind {version}, got {have}")


def installed_versions(venv: Path) -> dict[str, str | None]:
    code = (
        "import importlib.metadata as m, json\n"
        "def v(n):\n"
        "    try: return m.version(n)\n"
        "    except m.PackageNotFoundError: return None\n"
        "print(json.dumps({n: v(n) for n in ('pagefind', 'pagefind_bin_extended', 'cbor2')}))"
    )
    r = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True
    )
    return json.loads(r.stdout)


def index_with(venv: Path, site: Path, indexer: str) -> str:
    """Index site/ with the venv's Pagefind; returns a note on how it went."""
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    py = str(venv / "bin" / "python")
    if indexer == "api":
        code = (
            "import sys; from pathlib import Path\n"
            "from generator.site.search_index import index_site\n"
            "print(index_site(Path(sys.argv[1])))"
        )
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        r = subprocess.run(
            [py, "-c", code, str(site)],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            check=False,
        )
        if r.returncode == 0:
            note = f"search_index.py OK ({r.stdout.strip()} pages)"
            entry = site / "pagefind" / "pagefind-entry.json"
            if not entry.exists() or entry.stat().st_size == 0:
                note += "; pagefind-entry.json empty, re-indexed with the CLI"
            else:
                return note
        else:
            lines = r.stderr.strip().splitlines() or ["?"]
            cause = next((ln.strip() for ln in lines if ln.strip().startswith("error:")), lines[-1])
            note = f"search_index.py FAILED ({cause}); indexed with the CLI"
        shutil.rmtree(site / "pagefind", ignore_errors=True)
    else:
        note = "CLI"
    r = subprocess.run(
        [py, "-m", "pagefind", "--site", str(site), "--force-language", "zh"],
        capture_output=True,
        text=True,
        check=False,
    )
    if r.returncode != 0:
        raise RuntimeError(f"pagefind CLI failed: {r.stderr or r.stdout}")
    return note if indexer == "api" else "CLI"


def index_size(site: Path) -> dict[str, int]:
    pf = site / "pagefind"
    files = [f for f in pf.rglob("*") if f.is_file()]
    data = [
        f
        for f in files
        if f.parent.name in ("index", "fragment", "filter") or f.suffix == ".pf_meta"
    ]
    return {
        "total_bytes": sum(f.stat().st_size for f in files),
        "data_bytes": sum(f.stat().st_size for f in data),
        "files": len(files),
    }


# ---------------------------------------------------------------- searching in Chromium


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


# Each query starts from a fresh Pagefind instance (destroy, then options again), as a visitor's
# first search does: no index chunk loaded by an earlier query can hide a chunk this one misses.
SEARCH_JS = """async ([q, options, engine]) => {
  const pf = await import(engine);
  await pf.destroy();
  if (options) await pf.options(options);
  const r = await pf.search(q);
  const data = await Promise.all(r.results.map((x) => x.data()));
  return data.map((d) => d.url);
}"""
SEGMENT_JS = """(q) => [...new Intl.Segmenter('zh', {granularity: 'word'}).segment(q)]
  .filter((s) => s.isWordLike).map((s) => s.segment)"""


def run_queries(
    browser,
    site: Path,
    queries: list[str],  # type: ignore[no-untyped-def]
    options: dict | None = None,
    engine: str = "/pagefind/pagefind.js",
) -> dict[str, list[str]]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        out = {}
        for q in queries:
            urls = page.evaluate(SEARCH_JS, [q, options, engine])
            out[q] = [u.split("#")[0] for u in urls]
        return out
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def score(truth: list[str], results: list[str], top: int | None = None) -> tuple[int, int]:
    got = results if top is None else results[:top]
    return len(set(truth) & set(got)), len(truth)


# ---------------------------------------------------------------- main


def summarise(
    label: str,
    versions: list[str],
    queries: list[str],
    truth: dict[str, list[str]],
    texts: dict[str, list[str]],
    report: dict[str, dict],
) -> dict[str, dict]:
    """Print the overall figures for one query set; returns them."""
    relevant = sum(len(truth[q]) for q in queries)
    print(f"\n{label}: {len(queries)} queries, {relevant} relevant pages")
    print(
        f"{'version':<8} {'title recall':>15} {'macro':>6} {'queries whole':>13} "
        f"{'top-5':>6} {'1st ok':>6} {'text recall':>15} {'index bytes':>12} "
        f"{'data bytes':>11}  indexer"
    )
    out = {}
    for v in versions:
        res = report[v]["results"]
        a = sum(score(truth[q], res[q])[0] for q in queries)
        n = sum(len(truth[q]) for q in queries)
        t = sum(score(truth[q], res[q], TOP)[0] for q in queries)
        k = sum(min(len(truth[q]), TOP) for q in queries)
        x = sum(score(texts[q], res[q])[0] for q in queries)
        m = sum(len(texts[q]) for q in queries)
        macro = sum(score(truth[q], res[q])[0] / len(truth[q]) for q in queries) / len(queries)
        whole = sum(score(truth[q], res[q])[0] == len(truth[q]) for q in queries)
        first = sum(bool(res[q]) and res[q][0] in truth[q] for q in queries) / len(queries)
        size = report[v]["size"]
        print(
            f"{v:<8} {a:>4}/{n:<4} {a / n:6.1%} {macro:6.1%} {whole:>6}/{len(queries):<6} "
            f"{t / k:6.1%} {first:6.1%} {x:>4}/{m:<4} {x / m:6.1%} {size['total_bytes']:>12,} "
            f"{size['data_bytes']:>11,}  {report[v]['indexer']}"
        )
        out[v] = {
            "title_found": a,
            "title_relevant": n,
            "macro": macro,
            "whole": whole,
            "top5": t / k,
            "first_relevant": first,
            "text_found": x,
            "text_relevant": m,
        }
    return out


def summarise_words(
    versions: list[str], words: list[str], texts: dict[str, list[str]], report: dict[str, dict]
) -> dict[str, dict]:
    """--words: text recall only (no title truth), and the words each version loses."""
    words = [w for w in words if texts[w]]
    print(
        f"\nTitle words (--words): {len(words)} words found in page text, "
        f"{sum(len(texts[w]) for w in words)} (word, page) pairs"
    )
    print(f"{'version':<8} {'text recall':>17} {'no result':>9} {'under half':>10}  worst words")
    out = {}
    for v in versions:
        res = report[v]["results"]
        got = {w: score(texts[w], res[w])[0] for w in words}
        x, m = sum(got.values()), sum(len(texts[w]) for w in words)
        zero = [w for w in words if got[w] == 0]
        half = [w for w in words if got[w] < len(texts[w]) / 2]
        worst = sorted(half, key=lambda w: got[w] / len(texts[w]))[:12]
        print(
            f"{v:<8} {x:>5}/{m:<5} {x / m:6.1%} {len(zero):>9} {len(half):>10}  "
            + " ".join(f"{w}({got[w]}/{len(texts[w])})" for w in worst)
        )
        out[v] = {"text_found": x, "text_relevant": m, "zero": zero, "under_half": half}
    return out


def _rank(url: str, results: list[str]) -> str:
    return f"rank {results.index(url) + 1}" if url in results else "not found"


def search_as_the_page(
    browser,
    site: Path,  # type: ignore[no-untyped-def]
    names: dict[str, dict[str, list[str]]],
) -> dict[str, object]:
    """--all-names: every name searched through the search page's engine and ranking."""
    engine = PAGE_ENGINE if (site / PAGE_ENGINE.lstrip("/")).exists() else "/pagefind/pagefind.js"
    queries = sorted({q for g in names.values() for q in g})
    return {
        "engine": engine,
        "page_results": run_queries(browser, site, queries, PAGE_OPTIONS, engine),
    }


def summarise_names(
    versions: list[str], names: dict[str, dict[str, list[str]]], report: dict[str, dict]
) -> dict[str, dict]:
    """--all-names: own pages among the first five the search page shows, and anywhere."""
    print(
        f"\nAll names (--all-names), searched as the search page does ({PAGE_ENGINE} if the "
        f"site has it, ranking {PAGE_OPTIONS['ranking']}); target 100% in the first {TOP}"
    )
    out: dict[str, dict] = {}
    for v in versions:
        res = report[v]["page_results"]
        engine = report[v]["engine"]
        print(f"{v} ({engine}):")
        print(f"  {'group':<32} {'names':>5} {'pages':>5} {'first 5':>14} {'anywhere':>14}")
        total = [0, 0, 0]
        misses: list[str] = []
        for group, queries in names.items():
            pairs = [(q, u) for q, us in queries.items() for u in us]
            top = sum(u in res[q][:TOP] for q, u in pairs)
            anywhere = sum(u in res[q] for q, u in pairs)
            total = [total[0] + len(pairs), total[1] + top, total[2] + anywhere]
            print(
                f"  {group:<32} {len(queries):>5} {len(pairs):>5} {top:>5} = "
                f"{top / len(pairs):6.1%} {anywhere:>5} = {anywhere / len(pairs):6.1%}"
            )
            misses += [
                f"    {q} → {u} ({_rank(u, res[q])})" for q, u in pairs if u not in res[q][:TOP]
            ]
        n, top, anywhere = total
        print(
            f"  {'all names':<32} {'':>5} {n:>5} {top:>5} = {top / n:6.1%} {anywhere:>5} = "
            f"{anywhere / n:6.1%}   index bytes {report[v]['size']['total_bytes']:,}"
        )
        if misses:
            print(f"  not among the first {TOP}:")
            print("\n".join(misses))
        out[v] = {"pairs": n, "first5": top, "anywhere": anywhere, "misses": misses}
    return out


def print_per_query(
    versions: list[str],
    queries: list[str],
    truth: dict[str, list[str]],
    texts: dict[str, list[str]],
    segments: dict[str, list[str]],
    report: dict[str, dict],
) -> None:
    """Per query: found/relevant by title truth, in the first five, by text truth; result count."""
    print(
        "Per query — title: found/relevant (title truth); top5: of those, in the first five;"
        " text: found/pages whose text contains it; n: results returned"
    )
    head = f"{'query':<12} {'Intl.Segmenter':<18}"
    sub = f"{'':<12} {'':<18}"
    for v in versions:
        head += f" | {v:^24}"
        sub += f" | {'title':>5} {'top5':>5} {'text':>7} {'n':>3}"
    print(head)
    print(sub)
    misses: list[str] = []
    for q in queries:
        line = f"{q:<12} {' '.join(segments[q]):<18}"
        for v in versions:
            res = report[v]["results"][q]
            a, n = score(truth[q], res)
            t, _ = score(truth[q], res, TOP)
            x, m = score(texts[q], res)
            line += f" | {a:>2}/{n:<2} {t:>2}/{min(n, TOP):<2} {x:>3}/{m:<3} {len(res):>3}"
            if a < n:
                misses.append(f"  {v} {q}: missed {sorted(set(truth[q]) - set(res))}")
        print(line)
    if misses:
        print("\nMissed relevant pages:")
        print("\n".join(misses))


def truth_is_current(queries: list[str]) -> bool:
    """TRUTH still agrees with catalogue/ (else say where it does not)."""
    fresh = title_truth(REPO / "catalogue", queries)
    stale = {q: (TRUTH[q], fresh[q]) for q in queries if sorted(TRUTH[q]) != fresh[q]}
    for q, (listed, now) in stale.items():
        print(
            f"TRUTH[{q!r}] is out of date: listed {listed}, catalogue gives {now}", file=sys.stderr
        )
    return not stale


def title_words(page, known: set[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """--words: the Chinese words (2+ characters) the browser's segmenter finds in the titles."""
    titles = [
        str(v)
        for d in _records(REPO / "catalogue").values()
        for v in [*(d.get(k) for k in NAME_FIELDS), *(d.get("aliases") or [])]
        if v
    ]
    found = {w for t in titles for w in page.evaluate(SEGMENT_JS, t)}
    return sorted(w for w in found - known if len(w) >= 2 and re.search(r"[\u4e00-\u9fff]", w))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("versions", nargs="+", help="Pagefind versions, e.g. 1.5.2 1.4.0")
    ap.add_argument("--venvs", default="/tmp/pf-{version}", help="venv path pattern")
    ap.add_argument("--install", action="store_true", help="create/fix missing venvs with pip")
    ap.add_argument("--site", type=Path, help="an already built site (its pagefind/ is ignored)")
    ap.add_argument("--indexer", choices=("api", "cli"), default="api")
    ap.add_argument(
        "--names",
        action="store_true",
        help="also query every certificate short name and notice number",
    )
    ap.add_argument(
        "--words",
        action="store_true",
        help="also query every Chinese word (2+ characters) that the browser's "
        "segmenter finds in the titles, scored against text truth only",
    )
    ap.add_argument(
        "--options",
        type=json.loads,
        default=None,
        help="JSON passed to pagefind.options() before searching, e.g. "
        '\'{"ranking": {"pageLength": 0.3}}\'',
    )
    ap.add_argument(
        "--all-names",
        action="store_true",
        help="also search every certificate short and full name, organization name "
        "and alias and notice 文号 as the search page does, and report whether "
        "each finds its own page among the first five",
    )
    ap.add_argument("--json", type=Path, help="write all figures here")
    args = ap.parse_args()
    versions = args.versions

    word_set: list[str] = []
    base_queries = list(TRUTH)
    if not truth_is_current(base_queries):
        return 2
    truth = dict(TRUTH)
    name_set: list[str] = []
    if args.names:
        for q, urls in name_queries(REPO / "catalogue").items():
            if q not in truth and urls:
                truth[q] = urls
                name_set.append(q)
    queries = list(truth)
    names = all_names(REPO / "catalogue") if args.all_names else {}

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="search-recall-"))
    try:
        base = args.site.resolve() if args.site else build_html(work)
        report: dict[str, dict] = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            if args.words:
                word_set = title_words(page, set(queries))
                queries += word_set
            segments = {q: page.evaluate(SEGMENT_JS, q) for q in queries}
            page.close()
            texts = text_truth(base, queries)
            for version in versions:
                venv = Path(args.venvs.format(version=version))
                ensure_venv(venv, version, args.install)
                site = work / f"site-{version}"
                shutil.copytree(base, site, ignore=shutil.ignore_patterns("pagefind"))
                note = index_with(venv, site, args.indexer)
                results = run_queries(browser, site, queries, args.options)
                report[version] = {"indexer": note, "size": index_size(site), "results": results}
                if names:
                    report[version].update(search_as_the_page(browser, site, names))
                shutil.rmtree(site, ignore_errors=True)
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print_per_query(versions, [q for q in queries if q in truth], truth, texts, segments, report)

    summary = {
        "base": summarise("Listed queries (TRUTH)", versions, base_queries, truth, texts, report)
    }
    if name_set:
        summary["names"] = summarise(
            "Certificate short names and notice numbers (--names)",
            versions,
            name_set,
            truth,
            texts,
            report,
        )
        summary["all"] = summarise("All title queries", versions, list(truth), truth, texts, report)

    if word_set:
        summary["words"] = summarise_words(versions, word_set, texts, report)
    if names:
        summary["all_names"] = summarise_names(versions, names, report)

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "queries": queries,
                    "title_truth": truth,
                    "text_truth": texts,
                    "segments": segments,
                    "summary": summary,
                    "versions": report,
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
