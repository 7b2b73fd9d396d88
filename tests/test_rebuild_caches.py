"""What a rebuild after an edit takes from the build cache instead of working it out for every item
again (issue 16): each item's links and asset findings, its print, the page keys. A rebuild must
write what a build without the cache writes, whatever the edit touched."""

from __future__ import annotations

import dataclasses
import datetime
import gc
import shutil
import types

from conftest import SITE_URL, news
from portal.cache import BuildCache
from portal.collector import paused
from portal.content.facts import body_facts
from portal.content.history import history_problems
from portal.content.reader import SET_BY_BUILD, item_print, load_content, read_item
from portal.rules.links import page_url
from portal.site.compact import SHELL, SPRITE
from portal.site.plan import SitePlan
from portal.site.published import PortalSite

SETTINGS = types.SimpleNamespace(per_page=2, home_news=8, home_reviews=3, feature_column="", embed_hosts=[])
TODAY = datetime.date(2026, 6, 1)
KEPT = (SHELL, SPRITE)


def _url_for(uri: str) -> str:
    return page_url(uri) if uri.endswith(".md") else uri


def _site(build) -> dict[str, bytes]:
    """Every file but the sitemap's dates and the icons and shell parts, which keep what earlier
    builds' pages used (portal.site.compact) and so grow over a series of builds by design."""
    return {
        p.relative_to(build.site).as_posix(): p.read_bytes()
        for p in build.site.rglob("*")
        if p.is_file() and not p.name.startswith("sitemap.xml") and p.relative_to(build.site).as_posix() not in KEPT
    }


def _rebuild_is_as_without_cache(portal, tmp_path, name: str) -> str:
    """Build with the cache of the builds before, then a copy of the portal without any cache:
    the same site and the same warnings. The cached build's output."""
    cached = portal.build(strict=False)
    assert cached.returncode == 0, cached.output
    fresh = tmp_path / name
    top = str(portal.root)  # its output, old outputs being deleted and cache left out (not hooks/portal/site/)
    shutil.copytree(
        portal.root,
        fresh,
        ignore=lambda at, names: [n for n in names if at == top and (n in (".cache", "site") or n.startswith("site."))],
    )
    uncached = type(portal).__new__(type(portal))
    uncached.root, uncached.content = fresh, fresh / "content"
    clean = uncached.build(strict=False)
    assert clean.returncode == 0, clean.output
    assert _site(cached) == _site(clean)
    warnings = lambda output: sorted(line for line in output.splitlines() if line.startswith("WARNING"))  # noqa: E731
    assert warnings(cached.output) == warnings(clean.output)
    return cached.output


def test_rebuilds_after_edits_to_other_items_write_what_a_build_without_cache_writes(portal, tmp_path):
    """A link target renamed, a neighbour's title and column changed, an item added (the pages of
    a listing change for all its pages): pages whose own file did not change show it."""
    portal.item(
        "news/2026/a.md", news(title="甲稿", date="2026-02-01"), body="见[乙稿](b.md)和[乙稿网址](/news/2026/b/)。\n"
    )
    portal.item("news/2026/b.md", news(title="乙稿", date="2026-02-02"), body="乙稿正文。\n")
    portal.item("news/2026/c.md", news(title="丙稿", date="2026-02-03"), body="丙稿正文。\n")
    portal.config(portal={"per_page": 1})
    first = portal.build()
    assert first.returncode == 0, first.output
    assert "/news/2026/b/" in first.links("news/2026/a") and "乙稿" in first.page("news/2026/c")

    (portal.content / "news/2026/b.md").rename(portal.content / "news/2026/b2.md")  # the link target renamed
    output = _rebuild_is_as_without_cache(portal, tmp_path, "renamed")
    assert "链接指向的稿件“b.md”不存在" in output and "链接指向的稿件“/news/2026/b/”不存在" in output

    portal.item("news/2026/b2.md", news(title="改名后的乙稿", date="2026-02-02"), body="乙稿正文。\n")
    output = _rebuild_is_as_without_cache(portal, tmp_path, "title")
    assert "改名后的乙稿" in (portal.root / "site/news/2026/c/index.html").read_text(encoding="utf-8")

    portal.item("news/2026/b2.md", news(title="改名后的乙稿", date="2026-02-02", column="经验交流"))
    _rebuild_is_as_without_cache(portal, tmp_path, "column")

    portal.item("news/2026/d.md", news(title="丁稿", date="2026-02-04"))  # one more page of every listing of all
    _rebuild_is_as_without_cache(portal, tmp_path, "added")


