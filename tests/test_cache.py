"""The build cache changes how fast a build is, never what it produces."""

from __future__ import annotations

import shutil
import sqlite3

from conftest import REPO, REVIEW_BODY, news, review
from portal.cache import _loaded, _stored
from portal.problems import Problem


def _site(build) -> dict[str, bytes]:
    return {
        p.relative_to(build.site).as_posix(): p.read_bytes()
        for p in build.site.rglob("*")
        if p.is_file() and not p.name.startswith("sitemap.xml")
    }


def _portal_with_items(portal):
    for n in range(1, 6):
        portal.item(
            f"news/2026/item-{n}.md",
            news(title=f"第{n}条消息", date=f"2026-02-0{n}"),
            body=f"第{n}条消息的正文，提到界别党支部。\n\n## 小标题\n\n更多内容。\n",
        )
    portal.item("reviews/2025/r.md", review(), body=REVIEW_BODY)


def _value(blob: bytes):
    return _loaded(blob)


def _mark_cached_entries(root, kind: str, mark: str) -> int:
    """Add a notice naming `mark` to the problems stored with every cached entry of `kind`
    ("items": (item, problems, body length); "body": problems, beside which the body rules keep the
    verdicts of lines and the dictionary sets of proofreading): only a build that reads those entries
    from the cache can tell it. The number of entries marked."""
    [path] = (root / ".cache/portal").glob("*.sqlite")
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT key, value FROM entries WHERE kind = ?", (kind,)).fetchall()
        rows = [(key, blob) for key, blob in rows if kind != "body" or isinstance(_value(blob), list)]
        for key, blob in rows:
            value = _value(blob)
            notice = Problem("content/cache.md", 1, f"{mark}：{key[:8]}", level="notice")
            value = (value[0], [*value[1], notice], *value[2:]) if kind == "items" else [*value, notice]
            db.execute(
                "UPDATE entries SET value = ? WHERE kind = ? AND key = ?",
                (_stored(value), kind, key),
            )
    return len(rows)


def test_a_second_build_reuses_the_cache_and_writes_the_same_site(portal):
    _portal_with_items(portal)
    first = portal.build()
    assert first.returncode == 0, first.output
    cold = _site(first)
    assert "缓存读到" not in first.output
    # Every item read and every item's body rules come from the cache in the second build: entries
    # marked after the first build are what the second one reports (a build that recomputed them,
    # or a cache that never hits, would not know the marks).
    assert _mark_cached_entries(portal.root, "items", "缓存读到稿件") == 6
    assert _mark_cached_entries(portal.root, "body", "缓存读到正文检查") == 6
    second = portal.build()
    assert second.returncode == 0, second.output
    assert second.output.count("缓存读到稿件") == 6 and second.output.count("缓存读到正文检查") == 6, second.output
    assert _site(second) == cold
    assert "用时" in second.output and "页面生成后又等了" in second.output


def test_an_edit_gives_the_same_site_as_a_build_without_cache(portal, tmp_path):
    _portal_with_items(portal)
    assert portal.build().returncode == 0
    portal.item("news/2026/item-3.md", news(title="改过标题的第3条", date="2026-02-03"), body="改过的正文。\n")
    cached = portal.build()
    assert cached.returncode == 0, cached.output
    assert "改过的正文" in cached.page("news/2026/item-3") and "改过标题的第3条" in cached.page("news")
    with_cache = _site(cached)
    shutil.rmtree(portal.root / ".cache")
    portal.config(portal={"content_dir": "content", "per_page": 20, "home_news": 8, "home_reviews": 3, "cache_dir": ""})
    uncached = portal.build()
    assert uncached.returncode == 0, uncached.output
    assert not (portal.root / ".cache").exists()
    assert _site(uncached) == with_cache


def test_a_changed_template_is_not_served_from_the_cache(portal):
    _portal_with_items(portal)
    assert portal.build().returncode == 0
    template = portal.root / "overrides/article.html"
    template.write_text(
        template.read_text(encoding="utf-8").replace("<h1>", '<h1 data-changed="yes">'), encoding="utf-8"
    )
    build = portal.build()
    assert 'data-changed="yes"' in build.page("news/2026/item-1")


