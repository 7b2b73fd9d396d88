"""Build speed: what makes builds fast must not change what they produce."""

from __future__ import annotations

import io
import json
import re
import shutil

import segno
from PIL import Image

from portal.cache import BuildCache
from portal.site.qr import BORDER, MASK, SCALE, QrCodes, qr_png


def _modules(png: bytes) -> list[list[int]]:
    """The modules of a QR image drawn SCALE pixels a module with a BORDER-module quiet zone."""
    image = Image.open(io.BytesIO(png)).convert("L")
    size = image.width // SCALE - 2 * BORDER
    return [
        [int(image.getpixel(((c + BORDER) * SCALE + 1, (r + BORDER) * SCALE + 1)) < 128) for c in range(size)]
        for r in range(size)
    ]


def test_qr_code_skips_the_mask_search_and_encodes_the_url(monkeypatch):
    def no_search(*args, **kwargs):
        raise AssertionError("the mask search ran")

    monkeypatch.setattr(segno.encoder, "evaluate_mask", no_search)  # scoring the eight masks
    url = "https://example.org/news/2026/no-search/"
    png = qr_png(url)
    code = segno.make(url, error="m", mask=MASK, micro=False)
    assert code.mask == MASK and not code.is_micro  # error level M or higher (segno boosts it when it fits)
    assert _modules(png) == [list(row) for row in code.matrix]


def test_qr_modules_placed_by_table_are_segnos_for_every_kind_of_address():
    """qr_matrix puts the message's bits in place by a table instead of segno's loops: the same modules
    as segno.make for addresses of every length (versions 1 to 13, with and without version
    information), byte, alphanumeric and numeric mode, Chinese characters and boosted error levels."""
    import random

    from portal.site.qr import png, qr_matrix

    rng = random.Random(16)
    chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:.-_%?=&统战"
    urls = [
        *("".join(rng.choice(chars) for _ in range(rng.randrange(1, 300))) for _ in range(400)),
        "HTTPS://PORTAL.TEST/NEWS/",  # alphanumeric mode
        "12345678901234567890",  # numeric mode
        "https://a.b/",  # short: error level boosted
        "https://portal.test/news/2026/统一战线/",
    ]
    versions = set()
    for url in urls:
        code = segno.make(url, error="m", mask=MASK, micro=False)
        versions.add(code.version)
        assert qr_matrix(url) == [bytes(row) for row in code.matrix], url
    assert versions >= set(range(1, 11))
    assert qr_png(urls[-1]) == png(segno.make(urls[-1], error="m", mask=MASK, micro=False).matrix)


def test_qr_codes_are_drawn_once_per_url_and_kept_in_the_build_cache(tmp_path, monkeypatch):
    cache = BuildCache(tmp_path, "salt")
    drawn = []
    monkeypatch.setattr("portal.site.qr.qr_png", lambda url: drawn.append(url) or url.encode())
    codes = QrCodes(cache)
    assert codes("https://example.org/a/") == b"https://example.org/a/"
    cache.save("pages")
    again = QrCodes(BuildCache(tmp_path, "salt"))  # the next build
    assert again("https://example.org/a/") == b"https://example.org/a/"
    assert again("https://example.org/b/") == b"https://example.org/b/"
    assert drawn == ["https://example.org/a/", "https://example.org/b/"]


def test_dedent_keeps_whitespace_where_it_shows():
    from portal.site.compact import dedent

    html = (
        "<div>\n    <p>一\n      二</p>\n\n\n  <pre><code>  缩进\n    保留</code></pre>\n"
        "  <p><code>a\n   b</code></p>\n</div>\n"
    )
    assert (
        dedent(html)
        == "<div>\n<p>一\n二</p>\n<pre><code>  缩进\n    保留</code></pre>\n<p><code>a\n   b</code></p>\n</div>\n"
    )


