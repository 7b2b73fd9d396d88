"""Hardening (issue 10): content can never change the site's code, leak private data or crash
the build. Each case was reproduced on main; the build and `check` agree on every one."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from conftest import REPO, TODAY, hooks_path, news, review, tool
from portal.cli.check import check

BODY = "第一段正文，介绍这项工作的基本情况。\n"


def errors(portal, level: str = "error") -> list[str]:
    """`check`'s problems of a level, as printed (file:line: message 修改建议：hint)."""
    os.environ.setdefault("PORTAL_TODAY", TODAY)
    return [str(p) for p in check(portal.root) if p.level == level]


def check_in_child(portal) -> subprocess.CompletedProcess:
    """`check` in a child process with 1 GB of address space: a crash or a blow-up fails the
    test instead of the test run."""
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from portal.cli.check import check
        for p in check(__import__('pathlib').Path({str(portal.root)!r})):
            print(p.level, p)
    """)
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PORTAL_TODAY": TODAY, **hooks_path(REPO)},
    )


def front_matter(text: str, body: str = BODY) -> str:
    return f"---\n{text}---\n\n{body}"


GOOD = (
    "title: 县知联会召开理事会\ndate: 2026-03-02\ncolumn: 工作动态\norganisation: 县知联会\n"
    "editor: 编辑甲\nresponsible_editor: 责编乙\nsigned_off_by: 签发丙\n"
)

# --- text hygiene (point 5) --------------------------------------------------------------

HYGIENE = {
    "raw NUL in front matter": (GOOD.replace("编辑甲", "编辑\x00甲"), ":6:", "控制字符 U+0000"),
    "escaped NUL in title": (
        GOOD.replace("title: 县知联会召开理事会", 'title: "县知联会\\0召开"'),
        ":2:",
        "字段 title（标题）含有控制字符 U+0000",
    ),
    "escaped control in tag": (GOOD + 'tags: ["知联会\\x1b"]\n', ":9:", "字段 tags（标签）含有控制字符 U+001B"),
    "bidi override in title": (
        GOOD.replace("县知联会召开理事会", "县知联会\u202e会事理开召"),
        ":2:",
        "字段 title（标题）含有改变文字方向的隐藏字符 U+202E",
    ),
    "zero-width in editor": (
        GOOD.replace("编辑甲", "编辑\u200b甲"),
        ":6:",
        "字段 editor（编辑）含有零宽或不可见字符 U+200B",
    ),
    "title past the hard limit": (
        GOOD.replace("县知联会召开理事会", "长" * 121),
        ":2:",
        "字段 title（标题）太长：121 个字，最多 120 个字",
    ),
    "over-long tag": (GOOD + "tags: [" + "标" * 90 + "]\n", ":9:", "字段 tags（标签）其中一项太长"),
    "too many tags": (
        GOOD + "tags: [" + ", ".join(f"标签{n}" for n in range(30)) + "]\n",
        ":9:",
        "有 30 项，最多 10 项",
    ),
    "over-long summary": (GOOD + "summary: " + "摘" * 400 + "\n", ":9:", "字段 summary（摘要）太长"),
    "deep flow nesting": (GOOD + "tags: " + "[" * 5000 + "]" * 5000 + "\n", ":9:", "括号嵌套超过 20 层"),
    "deep block nesting": (GOOD + "tags:\n" + "- " * 3000 + "x\n", ":10:", "缩进或列表嵌套过深"),
    "alias bomb": (
        GOOD
        + "x0: &a0 [a, a, a, a, a, a, a, a, a, a]\n"
        + "".join(f"x{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, 9)),
        ":",
        "展开引用后有",
    ),
    "body control character": (GOOD, ":13:", "正文含有控制字符 U+0007"),
}


@pytest.mark.parametrize("case", HYGIENE)
def test_invisible_characters_lengths_and_yaml_shapes_are_chinese_errors(portal, case):
    """On main these were accepted silently, crashed with an English traceback or a segfault:
    checked in a child process, so that a crash fails the test instead of the test run."""
    front, line, message = HYGIENE[case]
    body = BODY + "\n第二段\x07正文。\n" if case == "body control character" else BODY
    portal.write("news/2026/a.md", front_matter(front, body))
    done = check_in_child(portal)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    found = [row for row in done.stdout.splitlines() if row.startswith("error content/news/2026/a.md" + line)]
    assert any(message in row for row in found), done.stdout


def test_a_long_title_is_a_warning_before_the_hard_limit(portal):
    portal.item("news/2026/a.md", news(title="县知联会" + "召开理事会" * 12))
    assert errors(portal) == []
    assert any("字段 title（标题）有 64 个字，超过建议的 50 个字" in w for w in errors(portal, "warning"))


def test_a_metric_of_thousands_of_digits_is_refused(portal):
    path = portal.item(
        "reviews/2025/a.md",
        review(metrics=[{"label": "社情民意信息", "value": "VALUE", "unit": "篇", "group": "参政议政"}]),
        body="全年上报社情民意信息46篇。\n",
    )
    path.write_text(path.read_text(encoding="utf-8").replace("VALUE", "4" * 5000), encoding="utf-8")
    found = errors(portal)
    assert any("第 1 项数据的字段 value（数值）太长" in e for e in found), found


CATALOGUE_CASES = {
    "alias bomb": "columns: &c0 [{name: 工作动态, slug: a}]\n"
    + "".join(f"c{n}: &c{n} [{', '.join([f'*c{n - 1}'] * 10)}]\n" for n in range(1, 9))
    + "organisations: [{name: 县知联会, slug: b, description: *c8}]\n",
    "escaped NUL": 'columns: [{name: "工作\\0动态", slug: a}]\norganisations: [{name: 县知联会, slug: b}]\n',
    "raw control": "columns: [{name: 工作\x01动态, slug: a}]\norganisations: [{name: 县知联会, slug: b}]\n",
    "long slug": f"columns: [{{name: 工作动态, slug: {'a' * 300}}}]\norganisations: [{{name: 县知联会, slug: b}}]\n",
}


@pytest.mark.parametrize("case", CATALOGUE_CASES)
def test_catalogue_shapes_and_characters_are_chinese_errors(portal, case):
    portal.write("catalogue.yml", CATALOGUE_CASES[case])
    done = check_in_child(portal)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert any(row.startswith("error content/catalogue.yml") for row in done.stdout.splitlines()), done.stdout


def test_a_folder_named_like_an_item_is_reported_not_a_traceback(portal):
    portal.item("news/2026/a.md", news())
    (portal.content / "news/2026/x.md").mkdir()
    found = errors(portal)
    assert any("content/news/2026/x.md" in e and "文件夹" in e for e in found), found


def test_over_long_file_names_are_errors_from_check(portal):
    portal.item("news/2026/" + "a" * 200 + ".md", news())
    portal.item(
        "news/2026/b.md", news(), body="![图](" + "a" * 300 + ".png)\n\n[附件](" + "%E4%B8%AD" * 100 + ".pdf)\n"
    )
    portal.item("news/2026/c.md", news(), body="见[另一篇稿件](" + "a" * 300 + ".md)。\n")
    found = errors(portal)
    assert any("a" * 20 in e and "太长" in e for e in found), found
    assert sum(e.startswith("content/news/2026/b.md:") and "太长" in e for e in found) == 2, found
    linked = errors(portal, "warning")  # a broken link is a warning (portal.rules.links), which fails a strict build
    assert any(e.startswith("content/news/2026/c.md:") and "链接指向的稿件" in e for e in linked), linked


# --- the closed publishing set (point 1) ---------------------------------------------------


def _png(portal, rel: str, size=(40, 30)) -> None:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    portal.write(rel, buffer.getvalue())


REFUSED = {
    # file the item links to (written under content/), the link, what the editor is told
    "a script at the site's own path": (
        "javascripts/portal-search.js",
        "../../javascripts/portal-search.js",
        "脚本文件",
    ),
    "a script at Material's bundle path": (
        "assets/javascripts/bundle.0000.min.js",
        "../../assets/javascripts/bundle.0000.min.js",
        "脚本文件",
    ),
    "an HTML attachment": ("news/2026/page.html", "page.html", "请把内容写进稿件正文，或另存为 PDF"),
    "an SVG picture": ("news/2026/chart.svg", "chart.svg", "导出为 PNG"),
    "an XML file": ("news/2026/data.xml", "data.xml", "XML 文件"),
    "a stylesheet": ("news/2026/x.css", "x.css", "样式表"),
    "an unknown type": ("news/2026/x.bin", "x.bin", "网站只发布图片"),
    "a passive file outside the items' folders": (
        "robots.txt",
        "../../robots.txt",
        "不在 content/news/ 或 content/reviews/ 中",
    ),
}


def test_active_and_misplaced_files_are_refused_by_check_and_build_alike(portal):
    for number, (written, link, _) in enumerate(REFUSED.values()):
        portal.write(written, b"<script>alert(1)</script>" if not written.endswith(".txt") else b"User-agent: evil\n")
        portal.item(f"news/2026/a{number}.md", news(), body=f"正文，见[文件]({link})。\n")
    found = errors(portal)
    for number, (case, (_, _, message)) in enumerate(REFUSED.items()):
        assert any(e.startswith(f"content/news/2026/a{number}.md:") and message in e for e in found), (case, found)
    built = portal.build()
    assert built.returncode != 0 and "Traceback" not in built.output
    for number, (_, _, message) in enumerate(REFUSED.values()):
        assert f"content/news/2026/a{number}.md:" in built.output and message in built.output
    assert not built.site.exists()


def test_collisions_with_listings_and_picture_copies_are_errors_naming_both_files(portal):
    portal.item("news/index.md", news(title="顶替最新发布"))
    portal.item("news/page/2.md", news(title="顶替列表第二页"))
    _png(portal, "news/2026/photo.png")
    _png(portal, "news/2026/photo-480.webp")
    _png(portal, "news/2026/photo.jpg")
    portal.item(
        "news/2026/a.md", news(), body="![合影](photo.png)\n\n![另一张](photo-480.webp)\n\n![第三张](photo.jpg)\n"
    )
    portal.write("news/2026/Report.pdf", b"%PDF-1.4 a")
    portal.write("news/2026/report.pdf", b"%PDF-1.4 b")
    portal.item("news/2026/b.md", news(), body="见[一](Report.pdf)和[二](report.pdf)。\n")
    found = errors(portal)
    expected = [
        ("content/news/index.md", "“最新发布”列表页"),
        ("content/news/page/2.md", "“最新发布”列表页"),
        ("content/news/2026/a.md", "“content/news/2026/photo-480.webp”与图片“content/news/2026/photo.png”"),
        ("content/news/2026/b.md", "只有大小写不同"),
        ("content/news/2026/a.md", "“content/news/2026/photo.jpg”和“content/news/2026/photo.png”只有扩展名不同"),
    ]
    for file, message in expected:
        assert any(e.startswith(file + ":") and message in e for e in found), (file, found)
    built = portal.build()
    assert built.returncode != 0
    assert all(message in built.output for _, message in expected)


def test_the_build_refuses_a_published_path_the_site_already_has():
    from portal.content.publishing import PathClaims

    claims = PathClaims({"javascripts/portal-search.js": "网站自带的文件 javascripts/portal-search.js"}, "content")
    clash = claims.claim("JavaScripts/portal-search.js", "news/x.pdf")
    assert clash and "content/news/x.pdf" in str(clash) and "网站自带的文件 javascripts/portal-search.js" in str(clash)
    assert claims.claim("news/2026/a.pdf", "news/2026/a.pdf") is None
    assert "content/news/2026/a.pdf" in str(claims.claim("news/2026/A.pdf", "news/2026/A.pdf"))
    assert claims.claim("search/x.json", "news/x.json") is not None


def test_symlinks_under_content_are_refused_and_never_read(portal, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: 外部文件\n---\n\n机密内容。\n", encoding="utf-8")
    _png(portal, "news/2026/real.png")
    (outside / "secret.png").write_bytes((portal.content / "news/2026/real.png").read_bytes())
    portal.item("news/2026/a.md", news(), body="![图](linked.png)\n")
    (portal.content / "news/2026/linked.png").symlink_to(outside / "secret.png")
    (portal.content / "news/2026/secret.md").symlink_to(outside / "secret.md")
    (portal.content / "news/elsewhere").symlink_to(outside, target_is_directory=True)
    found = errors(portal)
    for rel in ("news/2026/linked.png", "news/2026/secret.md", "news/elsewhere"):
        assert any(e.startswith(f"content/{rel}:") and "符号链接" in e for e in found), (rel, found)
    built = portal.build()
    assert built.returncode != 0 and "符号链接" in built.output
    assert "机密内容" not in built.output


def test_passive_attachments_are_published_and_listed_with_type_and_size(portal):
    portal.write("news/2026/a<b>方案.pdf", b"%PDF-1.4\n" + b"x" * 3000)
    portal.write("news/2026/名单.xlsx", b"PK\x03\x04" + b"x" * 10)
    portal.item("news/2026/a.md", news(), body="见[方案](a%3Cb%3E方案.pdf)和[名单](名单.xlsx)。\n")
    built = portal.build()
    assert built.returncode == 0, built.output
    page = built.page("news/2026/a")
    section = page[page.index('class="portal-attachments"') :]
    assert '<h2 id="portal-attachments-title">附件</h2>' in section
    assert "a&lt;b&gt;方案.pdf</a>" in section and "（PDF，3 KB）" in section
    assert "名单.xlsx</a>" in section and "（Excel，1 KB）" in section
    assert (built.site / "news/2026/a<b>方案.pdf").read_bytes().startswith(b"%PDF")
    assert "<b>方案" not in page


# --- sanitizer completeness (point 2) and editors' notes (point 3) -------------------------

FORGING = """第一段正文。