def test_the_cache_salt_leaves_out_the_tools_no_build_imports(tmp_path):
    """Editing the mirror or `check` keeps the build cache; editing a hook the build runs does not.
    The build must really not import the tools: a module that did would be missed by the salt."""
    import ast

    from portal.cache import TOOLS, code_salt

    shutil.copytree(REPO / "hooks", tmp_path / "hooks")
    shutil.copy2(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    before = code_salt(tmp_path)
    (tmp_path / "hooks/portal/cli/mirror.py").write_text("# edited\n", encoding="utf-8")
    assert code_salt(tmp_path) == before
    (tmp_path / "hooks/portal/cli/check.py").write_text("# edited\n", encoding="utf-8")
    assert code_salt(tmp_path) == before
    (tmp_path / "hooks/portal/site/published.py").write_text("# edited\n", encoding="utf-8")
    assert code_salt(tmp_path) != before
    hooks = REPO / "hooks"
    for path in hooks.rglob("*.py"):
        if path.relative_to(hooks).is_relative_to("portal/cli"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        assert not {name for name in imported if name == TOOLS or name.startswith(TOOLS + ".")}, (
            f"{path.relative_to(hooks)} imports a tool left out of the cache salt"
        )


def test_cached_pages_that_do_not_read_back_are_rendered_again_not_skipped(portal):
    """Regression: a page entry that no longer unpickled (damaged, or written by other code) was
    taken for a hit, rendered empty, and MkDocs skipped the page: the site lost its item and
    listing pages and the build said it succeeded."""
    import sqlite3

    _portal_with_items(portal)
    first = portal.build()
    assert first.returncode == 0, first.output
    cold = _site(first)
    database = next((portal.root / ".cache/portal").glob("*.sqlite"))
    with sqlite3.connect(database) as db:
        assert db.execute("UPDATE entries SET value = x'00' WHERE kind = 'html'").rowcount > 5
    shutil.rmtree(first.site)  # nothing to carry over: every page comes from the cache or is rendered
    second = portal.build()
    assert second.returncode == 0, second.output
    assert "Page skipped" not in second.output
    assert _site(second) == cold


def test_a_cache_lost_during_the_build_stops_it_instead_of_publishing_pages_without_content():
    """When the cache fails between finding a page in it and reading it (a disk full), the build
    stops with a Chinese message: MkDocs would otherwise skip the page."""
    import logging

    import pytest

    from portal.cache import BuildCache
    from portal.site.build import BuildStop, PortalBuild
    from portal.site.progress import Progress

    build = PortalBuild("build", logging.getLogger("test"))
    build.cache, build.progress = BuildCache(None, "salt"), Progress(logging.getLogger("test"))  # no database: misses
    build.html["news/2026/a.md"] = ("key", True)  # found in the cache when the page was read
    try:
        with pytest.raises(BuildStop, match="构建缓存在构建中途无法读取，页面 news/2026/a/ 无法生成"):
            build.page_written("news/2026/a.md", "news/2026/a/", "")
    finally:
        build.progress.close()


def test_get_many_reads_what_get_reads_and_keeps_it(tmp_path):
    """load_content looks items up a thousand at a time: the same entries as one by one, a corrupt
    entry a miss, and what was read kept when the cache is saved."""
    import sqlite3

    from portal.cache import BuildCache

    cache = BuildCache(tmp_path, "salt")
    for n in range(2500):
        cache.put("items", f"k{n}", {"n": n})
    cache.put("items", "bad", 0)
    cache.db.execute("UPDATE entries SET value = ? WHERE key = 'bad'", (b"not zlib",))
    cache.save("items")
    again = BuildCache(tmp_path, "salt")
    wanted = [f"k{n}" for n in range(0, 2600, 3)] + ["bad"]
    found = again.get_many("items", wanted)
    assert found == {f"k{n}": {"n": n} for n in range(0, 2500, 3)}
    assert found == {key: value for key in wanted if (value := BuildCache(tmp_path, "salt").get("items", key))}
    again.save("items")  # entries read by get_many are used: kept; the others dropped
    with sqlite3.connect(again.path) as db:
        kept = {key for (key,) in db.execute("SELECT key FROM entries WHERE kind = 'items'")}
    assert kept == set(found)


def test_a_new_cache_file_has_pages_an_item_page_fits_in(tmp_path):
    """SQLite's 64 KB pages: a page's HTML (about 12 KB) is one page, not a chain of 4 KB ones, so a
    first build writes the cache with a quarter of the system calls; a file made before keeps its
    own page size and still works."""
    import sqlite3

    from portal.cache import BuildCache

    cache = BuildCache(tmp_path / "new", "salt")
    cache.put("html", "k", "页" * 6000)
    cache.save("html")
    assert cache.db.execute("PRAGMA page_size").fetchone()[0] == 65536
    assert cache.db.execute("PRAGMA page_count").fetchone()[0] <= 3  # schema, index, the page's HTML
    cache.close()
    old = tmp_path / "old"
    old.mkdir()
    with sqlite3.connect(old / f"{'salt'[:16]}.sqlite") as db:
        db.execute("CREATE TABLE entries (kind TEXT, key TEXT, value BLOB, PRIMARY KEY (kind, key))")
    kept = BuildCache(old, "salt")
    kept.put("html", "k", "页")
    kept.save("html")
    assert kept.db.execute("PRAGMA page_size").fetchone()[0] == 4096 and kept.get("html", "k") == "页"
