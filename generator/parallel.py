"""Use the second core: map a function over independent items, or run one task in the background.

Workers are forked, so they inherit the read-only state (catalogue, registries) instead of
receiving it pickled; below ``threshold`` items the work runs in-process, where starting
workers would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
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


class BackgroundFailed(Exception):
    pass


def _run_and_report(work: Callable[[], object], send) -> None:
    try:
        send.send(("ok", work()))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        send.send(("error", traceback.format_exc()))


class BackgroundTask:
    """``work()`` in a forked child while this process goes on; ``wait()`` gives its result.

    The child inherits the state ``work`` reads, nothing is pickled but the result. It is
    daemonic: it cannot fork again, and dies with this process.
    """

    def __init__(self, work: Callable[[], object]):
        context = multiprocessing.get_context("fork")
        self._results, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_and_report, args=(work, send), daemon=True)
        self._process.start()
        send.close()

    def wait(self) -> object:
        """The result of ``work()``; BackgroundFailed with the child's traceback if it raised."""
        try:
            status, value = self._results.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            self._process.join()
            status, value = "error", f"Tiến trình con dừng đột ngột (mã thoát {self._process.exitcode})."
        self._process.join()
        if status == "error":
            raise BackgroundFailed(value)
        return value

    def cancel(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