def test_items_read_back_from_the_cache_are_the_items_read_from_their_files(portal, tmp_path):
    """The cache keeps an item without its body when the body ends the file (read back from the
    file's bytes), else with it: a Windows file, a body ending in a comment the reader drops."""
    portal.item("news/2026/a.md", news(title="甲"), body="正文一段。\n\n![图](missing.png)\n")
    portal.write("news/2026/b.md", portal.content.joinpath("news/2026/a.md").read_text("utf-8").replace("\n", "\r\n"))
    portal.item("news/2026/c.md", news(title="丙"), body="正文。\n\n<!-- 编辑备注 -->\n")
    portal.item("news/2026/d.md", news(title="丁"), body="[链接](/news/2026/a/)\n")
    cache = BuildCache(tmp_path / "cache", "salt" * 10)
    first = load_content(portal.content, "content", cache)
    cache.save("items")
    second = load_content(portal.content, "content", cache)
    assert [repr(item) for item in second.items] == [repr(item) for item in first.items]
    assert [str(problem) for problem in second.problems] == [str(problem) for problem in first.problems]
    assert any("missing.png" in str(problem) for problem in second.problems)
    for item in second.items:  # read back, not found again: the facts name the body they were found in
        assert item.__dict__["_body_facts"].body is item.body
    assert body_facts(second.items[-1]).by_address and not body_facts(second.items[0]).by_address


def test_body_facts_are_found_again_when_a_preview_replaces_the_body(portal):
    portal.item("news/2026/a.md", news(title="甲"), body="没有链接。\n")
    [item] = load_content(portal.content).items
    assert body_facts(item).links == () and not body_facts(item).link_targets
    item.body = "见[乙稿](b.md)。\n"  # as PortalBuild._patch does
    facts = body_facts(item)
    assert [target for _, _, target, _ in facts.links] == ["b.md"] and facts.link_targets


def test_an_item_print_changes_with_everything_the_item_holds(portal):
    portal.item("news/2026/a.md", news(title="甲", date="2026-02-01"))
    portal.item("news/2026/b.md", news(title="乙", date="2026-02-02"))
    [a, b] = sorted(load_content(portal.content).items, key=lambda item: item.path)
    first = item_print(a)
    assert item_print(a) == first and item_print(b) != first
    portal.item("news/2026/a.md", news(title="甲改", date="2026-02-01"))
    assert item_print(next(i for i in load_content(portal.content).items if i.path == a.path)) != first
    for name, value in (("url", "x/"), ("updated", datetime.date(2026, 3, 1)), ("assets", ("p.png",))):
        changed = dataclasses.replace(a)
        changed.__dict__.update({key: value for key, value in a.__dict__.items() if key.startswith("_")})
        setattr(changed, name, value)
        assert item_print(changed) != first, name
    a.body = "换了正文。\n"  # a preview's patch: the print falls back to the item's repr
    assert item_print(a) != first


def test_the_fields_a_build_sets_on_items_are_in_their_print(portal):
    """item_print digests the cache key of the item's file and the fields the build sets: a field
    set after parsing (by load_content, the history, the plan) left out of SET_BY_BUILD would leave pages stale."""
    portal.item(
        "news/2026/a.md",
        news(title="甲", date="2026-02-01", cover="a.png"),
        body="正文。\n\n![图](a.png)\n\n[通知](a.pdf)\n",
    )
    portal.write("news/2026/a.png", _png())
    portal.write("news/2026/a.pdf", b"%PDF-1.4\n%%EOF\n")
    portal.item("news/2026/b.md", news(title="乙", date="2026-02-02", draft=True))
    content = load_content(portal.content)
    read = [  # each item as its file alone gives it (the cache key's inputs)
        read_item(
            (portal.content / item.path).read_bytes(), item.path, f"content/{item.path}", item.kind, content.catalogue
        )[0]
        for item in content.items
    ]
    before = [{f.name: getattr(item, f.name) for f in dataclasses.fields(item)} for item in read]
    history = types.SimpleNamespace(added={}, imported=set(), body_changed=lambda path, line: TODAY)
    history_problems(content.items, history, "content", 0)
    PortalSite.build(content, SETTINGS, TODAY, _url_for, SITE_URL, preview=True)
    changed = {
        f.name
        for item, fields in zip(content.items, before, strict=True)
        for f in dataclasses.fields(item)
        if getattr(item, f.name) != fields[f.name]
    }
    assert changed and changed <= set(SET_BY_BUILD), changed


def test_listing_inputs_change_with_their_shared_list_of_pages(portal):
    for n in range(1, 4):
        portal.item(f"news/2026/i{n}.md", news(title=f"第{n}条", date=f"2026-02-0{n}"))
    plan = SitePlan.build(load_content(portal.content), SETTINGS, TODAY, _url_for, SITE_URL, "门户", "")
    pages = [uri for uri in plan.site.listings if uri.startswith("news/")]
    first = {uri: plan.site.page_inputs(uri) for uri in pages}
    assert len(set(first.values())) == len(first) and plan.site.page_inputs(pages[0]) == first[pages[0]]
    portal.item("news/2026/i4.md", news(title="第4条", date="2026-02-04"))  # one more page: every page links to it
    plan = SitePlan.build(load_content(portal.content), SETTINGS, TODAY, _url_for, SITE_URL, "门户", "")
    assert all(plan.site.page_inputs(uri) != first[uri] for uri in pages)


def test_the_collector_is_paused_inside_and_as_it_was_after():
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.unfreeze()


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()
