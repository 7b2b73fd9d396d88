"""The one Markdown scanner (hooks/portal/content/markdown.py) and the checks that read bodies through it,
called in-process: nested and mismatched fences, indented code, code spans, links and pictures,
with the lines an editor sees. Code is what Python-Markdown (the renderer the portal configures)
shows as code, and a table of documents is rendered to prove it."""

from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.content.markdown import mask_code, scan
from portal.content.paragraphs import split_paragraphs
from portal.content.validate import first_paragraph
from portal.images import alt_problems
from portal.rules.html import raw_html_problems
from portal.rules.links import links
from portal.rules.markup import markdown_problems
from portal.rules.placeholders import placeholder_marks

EXTENSIONS = ["fenced_code", "admonition", "attr_list", "tables", "toc", "portal.content.paragraphs"]  # as mkdocs.yml

# Documents with marker words QA…QZ; each marker is either shown as code by Python-Markdown or not.
DOCUMENTS = {
    "backtick fence inside a tilde fence": "正文QA。\n\n~~~\n```\nQB\n~~~\n\nQC 之后。\n",
    "tilde fence inside a backtick fence": "```\n~~~\nQB\n```\n\nQC\n",
    "longer closing fence does not close": "```\nQB\n````\n\nQC\n",
    "equal closing fence closes": "````\nQB\n```\nQD\n````\nQC\n",
    "unclosed fence is text": "正文。\n\n```\nQC 没有结束的代码块。\n",
    "indented fence is not a fence": "   ```\nQB\n   ```\n\nQC\n",
    "fence with a language": "```python\nQB = 1\n```\n\nQC\n",
    "fence with words after it is not a fence": "```python title\nQB\n```\n\nQC\n",
    "indented code block": "正文QA。\n\n    QB 代码\n    QD 代码\n\nQC\n",
    "indented lines in a list are its text": "- 第一项QA\n\n    QC 续行\n\n正文。\n\n    QB 代码\n",
    "indented lines after text are its text": "正文QA\n    QC 续行\n",
    "indented lines in an admonition are its text": '!!! note "提示"\n\n    QC 提示内容\n',
    "code spans": "a `QB` b ``QD`x`` c ` QE ` QC\n",
    "escaped and unmatched backticks": "a \\`QC\\` b ```QA`` c\n",
    "one line is one paragraph, so no code span over lines": "句子 `QA\nQC` 结束\n",
    "code spans do not cross paragraphs": "a `QC\n\nQA` b\n",
}
MARKER = re.compile(r"Q[A-Z]")


def _shown_as_code(html: str) -> set[str]:
    return {marker for code in re.findall(r"<code[^>]*>(.*?)</code>", html, re.S) for marker in MARKER.findall(code)}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_scanner_finds_exactly_the_code_python_markdown_renders(name):
    text = DOCUMENTS[name]
    html = markdown.markdown(text, extensions=EXTENSIONS)
    masked = mask_code(text)
    markers = {m.group(0): m.start() for m in MARKER.finditer(text)}
    assert markers
    blanked = {marker for marker, at in markers.items() if masked[at : at + 2] == "  "}
    assert blanked == _shown_as_code(html), html
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")


def test_a_backtick_line_inside_a_tilde_block_leaves_the_rest_of_the_body_checked():
    body = "第一段。\n\n~~~\n```\n**县委员会 代码示例\n~~~\n\n本段还有XX没有写完。\n\n![](tu.png)\n"
    assert placeholder_marks(body) == [(7, 5, "XX")]  # not the ** inside the code, not missed after it
    assert [p.line for p in alt_problems(body, "a.md", 10)] == [19]


def test_a_tilde_line_inside_a_backtick_block_is_code():
    body = "```\n~~~\nXX\n```\n○○\n"
    assert [mark for _line, _column, mark in placeholder_marks(body)] == ["○○"]


def test_a_longer_closing_fence_does_not_close_and_the_published_text_is_checked():
    # Python-Markdown needs the very same fence: "```" … "````" is no code block, readers see the text.
    body = "```\n代码\n````\nXX\n"
    assert placeholder_marks(body) == [(3, 1, "XX")]
    assert placeholder_marks("````\nXX\n```\nXX\n````\n○○\n") == [(5, 1, "○○")]


def test_an_unclosed_fence_does_not_hide_the_rest_of_the_body():
    assert placeholder_marks("正文。\n\n```\n还有XX。\n") == [(3, 3, "XX")]


def test_an_indented_fence_is_no_fence():
    scanned = scan("   ```\n正文\n   ```\n\n```\n代码\n```\n")
    assert [code.kind for code in scanned.code] == ["fence"]
    assert scanned.code_lines() == {4, 5, 6}


