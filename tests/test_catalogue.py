"""content/catalogue.yml problems: real lines, Chinese messages, a fix; no cascade onto items."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import TODAY, hooks_path, news, tool

GOOD = """# 目录
columns:
  - name: 工作动态
    slug: gongzuo-dongtai
  - name: 经验交流
    slug: jingyan-jiaoliu
organisations:
  - name: 县知联会
    slug: xian-zhilianhui
  - name: 县政协
    slug: xian-zhengxie
"""


def run_check(portal):
    return subprocess.run(
        tool(portal.root, "check", "--root", str(portal.root)),
        capture_output=True,
        text=True,
        env={**os.environ, "PORTAL_TODAY": TODAY, **hooks_path(portal.root)},
        timeout=120,
    )


CASES = {
    "bad indentation": (GOOD.replace("    slug: jingyan-jiaoliu", "   slug: jingyan-jiaoliu"), 6, "缩进"),
    "full-width colon": (GOOD.replace("    slug: xian-zhengxie", "    slug：xian-zhengxie"), 11, "全角冒号"),
    "tab": (GOOD.replace("    slug: gongzuo-dongtai", "\tslug: gongzuo-dongtai"), 4, "制表符"),
    "unclosed quote": (GOOD.replace("name: 县政协", 'name: "县政协'), 10, "引号"),
    "missing slug": (
        GOOD.replace("    slug: jingyan-jiaoliu\n", ""),
        5,
        "columns 第 2 项栏目的缺少必填字段 slug（网址短名）",
    ),
    "bad slug": (GOOD.replace("slug: xian-zhengxie", "slug: 县政协"), 11, "字段 slug（网址短名）的值是“县政协”"),
    "same name": (GOOD.replace("name: 经验交流", "name: 工作动态"), 5, "名称“工作动态”与前面的栏目重名"),
    "misspelt key": (GOOD.replace("    slug: xian-zhilianhui", "    slgu: xian-zhilianhui"), 9, "有未知字段 slgu"),
    "misspelt section": (GOOD.replace("organisations:", "organizations:"), 7, "是不是 organisations？"),
}


@pytest.mark.parametrize("name", CASES)
def test_catalogue_problem_has_its_line_a_chinese_message_and_no_item_cascade(portal, name):
    text, line, words = CASES[name]
    portal.write("catalogue.yml", text)
    portal.item("news/2026/a.md", news())
    portal.item("news/2026/b.md", news(title="第二篇", column="经验交流", organisation="县政协"))
    portal.item("news/2026/c.md", news(title="第三篇", date="2026-02-30"))  # its own problem: still reported
    portal.item("news/2026/d.md", news(title="第四篇"), body="见[第二篇](/news/2026/b/)。\n")  # b is not missing
    build = portal.build()
    assert build.returncode == 1
    assert f"content/catalogue.yml:{line}: " in build.output and words in build.output, build.output
    assert "修改建议：" in build.output.split(f"content/catalogue.yml:{line}: ", 1)[1].split("\n")[0]
    assert "content/news/2026/a.md" not in build.output and "content/news/2026/b.md" not in build.output
    assert "content/news/2026/d.md" not in build.output
    assert "content/news/2026/c.md:3: 字段 date（发布日期）" in build.output
    assert "Traceback" not in build.output and "mapping" not in build.output and "expected" not in build.output
    out = run_check(portal).stdout
    assert f"[错误] content/catalogue.yml:{line}: " in out and "a.md" not in out and "空白栏目" not in out
    assert "d.md" not in out
