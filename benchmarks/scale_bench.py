"""Issued certificates at scale: issuing, verifying and publishing 10,000 to 1,000,000 records.

    python benchmarks/scale_bench.py --records 10000 100000 1000000 [--work /tmp/xcert-scale]
        [--workers 2] [--kdf-iterations N] [--batch 100000] [--incremental 1000] [--browser]

For each N, in a fresh folder under --work (never inside the repository; removed at the end
unless --keep), with an organization key and root key generated for the run (never saved):

1. issuance: `issue_batch` (CSV checks, JCS, proofs, files) in batches of --batch rows;
2. build-time verification: `verification_result` on every record with --workers processes
   (cold), then what a cache hit costs (read + SHA-256 + look-up in the verification cache);
3. publishing (`publish_records`) into the shard layout: cold (empty .xcert-cache), full with
   warm caches (the manifest deleted: every record read and sealed again, none verified or
   derived), and a no-change rebuild;
4. the slow look-up key at the production iteration count, per record, with --workers processes
   (the bulk runs may use --kdf-iterations to fit in a session; the cold publish at production
   cost is then that run with its own KDF share replaced by this rate, printed as extrapolated);
5. incremental: --incremental new records issued into the N, then published;
6. files and bytes on disk (sources, site, cache), shard sizes raw and gzip -9, and the bytes a
   look-up fetches; with --browser, the verify page's number + name look-up in Chromium.

Each stage runs in its own process, so its peak memory is its own: ru_maxrss of the process and
of its largest worker, and the peak PSS of the whole process tree sampled every 0.1 s (PSS
shares copy-on-write pages fairly between parent and forked workers).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Self

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from credentials_bench import NOW, Catalogue, setup_repo

from generator.credentials._parallel import batched, fork_imap
from generator.credentials.formats import lookup
from generator.credentials.formats.verify import Trust, verification_result
from generator.credentials.issuing.issue import issue_batch
from generator.credentials.issuing.keys import Signer, find_private_key_files
from generator.credentials.publishing._cache import CACHE_FILE, RecordCache
from generator.credentials.publishing.publish import publish_records
from generator.credentials.repo import repo_trust

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯欣怡子涵梓轩雨"
HEADER = ["证书编号", "姓名", "证书", "等级", "发证日期", "考试日期", "考点", "身份证号"]


# ---------------------------------------------------------------- measuring one stage


def busy_cpu_seconds() -> float:
    """CPU time the whole machine spent busy (all processes, all sessions), from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class PeakMemory:
    """Peak PSS of this process and its descendants, sampled by a thread; and the CPU the rest
    of the machine used meanwhile (other sessions share these 2 cores)."""

    def __init__(self, every: float = 0.1) -> None:
        self.every, self.peak, self._stop = every, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.others = self.cpu = 0.0

    def __enter__(self) -> Self:
        self._busy, self._cpu, self._t = busy_cpu_seconds(), own_cpu_seconds(), time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        wall = time.perf_counter() - self._t
        mine = self.cpu = own_cpu_seconds() - self._cpu
        self.others = max(0.0, busy_cpu_seconds() - self._busy - mine) / wall

    @staticmethod
    def _tree(pid: int) -> list[int]:
        found, todo = [], [pid]
        while todo:
            p = todo.pop()
            found.append(p)
            try:
                for task in os.listdir(f"/proc/{p}/task"):
                    with open(f"/proc/{p}/task/{task}/children") as f:
                        todo += [int(c) for c in f.read().split()]
            except OSError:
                continue
        return found

    @staticmethod
    def _pss(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(self._pss(p) for p in self._tree(me)))
            self._stop.wait(self.every)


