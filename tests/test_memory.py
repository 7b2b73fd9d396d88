"""Build memory (issue 16: at most 600 MB for the whole build, forked processes included): what a
build no longer needs is released before it forks its page renderers and search index process."""

from __future__ import annotations

import pickle
import re
import sys
import time
from dataclasses import replace

import pytest

from conftest import in_process_build, news
from portal.search import IndexJob, SearchDoc, _index, build_index, index_files, render_docs


def test_a_build_releases_jieba_once_every_item_is_proofread(portal):
    portal.item("news/2026/a.md", news(), body="县知联会坚持把党的领导作为第一要求，加党强对各级组织的领导。\n")
    out = in_process_build(
        portal,
        """
        import sys
        from mkdocs.config import load_config
        from mkdocs.commands.build import build
        config = load_config("mkdocs.yml")
        config.plugins.on_startup(command="build", dirty=False)
        adapter = sys.modules["portal.engines.mkdocs"]
        seen = []
        on_nav = adapter.on_nav
        def watched(nav, config, files):  # where the page renderers are forked
            seen.append(sorted(name for name in sys.modules if name.split(".")[0] == "jieba"))
            return on_nav(nav, config, files)
        config.plugins.events["nav"] = [watched if e is on_nav else e for e in config.plugins.events["nav"]]
        build(config)
        config.plugins.on_shutdown()
        print("proofread", "加党强" in open("site/news/2026/a/index.html", encoding="utf-8").read())
        print("jieba at fork", seen)
        """,
    )
    assert "proofread True" in out
    assert "jieba at fork [[]]" in out, out


def _resident_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))


@pytest.mark.skipif(sys.platform != "linux", reason="the index is built beside the pages on Linux only")
def test_the_search_index_process_does_not_share_the_builds_memory(tmp_path):
    """A forked index process would map all the build holds and, once the build and its page
    renderers had copied the pages they write to, be the last to hold the originals."""
    docs = [
        SearchDoc(f"news/{n}/", f"第{n}条消息", f"2026-01-0{n}", "工作动态", "县知联会", "news", "") for n in (1, 2)
    ]
    texts = tmp_path / "texts.pickle"  # a page renderer's texts: the job waits for them
    ballast = bytearray(1) * (300 << 20)  # what a large build holds (written, so resident)
    job = IndexJob(docs, ["工作动态"], ["县知联会"], [], {}, {}, [str(texts)])
    try:
        time.sleep(1)
        assert _resident_mb(job.process.pid) < 150, "the index process holds the build's memory"
    finally:
        del ballast
    part = tmp_path / "texts.part"
    part.write_bytes(pickle.dumps({"news/1/": "统一战线同心圆", "news/2/": "知联会理事会"}))
    part.rename(texts)
    expected = index_files(
        [replace(docs[0], body="统一战线同心圆"), replace(docs[1], body="知联会理事会")], ["工作动态"], ["县知联会"]
    )
    assert job.result() == expected
    assert 0 < job.peak_mb < 150


def test_the_index_process_gets_no_markdown_for_bodies_whose_text_it_is_given():
    """The build sends the index process the Markdown only of bodies nobody rendered: a body left
    out (None) takes its given text, and a missing text is a clear error, never an empty entry."""
    given = SearchDoc("news/1/", "第1条", "2026-01-01", "工作动态", "县知联会", "news", None)
    own = SearchDoc("news/2/", "第2条", "2026-01-02", "工作动态", "县知联会", "news", "**统一战线**")
    [first, second] = render_docs([given, own], [], {}, {"news/1/": "同心圆"})
    assert (first.body, second.body.strip()) == ("同心圆", "统一战线")
    with pytest.raises(RuntimeError, match="第1条"):
        render_docs([given], [], {}, {})


def test_an_index_built_with_a_spool_hands_over_its_item_and_shard_files_as_it_makes_them():
    docs = [
        SearchDoc(
            f"news/{n}/", f"第{n}条消息", f"2026-01-{n:02}", "工作动态", "县知联会", "news", f"统一战线第{n}次同心"
        )
        for n in range(1, 30)
    ]
    spooled: dict[str, bytes] = {}
    index = build_index(docs, ["工作动态"], ["县知联会"], spool=spooled.__setitem__)
    assert sorted(index.files) == ["docs.bin", "meta.json"]  # all the indexing process still holds
    assert {name[:2] for name in spooled} == {"t/", "g/", "u/"}
    assert {**spooled, **index.files} == index_files(docs, ["工作动态"], ["县知联会"])


