"""What editors actually type: full-width tag separators, file names, duplicates."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import REPO, TODAY, hooks_path, news, tool


def run_check(portal, *args):
    return subprocess.run(
        tool(portal.root, "check", "--root", str(portal.root), *args),
        capture_output=True,
        text=True,
        env={**os.environ, "PORTAL_TODAY": TODAY, **hooks_path(portal.root)},
        timeout=120,
    )


def test_tags_split_on_full_width_commas_with_a_notice(portal):
    portal.write(
        "news/2026/yanglao.md",
        "---\ntitle: 政协委员调研养老服务\ndate: 2026-03-02\ncolumn: 工作动态\n"
        "organisation: 县政协\neditor: 甲\nresponsible_editor: 乙\nsigned_off_by: 丙\n"
        "tags: [政协，养老服务、调研, 政协]\n---\n\n正文。\n",
    )
    build = portal.build()
    assert build.returncode == 0, build.output
    assert (
        "content/news/2026/yanglao.md:9: 字段 tags（标签）中的 “政协，养老服务、调研” 含有全角逗号或顿号"
        in build.output
    )
    for tag in ("政协", "养老服务", "调研"):
        assert "政协委员调研养老服务" in build.page(f"tags/{tag}")
    assert not (build.site / "tags/政协，养老服务、调研").exists()
    assert "[提示] content/news/2026/yanglao.md:9: 字段 tags（标签）" in run_check(portal).stdout


def test_file_names_must_be_pinyin_with_a_suggested_name(portal):
    portal.item("news/2026/县知联会召开理事会.md", news())
    portal.item("news/2026/My Report_2.md", news(title="另一篇"))
    portal.item("news/2026/xian-zhilianhui-lishihui.md", news(title="第三篇"))
    build = portal.build()
    assert build.returncode == 1
    assert (
        "content/news/2026/县知联会召开理事会.md:1: 文件名或文件夹名 “县知联会召开理事会” 不合规" in build.output
        and "改名为 content/news/2026/xian-zhi-lian-hui-zhao-kai-li-shi-hui.md" in build.output
    ), build.output
    assert "改名为 content/news/2026/my-report-2.md" in build.output
    done = run_check(portal)
    assert (
        done.returncode == 1
        and "[错误] content/news/2026/My Report_2.md:1: 文件名或文件夹名 “My Report_2”" in done.stdout
    )


def test_pinyin_slug_reads_phrases_and_keeps_latin_and_digits():
    from portal.content.names import pinyin_slug

    assert pinyin_slug("重庆银行行长") == "chong-qing-yin-hang-hang-zhang"
    assert pinyin_slug("2026年 ABC 会议！") == "2026-nian-abc-hui-yi"
    assert pinyin_slug("一二三四五六七八九十") == "yi-er-san-si-wu-liu-qi-ba"


def test_the_same_item_in_two_folders_is_warned(portal):
    body = "第一段正文。\n\n第二段正文。\n"
    portal.item("news/2026/lishihui.md", news(), body=body)
    portal.item("news/2025/lishihui.md", news(), body=body.replace("\n\n", "\n\n\n"))  # copied, spacing aside
    portal.item("news/2026/other.md", news(), body="另一篇的正文。\n")  # same title, other text: fine
    build = portal.build()
    assert build.returncode == 1  # a warning: the strict build stops
    assert (
        "content/news/2026/lishihui.md:2: 这篇稿件与 content/news/2025/lishihui.md 的标题和正文完全相同" in build.output
    ), build.output
    assert "other.md" not in build.output


def test_the_404_page_is_chinese_with_search_and_home_under_a_sub_path(portal):
    path = portal.root / "mkdocs.yml"
    path.write_text(
        re.sub(r"(?m)^site_url: .*$", "site_url: https://example.org/xian/", path.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    portal.item("news/2026/a.md", news())
    build = portal.build()
    assert build.returncode == 0, build.output
    page = (build.site / "404.html").read_text(encoding="utf-8")
    assert "<title>页面没有找到 - " in page and "<h1>页面没有找到</h1>" in page and "Not found" not in page
    assert '<label class="md-button md-button--primary" for="__search">搜索本站稿件</label>' in page
    assert 'id="__search"' in page and "data-portal-search" in page  # the search the label opens
    assert '<a class="md-button" href="/xian/">返回首页</a>' in page and 'href="/xian/news/"' in page
    # Served from any depth: every local stylesheet and script is addressed from the site's root.
    local = [url for url in re.findall(r'(?:href|src)="([^"#]+\.(?:css|js))"', page) if "://" not in url]
    assert local and all(url.startswith("/xian/") for url in local), local


def test_pinyin_tables_are_loaded_only_to_suggest_a_name():
    """pypinyin's phrase tables take ~50 MB: a build whose file names are fine never loads them."""
    code = "import sys; import portal.content.reader, portal.cli.check; print('pypinyin' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO / "hooks", capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
