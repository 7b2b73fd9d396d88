"""One line, one paragraph: text pasted from Word and WPS renders as the editor saw it."""

from __future__ import annotations

import re

from conftest import news
from portal.content.paragraphs import split_paragraphs

# As Word pastes: each paragraph on one line, indented with two U+3000, smart quotes, trailing spaces.
WORD = (
    "\u3000\u30003月2日，县知联会召开理事会。  \r\n"
    "\u3000\u3000会议传达了“两会”精神，部署全年工作。\r\n"
    "\u3000\u3000会议强调，要‘围绕中心、服务大局’。\u3000\r\n"
)
# As WPS pastes: no-break spaces for the indent, no trailing newline.
WPS = "\u00a0\u00a0\u00a0\u00a0第一段，介绍情况。\n\u00a0\u00a0\u00a0\u00a0第二段，说明做法。"


def _paragraphs(html: str) -> list[str]:
    body = html[html.index('class="portal-article__body"') : html.index('class="portal-editorial"')]
    return [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p>(.*?)</p>", body, re.S)]


def test_word_and_wps_lines_become_paragraphs_without_indents(portal):
    portal.write(
        "news/2026/word.md",
        (
            "---\ntitle: 县知联会召开理事会\ndate: 2026-03-02\ncolumn: 工作动态\n"
            "organisation: 县知联会\neditor: 甲\nresponsible_editor: 乙\nsigned_off_by: 丙\n---\n\n"
        ).replace("\n", "\r\n")
        + WORD,
    )
    portal.item("news/2026/wps.md", news(title="WPS 稿件"), body=WPS)
    build = portal.build()
    assert build.returncode == 0, build.output
    assert _paragraphs(build.page("news/2026/word")) == [
        "3月2日，县知联会召开理事会。",
        "会议传达了“两会”精神，部署全年工作。",
        "会议强调，要‘围绕中心、服务大局’。",
    ]
    assert _paragraphs(build.page("news/2026/wps")) == ["第一段，介绍情况。", "第二段，说明做法。"]
    # The summary is the first paragraph only, not the whole pasted text.
    assert 'content="3月2日，县知联会召开理事会。"' in build.page("news/2026/word")


def test_markdown_structure_is_left_as_written():
    source = (
        "## 小标题\n\u3000\u3000第一段\n\u3000\u3000第二段\n\n"
        "- 第一条\n- 第二条\n  续行\n\n"
        "| 项目 | 数量 |\n|---|---|\n| 会议 | 2 |\n\n"
        "> 引用一\n> 引用二\n\n"
        "```\n代码一\n代码二\n```\n\n"
        "<div>\n原样一\n原样二\n</div>\n\n"
        "    缩进一\n    缩进二\n\n"
        '!!! note "提示"\n    \u3000\u3000说明一\n    说明二\n'
    )
    out = split_paragraphs(source)
    assert out.startswith("## 小标题\n\n第一段\n\n第二段\n\n")
    for kept in (
        "- 第一条\n- 第二条\n  续行\n",
        "| 项目 | 数量 |\n|---|---|\n| 会议 | 2 |\n",
        "> 引用一\n> 引用二\n",
        "```\n代码一\n代码二\n```\n",
        "<div>\n原样一\n原样二\n</div>\n",
        "    缩进一\n    缩进二\n",
        '!!! note "提示"\n    \u3000\u3000说明一\n    说明二\n',
    ):
        assert kept in out


def test_a_list_or_picture_right_under_a_line_starts_its_own_block():
    assert split_paragraphs("做法如下：\n1. 第一\n2. 第二\n") == "做法如下：\n\n1. 第一\n2. 第二\n"
    assert (
        split_paragraphs("![会场](a.jpg)\n![合影](b.jpg)\n图为会场。\n")
        == "![会场](a.jpg)\n![合影](b.jpg)\n\n图为会场。\n"
    )
    assert split_paragraphs("标题\n---\n正文一\n正文二\n") == "标题\n---\n正文一\n\n正文二\n"
