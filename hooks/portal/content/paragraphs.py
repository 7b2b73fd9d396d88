"""One line, one paragraph: how Chinese editors write, and how Word and WPS paste.

Text pasted from Word or WPS has one paragraph per line, each indented with two
full-width spaces (U+3000) or no-break spaces, and no blank line between them.
Markdown would join those lines into one paragraph with gaps where the indents
were. `split_paragraphs` makes every plain text line its own paragraph and drops
the leading indents; Markdown structure is left exactly as written: fenced code,
headings, lists (and their continuation lines), tables, quotes, HTML blocks,
admonitions, pictures on their own line, indented lines.

Registered as a Python-Markdown extension (`portal.content.paragraphs`) by the portal's
on_config, so pages and the search index read bodies the same way; the summary
(`portal.content.validate.first_paragraph`) uses the same function.
"""

from __future__ import annotations

import re

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from portal.content.markdown import scan

# Indents Word, WPS and web pages paste: ideographic space, no-break space, en/em spaces.
INDENT = "\u3000\u00a0\u2002\u2003\u2007\u202f"
LEADING_INDENT = re.compile(f"^ {{0,3}}[{INDENT}][{INDENT} \t]*")  # not after 4 spaces: code or a continuation
TRAILING_SPACE = re.compile(f"[{INDENT} \t]+$")
# Lines that open or belong to Markdown structure (tested after the indent is removed).
STRUCTURE = re.compile(
    r"""^(?:
        \#{1,6}(?:\s|$)            # heading
      | [-*+][ \t]                 # bullet list
      | \d{1,9}[.)][ \t]           # ordered list
      | >                          # quote
      | \|                         # table row
      | <[A-Za-z!/?]               # HTML block
      | !\[                        # picture on its own line
      | !!!|\?\?\?                 # admonition
      | \{:?[ \t]*[#.:]            # attribute list
      | \[\^?[^\]]+\]:             # link reference or footnote definition
      | (?:[-*_][ \t]*){3,}$       # rule
      | =+[ \t]*$                  # setext underline
      | \t|\ {4}                   # indented: code or a continuation
    )""",
    re.X,
)
TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def split_paragraphs(markdown: str) -> str:
    return "\n".join(split_lines(markdown.split("\n")))


def split_lines(lines: list[str]) -> list[str]:
    out: list[str] = []
    # Fenced code as Python-Markdown reads it (the scanner's); inside Python-Markdown the fences
    # are already stashed, so this matters when the summary is taken from a raw body.
    fenced = scan("\n".join(lines)).code_lines(kinds=("fence",))
    block = ""  # the current block since the last blank line: "text", "single" (heading, pictures) or "other"
    for index, line in enumerate(lines):
        if index in fenced:
            if index - 1 not in fenced and block in ("text", "single"):
                out.append("")
            block = "other"
            out.append(line)
            continue
        if not line.strip(" \t" + INDENT):
            out.append("")
            block = ""
            continue
        text = LEADING_INDENT.sub("", line)
        kind = _kind(text, lines[index + 1] if index + 1 < len(lines) else "")
        if block in ("text", "single") and kind != "rule":
            if block == "single" and kind == "picture" and _is_picture(out[-1]):
                pass  # pictures in a row stay together (a gallery)
            elif kind in ("text", "heading", "picture", "block") or block == "single":
                out.append("")  # a new paragraph, heading, list, table, quote or picture
                block = ""
        if kind == "rule":
            block = ""  # a rule, or a setext underline that ends its heading: leave it as Markdown reads it
        elif not block:
            block = {"text": "text", "heading": "single", "picture": "single"}.get(kind, "other")
        out.append(TRAILING_SPACE.sub("", text) if kind in ("text", "heading", "picture") else line)
    return out


def _is_picture(line: str) -> bool:
    return bool(re.match(r"^\s*!\[", line))


def _kind(text: str, following: str) -> str:
    """text, heading, picture, rule (also setext underlines), block (list, quote, table) or other."""
    if re.match(r"^(?:[-*_][ \t]*){3,}$|^=+[ \t]*$", text):
        return "rule"
    if re.match(r"^#{1,6}(?:\s|$)", text):
        return "heading"
    if re.match(r"^!\[[^\]]*\]\([^)]*\)\s*(?:\{[^}]*\})?$", text):
        return "picture"
    if re.match(r"^(?:[-*+]|\d{1,9}[.)])[ \t]|^>|^\|", text) or ("|" in text and TABLE_SEPARATOR.match(following)):
        return "block"
    return "other" if STRUCTURE.match(text) else "text"


class _Paragraphs(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return split_lines(lines)


class ParagraphsExtension(Extension):
    def extendMarkdown(self, md) -> None:
        # Before raw HTML blocks are stashed (priority 20) and after fenced code (25), which
        # replaces its blocks with placeholders: lines inside fences are never seen here.
        md.preprocessors.register(_Paragraphs(md), "portal.content.paragraphs", 22)


def makeExtension(**kwargs) -> ParagraphsExtension:
    return ParagraphsExtension(**kwargs)
