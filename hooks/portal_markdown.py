"""Small facts about Markdown source that several checks share."""

from __future__ import annotations

import re

FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+)[^`]*?\1")


def mask_code(markdown: str) -> str:
    """The source with fenced blocks and code spans blanked out (same length, same lines),
    so that checks of text and raw HTML ignore what is shown as code."""
    lines, fenced = [], False
    for line in markdown.split("\n"):
        if FENCE.match(line):
            fenced = not fenced
            lines.append(" " * len(line))
        elif fenced:
            lines.append(" " * len(line))
        else:
            lines.append(CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line))
    return "\n".join(lines)
