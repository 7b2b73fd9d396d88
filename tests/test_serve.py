"""`mkdocs serve` mounts content/ and rebuilds when an editor saves a file there."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

from conftest import fetch, mkdocs_serve, news, wait_for


def test_serve_reloads_when_content_changes(portal):
    item = portal.item("news/2026/a.md", news(), body="第一版正文。\n")
    with mkdocs_serve(portal.root) as base:
        url = base + "news/2026/a/"
        assert wait_for(url, "第一版正文"), "the item was not served"
        item.write_text(item.read_text(encoding="utf-8").replace("第一版正文", "第二版正文"), encoding="utf-8")
        assert wait_for(url, "第二版正文"), "the edit in content/ was not picked up"
        portal.item("news/2026/b.md", news(title="新写的一篇稿件"))
        assert wait_for(base + "news/", "新写的一篇稿件"), "a new item did not appear in the list"


def test_serve_previews_unpublished_items_with_a_banner(portal):
    portal.item("news/2026/draft.md", news(title="草稿预览", draft=True))
    portal.item("news/2026/unsigned.md", news(title="待签发预览", signed_off_by=None))
    with mkdocs_serve(portal.root) as base:
        assert wait_for(base + "news/2026/draft/", "预览：草稿，这篇稿件不会发布。")
        assert wait_for(base + "news/2026/unsigned/", "预览：未签发，这篇稿件不会发布。")


def test_serve_shows_a_broken_item_s_problems_in_chinese_at_its_address(portal):
    item = portal.item("news/2026/broken.md", news(title="<b>有问题</b>的稿件", column="工作动太"))
    with mkdocs_serve(portal.root) as base:
        url = base + "news/2026/broken/"
        assert wait_for(url, "这篇稿件有问题，暂时不能预览"), "no problem page at the broken item's address"
        page = fetch(url)
        assert "错误，第 4 行：</strong>字段 column（栏目）的值是未声明的栏目“工作动太”" in page
        assert "修改建议：是不是“工作动态”？" in page and "content/news/2026/broken.md" in page
        assert "404" not in page.split("<body", 1)[1] and "Not found" not in page
        item.write_text(item.read_text(encoding="utf-8").replace("工作动太", "工作动态"), encoding="utf-8")
        assert wait_for(url, "&lt;b&gt;有问题&lt;/b&gt;的稿件"), "the fixed item was not previewed"
        assert "这篇稿件有问题" not in fetch(url)
        # Any other missing address: the portal's Chinese 404 page, also in the preview.
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(base + "news/2026/meiyou/", timeout=5)
        assert missing.value.code == 404 and "<h1>页面没有找到</h1>" in missing.value.read().decode("utf-8")


def test_a_build_after_a_preview_writes_the_sites_own_addresses(portal):
    """Regression: `mkdocs serve` renders pages with its own address (http://127.0.0.1:…/) and
    shared the build cache with `mkdocs build`, which then published the preview's pages:
    canonical links, og:url and share links to 127.0.0.1."""
    portal.item("news/2026/a.md", news(), body="第一版正文。\n")
    portal.item("news/2026/b.md", news(title="第二篇稿件", date="2026-03-03"), body="第二篇正文。\n")
    with mkdocs_serve(portal.root) as base:
        assert wait_for(base + "news/2026/a/", "第一版正文")
        assert "127.0.0.1" in fetch(base + "news/2026/a/")
    build = portal.build()
    assert build.returncode == 0, build.output
    for name, html in build.html_files().items():
        assert "127.0.0.1" not in html, name
    assert '<link rel="canonical" href="https://portal.test/news/2026/a/">' in build.page("news/2026/a")


def _search_text(base: str, title: str) -> str:
    """The text the preview's search index holds for the item titled `title`."""
    from portal.search import TEXTS_PER_FILE, read_text

    for doc_id in range(0, 20, TEXTS_PER_FILE):
        name = f"t/{doc_id // TEXTS_PER_FILE}.bin"
        try:
            with urllib.request.urlopen(f"{base}search/{name}", timeout=5) as response:
                files = {name: response.read()}
        except OSError:
            return ""
        for i in (doc_id, doc_id + 1):
            try:
                text = read_text(files, i)
            except (IndexError, KeyError):
                continue
            if text["t"] == title:
                return text["x"]
    return ""


def test_a_body_edit_in_the_preview_renders_only_that_page_and_its_search_text(portal, tmp_path):
    """Issue 16: a save that changes only an item's body (not its first paragraph, which is its summary)
    re-renders that page in place and updates the search index beside it; anything else rebuilds."""
    import time

    from conftest import fetch

    body = "第一段是摘要，保持不变。\n\n第二段原来的文字。\n"
    item = portal.item("news/2026/a.md", news(title="快速预览稿件"), body=body)
    portal.item("news/2026/b.md", news(title="另一篇稿件", date="2026-03-01"), body="另一篇的正文。\n")
    log = tmp_path / "serve.log"
    with mkdocs_serve(portal.root, log) as base:
        url = base + "news/2026/a/"
        assert wait_for(url, "第二段原来的文字")
        served = lambda path: re.sub(r"reload\(\d+, \d+\)", "", fetch(base + path))  # noqa: E731 - the epochs
        listing, other = served("news/"), served("news/2026/b/")
        item.write_text(item.read_text(encoding="utf-8").replace("原来的文字", "改过的文字"), encoding="utf-8")
        assert wait_for(url, "第二段改过的文字"), "the edit was not previewed"
        text = log.read_text(encoding="utf-8", errors="replace")
        assert "预览：只有 1 篇稿件的正文改了，只重新生成了它们的页面" in text, text[-3000:]
        assert text.count("构建完成") == 1  # no full rebuild
        assert served("news/") == listing and served("news/2026/b/") == other
        deadline = time.monotonic() + 60
        while "改过的文字" not in _search_text(base, "快速预览稿件") and time.monotonic() < deadline:
            time.sleep(0.3)
        assert "第二段改过的文字" in _search_text(base, "快速预览稿件"), "the search index was not updated"
        # The first paragraph is the item's summary (listings, feeds, og:description): a full rebuild.
        item.write_text(item.read_text(encoding="utf-8").replace("保持不变", "改了摘要"), encoding="utf-8")
        assert wait_for(url, 'content="第一段是摘要，改了摘要。"'), "the new summary was not previewed"
        assert log.read_text(encoding="utf-8", errors="replace").count("构建完成") == 2
        # A placeholder is an error: the full rebuild shows it at the item's address.
        item.write_text(item.read_text(encoding="utf-8").replace("改过的文字", "XXX的文字"), encoding="utf-8")
        assert wait_for(url, "这篇稿件有问题，暂时不能预览"), "the unfinished item was previewed"
