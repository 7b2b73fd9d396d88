"""Pure work spread over the machine's cores: `fork_map(func, values)` is `[func(v) for v in values]`,
computed by forked processes (Linux) that inherit everything `func` reads, so nothing is pickled
but the values' positions going out and the results coming back. Used where a cold build does a
lot of independent work before the pages render (the body rules and proofreading of every item).
`Later(func)` computes `func()` in a forked process while the caller does other work (the body rules
of a rebuild, beside the plan).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_VALUES = 200  # below this, forking costs more than it saves
_job: tuple[Callable, Sequence] | None = None  # what forked processes compute (inherited, never pickled)


def _share(positions: range) -> list:
    func, values = _job
    return [func(values[k]) for k in positions]


def processes(count: int) -> int:
    cores = os.cpu_count() or 1
    return cores if sys.platform == "linux" and count >= MIN_VALUES and cores > 1 else 1


def _forked(shares: list[range], n: int) -> list[list]:
    with ProcessPoolExecutor(n - 1, mp_context=multiprocessing.get_context("fork")) as pool:
        try:
            futures = [pool.submit(_share, share) for share in shares[1:]]
        except OSError as error:  # fork failed: no memory, the process limit
            raise BrokenProcessPool(str(error)) from error
        return [_share(shares[0])] + [future.result() for future in futures]


def fork_map(func: Callable[[T], R], values: Sequence[T], before_fork: Callable[[], None] | None = None) -> list[R]:
    """`[func(v) for v in values]`, in order; every core works on a share (the calling process too).
    `before_fork`: what to load once, only when processes will be forked, so they inherit it.
    An exception in a forked process is raised here; where processes cannot be forked, or one dies,
    the calling process computes everything."""
    global _job
    n = processes(len(values))
    if n == 1:
        return [func(value) for value in values]
    if before_fork:
        before_fork()
    shares = [range(k, len(values), n) for k in range(n)]
    _job = (func, values)
    try:
        results = _forked(shares, n)
    except BrokenProcessPool:  # a process could not be forked or died (killed for memory): one process does it
        return [func(value) for value in values]
    finally:
        _job = None
    ordered: list = [None] * len(values)
    for share, found in zip(shares, results, strict=True):
        for k, result in zip(share, found, strict=True):
            ordered[k] = result
    return ordered


class Later:
    """`func()` computed by a forked process while the caller goes on (Linux, more than one core); `result()`
    waits for it. Elsewhere, or when the process cannot be forked or dies, the caller computes it there."""

    def __init__(self, func: Callable[[], R]) -> None:
        self.func, self.pid, self.read = func, 0, -1
        if sys.platform != "linux" or (os.cpu_count() or 1) < 2:
            return
        try:
            read, write = os.pipe()
            pid = os.fork()
        except OSError:  # no memory, the process limit: computed by the caller
            return
        if pid == 0:  # the child: the value (or the exception) pickled into the pipe, then gone
            os.close(read)
            status = 0
            try:
                try:
                    outcome = (True, func())
                except BaseException as error:  # noqa: BLE001 - raised again in the caller
                    outcome = (False, error)
                data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as out:
                    out.write(data)
            except BaseException:  # noqa: BLE001 - what does not pickle: the caller computes it
                status = 1
            finally:
                os._exit(status)
        os.close(write)
        self.pid, self.read = pid, read

    def result(self) -> R:
        if not self.pid:
            return self.func()
        with os.fdopen(self.read, "rb") as source:
            data = source.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if status or not data:  # it died (killed for memory) or could not send its value
            return self.func()
        done, value = pickle.loads(data)
        if not done:
            raise value
        return value
