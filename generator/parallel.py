"""Map a function over independent items on every core, results in input order.

Workers are forked, so they inherit the read-only state (catalogue, registries) instead of
receiving it pickled; below ``threshold`` items the work runs in-process, where starting
workers would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Set in a forked worker before it runs tasks: (function, shared state). Per-process, never shared.
_worker_task: tuple | None = None


def _init_worker(function: Callable, state: object) -> None:
    global _worker_task
    _worker_task = (function, state)


def _run(item):
    function, state = _worker_task
    return function(state, item)


def map_on_cores(function: Callable[[object, T], R], items: Sequence[T], state: object,
                 threshold: int = 400, chunksize: int = 64) -> list[R]:
    """``[function(state, item) for item in items]``, on all cores when there are many items."""
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < threshold or workers < 2:
        return [function(state, item) for item in items]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(function, state)) as pool:
        return list(pool.map(_run, items, chunksize=chunksize))
