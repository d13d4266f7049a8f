"""Spreading work over processes by fork, so workers inherit state (a Signer, a Trust) from the
parent without pickling it: the private key never crosses a pipe."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items one process is faster than starting workers.
PARALLEL_FROM = 2000


def fork_map(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int,
    chunksize: int = 256,
    min_items: int | None = None,
) -> list[R]:
    """`[func(i) for i in items]`, over `workers` forked processes when there are enough items."""
    least = PARALLEL_FROM if min_items is None else min_items
    if workers <= 1 or len(items) < least or "fork" not in multiprocessing.get_all_start_methods():
        return [func(i) for i in items]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(func, items, chunksize=chunksize)


def chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