def test_inline_code_spans_match_backtick_runs_of_the_same_length():
    line = "写成 ``a`XX`` 或 `**县` 都是代码，``没有配对的 XX"
    assert placeholder_marks(line) == [(0, line.rindex("XX") + 1, "XX")]
    assert placeholder_marks("转义的 \\`XX\\` 不是代码") == [(0, 7, "XX")]


def test_indented_code_is_code_but_list_text_is_checked():
    assert placeholder_marks("正文。\n\n    XX = 1\n") == []
    assert placeholder_marks("- 一项\n\n    续写XX\n") == [(2, 7, "XX")]


def test_a_definition_indented_up_to_three_spaces_starts_at_its_bracket():
    [link] = scan("正文。\n\n   [参考]: /news/2026/c/\n").links()
    assert (link.kind, link.at, link.target) == ("definition", 8, "/news/2026/c/")


def test_links_and_pictures_keep_their_lines_after_code():
    body = (
        "~~~\n```\n[代码里](/news/2026/a/)\n~~~\n\n见[这篇](/news/2026/b/)和\n![图](<tu pian.png>)\n\n"
        "[参考]: /news/2026/c/\n"
    )
    found = [(scan(body).line_of(link.start), link.target, link.picture) for link in links(body)]
    assert found == [(5, "/news/2026/b/", False), (6, "tu pian.png", True), (8, "/news/2026/c/", False)]


def test_a_link_text_may_hold_brackets_escapes_and_run_over_lines():
    body = "见[《条例》[2026]\n第一章\\]](javascript:alert(1))。\n"
    assert [p.line for p in markdown_problems(body, "a.md", 10)] == [11]
    assert [link.target for link in links("\\[不是链接](a.md)")] == []


def test_pictures_without_alt_text_are_found_outside_code_only():
    body = '`![](code.png)`\n\n![ ](a.png)\n![][tu]\n\n    ![](indented.png)\n\n<img src="b.png">\n'
    assert [(p.line, p.message) for p in alt_problems(body, "a.md", 1)] == [
        (3, "图片缺少替代文字（alt）：![](a.png)。"),
        (4, "图片缺少替代文字（alt）：![][tu]。"),
        (8, '图片缺少替代文字（alt）：<img src="b.png">。'),
    ]


def test_raw_html_in_code_is_not_reported_but_after_it_is():
    body = "~~~\n```\n<script>x</script>\n~~~\n\n<script>alert(1)</script>\n"
    assert [p.line for p in raw_html_problems(body, "a.md", 1, ())] == [6]


def test_the_summary_skips_code_blocks_whatever_their_fences():
    assert first_paragraph("~~~\n```\n代码\n~~~\n\n真正的第一段。\n") == "真正的第一段。"
    assert first_paragraph("    缩进的代码\n\n第一段`条例`。\n") == "第一段条例。"


def test_one_line_one_paragraph_leaves_every_fenced_line_alone():
    source = "第一行\n~~~\n```\n代码一\n代码二\n~~~\n\n第二行\n第三行\n"
    assert split_paragraphs(source) == "第一行\n\n~~~\n```\n代码一\n代码二\n~~~\n\n第二行\n\n第三行\n"


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "```",
                "~~~",
                "````",
                "   ```",
                "    ",
                "\t",
                "`",
                "``",
                "\\",
                "- ",
                "!!! note ",
                "!",
                "[",
                "]",
                "(",
                ")",
                "<",
                ">",
                "a.png",
                "XX",
                "文字",
                " ",
                "\n",
                "\n\n",
                "[x]: y",
            ]
        ),
        max_size=60,
    )
)
def test_any_text_scans_into_code_regions_and_links_of_the_source(parts):
    text = "".join(parts)
    scanned = scan(text)
    # The quick path (no indented line, no fence: no code block) finds what the line-by-line reading finds.
    from portal.content import markdown as scanner

    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    quick, scanner.MAY_HOLD_CODE = scanner.MAY_HOLD_CODE, re.compile("(?=.)|\n|^$")  # always "may hold"
    try:
        slow = scanner._block_code(text, starts)
    finally:
        scanner.MAY_HOLD_CODE = quick
    assert scanner._block_code(text, starts) == slow
    assert len(scanned.masked) == len(text) and scanned.masked.count("\n") == text.count("\n")
    assert all(0 <= code.start < code.end <= len(text) for code in scanned.code)
    assert all(
        a.end <= b.start for a, b in zip(scanned.code, scanned.code[1:], strict=False)
    )  # in order, never overlapping
    for link in scanned.links():
        assert text[link.start : link.end] == link.target and scanned.masked[link.at] in "!["
