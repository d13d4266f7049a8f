"""Issued-certificate performance, every figure measured in the same run.

    python benchmarks/credentials_bench.py [--records 100000] [--workers N] [--browser-runs 30]
                                           [--site DIR] [--work DIR]

1. Raw PyNaCl signing rate: Ed25519 signatures of 64-byte messages per second, one process.
2. Issuance: `issue_sealed` on a CSV of --records rows (checks, JCS, proofs, the store's files,
   the sealed batch; the look-up KDF at its cheapest (Argon2id, 8 KiB, 1 pass) and no PNG
   images, so that the figure is the signing pipeline's: benchmarks/scale_bench.py measures
   issuance at the real KDF), records per second, and as a share of (1) (target ≥ 50%). The
   same for the signing stage alone (build the record + JCS + sign, no CSV and no files).
3. Verification of every issued record (`verification_result` against the registry and the
   status list), one process: what `xcert verify` and the verify page do per record.
4. Publishing (`publish_records`) of the sealed batch: from an empty cache, and again.
5. The verify page in Chromium, on what (4) published (registry, status lists, catalogue, the
   r/ shards): file chosen → verdict shown with WebCrypto and with the noble fallback, and
   certificate number + name → verdict shown (the look-up: KDF at the parameters above, one
   shard fetched, the record opened and verified; kdf_bench.py measures the KDF at the real
   parameters), median and 95th percentile over --browser-runs (target < 100 ms). Uses --site
   (a built site) for the pages when given, else a bare page holding the verify page's HTML.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import http.server
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nacl.signing
from _chromium import CHROMIUM, CHROMIUM_ARGS

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))

from generator.credentials.formats._time import UTC, format_utc  # noqa: E402
from generator.credentials.formats.jsontext import dump_json  # noqa: E402
from generator.credentials.formats.proof import add_proof  # noqa: E402
from generator.credentials.formats.record import Achievement, build_record  # noqa: E402
from generator.credentials.formats.registry import KeyEntry, OrgEntry, Registry  # noqa: E402
from generator.credentials.formats.sealing import LookupParams  # noqa: E402
from generator.credentials.formats.site import Site  # noqa: E402
from generator.credentials.formats.status import status_entry  # noqa: E402
from generator.credentials.formats.verify import verification_result  # noqa: E402
from generator.credentials.issuing.keys import Signer  # noqa: E402
from generator.credentials.issuing.sealed import issue_sealed  # noqa: E402
from generator.credentials.issuing.store import Store  # noqa: E402
from generator.credentials.publishing.publish import publish_records  # noqa: E402
from generator.credentials.repo import repo_trust  # noqa: E402

NOW = dt.datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


BENCH_SITE = Site("https://xcert.example.org/")
ACHIEVEMENT = Achievement(
    certificate="web-frontend",
    certificate_name="Web 前端开发职业技能等级证书",
    level="中级",
    organization="bench",
    description="基准测试",
    criteria="通过 Web 前端开发职业技能等级证书（中级）的考核，成绩合格。",
)


@dataclass
class Cert:
    id: str = "web-frontend"
    name: str = "Web 前端开发职业技能等级证书"
    organization: str = "bench"
    levels: tuple[str, ...] = ("初级", "中级", "高级")
    standard: str | None = None
    batch: int = 1
    summary: str = ""


@dataclass
class Catalogue:
    certificates: dict = field(default_factory=lambda: {"web-frontend": Cert()})
    organizations: dict = field(default_factory=dict)
    standards: dict = field(default_factory=dict)


def raw_signing_rate(n: int) -> float:
    key = nacl.signing.SigningKey.generate()
    message = os.urandom(64)
    start = time.perf_counter()
    for _ in range(n):
        key.sign(message)
    return n / (time.perf_counter() - start)


def signing_stage_rate(signer: Signer, n: int) -> float:
    created = format_utc(NOW)
    method = BENCH_SITE.key_method("bench", signer.key_id)
    start = time.perf_counter()
    for i in range(n):
        doc = build_record(
            site=BENCH_SITE,
            organization="bench",
            issuer_name="基准测试机构",
            holder="张三",
            achievement=ACHIEVEMENT,
            number=f"BENCH-{i:08d}",
            issue_date=dt.date(2025, 5, 30),
            status=status_entry(BENCH_SITE, "bench", 1, i % 131072),
            exam_date=dt.date(2025, 5, 1),
            exam_site="基准考点",
            national_id_masked="3201**********1232",
        )
        add_proof(doc, signer=signer, created=created, verification_method=method, proof_set=True)
    return n / (time.perf_counter() - start)


def setup_repo(work: Path, signer: Signer, root: Signer) -> Path:
    repo = work / "repo"
    org = OrgEntry(
        "bench",
        "基准测试机构",
        (KeyEntry(signer.key_id, "bench", signer.public_key_multibase, "2025-01-01T00:00:00Z"),),
    )
    # A DEMO-flagged registry publishes without a configured address.
    registry = Registry(
        1,
        "2025-01-01T00:00:00Z",
        root.public_key_multibase,
        "基准根密钥",
        (org,),
        demo=True,
        site=BENCH_SITE,
    )
    (repo / "keys").mkdir(parents=True)
    (repo / "keys" / "registry.json").write_bytes(dump_json(registry.signed_document(root)))
    return repo


def write_csv(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["证书编号", "姓名", "证书", "等级", "发证日期", "考试日期", "考点", "身份证号"])
        for i in range(n):
            w.writerow(
                [
                    f"BENCH-{i:08d}",
                    f"张{i % 1000}",
                    "web-frontend",
                    "中级",
                    "2025-05-30",
                    "2025-05-01",
                    "基准考点",
                    "320102199001011232",
                ]
            )


def file_rate(work: Path, n: int = 2000) -> float:
    d = Path(tempfile.mkdtemp(dir=work))
    start = time.perf_counter()
    for i in range(n):
        (d / f"{i}.json").write_bytes(b"x" * 1500)
    rate = n / (time.perf_counter() - start)
    shutil.rmtree(d)
    return rate


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def store_records(repo: Path) -> list[Path]:
    return sorted((repo.parent / "store").glob("*/batches/*/records/*.json"))


def verify_all(repo: Path) -> int:
    trust = repo_trust(repo)
    ok = 0
    for p in store_records(repo):
        ok += verification_result(p.read_bytes(), trust=trust, now=NOW).ok
    return ok


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def bare_verify_page(site: Path) -> None:
    """The verify page's own HTML (every raw HTML block of site_src/verify/index.md, the
    root-key paragraph #xv-trust included: the page's script fills it once the registry is
    verified) and its assets, without the theme: what the page does, not what mkdocs adds."""
    shutil.copytree(ROOT_DIR / "site_src" / "assets", site / "assets")
    md = (ROOT_DIR / "site_src" / "verify" / "index.md").read_text(encoding="utf-8")
    html = "\n".join(line for line in md.splitlines() if line.startswith("<"))
    (site / "verify").mkdir(parents=True)
    (site / "verify" / "index.html").write_text(
        f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body>{html}</body></html>',
        encoding="utf-8",
    )


def judged(page, what: str, timeout_s: float = 60.0) -> float:  # type: ignore[no-untyped-def]
    """Wait for the verdict the action just asked for (the page drops the old one at once, and
    sets data-verdict last); return its data-ms, or stop with the verdict when it is not valid."""
    page.wait_for_selector("#xv-result[data-verdict]", timeout=timeout_s * 1000)
    verdict = page.get_attribute("#xv-result", "data-verdict")
    if verdict != "valid":
        reason = page.get_attribute("#xv-result", "data-reason")
        raise SystemExit(
            f"verify page, {what}: verdict {verdict} ({reason}): {page.inner_text('#xv-result')}"
        )
    return float(page.get_attribute("#xv-result", "data-ms") or "nan")


def browser_figures(
    site: Path | None, published: Path, record: Path, runs: int, work: Path
) -> dict[str, list[float]]:
    """File chosen → verdict with each signature engine, and number + name → verdict (the
    Argon2id look-up at the published parameters, one shard fetched), on the site the pipeline
    published (`published`: registry, status lists, catalogue, r/ shards) over either a built
    site's pages (--site) or the bare verify page."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {}
    if site is None:
        site = work / "bare-site"
        bare_verify_page(site)
    else:
        site = Path(shutil.copytree(site, work / "site-copy"))
    # The built site's own records and keys give way to the ones just issued and published.
    for stale in ("r", "status"):
        shutil.rmtree(site / stale, ignore_errors=True)
    shutil.copytree(published, site, dirs_exist_ok=True)
    subject = json.loads(record.read_bytes())["credentialSubject"]
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out: dict[str, list[float]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for engine in ("webcrypto", "noble", "look-up"):
                page = browser.new_page()
                query = "?engine=noble" if engine == "noble" else ""
                page.goto(f"http://127.0.0.1:{server.server_port}/verify/{query}")
                page.wait_for_selector("#xv-fingerprint")  # registry and status lists verified
                times = []
                for _ in range(runs):
                    # Whatever the action, the verdict waited for below is the one it asks for.
                    page.locator("#xv-result").evaluate(
                        "box => box.removeAttribute('data-verdict')"
                    )
                    if engine == "look-up":
                        page.fill("#xv-number", str(subject["certificateNumber"]))
                        page.fill("#xv-name", str(subject["name"]))
                        page.click("#xv-lookup-go")
                    else:
                        page.set_input_files("#xv-file", str(record))
                    times.append(judged(page, engine))
                out[engine] = times
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--browser-runs", type=int, default=30)
    parser.add_argument("--site", type=Path, help="a built site to measure the verify page in")
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one, removed)")
    args = parser.parse_args()
    n = args.records
    work = args.work or Path(tempfile.mkdtemp(prefix="xcert-cred-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        signer, root = Signer.generate(key_id="bench-1"), Signer.generate(key_id="root")
        print(
            f"credentials benchmark: {n:,} records, {args.workers} workers, "
            f"Python {sys.version.split()[0]}"
        )
        print(
            f"file creation in {work}: {file_rate(work):10,.0f} files/s "
            "(the disk bounds the figures below)"
        )
        raw = raw_signing_rate(min(n, 50_000))
        print(f"raw PyNaCl Ed25519 signing:         {raw:10,.0f} signatures/s")
        stage = signing_stage_rate(signer, min(n, 50_000))
        print(
            f"record + JCS + proof (no files):    {stage:10,.0f} records/s  "
            f"= {stage / raw:5.1%} of raw"
        )
        repo = setup_repo(work, signer, root)
        batch = work / "batch.csv"
        write_csv(batch, n)
        registry = repo_trust(repo).registry
        # One run per worker count, each into a repository and store of its own (with
        # --workers 1 a second run of the same CSV would only report it issued already).
        for workers in sorted({1, args.workers}):
            label = "1 process" if workers == 1 else f"{workers} workers"
            target = repo if workers == args.workers else setup_repo(work / "one", signer, root)
            report, secs = timed(
                lambda t=target, w=workers: issue_sealed(
                    batch,
                    repo_root=t,
                    store=Store(t.parent / "store"),
                    params=LookupParams(iterations=1, memory=8),
                    png=False,
                    org="bench",
                    signer=signer,
                    registry=registry,
                    catalogue=Catalogue(),
                    now=NOW,
                    workers=w,
                )
            )
            assert not report.already, "each run issues into a store of its own"
            rate = report.records / secs
            print(
                f"issuance, {label:11} (CSV→files): {rate:8,.0f} records/s  "
                f"= {rate / raw:5.1%} of raw"
                f"   ({report.records:,} in {secs:.1f} s; target ≥ 50%)"
            )
        ok, secs = timed(lambda: verify_all(repo))
        print(
            f"verification, 1 process:            {ok / secs:10,.0f} records/s   "
            f"({ok:,} in {secs:.1f} s)"
        )
        for label in ("cold", "again"):
            rep, secs = timed(
                lambda: publish_records(
                    repo_root=repo,
                    site_dir=work / "site",
                    catalogue=Catalogue(),
                    workers=args.workers,
                    now=NOW,
                    params=LookupParams(iterations=1, memory=8),
                )
            )
            print(
                f"publish {label:5}, {args.workers} workers:         "
                f"{rep.records / secs:10,.0f} records/s   ({rep.records:,} in {secs:.1f} s)"
            )
        figures = browser_figures(
            args.site, work / "site", store_records(repo)[0], args.browser_runs, work
        )
        for engine, times in figures.items():
            # The 95th percentile needs two runs at least; with one, it is that run.
            p95 = statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]
            what = (
                "number + name → verdict (KDF 8 KiB, 1 pass)"
                if engine == "look-up"
                else f"file → verdict ({engine:9})"
            )
            print(
                f"verify page, {what}: median {statistics.median(times):6.1f} ms, "
                f"p95 {p95:6.1f} ms over {len(times)} runs (target < 100 ms)"
            )
        if not figures:
            print("verify page: playwright not installed, not measured")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