[点我](javascript:alert(1))

第二段正文。
{: #__config .md-content onclick="alert(1)" }

<div id="__search" class="md-typeset portal-search__more keep">第三段</div>

[参考]: javascript:alert(2)
"""


def test_reserved_ids_classes_and_script_links_are_removed_and_reported_with_lines(portal):
    portal.item("news/2026/a.md", news(), body=FORGING)
    found = errors(portal, "warning")
    start = 14  # the body's first line in this fixture
    for offset, message in (
        (2, "删除了 javascript: 链接"),
        (5, "删除了网站保留的 id“__config”"),
        (5, "删除了事件属性 onclick"),
        (5, "删除了网站保留的 class“md-content”"),
        (7, "删除了网站保留的 id“__search”"),
        (9, "删除了 javascript: 链接"),
    ):
        assert any(w.startswith(f"content/news/2026/a.md:{start + offset}:") and message in w for w in found), (
            offset,
            found,
        )
    strict = portal.build()
    assert strict.returncode != 0 and "删除了网站保留的 id“__config”" in strict.output
    built = portal.build(strict=False)
    page = built.page("news/2026/a")
    body = page[page.index('class="portal-article__body"') : page.index('class="portal-editorial"')]
    # Material's own configuration only, which every page leaves to the shell script (portal.site.compact)
    shell = (built.site / "assets/portal-shell.js").read_text(encoding="utf-8")
    assert 'id="__config"' not in page and shell.count('<script id=\\"__config\\"') == 1
    assert page.count('id="__search"') == 1
    for forged in ("javascript:", "onclick", "md-content", "portal-search__more"):
        assert forged not in body, forged
    assert 'class="keep"' in body


def test_html_comments_are_published_nowhere(portal):
    # Editors' notes hold arrows and quotes ("->", "<b>"), which end naive tag-stripping early.
    body = (
        "第一段正文<!-- 联系人张三 -> 13800000001 -->，介绍可见文字甲乙。\n\n"
        "<!--\n内部意见：李四 => 13800000002\n-->\n\n"
        "## 主要做法\n\n第二段正文。<!-- <b>13800000003</b> -->\n\n```\n<!-- 代码中的注释照样显示 -->\n```\n"
    )
    portal.item("news/2026/a.md", news(summary=None), body=body)
    built = portal.build()
    assert built.returncode == 0, built.output
    everything = b"".join(p.read_bytes() for p in built.site.rglob("*") if p.is_file())
    assert "可见文字甲乙".encode() in everything  # the search index and feeds hold the body's text
    for number in ("13800000001", "13800000002", "13800000003", "联系人张三", "内部意见"):
        assert number.encode() not in everything, number
    assert "代码中的注释照样显示" in built.page("news/2026/a")


def test_an_unclosed_comment_is_an_error_with_its_line(portal):
    portal.item("news/2026/a.md", news(), body="第一段正文。\n\n<!-- 没有结束的注释\n\n第二段。\n")
    found = errors(portal)
    assert any(e.startswith("content/news/2026/a.md:16:") and "注释 <!-- 没有结束" in e for e in found), found


# --- every image re-encoded without metadata, animations included (point 4) ---------------


def _animations() -> dict[str, bytes]:
    from io import BytesIO

    from PIL import Image, PngImagePlugin

    frames = [Image.new("RGB", (64, 48), colour) for colour in ("red", "blue", "green")]
    exif = Image.Exif()
    exif[0x010F] = "SECRETCAMERA"  # Make
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0)}  # GPS
    made = {}
    buffer = BytesIO()
    frames[0].save(
        buffer,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=100,
        loop=0,
        comment=b"SECRETCOMMENT 13800000009",
    )
    made["moving-gif.gif"] = buffer.getvalue()
    buffer = BytesIO()
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:], duration=100, exif=exif.tobytes())
    made["moving-webp.webp"] = buffer.getvalue()
    buffer = BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "SECRETCOMMENT 13800000009")
    frames[0].save(
        buffer, "PNG", save_all=True, append_images=frames[1:], duration=100, pnginfo=info, exif=exif.tobytes()
    )
    made["moving-png.png"] = buffer.getvalue()
    return made


def test_animated_pictures_are_re_encoded_without_gps_camera_or_comment(portal):
    from PIL import Image

    animations = _animations()
    for name, data in animations.items():
        assert b"SECRET" in data  # the fixture carries what must not leave the build
        portal.write(f"news/2026/{name}", data)
    portal.item("news/2026/a.md", news(), body="".join(f"![动图{n}]({name})\n\n" for n, name in enumerate(animations)))
    built = portal.build()
    assert built.returncode == 0, built.output
    published = [p for p in (built.site / "news/2026").iterdir() if p.name.startswith("moving")]
    assert {p.name for p in published} >= set(animations)
    for path in published:
        data = path.read_bytes()
        assert b"SECRET" not in data and b"13800000009" not in data, path.name
        with Image.open(path) as image:
            assert image.n_frames == 3, path.name
            assert not image.getexif() and "comment" not in image.info and "exif" not in image.info, path.name


# --- robust cache and output (point 6) ------------------------------------------------------


def _cache_files(portal) -> list:
    return sorted((portal.root / ".cache/portal").glob("*.sqlite"))


@pytest.mark.parametrize("damage", ["garbage", "foreign"])
def test_a_damaged_or_foreign_cache_is_discarded_with_a_notice_and_rebuilt(portal, damage):
    import sqlite3

    portal.item("news/2026/a.md", news())
    first = portal.build()
    assert first.returncode == 0, first.output
    page = first.page("news/2026/a")
    (path,) = _cache_files(portal)
    if damage == "garbage":
        path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    else:
        path.unlink()
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE entries (other TEXT)")
    second = portal.build()
    assert second.returncode == 0, second.output
    assert "已损坏或不是本网站的缓存，已删除并重建" in second.output
    assert second.page("news/2026/a") == page
    third = portal.build()
    assert third.returncode == 0 and "已损坏" not in third.output


def test_a_second_build_at_the_same_time_stops_with_a_chinese_message(portal):
    import fcntl

    portal.item("news/2026/a.md", news())
    assert portal.build().returncode == 0
    before = (portal.root / "site/index.html").read_bytes()
    with open(portal.root / "site.lock", "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        second = portal.build()
    assert second.returncode != 0 and "另一个构建正在使用" in second.output and "Traceback" not in second.output
    assert (portal.root / "site/index.html").read_bytes() == before
    assert portal.build().returncode == 0  # the lock goes with the process that held it


@pytest.mark.parametrize(
    "setting, value",
    [("cache_dir", "content"), ("cache_dir", "content/news"), ("cache_dir", "."), ("cache_dir", "docs")],
)
def test_the_cache_can_never_point_at_a_source_folder(portal, setting, value):
    portal.item("news/2026/a.md", news())
    portal.write("news/2026/notes.txt", "编辑的笔记")
    before = {p: p.read_bytes() for p in portal.content.rglob("*") if p.is_file()}
    portal.config(portal={setting: value})
    built = portal.build()
    assert built.returncode != 0 and f"{setting} " in built.output and "Traceback" not in built.output
    assert {p: p.read_bytes() for p in portal.content.rglob("*") if p.is_file()} == before
    assert (portal.root / "docs/index.md").is_file()
    assert any("mkdocs.yml" in e and setting in e for e in errors(portal))


def test_the_site_can_never_be_built_into_the_content_folder(portal):
    portal.item("news/2026/a.md", news())
    before = {p: p.read_bytes() for p in portal.content.rglob("*") if p.is_file()}
    text = (portal.root / "mkdocs.yml").read_text(encoding="utf-8").replace("site_dir: site", "site_dir: content")
    (portal.root / "mkdocs.yml").write_text(text, encoding="utf-8")
    built = portal.build()
    assert built.returncode != 0 and "site_dir 与源文件夹 content_dir 重叠" in built.output
    assert {p: p.read_bytes() for p in portal.content.rglob("*") if p.is_file()} == before
    assert any("site_dir" in e for e in errors(portal))


def test_stale_folders_of_a_killed_build_are_cleaned_and_a_lost_site_restored(portal):
    portal.item("news/2026/a.md", news())
    (portal.root / "site.previous").mkdir()
    (portal.root / "site.previous/index.html").write_text("旧网站", encoding="utf-8")
    (portal.root / "site.building/news").mkdir(parents=True)
    portal.item("news/2026/bad.md", news(date="2026-02-30"))  # this build fails validation
    failed = portal.build()
    assert failed.returncode != 0
    assert (portal.root / "site/index.html").read_text(encoding="utf-8") == "旧网站"
    assert not (portal.root / "site.previous").exists() and not (portal.root / "site.building").exists()


# --- the mirror (point 7) -------------------------------------------------------------------


class _Bucket:
    """The three calls sync makes, recorded (the moto round trip is tested in test_mirror)."""

    def __init__(self, keys):
        self.objects = {key: "0" for key in keys}
        self.calls = []

    def get_paginator(self, name):
        objects = self.objects
        return type(
            "P",
            (),
            {"paginate": lambda self, Bucket: [{"Contents": [{"Key": k, "ETag": v} for k, v in objects.items()]}]},
        )()

    def put_object(self, **kw):
        self.calls.append(("put", kw["Key"]))

    def delete_object(self, **kw):
        self.calls.append(("delete", kw["Key"]))


def test_the_mirror_refuses_a_missing_empty_or_incomplete_site_and_mass_deletion(tmp_path):
    from portal.cli.mirror import MirrorError, sync

    bucket = _Bucket([f"news/{n}/index.html" for n in range(10)] + ["index.html"])
    (tmp_path / "empty").mkdir()
    (tmp_path / "partial/news").mkdir(parents=True)
    (tmp_path / "partial/news/x.html").write_text("x")
    for site, message in (
        (tmp_path / "missing", "不存在"),
        (tmp_path / "empty", "是空的"),
        (tmp_path / "partial", "没有 index.html"),
    ):
        with pytest.raises(MirrorError, match=message):
            sync(site, bucket, "portal")
    small = tmp_path / "small"
    small.mkdir()
    (small / "index.html").write_text("首页")
    with pytest.raises(MirrorError, match="会删除存储桶中 10 个文件"):
        sync(small, bucket, "portal")
    assert bucket.calls == []  # nothing uploaded, nothing deleted
    report = sync(small, bucket, "portal", allow_mass_delete=True)
    assert report.deleted == 10 and ("put", "index.html") in bucket.calls


def test_the_mirror_names_missing_settings_in_chinese(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIRROR_")}
    done = subprocess.run(
        tool(REPO, "mirror", str(tmp_path)),
        capture_output=True,
        text=True,
        env={**env, "MIRROR_ENDPOINT": "https://oss.example", **hooks_path(REPO)},
        timeout=60,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "缺少设置 MIRROR_BUCKET" in done.stderr and "MIRROR_ENDPOINT" not in done.stderr


# --- the publishing day in China time (point 8) ----------------------------------------------


def test_today_is_beijings_day_not_the_runners(monkeypatch):
    import datetime as dt

    from portal.model import today

    monkeypatch.delenv("PORTAL_TODAY", raising=False)
    runner = dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.timezone.utc)  # 01:30 on 2 March in Beijing
    assert today(now=runner) == dt.date(2026, 3, 2)
    assert today("Asia/Shanghai", now=runner) == dt.date(2026, 3, 2)
    assert today("Europe/London", now=runner) == dt.date(2026, 3, 1)


def test_the_time_zone_is_a_setting_checked_in_chinese(portal):
    portal.item("news/2026/a.md", news())
    portal.config(portal={"timezone": "Asia/Beijing"})
    built = portal.build()
    assert built.returncode != 0 and "extra.portal.timezone" in built.output and "Asia/Shanghai" in built.output


# --- check and the build agree (point 9) ----------------------------------------------------


def test_the_build_stops_on_every_hygiene_case_with_the_same_messages_as_check(portal):
    portal.item("news/2026/good.md", news())
    for number, case in enumerate(HYGIENE):
        front, _, _ = HYGIENE[case]
        body = BODY + "\n第二段\x07正文。\n" if case == "body control character" else BODY
        portal.write(f"news/2026/case{number}.md", front_matter(front, body))
    (portal.content / "news/2026/folder.md").mkdir()
    found = errors(portal)
    built = portal.build()
    assert built.returncode != 0 and "Traceback" not in built.output
    for number, case in enumerate(HYGIENE):
        message = HYGIENE[case][2]
        assert any(e.startswith(f"content/news/2026/case{number}.md:") and message in e for e in found), case
        assert any(
            line.strip().startswith(f"content/news/2026/case{number}.md:") and message in line
            for line in built.output.splitlines()
        ), case
    assert "content/news/2026/folder.md" in built.output
    assert not built.site.exists()


def test_search_scratch_folders_of_killed_builds_are_removed_after_a_day(tmp_path):
    import time

    from portal.site.output import clean_stale_temp

    old, fresh, other = tmp_path / "portal-search-old", tmp_path / "portal-search-fresh", tmp_path / "someone-else"
    for folder in (old, fresh, other):
        folder.mkdir()
        (folder / "index.pickle").write_bytes(b"x")
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    os.utime(other, (day_ago, day_ago))
    assert clean_stale_temp(tmp_path) == 1
    assert not old.exists() and fresh.exists() and other.exists()
