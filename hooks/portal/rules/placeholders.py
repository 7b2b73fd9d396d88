"""Unfinished text: placeholder marks that an editor left in a draft.

`**县`, `*次`, `*－*名` (literal asterisks for hidden names and numbers), `XX`, `××`,
`○○`, `【待补充】`, `TODO` … are errors wherever they are published: body (image alt text
included), title, summary, tags, metric labels and notes. `redacted: true` exempts only the
asterisks of a redaction (the page shows them as redactions), never `XX`, `【待补充】`, `TODO`.
Markdown emphasis (`**要点**`), list bullets and code are not placeholders.
"""

from __future__ import annotations

import re

from portal.content.markdown import scan
from portal.model import Item
from portal.problems import Problem

EMPHASIS = re.compile(r"(?<!\\)(\*{1,3})(?=[^\s*])(.+?)(?<=[^\s\\*])\1")
BULLET = re.compile(r"^(\s*)\*(\s)")
RULE = re.compile(r"^\s*(\*\s*){3,}$")
LITERAL_STARS = re.compile(r"(?:\\\*|\*)+")
HIDDEN = re.compile(r"(?:\\\*|\*)+(?=[\u4e00-\u9fff\d－—\-～~])|(?<=[\u4e00-\u9fff\d－—\-～~])(?:\\\*|\*)+")
MARKS = re.compile(
    r"(?<![A-Za-z])X{2,}(?![A-Za-z])|×{2,}|○{2,}|【\s*待[^】]{0,6}】|（\s*待补充\s*）|待补充|待核实|"
    r"(?<![A-Za-z])(?:TODO|TBD|FIXME)(?![A-Za-z])"
)
# A character every mark above holds: a text without one has no placeholder (most bodies, most lines).
MAY_HOLD = re.compile(r"[*X×○待TF]")


def _source_lines(body: str):
    """(line offset, text) of the body's lines, code blanked out."""
    yield from scan(body).lines()


def _literal_text(line: str) -> str:
    """The line without Markdown emphasis, bullets and rules: remaining asterisks are literal."""
    if RULE.match(line):
        return ""
    line = BULLET.sub(r"\1\2", line)
    return EMPHASIS.sub(lambda m: m.group(2), line)


def placeholders(body: str, stars: bool = True) -> list[tuple[int, str]]:
    """(line offset in the body, mark as written) of every placeholder; `stars=False` leaves
    out the asterisks of a redaction."""
    return [(offset, mark) for offset, _column, mark in placeholder_marks(body, stars)]


def placeholder_marks(body: str, stars: bool = True) -> list[tuple[int, int, str]]:
    """(line offset, 1-based column in the source line, mark as written) of every placeholder."""
    found = []
    if not MAY_HOLD.search(body):
        return found  # code is blanked out of the lines, emphasis and bullets removed: never added
    for offset, line in _source_lines(body):
        if not MAY_HOLD.search(line):
            continue
        text = _literal_text(line)
        if stars:
            found += [(offset, _column(line, m.group(0)), m.group(0).replace("\\", "")) for m in HIDDEN.finditer(text)]
        found += [(offset, _column(line, m.group(0)), m.group(0)) for m in MARKS.finditer(text)]
    return found


def _column(line: str, mark: str) -> int:
    """Where the mark is in the source line (emphasis removed before matching shifts it)."""
    at = line.find(mark)
    return at + 1 if at >= 0 else 1


HINT = (
    "补上真实内容；如果是按规定有意隐去的人名或数字，写成星号（如 **县、*次）"
    "并在前置元数据中写 redacted: true（只放行星号）。"
)


def placeholder_problems(item: Item, file: str) -> list[Problem]:
    stars = not item.redacted
    problems = [
        Problem(
            file,
            item.body_line + offset,
            f"正文中有未完成的占位符“{mark}”：稿件还没有写完，不能发布。",
            HINT,
            rule="placeholder",
            column=column,
            text=mark,
        )
        for offset, column, mark in placeholder_marks(item.body, stars)
    ]
    fields = [
        ("title", "标题", item.title, item.key_lines.get("title")),
        ("summary", "摘要", item.summary, item.key_lines.get("summary")),
    ]
    fields += [("tags", "标签", tag, item.key_lines.get("tags")) for tag in item.tags]
    for metric in item.metrics:
        fields += [
            ("metrics", "数据名称", metric.label, metric.line),
            ("metrics", "数据说明", metric.note, metric.line),
        ]
    for key, label, value, line in fields:
        if not value or not line:
            continue  # a summary taken from the body is checked there
        for _offset, _column, mark in placeholder_marks(value.replace("\n", " "), stars):
            problems.append(
                Problem(
                    file,
                    line,
                    f"{label}（{key}）中有未完成的占位符“{mark}”：稿件还没有写完，不能发布。",
                    HINT,
                    rule="placeholder",
                    text=mark,
                )
            )
    return problems


REDACTION_TEXT = re.compile(r">([^<]*)<")


def mark_redactions(html: str) -> str:
    """In a redacted item's page, literal asterisks become visible, labelled redactions."""

    def text(match: re.Match) -> str:
        return (
            ">"
            + LITERAL_STARS.sub(
                lambda m: f'<abbr class="portal-redaction" title="按规定隐去的内容">{m.group(0)}</abbr>', match.group(1)
            )
            + "<"
        )

    return REDACTION_TEXT.sub(text, html)
