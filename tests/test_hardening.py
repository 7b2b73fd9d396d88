"""Hardening (issue 10): content can never change the site's code, leak private data or crash
the build. Each case was reproduced on main; the build and `check` agree on every one."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
import yaml

from conftest import CATALOGUE, REPO, TODAY, news, review

sys.path.insert(0, str(REPO / "hooks"))

from portal_check import check  # noqa: E402

BODY = "第一段正文，介绍这项工作的基本情况。\n"


def errors(portal, level: str = "error") -> list[str]:
    """`check`'s problems of a level, as printed (file:line: message 修改建议：hint)."""
    os.environ.setdefault("PORTAL_TODAY", TODAY)
    return [str(p) for p in check(portal.root) if p.level == level]


def front_matter(text: str, body: str = BODY) -> str:
    return f"---\n{text}---\n\n{body}"


GOOD = ("title: 县知联会召开理事会\ndate: 2026-03-02\ncolumn: 工作动态\norganisation: 县知联会\n"
        "editor: 编辑甲\nresponsible_editor: 责编乙\nsigned_off_by: 签发丙\n")

# --- text hygiene (point 5) --------------------------------------------------------------

HYGIENE = {
    "raw NUL in front matter": (GOOD.replace("编辑甲", "编辑\x00甲"), ":6:", "控制字符 U+0000"),
    "escaped NUL in title": (GOOD.replace("title: 县知联会召开理事会", 'title: "县知联会\\0召开"'), ":2:",
                             "字段 title（标题）含有控制字符 U+0000"),
    "escaped control in tag": (GOOD + 'tags: ["知联会\\x1b"]\n', ":9:", "字段 tags（标签）含有控制字符 U+001B"),
    "bidi override in title": (GOOD.replace("县知联会召开理事会", "县知联会\u202e会事理开召"), ":2:",
                               "字段 title（标题）含有改变文字方向的隐藏字符 U+202E"),
    "zero-width in editor": (GOOD.replace("编辑甲", "编辑\u200b甲"), ":6:", "字段 editor（编辑）含有零宽或不可见字符 U+200B"),
    "title past the hard limit": (GOOD.replace("县知联会召开理事会", "长" * 101), ":2:", "字段 title（标题）太长：101 个字，最多 100 个字"),
    "over-long tag": (GOOD + "tags: [" + "标" * 90 + "]\n", ":9:", "字段 tags（标签）其中一项太长"),
    "too many tags": (GOOD + "tags: [" + ", ".join(f"标签{n}" for n in range(30)) + "]\n", ":9:", "有 30 项，最多 10 项"),
    "over-long summary": (GOOD + "summary: " + "摘" * 400 + "\n", ":9:", "字段 summary（摘要）太长"),
    "deep flow nesting": (GOOD + "tags: " + "[" * 5000 + "]" * 5000 + "\n", ":9:", "括号嵌套超过 20 层"),
    "deep block nesting": (GOOD + "tags:\n" + "- " * 3000 + "x\n", ":10:", "缩进或列表嵌套过深"),
    "alias bomb": (GOOD + "x0: &a0 [a, a, a, a, a, a, a, a, a, a]\n"
                   + "".join(f"x{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, 9)),
                   ":", "展开引用后有"),
    "body control character": (GOOD, ":13:", "正文含有控制字符 U+0007"),
}


@pytest.mark.parametrize("case", HYGIENE)
def test_invisible_characters_lengths_and_yaml_shapes_are_chinese_errors(portal, case):
    """On main these were accepted silently, crashed with an English traceback or a segfault:
    checked in a child process, so that a crash fails the test instead of the test run."""
    front, line, message = HYGIENE[case]
    body = BODY + "\n第二段\x07正文。\n" if case == "body control character" else BODY
    portal.write("news/2026/a.md", front_matter(front, body))
    script = textwrap.dedent(f"""
        import os, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        sys.path.insert(0, {str(REPO / 'hooks')!r})
        from portal_check import check
        for p in check(__import__('pathlib').Path({str(portal.root)!r})):
            print(p.level, p)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PORTAL_TODAY": TODAY})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    found = [row for row in done.stdout.splitlines() if row.startswith("error content/news/2026/a.md" + line)]
    assert any(message in row for row in found), done.stdout


def test_a_long_title_is_a_warning_before_the_hard_limit(portal):
    portal.item("news/2026/a.md", news(title="县知联会" + "召开理事会" * 12))
    assert errors(portal) == []
    assert any("字段 title（标题）有 64 个字，超过建议的 50 个字" in w for w in errors(portal, "warning"))


def test_a_metric_of_thousands_of_digits_is_refused(portal):
    path = portal.item("reviews/2025/a.md", review(metrics=[{"label": "社情民意信息", "value": "VALUE", "unit": "篇",
                                                              "group": "参政议政"}]), body="全年上报社情民意信息46篇。\n")
    path.write_text(path.read_text(encoding="utf-8").replace("VALUE", "4" * 5000), encoding="utf-8")
    found = errors(portal)
    assert any("第 1 项数据的字段 value（数值）太长" in e for e in found), found


CATALOGUE_CASES = {
    "alias bomb": "columns: &c0 [{name: 工作动态, slug: a}]\n" + "".join(
        f"c{n}: &c{n} [{', '.join([f'*c{n - 1}'] * 10)}]\n" for n in range(1, 9))
        + "organisations: [{name: 县知联会, slug: b, description: *c8}]\n",
    "escaped NUL": 'columns: [{name: "工作\\0动态", slug: a}]\norganisations: [{name: 县知联会, slug: b}]\n',
    "raw control": "columns: [{name: 工作\x01动态, slug: a}]\norganisations: [{name: 县知联会, slug: b}]\n",
    "long slug": f"columns: [{{name: 工作动态, slug: {'a' * 300}}}]\norganisations: [{{name: 县知联会, slug: b}}]\n",
}


@pytest.mark.parametrize("case", CATALOGUE_CASES)
def test_catalogue_shapes_and_characters_are_chinese_errors(portal, case):
    portal.write("catalogue.yml", CATALOGUE_CASES[case])
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        sys.path.insert(0, {str(REPO / 'hooks')!r})
        from portal_check import check
        for p in check(__import__('pathlib').Path({str(portal.root)!r})):
            print(p.level, p)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PORTAL_TODAY": TODAY})
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert any(row.startswith("error content/catalogue.yml") for row in done.stdout.splitlines()), done.stdout


def test_a_folder_named_like_an_item_is_reported_not_a_traceback(portal):
    portal.item("news/2026/a.md", news())
    (portal.content / "news/2026/x.md").mkdir()
    found = errors(portal)
    assert any("content/news/2026/x.md" in e and "文件夹" in e for e in found), found


def test_over_long_file_names_are_errors_from_check(portal):
    portal.item("news/2026/" + "a" * 200 + ".md", news())
    found = errors(portal)
    assert any("太长" in e for e in found), found
