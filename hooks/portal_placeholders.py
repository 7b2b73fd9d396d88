"""Unfinished text: placeholder marks that an editor left in a draft.

`**县`, `*次`, `*－*名` (literal asterisks for hidden names and numbers), `XX`, `××`,
`○○`, `【待补充】`, `TODO` … are errors in an item that is not `redacted: true`; in a
redacted item the asterisks are deliberate, and the page shows them as redactions.
Markdown emphasis (`**要点**`), list bullets and code are not placeholders.
"""

from __future__ import annotations

import re

from portal_markdown import mask_code
from portal_model import Item
from portal_problems import Problem

EMPHASIS = re.compile(r"(?<!\\)(\*{1,3})(?=[^\s*])(.+?)(?<=[^\s\\*])\1")
BULLET = re.compile(r"^(\s*)\*(\s)")
RULE = re.compile(r"^\s*(\*\s*){3,}$")
LITERAL_STARS = re.compile(r"(?:\\\*|\*)+")
HIDDEN = re.compile(r"(?:\\\*|\*)+(?=[\u4e00-\u9fff\d－—\-～~])|(?<=[\u4e00-\u9fff\d－—\-～~])(?:\\\*|\*)+")
MARKS = re.compile(r"(?<![A-Za-z])X{2,}(?![A-Za-z])|×{2,}|○{2,}|【\s*待[^】]{0,6}】|（\s*待补充\s*）|待补充|待核实|"
                   r"(?<![A-Za-z])(?:TODO|TBD|FIXME)(?![A-Za-z])")


def _source_lines(body: str):
    """(line offset, text) of the body's lines, code blanked out."""
    yield from enumerate(mask_code(body).split("\n"))


def _literal_text(line: str) -> str:
    """The line without Markdown emphasis, bullets and rules: remaining asterisks are literal."""
    if RULE.match(line):
        return ""
    line = BULLET.sub(r"\1\2", line)
    return EMPHASIS.sub(lambda m: m.group(2), line)


def placeholders(body: str) -> list[tuple[int, str]]:
    """(line offset in the body, mark as written) of every placeholder."""
    found = []
    for offset, line in _source_lines(body):
        text = _literal_text(line)
        found += [(offset, m.group(0).replace("\\", "")) for m in HIDDEN.finditer(text)]
        found += [(offset, m.group(0)) for m in MARKS.finditer(text)]
    return found


def placeholder_problems(item: Item, file: str) -> list[Problem]:
    if item.redacted:
        return []
    return [Problem(file, item.body_line + offset,
                    f"正文中有未完成的占位符“{mark}”：稿件还没有写完，不能发布。",
                    "补上真实内容；如果是按规定有意隐去的人名或数字，在前置元数据中写 redacted: true。")
            for offset, mark in placeholders(item.body)]


REDACTION_TEXT = re.compile(r">([^<]*)<")


def mark_redactions(html: str) -> str:
    """In a redacted item's page, literal asterisks become visible, labelled redactions."""
    def text(match: re.Match) -> str:
        return ">" + LITERAL_STARS.sub(
            lambda m: f'<abbr class="portal-redaction" title="按规定隐去的内容">{m.group(0)}</abbr>',
            match.group(1)) + "<"
    return REDACTION_TEXT.sub(text, html)