def own_cpu_seconds() -> float:
    """User + system CPU of this process and of its finished workers."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def stage_result(seconds: float, memory: PeakMemory, **extra: Any) -> dict[str, Any]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {
        "seconds": seconds,
        "cpu": memory.cpu,
        "others": memory.others,
        "rss": own,
        "child_rss": child,
        "pss": memory.peak,
        **extra,
    }


# ---------------------------------------------------------------- stages (run in a subprocess)


def holder(i: int) -> str:
    r = random.Random(i)
    return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))


def write_csv(path: Path, start: int, count: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(start, start + count):
            w.writerow(
                [
                    f"BENCH-{i:08d}",
                    holder(i),
                    "web-frontend",
                    ("初级", "中级", "高级")[i % 3],
                    "2025-05-30",
                    "2025-05-01",
                    "基准考点",
                    "320102199001011232",
                ]
            )


def stage_issue(args: argparse.Namespace) -> dict[str, Any]:
    repo, work = Path(args.repo), Path(args.work)
    signer = Signer.from_seed(bytes.fromhex(os.environ["XCERT_BENCH_SEED"]), key_id="bench-1")
    registry = repo_trust(repo).registry
    rates = []
    total = 0.0
    with PeakMemory() as mem:
        for start in range(args.start, args.start + args.count, args.batch):
            n = min(args.batch, args.start + args.count - start)
            batch = work / f"batch-{start}.csv"
            write_csv(batch, start, n)
            t0 = time.perf_counter()
            issue_batch(
                batch,
                repo_root=repo,
                org="bench",
                signer=signer,
                registry=registry,
                catalogue=Catalogue(),
                now=NOW,
                workers=args.workers,
            )
            secs = time.perf_counter() - t0
            total += secs
            rates.append(n / secs)
            batch.unlink()
    return stage_result(total, mem, records=args.count, batch_rates=rates)


def _verify_chunk(paths: list[str]) -> int:
    trust = _TRUST
    assert trust is not None
    return sum(verification_result(Path(p).read_bytes(), trust=trust, now=NOW).ok for p in paths)


def _cached_chunk(paths: list[str]) -> int:
    import hashlib

    cache = RecordCache(Path(os.environ["XCERT_BENCH_CACHE"]), readonly=True)
    hits = sum(
        cache.checked(hashlib.sha256(Path(p).read_bytes()).digest()) is not None for p in paths
    )
    cache.close()
    return hits


_TRUST: Trust | None = None


def _record_paths(repo: Path) -> list[str]:
    return sorted(
        e.path for e in os.scandir(repo / "certificates" / "bench") if e.name.endswith(".json")
    )


def stage_verify(args: argparse.Namespace) -> dict[str, Any]:
    global _TRUST
    repo = Path(args.repo)
    _TRUST = repo_trust(repo)
    paths = _record_paths(repo)
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        ok = sum(fork_imap(_verify_chunk, batched(paths, 512), workers=args.workers))
        secs = time.perf_counter() - t0
    return stage_result(secs, mem, records=len(paths), valid=ok)


def stage_cached(args: argparse.Namespace) -> dict[str, Any]:
    repo = Path(args.repo)
    os.environ["XCERT_BENCH_CACHE"] = str(repo / ".xcert-cache" / CACHE_FILE)
    paths = _record_paths(repo)
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        hits = sum(fork_imap(_cached_chunk, batched(paths, 2048), workers=args.workers))
        secs = time.perf_counter() - t0
    return stage_result(secs, mem, records=len(paths), hits=hits)


def stage_publish(args: argparse.Namespace) -> dict[str, Any]:
    repo, site = Path(args.repo), Path(args.site)
    params = lookup.LookupParams(iterations=args.kdf_iterations)
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        report = publish_records(
            repo_root=repo,
            site_dir=site,
            catalogue=Catalogue(),
            now=NOW,
            workers=args.workers,
            params=params,
        )
        secs = time.perf_counter() - t0
    t0 = time.perf_counter()
    find_private_key_files(repo, exclude=(site, repo / ".xcert-cache"))
    scan = time.perf_counter() - t0
    assert report.shards is not None
    # The counts per certificate are for the pages; the figures here are the numbers.
    figures = {k: v for k, v in report.shards.__dict__.items() if k != "issued"}
    return stage_result(secs, mem, key_scan=scan, **figures)


def _derive(hashes: list[str]) -> int:
    params = lookup.LookupParams()
    for h in hashes:
        lookup.master_key(h, params)
    return len(hashes)


def stage_kdf(args: argparse.Namespace) -> dict[str, Any]:
    hashes = [f"{random.Random(i).getrandbits(128):032x}" for i in range(args.count)]
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        done = sum(fork_imap(_derive, batched(hashes, 8), workers=args.workers))
        secs = time.perf_counter() - t0
    return stage_result(secs, mem, records=done, iterations=lookup.KDF_ITERATIONS)


STAGES = {
    "issue": stage_issue,
    "verify": stage_verify,
    "cached": stage_cached,
    "publish": stage_publish,
    "kdf": stage_kdf,
}


# ---------------------------------------------------------------- the driver


def run_stage(name: str, **options: Any) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--stage", name]
    for k, v in options.items():
        cmd += [f"--{k.replace('_', '-')}", str(v)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def tree_size(folder: Path) -> tuple[int, int, int]:
    """(files, bytes of content, bytes allocated on disk)."""
    files = size = blocks = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            st = os.stat(os.path.join(dirpath, name))
            files += 1
            size += st.st_size
            blocks += st.st_blocks * 512
    return files, size, blocks


def shard_sizes(records: Path, sample: int = 400) -> dict[str, float]:
    shards = sorted(p for p in records.glob("*.json") if p.name != "index.json")
    raw = [p.stat().st_size for p in shards]
    picked = random.Random(0).sample(shards, min(sample, len(shards)))
    gz = [len(gzip.compress(p.read_bytes(), 9)) for p in picked]
    return {
        "shards": len(shards),
        "raw_mean": statistics.mean(raw),
        "raw_max": max(raw),
        "gzip_mean": statistics.mean(gz),
        "gzip_ratio": statistics.mean(gz) / statistics.mean([p.stat().st_size for p in picked]),
    }


def lookup_fetch(site: Path, repo: Path, i: int) -> tuple[int, int]:
    from generator.credentials.formats.record import record_hash

    layout = json.loads((site / "r" / "index.json").read_text())
    h = record_hash(number=f"BENCH-{i:08d}", name=holder(i))
    bits = layout["shardBits"]
    shard = site / "r" / f"{lookup.shard_name(lookup.shard_index(h, bits), bits)}.json"
    data = shard.read_bytes()
    return len(data), len(gzip.compress(data, 9))


def mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def memory(r: dict[str, Any]) -> str:
    return (
        f"{r['cpu']:,.0f} CPU-s, other sessions {r['others']:.2f} cores; "
        f"peak PSS {mb(r['pss'])} (RSS: process {mb(r['rss'])}, "
        f"largest worker {mb(r['child_rss'])})"
    )


def browser_lookup(site: Path, n: int, runs: int) -> list[float]:
    import functools
    import http.server

    from credentials_bench import CHROMIUM_ARGS, _Quiet
    from playwright.sync_api import sync_playwright

    shutil.copytree(ROOT_DIR / "site_src" / "assets", site / "assets", dirs_exist_ok=True)
    md = (ROOT_DIR / "site_src" / "verify" / "index.md").read_text(encoding="utf-8")
    html = md[md.index("<link") : md.index("</script>") + len("</script>")]
    (site / "verify").mkdir(parents=True, exist_ok=True)
    (site / "verify" / "index.html").write_text(
        f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body>{html}</body></html>',
        encoding="utf-8",
    )
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    times = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/verify/")
            page.wait_for_selector("#xv-fingerprint")
            for k in range(runs):
                i = random.Random(k).randrange(n)
                page.evaluate(
                    "document.getElementById('xv-result').removeAttribute('data-verdict')"
                )
                page.fill("#xv-number", f"BENCH-{i:08d}")
                page.fill("#xv-name", holder(i))
                page.click("#xv-lookup button")
                page.wait_for_selector("#xv-result[data-verdict='valid']")
                times.append(float(page.get_attribute("#xv-result", "data-ms") or "nan"))
            browser.close()
    finally:
        server.shutdown()
    return times


def bench(n: int, args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"n{n}-", dir=args.work))
    seed = os.urandom(32)  # this run's organization key: passed to stages in the environment only
    os.environ["XCERT_BENCH_SEED"] = seed.hex()
    signer, root = Signer.from_seed(seed, key_id="bench-1"), Signer.generate(key_id="root")
    repo = setup_repo(work, signer, root)
    common = {"repo": repo, "work": work, "workers": args.workers}
    print(
        f"\n== {n:,} records ({args.workers} workers, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}) in {work}"
    )

    r = run_stage("issue", start=0, count=n, batch=args.batch, **common)
    print(
        f"issuance            {n / r['seconds']:10,.0f} records/s  ({n:,} in {r['seconds']:.1f} s; "
        f"batches of {args.batch:,}: first {r['batch_rates'][0]:,.0f}/s, last "
        f"{r['batch_rates'][-1]:,.0f}/s); {memory(r)}"
    )
    files, size, disk = tree_size(repo / "certificates")
    print(f"  sources           {files:,} files, {mb(size)} ({mb(disk)} on disk)")

    r = run_stage("verify", **common)
    print(
        f"verification, cold  {n / r['seconds']:10,.0f} records/s  ({r['valid']:,} valid in "
        f"{r['seconds']:.1f} s); {memory(r)}"
    )

    site_a = work / "site-cold"
    it = args.kdf_iterations
    cold = run_stage("publish", site=site_a, kdf_iterations=it, **common)
    print(
        f"publish, cold       {cold['seconds']:10.1f} s  ({n / cold['seconds']:,.0f} records/s; "
        f"{cold['verified']:,} verified, {cold['derived']:,} keys derived at {it:,} PBKDF2 "
        f"iterations, {cold['shards']:,} shards of 2^{cold['shard_bits']}); {memory(cold)}"
    )
    print(
        f"  (a private-key scan of the whole tree, as `xcert check` does it, takes "
        f"{cold['key_scan']:.1f} s more; publishing looks only at the record files it reads)"
    )

    r = run_stage("cached", **common)
    print(
        f"verification, cached{n / r['seconds']:10,.0f} records/s  ({r['hits']:,} hits in "
        f"{r['seconds']:.1f} s: read + SHA-256 + cache look-up)"
    )

    shutil.rmtree(repo / ".xcert-cache" / "published")
    site_b = work / "site-warm"
    warm = run_stage("publish", site=site_b, kdf_iterations=it, **common)
    print(
        f"publish, warm caches{warm['seconds']:10.1f} s  (all {warm['read']:,} read and sealed, "
        f"{warm['verified']} verified, {warm['derived']} derived); {memory(warm)}"
    )
    previous = work / "site-same"
    same = run_stage("publish", site=previous, kdf_iterations=it, **common)
    print(
        f"publish, no change  {same['seconds']:10.1f} s  ({same['read']} read, "
        f"{same['shards_written']} shards written); {memory(same)}"
    )

    kdf = run_stage("kdf", count=args.kdf_sample, workers=args.workers)
    per_cpu = kdf["cpu"] / kdf["records"]  # CPU-s per derived key at the production count
    print(
        f"look-up key at {kdf['iterations']:,} iterations: {per_cpu * 1e3:.0f} ms CPU per "
        f"record; {kdf['records'] / kdf['seconds']:,.1f} records/s with {args.workers} workers "
        f"here ({kdf['records']} in {kdf['seconds']:.1f} s; {memory(kdf)})"
    )

    def at_production(r: dict[str, Any]) -> float:
        """CPU-s of a publish run had it derived its keys at the production count."""
        return r["cpu"] + r["derived"] * per_cpu * (1 - it / lookup.KDF_ITERATIONS)

    if it != lookup.KDF_ITERATIONS:
        cpu = at_production(cold)
        print(
            f"  => publish, cold, at {lookup.KDF_ITERATIONS:,} iterations: EXTRAPOLATED "
            f"{cpu / 3600:,.2f} CPU-hours = {cpu / args.workers / 3600:,.2f} h on "
            f"{args.workers} idle cores (the measured run's CPU with its key derivations "
            f"at the production cost)"
        )

    inc_n = args.incremental
    run_stage("issue", start=n, count=inc_n, batch=args.batch, **common)
    site_c = work / "site-inc"
    inc = run_stage("publish", site=site_c, kdf_iterations=it, **common)
    inc_cpu, cold_cpu = at_production(inc), at_production(cold)
    label = "" if it == lookup.KDF_ITERATIONS else " EXTRAPOLATED"
    print(
        f"incremental +{inc_n:,}   {inc['seconds']:10.1f} s  ({inc['read']:,} read, "
        f"{inc['shards_written']:,} of {inc['shards']:,} shards rewritten); {memory(inc)}"
    )
    print(
        f"  at {lookup.KDF_ITERATIONS:,} iterations{label}: {inc_cpu:,.0f} CPU-s = "
        f"{inc_cpu / cold_cpu:.2%} of the cold full publish's CPU, "
        f"{inc_cpu / warm['cpu']:.0%} of the warm one's (which derives no key)"
    )
    changed = [
        p
        for p in (site_c / "r").iterdir()
        if not (previous / "r" / p.name).exists()
        or (previous / "r" / p.name).stat().st_ino != p.stat().st_ino
    ]
    print(
        f"  site files that differ from the previous build: {len(changed):,} "
        f"({mb(sum(p.stat().st_size for p in changed))})"
    )

    files, size, disk = tree_size(site_c / "r")
    print(f"site r/             {files:,} files, {mb(size)} ({mb(disk)} on disk)")
    for part in ("published", CACHE_FILE):
        target = repo / ".xcert-cache" / part
        if target.is_dir():
            f2, s2, d2 = tree_size(target)
        else:
            f2, s2, d2 = 1, target.stat().st_size, target.stat().st_blocks * 512
        print(f"cache {part:14}{f2:,} files, {mb(s2)} ({mb(d2)} on disk)")
    sizes = shard_sizes(site_c / "r")
    raw, gz = lookup_fetch(site_c, repo, random.Random(1).randrange(n))
    print(
        f"shards              mean {sizes['raw_mean'] / 1e3:.1f} KB (max {sizes['raw_max'] / 1e3:.1f} KB),"
        f" gzip -9 {sizes['gzip_mean'] / 1e3:.1f} KB ({sizes['gzip_ratio']:.0%})"
    )
    print(
        f"one look-up fetches {raw / 1e3:.1f} KB ({gz / 1e3:.1f} KB gzip) + r/index.json "
        f"({(site_c / 'r' / 'index.json').stat().st_size} B, once per page load)"
    )
    if args.browser:
        times = browser_lookup(site_c, n, args.browser_runs)
        print(
            f"verify page, number + name → verdict: median {statistics.median(times):.0f} ms, "
            f"max {max(times):.0f} ms over {len(times)} look-ups (PBKDF2 at {it:,})"
        )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "xcert-scale")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--kdf-iterations", type=int, default=lookup.KDF_ITERATIONS)
    parser.add_argument("--kdf-sample", type=int, default=200)
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--incremental", type=int, default=1000)
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--browser-runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    # One stage, in its own process (used by the driver).
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--repo", help=argparse.SUPPRESS)
    parser.add_argument("--site", help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(STAGES[args.stage](args)))
        return
    if ROOT_DIR in args.work.resolve().parents or args.work.resolve() == ROOT_DIR:
        parser.error("--work must be outside the repository (the data is large)")
    args.work.mkdir(parents=True, exist_ok=True)
    print(
        f"scale benchmark, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"look-up KDF: PBKDF2-SHA256 at {args.kdf_iterations:,} iterations in the bulk runs "
        f"(production {lookup.KDF_ITERATIONS:,})"
    )
    for n in args.records:
        bench(n, args)


if __name__ == "__main__":
    main()
