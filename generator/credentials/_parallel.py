"""Spreading work over processes by fork, so workers inherit state (a Signer, a Trust) from the
parent without pickling it: the private key never crosses a pipe."""

from __future__ import annotations

import collections
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
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


def fork_imap(
    func: Callable[[T], R], items: Iterable[T], *, workers: int, window: int | None = None
) -> Iterator[R]:
    """`func(i)` for each item, in order, over `workers` forked processes, holding at most
    `window` items in flight (Pool.imap would read the whole input ahead and queue every result:
    a million records' worth of memory). Items are best chunks of a few hundred units of work."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(func, items)
        return
    limit = window or 2 * workers
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending: collections.deque[Any] = collections.deque()
        for item in items:
            pending.append(pool.apply_async(func, (item,)))
            if len(pending) >= limit:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` items (the last one shorter), read lazily."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
