"""Use the second core: map a function over independent items, or run one task in the background.

Workers are forked, so they inherit the read-only state (catalogue, registries) instead of
receiving it pickled; below ``threshold`` items the work runs in-process, where starting
workers would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

# Set in a forked worker before it runs tasks: (function, shared state). Per-process, never shared.
_worker_task: tuple | None = None


def _init_worker(function: Callable, state: object) -> None:
    global _worker_task
    _worker_task = (function, state)


def _run(item):
    function, state = _worker_task
    return function(state, item)


def map_on_cores(function: Callable[[S, T], R], items: Sequence[T], state: S,
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


class BackgroundTask:
    """``work()`` in a forked child while this process goes on; ``wait()`` gives its result.

    The child inherits the state ``work`` reads; nothing is pickled but the result. The parent
    keeps no reference to ``work``, so what only the child needs is freed here at once.
    """

    def __init__(self, work: Callable[[], object]):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: run, report, and leave without this process's exit handlers
            os.close(read_end)
            try:
                message = ("ok", work())
            except BaseException:
                message = ("error", traceback.format_exc())
            try:
                with os.fdopen(write_end, "wb") as pipe:
                    pickle.dump(message, pipe)
            finally:
                os._exit(0)
        os.close(write_end)
        self._pid, self._results = pid, os.fdopen(read_end, "rb")

    def wait(self) -> object:
        """The result of ``work()``; BackgroundFailed with the child's traceback if it raised."""
        try:
            status, value = pickle.load(self._results)
        except EOFError:  # the child died without a word (killed, out of memory)
            status, value = "error", None
        finally:
            self._results.close()
        code = os.waitstatus_to_exitcode(os.waitpid(self._pid, 0)[1])
        if status == "error":
            raise BackgroundFailed(value or f"Tiến trình con dừng đột ngột (mã thoát {code}).")
        return value

    def cancel(self) -> None:
        try:
            os.kill(self._pid, signal.SIGTERM)
            os.waitpid(self._pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass  # already gone
        self._results.close()


def start_beside(work: Callable[..., object], may_fork: bool) -> BackgroundTask | None:
    """``work(all_cores=False)`` in a forked child beside this process, which goes on on the other
    core (wait on the task returned); or, where forking is unsafe (``may_fork`` False: a process
    with threads, such as `mkdocs serve`) or there is one core, ``work(all_cores=True)`` now."""
    if not may_fork or (os.cpu_count() or 1) < 2:
        work(all_cores=True)
        return None
    return BackgroundTask(partial(work, all_cores=False))
