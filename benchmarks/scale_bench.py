"""Issued certificates at scale, sealed: issuing into the private store + a sealed batch, and
publishing 10,000 to 1,000,000 sealed records.

    python benchmarks/scale_bench.py --records 10000 100000 1000000 [--issue 10000 100000]
        [--work /tmp/xcert-scale] [--workers 2] [--kdf-iterations N] [--kdf-sample 200]
        [--batch 100000] [--incremental 1000]

In a fresh folder (under --work when given; never inside the repository; removed at the end
unless --keep), with an organization key and root key generated for the run (never saved):

1. the raw KDF rate, --kdf-sample keys a process: the production Argon2id, or PBKDF2-SHA256 at
   --kdf-iterations when given (wall clock and CPU time); on one core, then on --workers
   processes deriving at once (every core busy, as in issuance: they share memory bandwidth and
   caches, so a core derives fewer keys a second than alone); both again after each issuance,
   which is compared with the mean of the figures taken just before and just after it;
2. issuance, for each --issue size: `issue_sealed` as `xcert issue` runs it on a site with an
   address (CSV checks, signing, the slow look-up key, sealing, the holder's files with the QR
   code of the verify link, the store's files, sealed batches of 20,000; the shipped web-frontend
   certificate's achievement, so records are as long as real ones) on --workers
   processes, with its peak memory. Against the raw KDF (target: at or above 90%): in wall
   terms, its rate over workers x the one-core rate and over the all-workers rate; in CPU terms
   (what a machine shared with other sessions measures best), the KDF's CPU a key, one-core and
   all-workers, over issuance's CPU a record;
3. publishing, for each --records size: the sealed batches of N records, in batches of --batch,
   are made with random tags and entries of the size issuance produced (the build never opens
   an entry, so it cannot tell), signed by the organization's key; then `publish_records` from
   an empty cache (cold), again with nothing changed, and after one more batch of
   --incremental records;
4. what one look-up fetches: the mean shard, raw and gzip -9.

Each stage runs in its own process, so its peak memory is its own: the peak PSS of the whole
process tree, sampled every 0.1 s (PSS shares copy-on-write pages fairly between a parent and its
forked workers). Every line says how many cores other sessions used meanwhile.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import multiprocessing
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
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any, Self

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from credentials_bench import BENCH_SITE, NOW, Catalogue, Cert, setup_repo

from generator.credentials import _catalogue
from generator.credentials.formats.batch import BATCHES_DIR, BatchManifest, IssuedGroup
from generator.credentials.formats.jsontext import dump_json
from generator.credentials.formats.sealing import LookupParams, b64url, master_key
from generator.credentials.formats.status import StatusList
from generator.credentials.issuing.keys import Signer
from generator.credentials.issuing.sealed import issue_sealed
from generator.credentials.issuing.store import Store
from generator.credentials.paths import repo_status_path
from generator.credentials.publishing.publish import publish_records
from generator.credentials.repo import repo_trust

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
    "许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯欣怡子涵梓轩雨"
HEADER = ["证书编号", "姓名", "证书", "等级", "发证日期", "考试日期", "考点", "身份证号"]
LIST_LENGTH = 131072


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
        self.others = self.cpu = self._sampler_cpu = 0.0

    def __enter__(self) -> Self:
        self._busy, self._cpu, self._t = busy_cpu_seconds(), own_cpu_seconds(), time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        wall = time.perf_counter() - self._t
        # The sampler's own CPU (reading /proc every 0.1 s) is the measurement's, not the stage's.
        mine = self.cpu = own_cpu_seconds() - self._cpu - self._sampler_cpu
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
        self._sampler_cpu = time.thread_time()


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
            level = ("初级", "中级", "高级")[i % 3]
            w.writerow(
                [
                    f"BENCH-{i:08d}",
                    holder(i),
                    "web-frontend",
                    level,
                    "2025-05-30",
                    "2025-05-01",
                    "基准考点",
                    "320102199001011232",
                ]
            )


def _keys(work: Path) -> tuple[Signer, Signer]:
    seeds = json.loads((work / "seeds.json").read_text())
    return (
        Signer.from_seed(bytes.fromhex(seeds["org"]), key_id="bench-1"),
        Signer.from_seed(bytes.fromhex(seeds["root"]), key_id="root"),
    )


def _derive(kdf: str, first: int, count: int) -> None:
    params = LookupParams.from_json(json.loads(kdf))
    for i in range(first, first + count):
        master_key(hashlib.sha256(str(i).encode()).hexdigest(), params)


def stage_kdf(work: Path, kdf: str, sample: int, workers: int) -> dict[str, Any]:
    """`sample` keys on each of `workers` processes, all deriving at once (as issuance keeps every
    core busy: memory bandwidth and caches are shared), or on this one process for 1."""
    with PeakMemory() as memory:
        t = time.perf_counter()
        if workers == 1:
            _derive(kdf, 0, sample)
        else:
            fork = multiprocessing.get_context("fork")
            procs = [
                fork.Process(target=_derive, args=(kdf, w * sample, sample)) for w in range(workers)
            ]
            for proc in procs:
                proc.start()
            for proc in procs:
                proc.join()
        seconds = time.perf_counter() - t
    return stage_result(seconds, memory, rate=workers * sample / seconds, keys=workers * sample)


def real_size_catalogue() -> Catalogue:
    """The bench organization's certificate with the shipped web-frontend certificate's name,
    summary and standard, so that records (whose achievement carries the standard's criteria) and
    their sealed entries are as long as real ones."""
    shipped = _catalogue.load(ROOT_DIR)
    cert = shipped.certificates["web-frontend"]
    own = Cert(name=cert.name, standard=cert.standard, batch=cert.batch, summary=cert.summary)
    return Catalogue(certificates={cert.id: own}, standards=dict(shipped.standards))


def stage_issue(work: Path, n: int, kdf: str, workers: int) -> dict[str, Any]:
    catalogue = real_size_catalogue()
    signer, root = _keys(work)
    folder = work / f"issue-{n}"
    repo = setup_repo(folder, signer, root)
    batch = folder / "batch.csv"
    write_csv(batch, 0, n)
    with PeakMemory() as memory:
        t = time.perf_counter()
        report = issue_sealed(
            batch,
            repo_root=repo,
            store=Store(folder / "store"),
            org="bench",
            signer=signer,
            registry=repo_trust(repo).registry,
            catalogue=catalogue,
            now=NOW,
            params=LookupParams.from_json(json.loads(kdf)),
            workers=workers,
            site_url=BENCH_SITE.url,
        )
        seconds = time.perf_counter() - t
    entries = sum(m.with_suffix(".entries").stat().st_size for m in report.manifests)
    shutil.rmtree(folder)
    return stage_result(seconds, memory, records=report.records, entry_bytes=entries / n)


def make_batches(work: Path, first: int, count: int, batch: int, entry_bytes: int) -> None:
    """Sealed batches of random entries, as issuance writes them (see the module docstring)."""
    signer, _ = _keys(work)
    repo = work / "repo"
    rng = random.Random(first)
    status = repo_status_path(repo, "bench", 1).parent
    for start in range(first, first + count, batch):
        size = min(batch, first + count - start)
        lines = sorted(
            f"{b64url(rng.randbytes(16))} {b64url(rng.randbytes(entry_bytes))}\n"
            for _ in range(size)
        )
        data = "".join(lines).encode("ascii")
        positions: dict[int, list[int]] = {}
        for i in range(start, start + size):
            positions.setdefault(i // LIST_LENGTH + 1, []).append(i % LIST_LENGTH)
        for number in positions:
            path = status / f"{number}.json"
            if not path.exists():
                empty = StatusList.empty(
                    site=BENCH_SITE, org="bench", number=number, updated="2025-06-01T00:00:00Z"
                )
                doc = empty.signed_document(signer=signer, key_id=signer.key_id, issuer_name="x")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(dump_json(doc))
        batch_id = f"20250601T000000Z-{start:08x}"
        group = IssuedGroup(
            "web-frontend",
            2025,
            "中级",
            size,
            tuple(
                (BENCH_SITE.status_list_url("bench", n), tuple(ix))
                for n, ix in sorted(positions.items())
            ),
        )
        manifest = BatchManifest(
            batch_id,
            "bench",
            "2025-06-01T00:00:00Z",
            size,
            LookupParams(),
            hashlib.sha256(data).hexdigest(),
            len(data),
            (group,),
        )
        folder = repo / "certificates" / "bench" / BATCHES_DIR
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{batch_id}.entries").write_bytes(data)
        (folder / f"{batch_id}.json").write_bytes(dump_json(manifest.signed_document(signer)))


def stage_publish(work: Path, site: str, workers: int) -> dict[str, Any]:
    repo = work / "repo"
    with PeakMemory() as memory:
        t = time.perf_counter()
        report = publish_records(
            repo_root=repo, site_dir=work / site, catalogue=Catalogue(), workers=workers, now=NOW
        )
        seconds = time.perf_counter() - t
    shards = report.shards
    assert shards is not None
    return stage_result(
        seconds,
        memory,
        records=report.records,
        read=shards.batches_read,
        written=shards.shards_written,
        shards=shards.shards,
        bits=shards.shard_bits,
    )


STAGES = {"kdf": stage_kdf, "issue": stage_issue, "publish": stage_publish}


def run_stage(name: str, *args: Any) -> dict[str, Any]:
    """One stage in a fresh process: its figures, including its own peak memory."""
    out = subprocess.run(
        [sys.executable, __file__, "--stage", name, json.dumps([str(a) for a in args])],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"stage {name} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _stage_main(name: str, raw: str) -> None:
    args: list[Any] = json.loads(raw)
    conv = {
        "kdf": (Path, str, int, int),
        "issue": (Path, int, str, int),
        "publish": (Path, str, int),
    }
    typed = [f(a) for f, a in zip(conv[name], args, strict=True)]
    print(json.dumps(STAGES[name](*typed)))


def fmt(r: dict[str, Any]) -> str:
    return (
        f"{r['seconds']:8.1f} s, {r['cpu']:7.1f} CPU-s, peak {r['pss'] / 2**20:6.0f} MB PSS"
        f"  (other sessions: {r['others']:.1f} cores)"
    )


def shard_sizes(site: Path) -> tuple[float, float]:
    files = [p for p in (site / "r").glob("*.json") if p.name != "index.json"]
    sample = random.Random(1).sample(files, min(200, len(files)))
    raw = statistics.mean(p.stat().st_size for p in files)
    gz = statistics.mean(len(gzip.compress(p.read_bytes(), 9)) for p in sample)
    return raw, gz


@dataclass(frozen=True)
class Baseline:
    """The raw KDF: keys/s and CPU a key on one core, and with every worker deriving at once."""

    one_rate: float
    one_cpu: float
    every_rate: float
    every_cpu: float
    others: float  # cores other sessions used meanwhile

    def mean(self, other: Baseline) -> Baseline:
        return Baseline(*((a + b) / 2 for a, b in zip(astuple(self), astuple(other), strict=True)))

    def describe(self, workers: int) -> str:
        return (
            f"raw KDF, one core:            {self.one_rate:8.1f} keys/s "
            f"({1000 * self.one_cpu:.1f} ms CPU a key)\n"
            f"raw KDF, {workers} workers at once:  {self.every_rate:8.1f} keys/s = "
            f"{self.every_rate / (workers * self.one_rate):6.1%} of {workers} x one core "
            f"({1000 * self.every_cpu:.1f} ms CPU a key); other sessions: {self.others:.1f} cores"
        )


def kdf_baseline(work: Path, spec: str, sample: int, workers: int) -> Baseline:
    one = run_stage("kdf", work, spec, sample, 1)
    every = run_stage("kdf", work, spec, sample, workers)
    return Baseline(
        one["rate"],
        one["cpu"] / one["keys"],
        every["rate"],
        every["cpu"] / every["keys"],
        (one["others"] + every["others"]) / 2,
    )


def issue_line(n: int, r: dict[str, Any], base: Baseline, workers: int) -> str:
    rate = r["records"] / r["seconds"]
    per_record = r["cpu"] / r["records"]
    return (
        f"issuance of {n:,} rows: {rate:8.1f} records/s, {1000 * per_record:.1f} ms CPU "
        f"a record; {fmt(r)}\n"
        f"    against the raw KDF measured just before and just after it (mean):\n"
        + "\n".join("    " + line for line in base.describe(workers).splitlines())
        + f"\n    wall: {rate / (workers * base.one_rate):6.1%} of {workers} x the "
        f"one-core KDF rate, {rate / base.every_rate:6.1%} of the {workers}-worker KDF "
        f"rate (target: at or above 90%)\n"
        f"    CPU:  {base.one_cpu / per_record:6.1%} KDF at the one-core cost, "
        f"{base.every_cpu / per_record:6.1%} at the {workers}-worker cost; "
        f"an entries line {r['entry_bytes']:.0f} bytes a record"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[10_000])
    parser.add_argument(
        "--issue",
        type=int,
        nargs="*",
        default=None,
        help="issuance sizes (default: the smallest --records)",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--kdf-iterations",
        type=int,
        help="PBKDF2 at N iterations instead of the production Argon2id (a cheaper run)",
    )
    parser.add_argument(
        "--kdf-sample", type=int, default=200, help="keys derived per process for the raw rate"
    )
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--incremental", type=int, default=1000)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--stage", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        _stage_main(*args.stage)
        return
    # A folder of its own, inside --work when given, so that removing it at the end never
    # removes anything else kept there.
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="xcert-scale-", dir=args.work))
    (work / "seeds.json").write_text(
        json.dumps({"org": os.urandom(32).hex(), "root": os.urandom(32).hex()})
    )
    try:
        params = LookupParams.pbkdf2(args.kdf_iterations) if args.kdf_iterations else LookupParams()
        spec = json.dumps(params.to_json())
        print(
            f"sealed scale benchmark: {args.workers} workers, KDF {params.cache_key}, "
            f"Python {sys.version.split()[0]}, {os.cpu_count()} cores"
        )
        # Without an issuance run: the base64 entry of a real record (an entries line of 2,167
        # bytes, web-frontend with its standard's criteria, measured 2026-12-06).
        entry_bytes = 2143
        sizes = args.issue if args.issue is not None else [min(args.records)]
        # The raw KDF is measured before and after each issuance and the two are averaged: on a
        # shared machine the rate drifts over a ten-minute run, and one figure taken before
        # everything compared a quiet issuance with a busy baseline (or the reverse).
        before = kdf_baseline(work, spec, args.kdf_sample, args.workers)
        for n in sizes:
            r = run_stage("issue", work, n, spec, args.workers)
            after = kdf_baseline(work, spec, args.kdf_sample, args.workers)
            base = before.mean(after)
            entry_bytes = int(r["entry_bytes"]) - 24  # the line's tag, space and newline
            print(issue_line(n, r, base, args.workers))
            before = after
        if not sizes:
            print(before.describe(args.workers))
        raw_entry = entry_bytes * 3 // 4
        for n in args.records:
            shutil.rmtree(work / "repo", ignore_errors=True)
            shutil.rmtree(work / "repo" / ".xcert-cache", ignore_errors=True)
            _, root = _keys(work)
            signer, _ = _keys(work)
            setup_repo(work, signer, root)
            t = time.perf_counter()
            make_batches(work, 0, n, args.batch, raw_entry)
            print(
                f"\n{n:,} sealed records in {-(-n // args.batch)} batches "
                f"(made in {time.perf_counter() - t:.0f} s)"
            )
            for label, site in (("cold (empty cache)", "site-cold"), ("no change", "site-same")):
                r = run_stage("publish", work, site, args.workers)
                print(f"publish, {label:20}: {fmt(r)}; {r['written']:,} shards written")
            make_batches(work, n, args.incremental, args.batch, raw_entry)
            r = run_stage("publish", work, "site-more", args.workers)
            print(
                f"publish, +{args.incremental:,} records  : {fmt(r)}; "
                f"{r['written']:,} of {r['shards']:,} shards written"
            )
            raw, gz = shard_sizes(work / "site-more")
            print(
                f"one look-up fetches {raw / 1024:.1f} KB ({gz / 1024:.1f} KB gzip), "
                f"shard bits {r['bits']}"
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
