"""Item pages rendered on every core.

MkDocs reads, renders and writes pages one after another in one process. On a large
portal almost all pages are item pages, which need nothing from one another: after
the navigation is known (`on_nav`), `Workers.start` forks processes that each read,
render and write a share of them with MkDocs' own page functions and the same hooks,
while the main process goes on with the other pages (listings, home, about), which
MkDocs' loops are made to pass over the pages given to workers. `Workers.finish`
(from `on_post_build`) waits for them and brings back into the main process what
MkDocs and the hooks would have seen there:
  - log records of WARNING and above, logged again (so `--strict` counts them once);
  - each page's anchors and links to anchors, for MkDocs' anchor validation;
  - whatever the hooks ask for (`WorkerHooks`: cache entries, icons, page counts).
Linux only (fork); elsewhere, and for few pages, everything stays in the main process.
"""

from __future__ import annotations

import logging
import os
import pickle
import resource
import sys
import tempfile
import traceback
from dataclasses import dataclass
from typing import Any, Callable

import mkdocs.commands.build as mkdocs_build
from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.pages import Page

MIN_PAGES = 400  # below this, forking and compiling the templates again costs more than it saves

_skipped: set[str] = set()  # src_uris the main process passes over (a worker renders them, or carried over)
_anchors: dict[str, tuple] = {}  # carried pages: src_uri -> (present anchor ids, {src_uri: {anchor: link}})
_populate_page = mkdocs_build._populate_page
_build_page = mkdocs_build._build_page


def pass_over(src_uris, anchors: dict[str, tuple] | None = None) -> None:
    """The main process will not render these pages; `anchors`: what they hold and link to
    (portal.site.carry), for MkDocs' anchor validation."""
    _skipped.update(src_uris)
    _anchors.update(anchors or {})


def reset() -> None:
    _skipped.clear()
    _anchors.clear()


def _populate_unless_skipped(page, config, files, dirty=False):
    if page.file.src_uri not in _skipped:
        _populate_page(page, config, files, dirty)
    elif page.file.src_uri in _anchors:
        page.present_anchor_ids, links = _anchors[page.file.src_uri]
        page.links_to_anchors = {target: a for uri, a in links.items() if (target := files.get_file_from_path(uri))}


def _build_unless_skipped(page, config, doc_files, nav, env, dirty=False, excluded=False):
    if page.file.src_uri not in _skipped:
        _build_page(page, config, doc_files, nav, env, dirty, excluded)


# MkDocs' build() calls these two module functions once per page; the wrappers pass over
# the pages workers render. (mkdocs is pinned in requirements.txt; test_speed builds with workers.)
mkdocs_build._populate_page = _populate_unless_skipped
mkdocs_build._build_page = _build_unless_skipped


def worker_count(pages: int, setting: int) -> int:
    """`render_workers`: 0 chooses (every core when there are enough pages), 1 renders in the
    main process only, N forks N workers."""
    if sys.platform != "linux" or setting == 1 or pages == 0:
        return 0
    if setting == 0:
        return (os.cpu_count() or 1) if pages >= MIN_PAGES and (os.cpu_count() or 1) > 1 else 0
    return min(setting, pages)


@dataclass
class WorkerHooks:
    """What the hook module does around a worker's pages: `start()` runs first in the worker,
    `result()` last (its value comes back to `absorb` in the main process)."""

    start: Callable[[], None]
    populated: Callable[[list], Any]  # the worker's pages with their Markdown rendered -> pickled to a file
    result: Callable[[], Any]
    absorb: Callable[[Any], None]


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _render(
    src_uris: list[str], config, files, nav, serve: bool, path: str, populated: str, hooks: WorkerHooks
) -> None:
    """In a worker: render and write the pages, then pickle what the main process needs to `path`."""
    status, capture = 1, _Capture()
    try:
        mkdocs_log = logging.getLogger("mkdocs")
        mkdocs_log.handlers, mkdocs_log.propagate = [capture], False
        hooks.start()
        env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        inclusion = InclusionLevel.is_in_serve if serve else InclusionLevel.is_included
        pages = []
        for src_uri in src_uris:
            file = files.get_file_from_path(src_uri)
            page = file.page or Page(None, file, config)
            _populate_page(page, config, files)
            pages.append(page)
        with open(populated + ".part", "wb") as out:
            pickle.dump(hooks.populated(pages), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.rename(populated + ".part", populated)  # complete when it appears
        doc_files = files.documentation_pages(inclusion=inclusion)
        for page in pages:
            _build_page(page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded())
        anchors = {
            page.file.src_uri: (
                page.present_anchor_ids,
                {f.src_uri: links for f, links in (page.links_to_anchors or {}).items()},
            )
            for page in pages
        }
        usage = resource.getrusage(resource.RUSAGE_SELF)
        result = (
            None,
            capture.records,
            anchors,
            hooks.result(),
            (usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime),
        )
        status = 0
    except BaseException as error:  # reported by the main process
        result = (f"{type(error).__name__}: {error}\n{traceback.format_exc()}", capture.records, {}, None, (0.0, 0.0))
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

    def start(self, src_uris: list[str], count: int, config, files, nav, serve: bool, hooks: WorkerHooks) -> None:
        self.populated = []
        if count < 1:
            return
        self.folder = tempfile.mkdtemp(prefix="portal-render-")
        shares = [src_uris[k::count] for k in range(count)]
        _skipped.update(src_uris)
        for k, share in enumerate(shares):
            path = os.path.join(self.folder, f"{k}.pickle")
            self.populated.append(os.path.join(self.folder, f"{k}.populated"))
            for handler in logging.getLogger().handlers + logging.getLogger("mkdocs").handlers:
                handler.flush()
            pid = os.fork()
            if pid == 0:
                self.in_worker = True
                _render(share, config, files, nav, serve, path, self.populated[-1], hooks)
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
        self.children = []
        reset()

    def finish(self, files, log_level: int, hooks: WorkerHooks) -> None:
        """Wait for the workers; log their warnings; validate anchors MkDocs could not see.
        Raises RuntimeError (in Chinese) when a worker failed."""
        failures = []
        results = []
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
        worker_pages = set()
        self.peak_mb, self.cpu_seconds = [], []
        for error, records, anchors, extra, (peak, cpu) in results:
            for name, level, message in records:
                logging.getLogger(name).log(level, message)
            if error:
                failures.append(error)
                continue
            self.peak_mb.append(peak)
            self.cpu_seconds.append(cpu)
            hooks.absorb(extra)
            for src_uri, (present, links) in anchors.items():
                page = files.get_file_from_path(src_uri).page
                page.present_anchor_ids = present
                page.links_to_anchors = {t: a for uri, a in links.items() if (t := files.get_file_from_path(uri))}
                worker_pages.add(src_uri)
        reset()
        if failures:
            raise RuntimeError("页面生成失败：\n" + "\n".join(failures))
        _validate_anchors(files, worker_pages, log_level)


def _validate_anchors(files, worker_pages: set[str], log_level: int) -> None:
    """MkDocs validated the main process's pages against what it knew: now the workers' pages,
    and the main process's links into them."""
    for file in files.documentation_pages():
        page = file.page
        if page is None or not page.links_to_anchors:
            continue
        if file.src_uri in worker_pages:
            page.validate_anchor_links(files=files, log_level=log_level)
            continue
        into = {f: a for f, a in page.links_to_anchors.items() if f.src_uri in worker_pages}
        if into:
            kept, page.links_to_anchors = page.links_to_anchors, into
            try:
                page.validate_anchor_links(files=files, log_level=log_level)
            finally:
                page.links_to_anchors = kept
