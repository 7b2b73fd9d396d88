"""The forked page renderers (portal.site.workers) are engine-free: any engine's `render` runs in them."""

import logging
import subprocess
import sys

import pytest

from conftest import REPO, hooks_path
from portal.site.workers import WorkerHooks, Workers, worker_count

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers fork: Linux only")


def test_the_worker_count_follows_the_setting_and_the_size():
    assert worker_count(10, 1) == 0 and worker_count(0, 4) == 0
    assert worker_count(10, 3) == 3 and worker_count(2, 3) == 2
    assert worker_count(10, 0) == 0  # too few pages to pay for forking


def _hooks(absorbed: list, texts: dict):
    state = {"pages": 0}

    def populated(share):
        return {uri: texts[uri] for uri in share}

    def result():
        return state["pages"]

    return WorkerHooks(lambda: state.update(pages=0), populated, result, absorbed.append), state


def test_workers_render_every_page_once_and_bring_back_warnings_and_results(tmp_path):
    pages = [f"p{n}.md" for n in range(7)]
    absorbed: list = []
    hooks, state = _hooks(absorbed, {uri: uri.upper() for uri in pages})
    engine_log = logging.getLogger("test-engine")
    seen: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = seen.append
    engine_log.addHandler(handler)

    def render(share, populated):
        populated()
        for uri in share:
            (tmp_path / uri).write_text(uri)
            state["pages"] += 1
        engine_log.warning(f"警告 {len(share)}")

    workers = Workers()
    try:
        workers.start(pages, 3, render, hooks, engine_log)
        told = workers.finish(hooks)
    finally:
        engine_log.removeHandler(handler)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(pages)
    assert sorted(absorbed) == [2, 2, 3]  # each worker's own count
    assert sorted(r.getMessage() for r in seen) == ["警告 2", "警告 2", "警告 3"]  # logged again, once each
    assert "页面生成进程 3 个：7 个稿件页面" in told


def test_a_failing_worker_is_a_chinese_error_with_its_reason():
    hooks, _ = _hooks([], {"a.md": "", "b.md": ""})

    def render(share, populated):
        raise ValueError("模板坏了")

    workers = Workers()
    workers.start(["a.md", "b.md"], 2, render, hooks, logging.getLogger("test-engine"))
    with pytest.raises(RuntimeError) as raised:
        workers.finish(hooks)
    assert "页面生成失败" in str(raised.value) and "ValueError: 模板坏了" in str(raised.value)
    assert workers.children == [] and workers.folder == ""


def _square(value: int) -> int:
    if value == 13:
        raise ValueError("十三")
    return value * value


@pytest.mark.parametrize("count", [2, 3, 5])
def test_fork_map_is_a_map_in_order_whatever_the_number_of_processes(monkeypatch, count):
    import os

    from portal.forked import MIN_VALUES, fork_map

    monkeypatch.setattr("portal.forked.processes", lambda n: count if n >= MIN_VALUES else 1)
    values = list(range(MIN_VALUES + 37))
    values.remove(13)
    offset = 5  # a closure: forked processes inherit it, nothing is pickled
    assert fork_map(lambda v: _square(v) + offset, values) == [v * v + offset for v in values]
    # Shares are worked by forked processes (a quick one may take two), the caller's among them.
    pids = set(fork_map(lambda v: os.getpid(), values))
    assert os.getpid() in pids and 1 < len(pids) <= count
    assert fork_map(_square, [2, 3]) == [4, 9]  # few values: no process is forked


def test_an_error_in_a_forked_process_is_raised_to_the_caller():
    from portal.forked import MIN_VALUES, fork_map

    with pytest.raises(ValueError, match="十三"):
        fork_map(_square, list(range(MIN_VALUES + 10)))


def test_the_body_rules_find_the_same_problems_forked_as_in_one_process(portal, monkeypatch):
    from conftest import news
    from portal.content.reader import load_content
    from portal.rules.body import body_problems

    for n in range(240):
        body = "本县召开座谈会，XX同志出席。\n" if n % 40 == 0 else f"第{n}篇稿件，协调各方做好工作。\n"
        portal.item(f"news/2026/item-{n}.md", news(title=f"第{n}篇", date="2026-02-01"), body=body)
    items = load_content(portal.content).items
    forked = body_problems(items, "content", ())
    later = body_problems(items, "content", (), later=True)  # a forked process checks them: the caller goes on
    assert callable(later)
    monkeypatch.setattr("portal.forked.processes", lambda count: 1)
    alone = body_problems(items, "content", ())
    assert forked == alone == later() and len([p for p in alone if "XX" in p.message]) == 6


def test_later_is_computed_by_another_process_and_raises_or_falls_back_in_the_caller():
    import os

    from portal.forked import Later

    pid, value = Later(lambda: (os.getpid(), [1, "二"])).result()
    assert value == [1, "二"] and pid != os.getpid()
    with pytest.raises(ValueError, match="十三"):
        Later(lambda: _square(13)).result()
    unpicklable = Later(lambda: lambda: os.getpid())  # what does not pickle is computed by the caller
    assert unpicklable.result()() == os.getpid()
    died = Later(lambda: os._exit(9))  # killed (for memory): the caller computes it
    died.func = lambda: "由调用者计算"
    assert died.result() == "由调用者计算"


