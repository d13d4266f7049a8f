"""What counting issued certificates per certificate, year and level adds to a build.

    python benchmarks/issued_counts_bench.py [--records 1000000] [--runs 3]

The counts are taken in the pass over the publish manifest that every build makes anyway (the
status-list and clock checks of every record, shards._check_status). This fills a manifest of
--records synthetic rows (real schema, `_state.PublishedState`) in a temporary folder and times,
best of --runs:

- the scan as it was before the counts: five columns per row, nothing else;
- the scan as it is now: eight columns per row, and the counts (`shards._check_status`'s tally);
- rendering the shipped catalogue's pages without and with counts for every certificate.

The status checks themselves (`verify.status_result`) cost the same in both and are left out.
Prints seconds and the ratio, and the size of the manifest before and after the three columns.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))

from generator.credentials.formats.lookup import LookupParams
from generator.credentials.publishing._state import PublishedState
from generator.models import LEVEL_NAMES, IssuedCount, IssuedRecords
from generator.render.pages import render_pages
from generator.validate import load_catalogue


def fill(state: PublishedState, n: int, certificates: list[str]) -> None:
    rng = random.Random(7)
    state.begin()
    chunk = []
    for i in range(n):
        cert = certificates[rng.randrange(len(certificates))]
        issued = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))
        chunk.append((
            f"certificates/org{i % 75}/N{i:09d}.json", 1800, 0, os.urandom(32), "z6Mk" + "x" * 44,
            "t" * 32, f"urn:xcert:status:org{i % 75}:{i // 100_000 + 1}", i % 100_000,
            1_700_000_000, 1_700_000_000, f"{rng.getrandbits(128):032x}", os.urandom(16),
            os.urandom(200), cert, LEVEL_NAMES[rng.randrange(3)], issued.isoformat()))
        if len(chunk) == 50_000:
            state.put(chunk)
            chunk = []
    state.put(chunk)
    state.conn.execute("COMMIT")


def scan_before(state: PublishedState) -> int:
    rows = 0
    for _path, _list_id, _index, _valid_from, _created in state.conn.execute(
        "SELECT path, list_id, list_index, valid_from, created FROM published"
    ):
        rows += 1
    return rows


def scan_now(state: PublishedState) -> int:
    tally: dict[tuple[str, int, str], list[int]] = {}
    for _p, _l, _i, _v, _c, cert, level, issued in state.status_rows():
        group = tally.setdefault((cert, int(issued[:4]), level), [0, 0])
        group[0] += 1
    return len(tally)


def best(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cat = load_catalogue(ROOT_DIR / "catalogue")
    certificates = sorted(cat.certificates)
    with tempfile.TemporaryDirectory(prefix="xcert-counts-") as tmp:
        state = PublishedState(Path(tmp), params=LookupParams(iterations=1000), site_url=None)
        start = time.perf_counter()
        fill(state, args.records, certificates)
        print(f"manifest of {args.records:,} rows filled in {time.perf_counter() - start:.1f} s")
        before = best(lambda: scan_before(state), args.runs)
        now = best(lambda: scan_now(state), args.runs)
        print(f"manifest pass, before the counts: {before:.2f} s")
        print(f"manifest pass, with the counts:   {now:.2f} s  ({now / before:.2f}x, "
              f"+{(now - before) * 1e6 / args.records:.2f} µs per record)")
        counts = []
        rng = random.Random(3)
        for cid in certificates:
            for year in range(2019, 2026):
                for level in LEVEL_NAMES:
                    counts.append(IssuedCount(cid, year, level, rng.randrange(1, 5000), 0))
        issued = IssuedRecords(counts=tuple(counts), as_of=dt.date(2026, 11, 30))
        today = dt.date(2026, 11, 30)
        plain = best(lambda: render_pages(cat, today=today), args.runs)
        with_counts = best(lambda: render_pages(cat, today=today, issued=issued), args.runs)
        print(f"render {len(certificates)} certificates' pages without counts: {plain:.2f} s; "
              f"with {len(counts):,} counts: {with_counts:.2f} s ({with_counts / plain:.2f}x)")
        state.close()


if __name__ == "__main__":
    main()
