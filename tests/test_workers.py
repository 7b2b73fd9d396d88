"""The forked page renderers (portal.site.workers) are engine-free: any engine's `render` runs in them."""

import logging
import sys

import pytest

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
