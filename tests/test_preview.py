"""`mkdocs serve`'s quick path (portal.site.preview): which saves it may patch, which need a full rebuild."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from portal.site.preview import AT_MOST, edited_items, same_but_body, snapshot

CONTENT = Path("/p/content")


def _stat(*paths: str, time: int = 1) -> dict[str, tuple[int, int]]:
    return {os.path.join("/p", path): (10, time) for path in paths}


BEFORE = _stat(
    "content/catalogue.yml", "content/news/2026/a.md", "content/news/2026/b.md", "docs/index.md", "mkdocs.yml"
)


@pytest.mark.parametrize(
    ("after", "expected", "why"),
    [
        ({**BEFORE, "/p/content/news/2026/a.md": (11, 2)}, ["news/2026/a.md"], "one item's file"),
        (
            {**BEFORE, "/p/content/news/2026/a.md": (11, 2), "/p/content/news/2026/b.md": (10, 2)},
            ["news/2026/a.md", "news/2026/b.md"],
            "two items",
        ),
        ({**BEFORE, "/p/content/news/2026/.a.md.swp": (1, 2)}, [], "a scratch file appeared: nothing to do"),
        ({**BEFORE, "/p/content/news/2026/~$a.docx": (1, 2)}, [], "an Office lock file"),
        ({**BEFORE, "/p/hooks/portal/__pycache__/x.pyc": (1, 2)}, [], "compiled code"),
        (dict(BEFORE), None, "nothing seen changed: the change is elsewhere"),
        ({**BEFORE, "/p/content/news/2026/c.md": (10, 2)}, None, "a new item"),
        ({k: v for k, v in BEFORE.items() if not k.endswith("b.md")}, None, "a removed item"),
        ({**BEFORE, "/p/content/catalogue.yml": (10, 2)}, None, "the catalogue"),
        ({**BEFORE, "/p/docs/index.md": (10, 2)}, None, "a page of docs/"),
        ({**BEFORE, "/p/mkdocs.yml": (10, 2)}, None, "the settings"),
        ({**BEFORE, "/p/content/news/2026/a.md": (11, 2), "/p/mkdocs.yml": (10, 2)}, None, "an item and a setting"),
        ({**BEFORE, "/p/content/news/2026/photo.jpg": (10, 2)}, None, "a picture (not in BEFORE: new)"),
    ],
)
def test_which_saves_the_preview_patches(after, expected, why):
    assert edited_items(BEFORE, after, CONTENT) == expected, why


def test_a_changed_picture_or_too_many_items_need_a_full_rebuild():
    before = {**BEFORE, "/p/content/news/2026/photo.jpg": (10, 1)}
    assert edited_items(before, {**before, "/p/content/news/2026/photo.jpg": (10, 2)}, CONTENT) is None
    many = {f"/p/content/news/2026/i{n}.md": (10, 1) for n in range(AT_MOST + 1)}
    assert edited_items(many, {k: (10, 2) for k in many}, CONTENT) is None
    assert edited_items(many, {**many, "/p/content/news/2026/i0.md": (10, 2)}, CONTENT) == ["news/2026/i0.md"]
    outside = {"/p/content/stray.md": (10, 1)}  # not under a kind's folder: the full build tells what is wrong
    assert edited_items(outside, {"/p/content/stray.md": (10, 2)}, CONTENT) is None


def test_snapshot_sees_sizes_and_times_and_no_symlinked_folder(tmp_path):
    (tmp_path / "content/news").mkdir(parents=True)
    item = tmp_path / "content/news/a.md"
    item.write_text("正文", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/secret.md").write_text("x", encoding="utf-8")
    (tmp_path / "content/linked").symlink_to(tmp_path / "elsewhere")
    first = snapshot([tmp_path / "content"], [tmp_path / "mkdocs.yml"])
    assert set(first) == {str(item)}  # never what a symlinked folder holds (nor a missing file)
    os.utime(item, ns=(1, 2))
    assert snapshot([tmp_path / "content"], [])[str(item)] == (len("正文".encode()), 2) != first[str(item)]


def test_only_the_body_may_differ(portal):
    from conftest import news
    from portal.content.reader import load_content

    portal.item("news/2026/a.md", news(), body="第一段。\n\n第二段。\n")
    old = load_content(portal.content).items[0]
    portal.item("news/2026/a.md", news(), body="第一段。\n\n第二段改了。\n")
    new = load_content(portal.content).items[0]
    assert new.body != old.body and same_but_body(new, old)
    assert not same_but_body(replace(new, summary="另一个摘要"), old)  # the first paragraph: listings show it
    assert not same_but_body(replace(new, title="新标题"), old)
    assert not same_but_body(replace(new, assets=("news/2026/p.jpg",)), old)  # a new picture to publish
    path = portal.content / "news/2026/a.md"  # a comment line in the front matter: problems' lines move
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\n# 备注\n", 1), encoding="utf-8")
    moved = load_content(portal.content).items[0]
    assert moved.body == new.body and same_but_body(new, old) and not same_but_body(moved, old)


def test_a_patch_that_fails_midway_leaves_no_warning_counter_behind(tmp_path, monkeypatch):
    """A patch counts the warnings it tells; when it fails midway (the full rebuild follows), its
    counter must not stay attached to MkDocs' logger, counting every later build's warnings too."""
    import logging

    from portal.site.build import PortalBuild

    build = PortalBuild("serve", logging.getLogger("test"))
    handlers = list(logging.getLogger("mkdocs").handlers)

    def fails():
        from portal.site.progress import Progress

        build.progress = Progress(build.log)  # as _patch does before it renders
        raise RuntimeError("渲染失败")

    monkeypatch.setattr(build, "_patch", fails)
    assert build.patch() is False
    assert logging.getLogger("mkdocs").handlers == handlers and build.patching is False