def test_the_build_process_renders_a_share_of_the_item_pages_and_hands_the_index_their_texts(portal):
    """Two renderers are the build process and one forked worker, not two workers beside it: whatever
    page of memory a renderer writes to (reading an object writes its reference count) is then held
    twice, not three times. The build process's share is what evens out the listings it renders too,
    and the search index gets that share's texts from it, rendering no body a second time."""
    for n in range(1, 61):
        portal.item(
            f"news/2026/item-{n:02}.md",
            news(title=f"第{n}条消息", date=f"2026-02-{n % 28 + 1:02}"),
            body=f"第{n}条消息的正文，统一战线同心圆。\n\n## 小标题\n\n正文第二段。\n",
        )
    portal.config(portal={"render_workers": 2})
    build = portal.build()
    assert build.returncode == 0, build.output
    forked = re.search(r"页面生成进程 1 个：(\d+) 个稿件页面", build.output)
    assert forked, build.output  # one worker forked: the build process is the other renderer
    assert 0 < int(forked.group(1)) < 60, build.output  # and renders some item pages itself
    assert "其中 0 篇正文由索引进程渲染" in build.output, build.output
    assert len(list((portal.root / "site/news/2026").glob("item-*/index.html"))) == 60
    assert "统一战线同心圆" in build.page("news/2026/item-07")
    from portal.site.build import _own_share

    pages = [f"p{n}" for n in range(100)]
    assert _own_share(pages, 1, 0) == set() and _own_share(pages, 2, 0) == set(pages[1::2])
    assert len(_own_share(pages, 2, 30)) == 35 and _own_share(pages, 2, 120) == set()
    spread = sorted(int(page[1:]) for page in _own_share(pages, 2, 60))
    assert len(spread) == 20 and spread[0] < 10 and spread[-1] > 90  # spread over the list, not its head


def test_item_pages_drop_their_markdown_once_rendered_and_their_html_once_written(portal):
    """MkDocs holds every page it renders until the build ends: an item page's Markdown and HTML
    (about 11 KB an item) are released as soon as they are no longer needed."""
    portal.item("news/2026/a.md", news(), body="县知联会召开理事会。\n\n## 会议内容\n\n审议工作报告。\n")
    portal.config(portal={"render_workers": 1})
    out = in_process_build(
        portal,
        """
        import sys
        from mkdocs.config import load_config
        from mkdocs.commands.build import build
        config = load_config("mkdocs.yml")
        config.plugins.on_startup(command="build", dirty=False)
        adapter = sys.modules["portal.engines.mkdocs"]
        kept = {}
        on_nav = adapter.on_nav
        def watched(nav, config, files):
            kept["files"] = files
            return on_nav(nav, config, files)
        config.plugins.events["nav"] = [watched if e is on_nav else e for e in config.plugins.events["nav"]]
        build(config)
        config.plugins.on_shutdown()
        item = kept["files"].get_file_from_path("news/2026/a.md").page
        home = kept["files"].get_file_from_path("index.md").page
        print("item", item.markdown, item.content, item.toc)
        print("home kept", home.content is not None)
        print("written", "审议工作报告" in open("site/news/2026/a/index.html", encoding="utf-8").read())
        """,
    )
    assert "item None None None" in out, out
    assert "home kept True" in out and "written True" in out, out


def test_the_index_process_drops_each_body_once_it_is_indexed():
    """The indexing process holds every body when it starts; with `consume` each is dropped as its
    postings are made, so it never holds all the bodies and all the postings at once. The files
    are the same, and a caller that keeps its docs (the default) keeps their bodies."""
    docs = [
        SearchDoc(f"news/{n}/", f"第{n}条消息", f"2026-01-{n:02}", "工作动态", "县知联会", "news", f"统一战线第{n}次")
        for n in range(1, 20)
    ]
    expected = index_files([replace(doc) for doc in docs], ["工作动态"], ["县知联会"])
    kept = [replace(doc) for doc in docs]
    assert build_index(kept, ["工作动态"], ["县知联会"]).files == expected
    assert all(doc.body for doc in kept)
    given = [replace(doc) for doc in docs]
    assert build_index(given, ["工作动态"], ["县知联会"], consume=True).files == expected
    assert [doc.body for doc in given] == [None] * len(docs)
    texts = {doc.url: doc.body for doc in docs}
    bare = [replace(doc, body=None) for doc in docs]
    index = _index(bare, ["工作动态"], ["县知联会"], [], {}, texts, {}, None)
    assert index.files == expected and texts == {}  # the texts given are not kept beside the docs
