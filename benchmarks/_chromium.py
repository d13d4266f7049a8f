"""Chromium as the benchmarks drive it: Debian's build, with the flags that keep it from reaching
the network or doing background work while it is measured (the same as the browser tests')."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