def test_content_is_read_the_same_forked_as_in_one_process(portal, monkeypatch):
    from conftest import news
    from portal.content.reader import load_content

    for n in range(230):
        if n % 50:
            portal.item(f"news/2026/item-{n}.md", news(title=f"第{n}篇", date="2026-02-01"), body=f"第{n}篇正文。\n")
        else:
            portal.write(f"news/2026/item-{n}.md", "---\ntitle: [没有闭合\n---\n\n正文。\n")
    forked = load_content(portal.content)
    monkeypatch.setattr("portal.forked.processes", lambda count: 1)
    alone = load_content(portal.content)
    assert [i.path for i in forked.items] == [i.path for i in alone.items] and len(alone.items) == 225
    assert forked.problems == alone.problems and sum(p.level == "error" for p in alone.problems) >= 5


def test_the_build_imports_where_there_is_no_fork_or_resource_module():
    """Windows has no `resource` module: importing the build (and its workers) must not need it;
    there everything is rendered in one process."""
    code = (
        "import sys; sys.modules['resource'] = None\n"
        "import portal.site.build, portal.forked\n"
        "from portal.site.workers import worker_count\n"
        "sys.platform = 'win32'\n"
        "assert worker_count(5000, 0) == 0 and portal.forked.processes(5000) == 1\n"
        "assert portal.forked.fork_map(lambda v: v + 1, list(range(300))) == list(range(1, 301))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=hooks_path(REPO), timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_fork_map_computes_everything_itself_when_it_cannot_fork(monkeypatch):
    """No memory or no process left to fork (a busy CI runner): the build goes on in one process."""
    import os

    from portal.forked import MIN_VALUES, fork_map

    def no_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    values = list(range(MIN_VALUES + 10))
    assert fork_map(lambda v: v * v, values) == [v * v for v in values]


def test_fork_map_computes_everything_itself_when_a_process_dies():
    """A forked process killed (the kernel's OOM killer) is no traceback: the caller does its share."""
    import os

    from portal.forked import MIN_VALUES, fork_map

    parent = os.getpid()

    def dies_in_a_child(v: int) -> int:
        if os.getpid() != parent:
            os._exit(9)
        return v * v

    values = list(range(MIN_VALUES + 10))
    assert fork_map(dies_in_a_child, values) == [v * v for v in values]


def test_pages_are_rendered_by_the_main_process_when_no_worker_can_be_forked(monkeypatch):
    """os.fork failing (ENOMEM on a large site, a process limit) must not stop the build with a
    traceback nor leave the pages to nobody: the engine renders them all, the index takes no worker texts."""
    import os
    import types

    from portal.site.build import PortalBuild

    build = PortalBuild("build", logging.getLogger("test"))
    build.plan = types.SimpleNamespace(
        site=types.SimpleNamespace(settings=types.SimpleNamespace(render_workers=2), listings=[])
    )
    indexed = []
    monkeypatch.setattr(build, "start_search_index", lambda from_workers, files: indexed.append((from_workers, files)))

    def no_fork():
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_fork)
    build.render_items(["news/2026/a.md", "news/2026/b.md"], lambda share, populated: None, logging.getLogger("x"))
    assert build.skipped == set() and indexed == [(set(), [])]
    assert build.workers.finish(build._worker_hooks()) == ""


def test_under_mkdocs_build_the_page_renderers_give_way_to_the_search_index(portal):
    """The index process starts at the build's priority; then the renderers (the build process and
    its forked worker) lower theirs, so that the index, fed as pages render, is not the last to
    finish while the other core idles (issue 16). And what the build made before the pages stays
    frozen (out of the cycle collector's walks) while they render."""
    from conftest import in_process_build, news

    for n in range(1, 41):
        portal.item(f"news/2026/item-{n:02}.md", news(title=f"第{n}条", date="2026-02-01"), body=f"第{n}条正文。\n")
    portal.config(portal={"render_workers": 2})
    script = """
        import gc, os, sys
        from mkdocs.config import load_config
        from mkdocs.commands.build import build
        config = load_config("mkdocs.yml")
        config.plugins.on_startup(command="build", dirty=False)
        import portal.search, portal.site.build
        before, seen = os.nice(0), {}
        started = portal.search.IndexJob.__init__
        def start(job, *args, **kwargs):
            started(job, *args, **kwargs)
            seen["index"] = os.getpriority(os.PRIO_PROCESS, job.process.pid) - before
        portal.search.IndexJob.__init__ = start
        texts = portal.site.build.PortalBuild.worker_texts
        def worker_texts(self, src_uris):  # in the forked worker
            open("worker-nice", "w").write(str(os.nice(0) - before))
            return texts(self, src_uris)
        portal.site.build.PortalBuild.worker_texts = worker_texts
        build(config)
        config.plugins.on_shutdown()
        print("index", seen["index"], "worker", open("worker-nice").read(), "main", os.nice(0) - before)
        print("frozen", gc.get_freeze_count() > 10000)
    """
    out = in_process_build(portal, script)
    from portal.site.workers import RENDER_NICENESS

    assert f"index 0 worker {RENDER_NICENESS} main {RENDER_NICENESS}" in out, out
    assert "frozen True" in out