def test_the_faster_dedent_is_the_patterns_substitution_on_any_whitespace():
    """_unindent replaces INDENT.sub("\\n", …) (tried at every position of a page): the same result on
    random texts of spaces, tabs, line breaks, other whitespace (\\r, U+3000, NBSP, U+0085 …) and text."""
    import random

    from portal.site.compact import INDENT, _unindent

    rng = random.Random(16)
    alphabet = [" ", " ", "\t", "\n", "\n", "\r", "\u3000", "\xa0", "\x0b", "\x1c", "\x85", "a", "一", "<"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        assert _unindent(text) == INDENT.sub("\n", text), repr(text)


def test_the_find_based_substitutions_are_the_patterns_substitutions():
    """Compactor.page finds where its patterns may match with str.find (_sub, _enclosed): the same result
    as the patterns' own sub on random texts of their fixed starts and ends, whole or broken, and text."""
    import random

    from portal.site import compact

    rng = random.Random(16)

    def texts(pieces):
        for _ in range(3000):
            yield "".join(rng.choice(pieces) for _ in range(rng.randrange(10)))

    mark = lambda m: f"[{m.group(0)}]"  # noqa: E731
    cases = [
        (compact.ICON, compact.ICON_AT, [compact.ICON_AT, 'M1 2"/></svg>', '"/></svg>', "<", '"', "x", " "]),
        (compact.UNUSED, compact.UNUSED_AT, [*compact.UNUSED_AT, 'x">', "\n ", "</div>", "<", "x"]),
        (compact.TABBED, compact.TABBED_AT, [compact.TABBED_AT, '"__tabbed_"))</script>', "x", "<"]),
        (
            compact.DIALOG,
            compact.DIALOG_AT,
            [
                compact.DIALOG_AT,
                '<div class="md-dialog__inner md-typeset"></div>',
                "</div>",
                "<!--portal-shell-->",
                " ",
                "x",
            ],
        ),
    ]
    for pattern, starts, pieces in cases:
        for text in texts(pieces):
            assert compact._sub(pattern, starts, mark, text) == pattern.sub(mark, text), repr(text)
            assert compact._sub(pattern, starts, mark, text, count=1) == pattern.sub(mark, text, count=1)
    for start, end in (compact.SHELL_BLOCK, compact.HEAD_SCRIPT, compact.CONFIG):
        pattern = re.compile(re.escape(start) + "(.*?)" + re.escape(end), re.S)
        for text in texts([start, end, start[:5], end[-5:], "x", "\n"]):
            got = compact._enclosed(text, start, end, lambda whole, inner: f"[{inner}|{whole}]")
            assert got == pattern.sub(lambda m: f"[{m.group(1)}|{m.group(0)}]", text), repr(text)
    start, end = compact.MD_SCOPE
    pattern = re.compile(re.escape(start) + compact.MD_SCOPE_LEAD.pattern + "(.*?)" + re.escape(end), re.S)
    for text in texts([start, end, '../",location),', '",location),', "./", "x", "</script"]):
        got = compact._enclosed(text, start, end, lambda _, inner: f"[{inner}]", count=1, lead=compact.MD_SCOPE_LEAD)
        assert got == pattern.sub(lambda m: f"[{m.group(1)}]", text, count=1), repr(text)


def test_the_cache_keeps_texts_and_bytes_as_they_are_and_reads_every_value_back(tmp_path):
    """Pages' HTML and search texts are stored as UTF-8 and QR images as they are (not deflated again);
    any other value pickled and deflated as before, which entries written before read as."""
    import pickle
    import sqlite3
    import zlib

    from markupsafe import Markup

    cache = BuildCache(tmp_path, "salt")
    values = {
        "text": "<p>统一战线\ud800</p>",  # a lone surrogate too, as pickle keeps it
        "empty": "",
        "bytes": b"\x89PNG\r\n",
        "markup": Markup("<b>加粗</b>"),
        "tuple": ("<p>正文</p>", [1, 2]),
    }
    for key, value in values.items():
        cache.put("html", key, value)
    cache.put("html", "raw", values["tuple"], deflate=False)  # a value compressed already: pickled only
    values["raw"] = values["tuple"]
    blob = dict(cache.db.execute("SELECT key, value FROM entries"))
    assert blob["text"] == b"\x01" + values["text"].encode("utf-8", "surrogatepass")
    assert blob["bytes"] == b"\x02" + values["bytes"]
    assert blob["raw"] == b"\x03" + pickle.dumps(values["tuple"], protocol=pickle.HIGHEST_PROTOCOL)
    cache.db.execute("INSERT INTO entries VALUES ('html', 'old', ?)", (zlib.compress(pickle.dumps("旧格式")),))
    cache.db.execute("INSERT INTO entries VALUES ('html', 'bad', ?)", (b"\x01\xff\xfe",))
    cache.save()
    again = BuildCache(tmp_path, "salt")
    for key, value in values.items():
        got = again.get("html", key)
        assert got == value and type(got) is type(value)
    assert again.get("html", "old") == "旧格式"
    assert again.get("html", "bad") is None  # does not decode: a miss
    assert again.get_many("html", list(values)) == values
    with sqlite3.connect(again.path) as db:
        assert db.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == len(values) + 2


def test_pages_refer_to_one_icon_sprite_and_keep_their_code_blocks(portal):
    from conftest import news

    portal.item(
        "news/2026/a.md",
        news(title="代码示例"),
        body="第一段。\n\n```\nline one\n    indented line\n```\n\n## 小标题\n\n第二段。\n",
    )
    build = portal.build()
    assert build.returncode == 0, build.output
    page = build.page("news/2026/a")
    assert "\n    indented line" in page  # the code block as written
    outside = re.sub(r"<(pre|script|style)\b.*?</\1>", "", page, flags=re.S)
    assert not re.search(r"\n[ \t]", outside)  # no indentation left
    assert 'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path' not in page  # no inline theme icon
    sprite = (build.site / "assets/portal-icons.svg").read_text(encoding="utf-8")
    refs = re.findall(r'<use href="([^"#]+)#(i[0-9a-f]{8})"/>', page)
    assert len(refs) >= 1  # the menu icon; the others (the back-to-top button's too) are in the kept shell
    for href, key in refs:
        assert href == "../../../assets/portal-icons.svg"
        assert f'<symbol id="{key}" viewBox="0 0 24 24"><path d="' in sprite
    shell = (build.site / "assets/portal-shell.js").read_text(encoding="utf-8")
    kept = re.findall(r'<use href=\\"\\u0000assets/portal-icons.svg#(i[0-9a-f]{8})\\"/>', shell)
    assert len(kept) >= 5
    for key in kept:
        assert f'<symbol id="{key}" viewBox="0 0 24 24"><path d="' in sprite
    # Material's configuration is kept in the shell script, with the site's root as its base
    kept = json.loads(re.search(r"P=(\{.*?\});\n", shell, re.S).group(1))
    config = next(
        re.search(r'<script id="__config" type="application/json">(.*?)</script>', part).group(1)
        for part in kept.values()
        if "__config" in part
    )
    data = json.loads(config, strict=False)
    assert data["base"] == "\0" and "\\u" not in config and "搜索" in build.page("")
    assert "search" not in data and not [k for k in data["translations"] if k.startswith("search.")]
    assert 'name="search"' not in page  # so Material's own search, which would read them, is never mounted
    # the cache serves the same compact page and the sprite still holds every icon
    again = portal.build()
    assert again.page("news/2026/a") == page
    assert (again.site / "assets/portal-icons.svg").read_text(encoding="utf-8") == sprite


def _settings(**extra) -> dict:
    return {"content_dir": "content", "per_page": 20, "home_news": 8, "home_reviews": 3, **extra}


def _files(build) -> dict[str, bytes]:
    return {p.relative_to(build.site).as_posix(): p.read_bytes() for p in build.site.rglob("*") if p.is_file()}


def _assert_as_a_clean_build(portal, build) -> None:
    """The site a cached build wrote is the one a build without cache or earlier output writes."""
    carried = _files(build)
    shutil.rmtree(portal.root / ".cache")
    shutil.rmtree(build.site)
    clean = portal.build()
    assert clean.returncode == 0, clean.output
    assert {k: v for k, v in _files(clean).items() if not k.startswith("sitemap")} == {
        k: v for k, v in carried.items() if not k.startswith("sitemap")
    }


def test_pages_rendered_by_workers_are_the_pages_one_process_renders(portal, tmp_path):
    from conftest import REVIEW_BODY, Portal, news, review

    def fill(target):
        for n in range(1, 8):
            target.item(
                f"news/2026/item-{n}.md",
                news(title=f"第{n}条消息", date=f"2026-02-0{n}"),
                body=f"第{n}条消息。\n\n## 小标题\n\n见[另一条](item-{n % 7 + 1}.md#_1)。\n",
            )
        target.item("reviews/2025/r.md", review(), body=REVIEW_BODY)

    fill(portal)
    portal.config(portal=_settings(render_workers=3, cache_dir=""))
    parallel = portal.build()
    assert parallel.returncode == 0, parallel.output
    (tmp_path / "serial").mkdir()
    serial_portal = Portal(tmp_path / "serial")
    fill(serial_portal)
    serial_portal.config(portal=_settings(render_workers=1, cache_dir=""))
    serial = serial_portal.build()
    assert serial.returncode == 0, serial.output
    assert _files(parallel).keys() == _files(serial).keys()
    for name, data in _files(serial).items():
        if not name.startswith("sitemap.xml"):
            assert _files(parallel)[name] == data, name


def test_warnings_on_pages_rendered_by_workers_fail_a_strict_build_once(portal):
    from conftest import news

    for n in range(1, 5):
        portal.item(
            f"news/2026/item-{n}.md", news(title=f"第{n}条", date=f"2026-02-0{n}"), body=f"第{n}条。\n\n## 小标题\n"
        )
    portal.item(
        "news/2026/item-5.md",
        news(title="坏链接", date="2026-02-05"),
        body="见[不存在的稿件](missing.md)和[不存在的小节](item-1.md#no-such-anchor)。\n",
    )
    portal.config(portal=_settings(render_workers=2))
    build = portal.build()
    assert build.returncode != 0
    assert build.output.count("链接指向的稿件“missing.md”不存在") == 1, build.output
    assert build.output.count("“#no-such-anchor”在目标页面中找不到") == 1, build.output
    assert "Aborted with 2 warnings" in build.output
    assert not (portal.root / "site").exists() and not (portal.root / "site.building").exists()


def _four_items(portal):
    from conftest import news

    for n in range(1, 5):
        portal.item(
            f"news/2026/item-{n}.md",
            news(title=f"第{n}条", date=f"2026-02-0{n}"),
            body=f"第{n}条正文。\n\n## 小标题\n\n见[第1条的小标题](item-1.md#_1)。\n",
        )


def test_an_edit_renders_only_what_it_touches_and_the_site_is_as_a_clean_build(portal, tmp_path):
    from conftest import news

    _four_items(portal)
    assert portal.build().returncode == 0
    site = portal.root / "site"
    inode = {n: (site / f"news/2026/item-{n}/index.html").stat().st_ino for n in range(1, 5)}
    portal.item("news/2026/item-3.md", news(title="第3条", date="2026-02-03"), body="改过的正文。\n")
    edited = portal.build()
    assert edited.returncode == 0, edited.output
    after = {n: (site / f"news/2026/item-{n}/index.html").stat().st_ino for n in range(1, 5)}
    assert after[1] == inode[1] and after[2] == inode[2] and after[4] == inode[4]  # carried over, not rendered
    assert after[3] != inode[3] and "改过的正文" in edited.page("news/2026/item-3")
    _assert_as_a_clean_build(portal, edited)


def test_a_page_changed_in_site_is_rendered_again(portal):
    _four_items(portal)
    assert portal.build().returncode == 0
    page = portal.root / "site/news/2026/item-2/index.html"
    original = page.read_bytes()
    page.write_bytes(b"tampered")
    assert portal.build().returncode == 0
    assert page.read_bytes() == original


def test_links_into_an_edited_page_are_still_checked(portal):
    from conftest import news

    _four_items(portal)
    assert portal.build().returncode == 0
    portal.item("news/2026/item-1.md", news(title="第1条", date="2026-02-01"), body="没有小标题了。\n")
    build = portal.build()
    assert build.returncode != 0  # items 2-4 are carried over, but link to an anchor that is gone
    assert build.output.count("“#_1”在目标页面中找不到") == 3, build.output


def test_after_an_edit_the_search_index_renders_only_the_edited_body(portal):
    from conftest import news

    _four_items(portal)
    portal.config(portal=_settings(render_workers=1))
    first = portal.build()
    assert "其中 4 篇正文由索引进程渲染" in first.output, first.output
    portal.item("news/2026/item-2.md", news(title="第2条", date="2026-02-02"), body="改过的第2条。\n")
    second = portal.build()
    assert second.returncode == 0 and "其中 1 篇正文由索引进程渲染" in second.output, second.output
    assert "在上次的索引上更新了 1 篇" in second.output, second.output  # not built anew
    # The other bodies' texts are in the cache: the index starts before the pages (PortalBuild._index_early).
    assert "页面生成之前就已开始" in second.output and "页面生成之前就已开始" not in first.output, second.output
    portal.config(portal=_settings(render_workers=3))
    portal.item("news/2026/item-3.md", news(title="第3条", date="2026-02-03"), body="改过的第3条。\n")
    third = portal.build()  # a new setting, a fresh cache: workers render every page and give the index its text
    assert third.returncode == 0 and "其中 0 篇正文由索引进程渲染" in third.output, third.output


def test_worker_cache_files_are_taken_in_even_past_sqlites_attach_limit(tmp_path):
    main = BuildCache(tmp_path / "cache", "salt")
    for n in range(12):  # twelve workers' files before one commit (a preview whose builds warned)
        worker = BuildCache(tmp_path / "cache", "salt")
        worker.in_worker()
        worker.put("html", f"page-{n}", f"<p>{n}</p>")
        used, path = worker.worker_result()
        main.absorb(used, path)
        assert not (tmp_path / path).exists()
    main.save("html")
    again = BuildCache(tmp_path / "cache", "salt")
    assert [again.get("html", f"page-{n}") for n in range(12)] == [f"<p>{n}</p>" for n in range(12)]


def test_a_warning_about_content_does_not_keep_unchanged_pages_from_being_carried_over(portal):
    """Content warnings (a proofreading doubt, a broken link) are told again by every build from its
    own reading of content/: they must not make a large portal re-render every page each time."""
    _four_items(portal)
    portal.item(
        "news/2026/item-5.md",
        __import__("conftest").news(title="有坏链接", date="2026-02-05"),
        body="见[不存在的稿件](missing.md)。\n",
    )
    first = portal.build(strict=False)
    assert first.returncode == 0 and "链接指向的稿件“missing.md”不存在" in first.output, first.output
    site = first.site
    inode = {n: (site / f"news/2026/item-{n}/index.html").stat().st_ino for n in range(1, 6)}
    again = portal.build(strict=False)
    assert again.returncode == 0 and "链接指向的稿件“missing.md”不存在" in again.output  # told again
    assert {n: (site / f"news/2026/item-{n}/index.html").stat().st_ino for n in range(1, 6)} == inode  # carried over


def test_a_new_item_renders_itself_and_the_pages_it_changes_not_every_page(portal):
    """Publishing one more item (the most common push) re-renders the new page, the pages that
    list it and a page whose link it completes — not the others; the site is as a clean build's."""
    from conftest import news

    _four_items(portal)
    portal.item("news/2026/item-5.md", news(title="第5条", date="2026-02-05"), body="见[第6条](item-6.md)。\n")
    assert portal.build(strict=False).returncode == 0
    site = portal.root / "site"
    inode = {n: (site / f"news/2026/item-{n}/index.html").stat().st_ino for n in range(1, 6)}
    portal.item(
        "news/2026/item-6.md",
        news(title="第6条", date="2026-01-06", organisation="县政协", source="县政协", tags=["政协"]),
        body="另一个栏目的新稿件。\n",
    )
    added = portal.build()
    assert added.returncode == 0, added.output
    after = {n: (site / f"news/2026/item-{n}/index.html").stat().st_ino for n in range(1, 6)}
    assert [n for n in range(1, 6) if after[n] == inode[n]] == [2, 3, 4], "only 1 (prev/next) and 5 (its link) change"
    assert 'href="../item-6/"' in added.page("news/2026/item-5")
    _assert_as_a_clean_build(portal, added)


def test_a_rebuild_updates_site_in_place_and_leaves_nothing_stale(portal):
    """`mkdocs build` with a site/ already there moves in only what it wrote (portal.site.output.commit):
    unchanged pages and search files are not touched, and what the new site does not have is deleted."""
    import os
    import time

    from conftest import news

    _four_items(portal)
    first = portal.build()
    assert first.returncode == 0, first.output
    site = portal.root / "site"
    inode = {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    (site / "stray.txt").write_text("不是这次构建的文件", encoding="utf-8")
    (site / "old/deep").mkdir(parents=True)
    (site / "old/deep/index.html").write_text("旧页面", encoding="utf-8")
    shard = sorted((site / "search/g").iterdir())[0]
    shard.write_bytes(bytes(len(shard.read_bytes())))  # the same size, other bytes: rewritten, not kept
    portal.item("news/2026/item-2.md", news(title="第2条", date="2026-02-02"), body="改过的第2条。\n")
    again = portal.build()
    assert again.returncode == 0, again.output
    after = {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    assert after["news/2026/item-1/index.html"] == inode["news/2026/item-1/index.html"]  # carried: left in place
    assert after["news/2026/item-2/index.html"] != inode["news/2026/item-2/index.html"]
    unchanged_search = [name for name in after if name.startswith("search/") and after[name] == inode.get(name)]
    assert unchanged_search, "search files whose bytes did not change stay as they are"
    assert not (site / "stray.txt").exists() and not (site / "old").exists()
    (portal.content / "news/2026/item-4.md").unlink()
    removed = portal.build()
    assert removed.returncode == 0, removed.output
    assert not (site / "news/2026/item-4").exists() and (site / "news/2026/item-3/index.html").is_file()
    leftovers = ("site.previous", "site.building", "site.commit", "site.commit.part")
    assert not any((portal.root / name).exists() for name in leftovers)
    assert not list(portal.root.glob("site.discarded-*"))
    interrupted = portal.root / "site.discarded-1-1"  # a deletion an earlier version left: removed after an hour
    (interrupted / "news").mkdir(parents=True)
    (interrupted / "news/index.html").write_text("旧", encoding="utf-8")
    recent = portal.root / "site.discarded-2-2"
    recent.mkdir()
    os.utime(interrupted, (time.time() - 7200, time.time() - 7200))
    third = portal.build()
    assert third.returncode == 0, third.output
    assert not interrupted.exists() and recent.exists()  # a recent one may still be being deleted
    _assert_as_a_clean_build(portal, third)  # the damaged shard too is as a clean build writes it


def test_a_commit_killed_midway_is_completed_by_the_next_build(tmp_path, monkeypatch):
    import os

    import pytest

    from portal.site import output

    site, staged = tmp_path / "site", tmp_path / "site.building"
    for folder, files in (
        (site, {"kept.html": "留", "old.html": "旧", "gone/index.html": "删", "page": "文件", "dir/x.html": "夹"}),
        (staged, {"old.html": "新", "new/index.html": "新页", "page/index.html": "页", "dir": "变文件"}),
    ):
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
    moves = []
    real = os.replace

    def killed(source, target):
        moves.append(target)
        if len(moves) == 3:  # the journal, one file: then the process dies
            raise KeyboardInterrupt
        real(source, target)

    monkeypatch.setattr(output.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        output.commit(staged, site, {"kept.html"})
    monkeypatch.setattr(output.os, "replace", real)
    assert (tmp_path / "site.commit").is_file() and staged.is_dir()
    notes = output.clean_stale(site)
    assert any("中断" in note for note in notes), notes
    assert {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*") if p.is_file()} == {
        "kept.html": "留",
        "old.html": "新",
        "new/index.html": "新页",
        "page/index.html": "页",
        "dir": "变文件",
    }
    assert not staged.exists() and not (tmp_path / "site.commit").exists()
    assert output.clean_stale(site) == []  # done once


def _png(width: int, height: int, color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_picture_replaced_under_its_name_renders_the_pages_that_show_it_again(portal):
    """An editor replaces photo.png (and a cover) with pictures of other sizes: the pages showing
    them name the new copies (photo-300.png), not the old ones, which are gone; as a clean build."""
    from conftest import news

    _four_items(portal)
    portal.write("news/2026/photo.png", _png(1600, 900, "red"))
    portal.write("news/2026/cover.png", _png(1600, 900, "green"))
    portal.item("news/2026/item-5.md", news(title="第5条", date="2026-02-05"), body="![现场照片](photo.png)\n")
    portal.item(
        "news/2026/item-6.md", news(title="第6条", date="2026-02-06", cover="cover.png"), body="有封面的稿件。\n"
    )
    assert portal.build().returncode == 0
    portal.write("news/2026/photo.png", _png(300, 800, "blue"))
    portal.write("news/2026/cover.png", _png(320, 700, "blue"))
    replaced = portal.build()
    assert replaced.returncode == 0, replaced.output
    assert 'src="../photo-300.png"' in replaced.page("news/2026/item-5")
    assert "cover-320" in replaced.page("news/2026/item-6")
    for url in ("news/2026/item-5", "news/2026/item-6"):
        assert "-960." not in replaced.page(url), url
    _assert_as_a_clean_build(portal, replaced)


def test_a_link_by_address_to_a_page_that_appears_later_is_rendered_again(portal):
    """An item links by address (/reviews/2025/xin/, and a reference-style link) to an item not yet
    written (a warning, as in a preview); once that item exists the link is a relative link, as
    in a clean build — the linking page is not carried over with its old, absolute link."""
    from conftest import REVIEW_BODY, news, review

    _four_items(portal)
    portal.item(
        "news/2026/item-5.md",
        news(title="第5条", date="2026-02-05"),
        body="见[回顾](/reviews/2025/xin/)和[另一处][r]。\n\n[r]: ../../../reviews/2025/xin/\n",
    )
    portal.item("reviews/2025/old.md", review(), body=REVIEW_BODY)  # the column is in the navigation already
    assert portal.build(strict=False).returncode == 0
    unrelated = (portal.root / "site/news/2026/item-2/index.html").stat().st_ino
    portal.item(
        "reviews/2025/xin.md",
        review(title="县政协2025年工作回顾", organisation="县政协", source="县政协", tags=["政协"]),
        body="全年服务群众540余人次，社情民意信息46篇，个人提案25件。\n",
    )
    added = portal.build()
    assert added.returncode == 0, added.output
    assert (portal.root / "site/news/2026/item-2/index.html").stat().st_ino == unrelated  # still carried over
    page = added.page("news/2026/item-5")
    assert 'href="/reviews/2025/xin/"' not in page
    assert page.count('href="../../../reviews/2025/xin/"') == 2
    _assert_as_a_clean_build(portal, added)


def test_a_tag_whose_address_changes_renders_the_pages_that_link_to_it_again(portal):
    """Tags "A B" and "a-b" share the address segment a-b: the commoner tag gets it. When "A B"
    becomes the commoner, an unchanged item tagged "a-b" must link to a-b's new address, as in a
    clean build — not to tags/a-b/, which now lists "A B"."""
    from conftest import news

    _four_items(portal)
    portal.item("news/2026/tagged.md", news(title="带标签的稿件", date="2026-02-10", tags=["a-b"]), body="标签稿件。\n")
    other = dict(column="经验交流", organisation="县政协", source="县政协", date="2025-05-01")
    portal.item("news/2025/x.md", news(title="另一栏目的稿件", **other, tags=["政协"]), body="另一栏目。\n")
    assert portal.build().returncode == 0
    assert 'href="../../../tags/a-b/"' in portal.root.joinpath("site/news/2026/tagged/index.html").read_text(
        encoding="utf-8"
    )
    for n in (1, 2):
        portal.item(
            f"news/2025/y{n}.md",
            news(title=f"空格标签稿件{n}", **{**other, "date": f"2025-06-0{n}"}, tags=["A B"]),
            body=f"空格标签稿件{n}。\n",
        )
    added = portal.build()
    assert added.returncode == 0, added.output
    assert 'href="../../../tags/a-b/"' not in added.page("news/2026/tagged")
    _assert_as_a_clean_build(portal, added)


def test_link_salt_follows_the_files_a_page_links_to_and_nothing_else():
    from portal.cache import link_salt

    files = {"news/2026/a.md": "news/2026/a/index.html"}
    dest_of = files.get
    body = '见[甲](a.md)、![图](p.png "说明")和[乙][r]。长句里的 3.5 和 example.org 不是链接。\n\n   [r]: <b.pdf>\n'
    before = link_salt("news/2026/x.md", body, dest_of)
    files["news/2026/other.md"] = "news/2026/other/index.html"  # an unrelated item: the same salt
    assert link_salt("news/2026/x.md", body, dest_of) == before
    for added in ("news/2026/p.png", "news/2026/b.pdf"):  # an image, a reference definition's file
        files[added] = added
        assert link_salt("news/2026/x.md", body, dest_of) != before, added
        before = link_salt("news/2026/x.md", body, dest_of)


def test_qr_images_are_drawn_as_their_pages_render_and_not_by_the_plan(portal):
    """The plan is computed in the main process before the page workers start: drawing every QR
    image there was serial work (a millisecond an item); a page carried over needs none."""
    import base64
    import datetime
    import types

    from conftest import SITE_URL, news
    from portal.content.reader import load_content
    from portal.rules.links import page_url
    from portal.site.plan import SitePlan

    portal.item("news/2026/a.md", news(title="甲"))
    portal.item("news/2026/b.md", news(title="乙"))
    settings = types.SimpleNamespace(per_page=20, home_news=8, home_reviews=3, feature_column="", embed_hosts=[])
    drawn: list[str] = []
    plan = SitePlan.build(
        load_content(portal.content),
        settings,
        datetime.date(2026, 6, 1),
        lambda uri: page_url(uri) if uri.endswith(".md") else uri,
        SITE_URL,
        "门户",
        "",
        draw_qr=lambda address: drawn.append(address) or b"PNG",
    )
    assert drawn == []
    data = plan.page_data("news/2026/b.md", "news/2026/b/")
    assert drawn == [SITE_URL.rstrip("/") + "/news/2026/b/"]
    assert data["way"].qr == "data:image/png;base64," + base64.b64encode(b"PNG").decode()
    assert plan.pages["news/2026/b.md"].data["way"].qr.startswith("qr/")  # the plan (and page cache key) unchanged


def test_carried_pages_that_cannot_be_taken_stop_the_build_and_keep_the_site(tmp_path, monkeypatch):
    """The carried pages are linked into the new output by a thread while the rest renders: if that
    fails (a full disk), the build must stop in Chinese rather than publish a site without them."""
    import errno
    import logging

    import pytest

    from portal.site.build import BuildStop, PortalBuild
    from portal.site.carry import Entry, carry

    previous, target = tmp_path / "site", tmp_path / "building"
    (previous / "news/a").mkdir(parents=True)
    page = previous / "news/a/index.html"
    page.write_text("<p>上次的页面</p>", encoding="utf-8")
    stat = page.stat()
    manifest = {"news/a.md": Entry("k", "news/a/index.html", stat.st_size, stat.st_mtime_ns)}

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("os.link", full)
    monkeypatch.setattr("shutil.copy2", full)
    carried = carry(previous, target, {"news/a.md": ("k", "news/a/index.html")}, manifest)
    assert "news/a.md" in carried and not (target / "news/a/index.html").exists()
    carried.take()
    assert carried.error and carried.error.errno == errno.ENOSPC
    build = PortalBuild("build", logging.getLogger("test"))
    build.carried = carried
    with pytest.raises(BuildStop, match="沿用上次生成的页面时出错（No space left on device），构建已停止"):
        build._taken()
    assert page.read_text(encoding="utf-8") == "<p>上次的页面</p>"
