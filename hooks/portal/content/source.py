"""Reading one content file: bytes to text, front matter to a YAML node tree, body.

The front matter is *composed*, not loaded: every value keeps its line and its
source text, and `portal.content.validate` converts it by the type the model declares.
That is how a full-width colon, `no` read as false, `1.10` read as 1.1 or an
impossible date are reported with their line instead of being silently dropped
or changed (MkDocs itself renders unparsable front matter as body text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from portal.content.hygiene import CONTROL, FIX_CHARACTERS, SHAPE_HINT, Shape, compose, strip_comments
from portal.problems import Problem

BOM = b"\xef\xbb\xbf"
# libyaml's parser when PyYAML has it (about five times faster); the same node tree and marks.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
# A key followed by a full-width colon, e.g. `title：…`.
FULL_WIDTH_KEY = re.compile(r"^\s*-?\s*([A-Za-z_][\w-]*)\s*：")


@dataclass
class Source:
    file: str  # how problems name the file, e.g. content/news/2026/a.md
    node: yaml.MappingNode
    first_line: int  # file line of the front matter's first line
    body: str
    body_line: int  # file line where the body starts

    def line_of(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line


def decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text with a BOM removed and line ends made '\\n'."""
    if raw.startswith(BOM):
        raw = raw[len(BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        guess = "，看起来是 GBK/GB2312 编码（Windows 记事本、Word 的默认编码）" if _is_gbk(raw) else ""
        return None, [
            Problem(
                file,
                line,
                f"文件不是 UTF-8 编码{guess}。",
                "用编辑器（如 VS Code 右下角的编码按钮，或记事本“另存为”）把文件另存为 UTF-8 编码。",
            )
        ]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _is_gbk(raw: bytes) -> bool:
    try:
        raw.decode("gbk")
    except UnicodeDecodeError:
        return False
    return True


def read_source(raw: bytes, file: str) -> tuple[Source | None, list[Problem]]:
    text, problems = decode(raw, file)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [
            Problem(file, 0, "文件是空的。", "写入前置元数据（--- 之间的 title、date 等）和正文，或删除这个文件。")
        ]

    match = FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---"):
            return None, [
                Problem(file, 1, "前置元数据没有结束：缺少单独一行的 ---。", "在最后一个字段之后加一行 ---，再写正文。")
            ]
        return None, [
            Problem(
                file,
                1,
                "文件开头缺少前置元数据（第一行应为 ---）。",
                "在文件开头加上以 --- 开始、以 --- 结束的 title、date 等字段。",
            )
        ]

    front = match.group(1) or ""
    body_line = 3 + front.count("\n")
    body, unclosed = strip_comments(text[match.end() :])
    if unclosed is not None:
        return None, [
            Problem(
                file,
                body_line + unclosed,
                "正文中的注释 <!-- 没有结束：缺少 -->，这一行以后的正文都会被隐藏。",
                "在注释末尾加上 -->，或删除 <!--。",
            )
        ]
    problems = lexical_problems(front, file)
    if problems:
        return None, problems
    try:
        node = compose(front, LOADER)
    except Shape as shape:
        return None, [
            Problem(
                file, 1 + shape.line if shape.line else 1, f"前置元数据的结构超出限制：{shape.message}。", SHAPE_HINT
            )
        ]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = 2 + mark.line if mark else 1
        return None, [
            Problem(
                file,
                line,
                f"前置元数据不是合法的 YAML：{explain_yaml(error)}。",
                "检查这一行的缩进和引号；含有冒号、井号或以符号开头的值请用引号括起来。",
            )
        ]
    except yaml.YAMLError:  # not marked: the reader's own complaints
        return None, [Problem(file, 1, "前置元数据含有 YAML 不接受的字符，无法读取。", FIX_CHARACTERS)]
    if node is None:
        return None, [Problem(file, 2, "前置元数据是空的。", "在两行 --- 之间写入 title、date 等字段。")]
    if not isinstance(node, yaml.MappingNode):
        return None, [
            Problem(
                file,
                2,
                "前置元数据应是“键: 值”形式的字段列表。",
                "每行写一个字段，例如 title: 标题（英文半角冒号加空格）。",
            )
        ]
    return Source(file, node, 2, body, body_line), []


# PyYAML's messages for the mistakes editors make most, in Chinese.
YAML_MESSAGES = (
    ("cannot start any token", "值以不能直接出现在开头的符号开始（如 %、@、`），需要用引号括起来"),
    ("mapping values are not allowed", "值里有“冒号加空格”，会被当成新的字段；请把整个值用引号括起来"),
    ("could not find expected ':'", "这一行不是“字段: 值”的形式，可能缺少冒号或用了全角冒号"),
    ("expected <block end>, but found", "缩进不一致：同一层的字段要对齐"),
    ("did not find expected key", "缩进不一致：同一层的字段要对齐"),
    ("did not find expected '-' indicator", "缩进不一致：列表的各项（以 - 开头）和每项的各个键要分别对齐"),
    ("found character that cannot start any token", "值以不能直接出现在开头的符号开始（如 %、@、`），需要用引号括起来"),
    ("found duplicate anchor", "& 或 * 在 YAML 中有特殊含义，含有它们的值请用引号括起来"),
    ("found undefined alias", "& 或 * 在 YAML 中有特殊含义，含有它们的值请用引号括起来"),
    ("found unexpected end of stream", "引号或括号没有配对"),
    ("while scanning a quoted scalar", "引号没有配对"),
    ("expected ',' or ']'", "方括号列表没有正确结束，检查逗号和 ]"),
    ("expected ',' or '}'", "花括号没有正确结束，检查逗号和 }"),
)


def explain_yaml(error: yaml.MarkedYAMLError) -> str:
    text = f"{error.context or ''} {error.problem or ''}"
    for needle, chinese in YAML_MESSAGES:
        if needle in text:
            return chinese
    return "格式有误，通常是缩进没有对齐、冒号后缺少空格或引号没有配对"


def lexical_problems(front: str, file: str, first_line: int = 2) -> list[Problem]:
    """What YAML would misread or reject with an obscure message: full-width colons, tabs."""
    problems = []
    for number, line in enumerate(front.split("\n"), start=first_line):
        if match := FULL_WIDTH_KEY.match(line):
            problems.append(
                Problem(
                    file,
                    number,
                    f"字段 {match.group(1)} 后面用了全角冒号“：”，这一行不会被识别为字段。",
                    f"改成英文半角冒号加空格：{match.group(1)}: …",
                )
            )
        if match := CONTROL.search(line):
            problems.append(
                Problem(file, number, f"这一行含有看不见的控制字符 U+{ord(match.group(0)):04X}。", FIX_CHARACTERS)
            )
        if "\t" in line[: len(line) - len(line.lstrip())]:
            problems.append(Problem(file, number, "这一行用制表符（Tab）缩进，YAML 不允许。", "把制表符换成空格。"))
    return problems
