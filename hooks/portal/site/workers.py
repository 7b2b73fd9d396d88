"""Item pages rendered on every core, for any engine.

An engine renders pages one after another in one process. On a large portal almost all pages
are item pages, which need nothing from one another: `Workers.start` forks processes that each
render and write a share of them with the engine's own page functions (`render(share, populated)`,
given by the engine adapter), while the main process goes on with the other pages. `finish`
waits for them and brings back into the main process what it would have seen there: log records
of WARNING and above, logged again (so a strict build counts them once), and whatever the build
asks for (`WorkerHooks`: cache entries, icons, page counts, the bodies' texts for the search index).
Linux only (fork); elsewhere, and for few pages, everything stays in the main process.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
import tempfile
import traceback
from dataclasses import dataclass
from typing import Any, Callable

MIN_PAGES = 400  # below this, forking and compiling the templates again costs more than it saves
RENDER_NICENESS = 5  # os.nice of the page renderers beside the search index (CPU share about 1 : 3)
_gave_way = False  # this process (or the one it was forked from) lowered its priority


def worker_count(pages: int, setting: int) -> int:
    """How many processes render the item pages. `render_workers`: 0 chooses (every core when there
    are enough pages), 1 renders in the main process only, N: the main process and N - 1 forked
    workers (portal.site.build shares the pages out)."""
    if sys.platform != "linux" or setting == 1 or pages == 0:
        return 0
    if setting == 0:
        return (os.cpu_count() or 1) if pages >= MIN_PAGES and (os.cpu_count() or 1) > 1 else 0
    return min(setting, pages)


def give_way() -> None:
    """Lower this page renderer's priority (once; a process forked from it inherits it). The search
    index process, started at the normal priority, then gets the CPU it needs as the bodies' texts
    come in, instead of sharing it evenly with the renderers and finishing alone after the last page
    while the other cores idle (issue 16: 1.3-2.3 s of a 10,000-item build). The work is the same,
    so the renderers finish no later; for `mkdocs build` only, whose process ends with the build
    (a process cannot raise its priority again)."""
    global _gave_way
    if _gave_way or not hasattr(os, "nice"):
        return
    _gave_way = True
    try:
        os.nice(RENDER_NICENESS)
    except OSError:  # not allowed here: the same build, only the index may finish last
        pass


@dataclass
class WorkerHooks:
    """What the build does around a worker's pages: `start()` runs first in the worker,
    `result()` last (its value comes back to `absorb` in the main process)."""

    start: Callable[[], None]
    populated: Callable[[list[str]], Any]  # src_uris whose Markdown is rendered -> pickled to a file
    result: Callable[[], Any]
    absorb: Callable[[Any], None]


# An engine's renderer of one share: render(src_uris, populated) reads and renders the pages'
# Markdown, calls populated() once all of it is rendered, then renders and writes the pages.
Render = Callable[[list[str], Callable[[], None]], None]


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _work(
    share: list[str], render: Render, hooks: WorkerHooks, logger: logging.Logger, path: str, populated: str
) -> None:
    """In a worker: render and write the share, then pickle what the main process needs to `path`."""
    status, capture = 1, _Capture()

    def texts_ready() -> None:
        with open(populated + ".part", "wb") as out:
            pickle.dump(hooks.populated(share), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.rename(populated + ".part", populated)  # complete when it appears

    try:
        logger.handlers, logger.propagate = [capture], False
        hooks.start()
        render(share, texts_ready)
        import resource  # Unix only, like fork: Windows editors import this module too

        usage = resource.getrusage(resource.RUSAGE_SELF)
        result = (None, capture.records, hooks.result(), (usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime))
        status = 0
    except BaseException as error:  # reported by the main process
        result = (f"{type(error).__name__}: {error}\n{traceback.format_exc()}", capture.records, None, (0.0, 0.0))
    try:
        with open(path, "wb") as out:
            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(status)  # no atexit handlers, no finalizers of the main process's objects


class Workers:
    """Forked page renderers; one build's worth."""

    def __init__(self) -> None:
        self.children: list[tuple[int, str]] = []  # (pid, result file)
        self.populated: list[str] = []  # a file per worker, written when its Markdown is rendered
        self.folder = ""
        self.peak_mb: list[float] = []  # of each worker
        self.cpu_seconds: list[float] = []
        self.pages = 0
        self.in_worker = False  # True in a forked worker

    def start(
        self, src_uris: list[str], count: int, render: Render, hooks: WorkerHooks, logger: logging.Logger
    ) -> None:
        """Fork `count` workers rendering `src_uris`; `logger`: the engine's, whose records (WARNING
        and above) a worker sends back instead of printing them."""
        self.populated = []
        if count < 1:
            return
        self.folder = tempfile.mkdtemp(prefix="portal-render-")
        for k in range(count):
            path = os.path.join(self.folder, f"{k}.pickle")
            self.populated.append(os.path.join(self.folder, f"{k}.populated"))
            for handler in logging.getLogger().handlers + logger.handlers:
                handler.flush()
            pid = os.fork()
            if pid == 0:
                self.in_worker = True
                _work(src_uris[k::count], render, hooks, logger, path, self.populated[-1])
            self.children.append((pid, path))
        self.pages = len(src_uris)

    def abort(self) -> None:
        """A failed build: stop the workers before its half-written site is removed."""
        for pid, _ in self.children:
            try:
                os.kill(pid, 15)
                os.waitpid(pid, 0)
            except OSError:
                pass
        self.children, self.populated = [], []

    def finish(self, hooks: WorkerHooks) -> str:
        """Wait for the workers and log their warnings; what they did, in Chinese ("" without workers).
        Raises RuntimeError (in Chinese) when a worker failed."""
        failures, results = [], []
        for pid, path in self.children:
            _, status = os.waitpid(pid, 0)
            try:
                with open(path, "rb") as source:
                    results.append(pickle.load(source))
            except OSError:
                failures.append(f"页面生成进程 {pid} 异常退出（状态 {status}）")
        self.children = []
        if self.folder:
            for name in os.listdir(self.folder):
                os.unlink(os.path.join(self.folder, name))
            os.rmdir(self.folder)
            self.folder = ""
        self.peak_mb, self.cpu_seconds = [], []
        for error, records, extra, (peak, cpu) in results:
            for name, level, message in records:
                logging.getLogger(name).log(level, message)
            if error:
                failures.append(error)
                continue
            self.peak_mb.append(peak)
            self.cpu_seconds.append(cpu)
            hooks.absorb(extra)
        if failures:
            raise RuntimeError("页面生成失败：\n" + "\n".join(failures))
        if not self.peak_mb:
            return ""
        return (
            f"页面生成进程 {len(self.peak_mb)} 个：{self.pages} 个稿件页面，"
            f"内存峰值 {' / '.join(f'{mb:.0f}' for mb in self.peak_mb)} MB，"
            f"CPU {' / '.join(f'{s:.1f}' for s in self.cpu_seconds)} 秒。"
        )
