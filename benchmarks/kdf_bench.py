"""The look-up key's KDF: PBKDF2-SHA256 (today's) against Argon2id, measured where each side pays.

    python benchmarks/kdf_bench.py [--runs 5] [--sample 5] [--hash-wasm DIR] [--throttle 1 4]

For each candidate (PBKDF2-SHA256 at 300,000 iterations; Argon2id at 19 MiB x 2 passes and at
64 MiB x 3 passes, one lane):

1. issuance, per record: CPU milliseconds of one derivation in Python on one core (hashlib's
   OpenSSL PBKDF2; PyNaCl's libsodium Argon2id), median of --sample;
2. the look-up in Chromium: one derivation in the page (WebCrypto PBKDF2; Argon2id from
   hash-wasm, the npm package's own ESM build with its WASM inlined), median of --runs, at each
   --throttle rate (Chrome DevTools Protocol Emulation.setCPUThrottlingRate: 4 is the usual
   stand-in for a mid-range phone); the target is under 1 s at 4x;
3. a guess on one CPU core is the issuance figure (an attacker runs the same code). The GPU
   figures are published ones, cited in docs/scale.md.

hash-wasm is looked for in --hash-wasm, else ./node_modules/hash-wasm (`npm install --no-save
hash-wasm@4.12.0`); without it the Argon2id browser rows are skipped.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import nacl.bindings
from _chromium import CHROMIUM, CHROMIUM_ARGS

ROOT_DIR = Path(__file__).resolve().parents[1]
HASH = "0123456789abcdef0123456789abcdef"  # a record hash: 32 hex digits
SALT = b"xcert-lookup-v2!"  # 16 bytes (Argon2 in libsodium takes exactly 16)
CANDIDATES = (
    ("PBKDF2-SHA256, 300,000 iterations", {"kind": "pbkdf2", "iterations": 300_000}),
    ("Argon2id, 19 MiB, 2 passes, 1 lane", {"kind": "argon2id", "memory": 19456, "passes": 2}),
    ("Argon2id, 64 MiB, 3 passes, 1 lane", {"kind": "argon2id", "memory": 65536, "passes": 3}),
)
# The page runs under the site's Content-Security-Policy (script-src 'self': no inline script,
# no eval; WebAssembly allowed for Argon2id), so what is measured is what the verify page can do.
CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'self'"
PAGE = f"""<!doctype html><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<script type="module" src="kdf.js"></script>"""
# hash-wasm is imported only when an Argon2id candidate runs: without it, PBKDF2 is still measured.
SCRIPT = """const utf8 = new TextEncoder();
window.derive = async (c) => {
  const t = performance.now();
  if (c.kind === 'pbkdf2') {
    const base = await crypto.subtle.importKey('raw', utf8.encode('%(hash)s'), 'PBKDF2', false,
      ['deriveBits']);
    await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: utf8.encode('%(salt)s'),
      iterations: c.iterations }, base, 256);
  } else {
    const { argon2id } = await import('./hash-wasm.js');
    await argon2id({ password: '%(hash)s', salt: utf8.encode('%(salt)s'), parallelism: 1,
      iterations: c.passes, memorySize: c.memory, hashLength: 32, outputType: 'binary' });
  }
  return performance.now() - t;
};
window.ready = true;
"""


def python_ms(candidate: dict[str, int | str], sample: int) -> float:
    """CPU milliseconds of one derivation, median of `sample`."""
    times = []
    for i in range(sample):
        password = hashlib.sha256(str(i).encode()).hexdigest()[:32].encode()
        t = time.process_time()
        if candidate["kind"] == "pbkdf2":
            hashlib.pbkdf2_hmac("sha256", password, SALT, int(candidate["iterations"]))
        else:
            nacl.bindings.crypto_pwhash_alg(
                32,
                password,
                SALT,
                int(candidate["passes"]),
                int(candidate["memory"]) * 1024,
                nacl.bindings.crypto_pwhash_ALG_ARGON2ID13,
            )
        times.append((time.process_time() - t) * 1000)
    return statistics.median(times)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _wait_ready(page: Any, timeout: float = 30.0) -> None:
    """Until the page's module has run. Polled from Python with page.evaluate (a protocol call):
    wait_for_function would eval its predicate in the page, which the page's policy forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate("() => window.ready === true"):
        if time.monotonic() > deadline:
            raise SystemExit("the benchmark page did not load its script (see the console)")
        page.wait_for_timeout(50)


def browser_ms(folder: Path, runs: int, throttles: list[float]) -> dict[tuple[str, float], float]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out: dict[tuple[str, float], float] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for rate in throttles:
                page = browser.new_page()
                cdp = page.context.new_cdp_session(page)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
                page.goto(f"http://127.0.0.1:{server.server_port}/kdf.html")
                _wait_ready(page)
                for label, candidate in CANDIDATES:
                    if candidate["kind"] == "argon2id" and not (folder / "hash-wasm.js").exists():
                        continue
                    page.evaluate("(c) => window.derive(c)", candidate)  # warm up (compile)
                    times = [
                        page.evaluate("(c) => window.derive(c)", candidate) for _ in range(runs)
                    ]
                    out[(label, rate)] = statistics.median(times)
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return out


def load_average() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", type=int, default=5)
    parser.add_argument("--throttle", type=float, nargs="+", default=[1.0, 4.0])
    parser.add_argument("--hash-wasm", type=Path, default=Path("node_modules") / "hash-wasm")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    print(f"KDF benchmark: Python {sys.version.split()[0]}, load average {load_average()}")
    issuance = {label: python_ms(c, args.sample) for label, c in CANDIDATES}
    for label, ms in issuance.items():
        print(
            f"issuance / one guess on a CPU core, {label:38}: {ms:7.1f} ms CPU "
            f"({1000 / ms:5.1f} guesses/s)"
        )
    if args.no_browser or not Path(CHROMIUM).exists():
        print("browser: not measured")
        return
    folder = Path(tempfile.mkdtemp(prefix="xcert-kdf-"))
    try:
        (folder / "kdf.html").write_text(PAGE, encoding="utf-8")
        (folder / "kdf.js").write_text(
            SCRIPT % {"hash": HASH, "salt": SALT.decode()}, encoding="utf-8"
        )
        esm = args.hash_wasm / "dist" / "index.esm.js"
        if esm.exists():
            shutil.copyfile(esm, folder / "hash-wasm.js")
            version = json.loads((args.hash_wasm / "package.json").read_text())["version"]
            print(f"hash-wasm {version}")
        else:
            print(f"{esm} not found: Argon2id in the browser not measured")
        figures = browser_ms(folder, args.runs, args.throttle)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for (label, rate), ms in figures.items():
        print(f"look-up in Chromium, {rate:g}x CPU throttling, {label:38}: {ms:8.1f} ms")
    print(f"load average at the end {load_average()}")


if __name__ == "__main__":
    main()
