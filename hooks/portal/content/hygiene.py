"""Text hygiene of untrusted content: invisible characters, lengths, YAML shapes.

Everything under content/ may come from a careless copy and paste or from someone
trying to break the site. These plain functions bound what reaches the model:

text_problem      control, bidi-override and zero-width characters in one text value
body_problems     control characters in an item's body (they break feeds and XML)
length_problem    a text longer than its field allows
name_problems     file and folder names too long for file systems or not plain files
yaml_shape        nesting and alias expansion of a YAML text, bounded before and after composing
"""

from __future__ import annotations

import re

import yaml

from portal.content.markdown import mask_code

# C0 controls except tab and newline, DEL and the C1 controls: never typed on purpose,
# invalid in XML 1.0 (feeds, sitemap) and a NUL cuts C strings.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters that reorder or hide text: a title can then read differently from what it is.
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff\u180e\u2028\u2029]")
KINDS = ((CONTROL, "控制字符"), (BIDI, "改变文字方向的隐藏字符"), (ZERO_WIDTH, "零宽或不可见字符"))

FIX_CHARACTERS = "删除这个值重新输入（不要从网页、微信或 Word 直接复制粘贴），或改用纯文本编辑器（如 VS Code）修改。"

# YAML bounds: what an editor's front matter or catalogue never needs.
MAX_NESTING = 20  # brackets or indentation levels
MAX_PREFIX = 100  # leading spaces and "- " of one line
MAX_NODES = 20_000  # values after expanding aliases

# File names: Linux allows 255 bytes per name, Windows 260 characters per path; URLs and
# listing folders add their own parts, so editors' names stay well below.
MAX_NAME_BYTES = 150
MAX_PATH_CHARS = 180


def invisible(text: str) -> str | None:
    """The first forbidden character of `text`, described in Chinese, or None."""
    for pattern, label in KINDS:
        if match := pattern.search(text):
            return f"{label} U+{ord(match.group(0)):04X}"
    return None


def text_problem(text: str) -> str | None:
    """Why a front-matter or catalogue text is refused, or None."""
    found = invisible(text)
    return f"含有{found}" if found else None


def body_problems(body: str) -> list[tuple[int, str]]:
    """(line offset, message) for each body line with a control character."""
    found = []
    if not CONTROL.search(body):
        return found
    for offset, line in enumerate(body.split("\n")):
        if match := CONTROL.search(line):
            found.append(
                (offset, f"正文含有控制字符 U+{ord(match.group(0)):04X}（看不见，但会让订阅源和网站地图出错）。")
            )
    return found


def length_problem(text: str, limit: int) -> str | None:
    if len(text) > limit:
        return f"太长：{len(text)} 个字，最多 {limit} 个字"
    return None


def name_problem(rel: str) -> str | None:
    """Why a path under content/ (posix, relative) cannot be published, or None."""
    if len(rel) > MAX_PATH_CHARS:
        return f"路径太长（{len(rel)} 个字符，最多 {MAX_PATH_CHARS} 个）"
    for part in rel.split("/"):
        if len(part.encode("utf-8")) > MAX_NAME_BYTES:
            return (
                f"文件或文件夹名“{part[:20]}…”太长（最多约 {MAX_NAME_BYTES // 3} 个汉字或 {MAX_NAME_BYTES} 个英文字母）"
            )
    if found := invisible(rel):
        return f"文件名含有{found}"
    return None


class Shape(Exception):
    """A YAML text beyond the bounds; the message is Chinese, line 1-based (0: unknown)."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message, self.line = message, line


SHAPE_HINT = (
    "前置元数据和目录只需要简单的“键: 值”和列表：去掉多余的括号和缩进层级，不要使用 & 和 * 引用（锚点和别名）。"
)


def check_nesting(text: str) -> None:
    """Before YAML sees the text: bracket depth and indentation are bounded (libyaml's composer
    recurses in C and a deep enough nesting crashes the process, not just the build)."""
    depth, quote = 0, ""
    line = 1
    for char in text:
        if char == "\n":
            line += 1
            quote = ""  # editors' quoted values are single-line; an unclosed quote is YAML's to report
        elif quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                raise Shape(f"括号嵌套超过 {MAX_NESTING} 层", line)
        elif char in "]}":
            depth = max(0, depth - 1)
    for number, row in enumerate(text.split("\n"), start=1):
        prefix = len(row) - len(row.lstrip(" -?:"))
        if prefix > MAX_PREFIX:
            raise Shape(f"缩进或列表嵌套过深（行首 {prefix} 个空格或符号）", number)


def check_expansion(node: yaml.Node | None) -> None:
    """After composing: the number of values with every alias expanded is bounded (an
    "alias bomb" of a few lines expands to billions of values)."""
    if node is None:
        return
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, done = stack.pop()
        key = id(current)
        if key in sizes and not done:
            continue
        children = []
        if isinstance(current, yaml.SequenceNode):
            children = current.value
        elif isinstance(current, yaml.MappingNode):
            children = [part for pair in current.value for part in pair]
        if not done:
            sizes[key] = -1  # in progress (YAML cannot make cycles through the composer)
            stack.append((current, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        total = 1 + sum(max(sizes.get(id(child), 1), 1) for child in children)
        sizes[key] = total
        if total > MAX_NODES:
            raise Shape(f"展开引用后有 {total} 个以上的值（上限 {MAX_NODES}）", current.start_mark.line + 1)


def compose(text: str, loader) -> yaml.Node | None:
    """yaml.compose within the bounds; raises Shape or yaml.YAMLError."""
    check_nesting(text)
    node = yaml.compose(text, Loader=loader)
    check_expansion(node)
    return node


COMMENT_START = "<!--"
COMMENT_END = "-->"


def strip_comments(body: str) -> tuple[str, int | None]:
    """The body without HTML comments (editors' private notes), code left alone; each comment
    becomes its own newlines, so lines keep their numbers. Also the line offset of an
    unclosed comment (which would hide the rest of the page), or None."""
    if COMMENT_START not in body:
        return body, None
    masked = mask_code(body)
    parts, position = [], 0
    while (start := masked.find(COMMENT_START, position)) != -1:
        end = masked.find(COMMENT_END, start + len(COMMENT_START))
        if end == -1:
            parts.append(body[position:])
            return "".join(parts), body.count("\n", 0, start)
        end += len(COMMENT_END)
        parts.append(body[position:start])
        parts.append("\n" * body.count("\n", start, end))
        position = end
    parts.append(body[position:])
    return "".join(parts), None
