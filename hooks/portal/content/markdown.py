"""The one Markdown scanner: where a body's code is, its prose blocks and its links, with offsets
into the source as written, so every check reports the line and column an editor sees.

Every check of body text uses it: placeholders, proofreading, HTML comments, raw HTML and
Markdown markup, links, pictures and their alt text, the summary taken from the first paragraph,
and the one-line-one-paragraph preprocessor.

What is code follows the renderer the portal configures (Python-Markdown with `fenced_code`),
using Python-Markdown's own rules rather than a copy of them:

fenced code   Python-Markdown's own `FENCED_BLOCK_RE`: a fence of 3+ backticks or tildes at the
              start of a line, an optional language, and a closing fence of exactly the same
              characters. A ``` line inside a ~~~ block (or the other way round) is code; an
              indented, unclosed or longer closing fence is NOT a fence, since the published page
              shows it as text (CommonMark would read those as code; the checks must see what
              readers see, or a real placeholder after such a line would go unreported).
indented code a blank-line-separated block whose first line is indented 4 spaces (a tab counts
              4), as Python-Markdown's CodeBlockProcessor reads it, unless it continues a list or
              an admonition (then it is their text); it ends at the first line indented less.
code spans    Python-Markdown's own backtick matching (`BacktickInlineProcessor.find_code_spans`):
              a run of N backticks, not escaped, up to the next run of exactly N, within one
              line (the portal reads one line as one paragraph: hooks/portal/content/paragraphs.py).

scan(markdown)      -> Scan: .code (regions), .masked (code blanked, same length and lines),
                       .line_of(offset), .blocks() (prose paragraphs), .links()
mask_code(markdown) -> the source with all code blanked out
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor

FENCED_BLOCK = FencedBlockPreprocessor.FENCED_BLOCK_RE  # Python-Markdown's own, as the page renders
_SPANS = BacktickInlineProcessor(BACKTICK_RE)  # only its find_code_spans is used: Python-Markdown's matching
# A line that starts a list or an admonition: indented blocks after it are their text, not code.
CONTAINER = re.compile(r"^ {0,3}(?:[*+-]|\d{1,9}[.)])[ \t]+\S|^(?:!!!|\?\?\?\+?)[ \t]")

# Links and pictures: [text](target), ![alt](target), [text][ref], ![alt][ref]; the text may
# hold one level of brackets and run over lines of one paragraph. `\[` is not a link.
_TEXT = r"(?:\\.|[^\[\]\n\\]|\n(?![ \t]*\n)|\[(?:\\.|[^\[\]\n\\])*\])*"
LINK = re.compile(
    rf"(?<!\\)(?P<bang>!?)\[(?P<text>{_TEXT})\]"
    r"(?:\([ \t]*\n?[ \t]*(?:<(?P<angled>[^>\n]*)>|(?P<bare>[^)\s]*))|\[(?P<ref>[^\]\n]*)\])"
)
# [label]: target definitions (of reference links and pictures).
DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*(?:<(?P<angled>[^>\n]*)>|(?P<bare>\S+))", re.M)


@dataclass(frozen=True)
class Code:
    start: int  # offsets in the source, end excluded
    end: int
    kind: str  # "fence", "indented" or "span"


@dataclass(frozen=True)
class Link:
    start: int  # offset of the target in the source (without <>); for a reference, of the ref
    end: int
    target: str  # as written, without <>; for [text][ref], the ref ("" for [text][])
    picture: bool
    kind: str  # "inline", "reference" or "definition"
    text: str  # link text or alt text as written ("" for a definition)
    at: int  # offset of the whole link ("!" or "[")


class Scan:
    """One body, scanned once (the same body is scanned once for all checks: see `scan`)."""

    def __init__(self, markdown: str):
        self.text = markdown
        self._starts = [0] + [m.end() for m in re.finditer("\n", markdown)]
        blocks = _block_code(markdown, self._starts)
        spans = [
            code
            for start, end in _prose_runs(markdown, self._starts, blocks)
            for code in _code_spans(markdown, start, end)
        ]
        self.code: tuple[Code, ...] = tuple(sorted(blocks + spans, key=lambda code: code.start))
        self.masked = _blank(markdown, self.code)
        self._links: tuple[Link, ...] | None = None

    def line_of(self, offset: int) -> int:
        """The 0-based line of an offset."""
        return _line(self._starts, offset)

    def lines(self):
        """(line offset, line with code blanked out) of every line."""
        return enumerate(self.masked.split("\n"))

    def code_lines(self, kinds=("fence", "indented")) -> set[int]:
        """The 0-based lines that belong to code blocks (fences included)."""
        found: set[int] = set()
        for code in self.code:
            if code.kind in kinds:
                found.update(range(self.line_of(code.start), self.line_of(max(code.start, code.end - 1)) + 1))
        return found

    def blocks(self, spans: bool = False):
        """(line offset, text) of each blank-line-separated block of prose, code blocks left out;
        code spans blanked out when `spans` is true, kept as written otherwise."""
        source = self.masked if spans else _blank(self.text, [c for c in self.code if c.kind != "span"])
        code = self.code_lines()
        block, first = [], 0
        for offset, line in enumerate(source.split("\n") + [""]):
            if offset in code or not line.strip():
                if block:
                    yield first, "\n".join(block)
                    block = []
                continue
            first = first if block else offset
            block.append(line)

    def links(self) -> tuple[Link, ...]:
        """Every link and picture outside code, in source order (found once: every check asks)."""
        if self._links is None:
            self._links = self._find_links()
        return self._links

    def _find_links(self) -> tuple[Link, ...]:
        found = []
        for match in LINK.finditer(self.masked):
            if match["ref"] is not None:
                start, end = match.span("ref")
                target, kind = self.text[start:end], "reference"
            else:
                group = "angled" if match["angled"] is not None else "bare"
                start, end = match.span(group)
                target, kind = self.text[start:end], "inline"
            text = self.text[match.start("text") : match.end("text")]
            found.append(Link(start, end, target, bool(match["bang"]), kind, text, match.start()))
        for match in DEFINITION.finditer(self.masked):
            group = "angled" if match["angled"] is not None else "bare"
            start, end = match.span(group)
            found.append(Link(start, end, self.text[start:end], False, "definition", "", match.start("label") - 1))
        return tuple(sorted(found, key=lambda link: link.start))


@lru_cache(maxsize=32)
def scan(markdown: str) -> Scan:
    """The scan of a body (memoised: each check of the same body shares one scan)."""
    return Scan(markdown)


def mask_code(markdown: str) -> str:
    """The source with code blocks and code spans blanked out (same length, same lines),
    so that checks of text, links and raw HTML ignore what the page shows as code."""
    return scan(markdown).masked


def _blank(text: str, regions) -> str:
    parts, position = [], 0
    for code in regions:
        parts.append(text[position : code.start])
        chunk = text[code.start : code.end]
        parts.append(re.sub(r"[^\n]", " ", chunk) if "\n" in chunk else " " * len(chunk))
        position = code.end
    parts.append(text[position:])
    return "".join(parts)


def _indented(line: str) -> bool:
    return line.expandtabs(4).startswith("    ")


# Where a code block could start: an indented line (4 columns, a tab expanding to them) or a fence.
MAY_HOLD_CODE = re.compile(r"^(?: {0,3}\t| {4})|```|~~~", re.M)


def _block_code(text: str, starts: list[int]) -> list[Code]:
    """Fenced and indented code blocks, as Python-Markdown finds them."""
    if not MAY_HOLD_CODE.search(text):
        return []  # most bodies: no line to look at
    # Python-Markdown matches fences after expanding tabs; a tab for a space keeps the offsets.
    fences = [Code(m.start(), m.end(), "fence") for m in FENCED_BLOCK.finditer(text.replace("\t", " "))]
    lines = text.split("\n")
    fenced = set()
    for fence in fences:
        first = _line(starts, fence.start)
        fenced.update(range(first, _line(starts, max(fence.start, fence.end - 1)) + 1))
    code: list[Code] = []
    index, container = 0, False
    while index < len(lines):
        if index not in fenced and not lines[index].strip():
            index += 1
            continue
        if index not in fenced and _indented(lines[index]) and not container:
            first = index
            while index < len(lines) and index not in fenced and lines[index].strip() and _indented(lines[index]):
                index += 1
            code.append(Code(starts[first], starts[index - 1] + len(lines[index - 1]), "indented"))
            continue  # what follows in the same block is read as a new block
        if index in fenced:
            container = False  # the page has a code block here: a list or admonition before it ends
        elif not _indented(lines[index]):
            container = False
        while index < len(lines) and (index in fenced or lines[index].strip()):
            if index not in fenced and not _indented(lines[index]) and CONTAINER.match(lines[index]):
                container = True
            index += 1
    return sorted(fences + code, key=lambda c: c.start)


def _line(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset) - 1


def _prose_runs(text: str, starts: list[int], blocks: list[Code]):
    """(start, end) of each line outside code blocks: where code spans may be (the portal reads
    one line as one paragraph, hooks/portal/content/paragraphs.py, so a span never runs over lines)."""
    code_lines = set()
    for code in blocks:
        code_lines.update(range(_line(starts, code.start), _line(starts, max(code.start, code.end - 1)) + 1))
    for index, line in enumerate(text.split("\n")):
        if index not in code_lines and "`" in line:
            yield starts[index], starts[index] + len(line)


def _code_spans(text: str, start: int, end: int) -> list[Code]:
    """Code spans in text[start:end], with Python-Markdown's matching of backtick runs."""
    if "`" not in text[start:end]:
        return []
    data = text[start:end]
    found, position = [], 0
    while position < len(data):
        char = data[position]
        if char == "\\":
            position += 2  # an escaped character (an even run of backslashes leaves the backtick open)
            continue
        if char != "`":
            position += 1
            continue
        inner, closing = _SPANS.find_code_spans(position, data)
        if closing is None:
            position = inner  # no matching run: the backticks are text
            continue
        ticks = inner - position
        found.append(Code(start + position, start + closing + ticks, "span"))
        position = closing + ticks
    return found
