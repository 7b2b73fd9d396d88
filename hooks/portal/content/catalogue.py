"""content/catalogue.yml: the columns and organisations, each declared once.

Read like an item's front matter (portal.content.source): composed into a YAML node tree, each entry
checked by the model's ENTRY_FIELDS through the items' own reader (portal.content.validate), so that
every problem names its real line, in Chinese, with a fix. A catalogue with an error is
marked `failed`; items whose column or organisation it then cannot find are not reported
(the catalogue is the one to fix, not every item).
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

import portal.model as model
from portal.content.hygiene import FIX_CHARACTERS, SHAPE_HINT, Shape, compose, text_problem
from portal.content.source import LOADER, Source, decode, explain_yaml, lexical_problems
from portal.content.validate import Checker
from portal.problems import Problem

SECTIONS = model.SECTIONS
EXAMPLE = "“  - name: 工作动态”，下一行与 name 对齐写“    slug: gongzuo-dongtai”（英文半角冒号加空格，用空格缩进）。"


def load_catalogue(path: Path, file: str) -> tuple[model.Catalogue, list[Problem]]:
    """Columns and organisations, each a list of {name, slug, description, archived}."""
    if path.is_symlink():
        return _failed({}, {}), [
            Problem(
                file, 0, "目录文件是一个符号链接（快捷方式），网站不读取链接指向的文件。", "把真正的文件复制到这里。"
            )
        ]
    if not path.is_file():
        return _failed({}, {}), [
            Problem(file, 0, "缺少栏目与单位目录文件。", "新建这个文件，声明 columns（栏目）和 organisations（单位）。")
        ]
    text, problems = decode(path.read_bytes(), file)
    if text is None:
        return _failed({}, {}), problems
    for number, row in enumerate(text.split("\n"), start=1):
        if found := text_problem(row):
            return _failed({}, {}), [Problem(file, number, f"这一行{found}。", FIX_CHARACTERS)]
    problems = lexical_problems(text, file, first_line=1)
    if problems:
        return _failed({}, {}), problems
    try:
        root = compose(text, LOADER)
    except Shape as shape:
        return _failed({}, {}), [Problem(file, shape.line, f"目录的结构超出限制：{shape.message}。", SHAPE_HINT)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark and "while scanning" in (error.context or ""):
            mark = error.context_mark  # an unclosed quote or bracket: where it was opened
        return _failed({}, {}), [
            Problem(
                file,
                mark.line + 1 if mark else 0,
                f"目录不是合法的 YAML：{explain_yaml(error)}。",
                "对照文件中其他项检查这一行（及上一行）的缩进、冒号和引号；每项的格式：" + EXAMPLE,
            )
        ]
    reader = _Reader(file)
    sections = reader.read(root)
    catalogue = model.Catalogue(
        sections.get("columns", {}), sections.get("organisations", {}), lines=reader.lines, failed=bool(reader.problems)
    )
    return catalogue, reader.problems


def _failed(columns, organisations) -> model.Catalogue:
    return model.Catalogue(columns, organisations, failed=True)


class _Reader:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.lines: dict[tuple[str, str], int] = {}  # (section, name) -> line

    def problem(self, node: yaml.Node | None, message: str, hint: str) -> None:
        self.problems.append(Problem(self.file, node.start_mark.line + 1 if node is not None else 0, message, hint))

    def read(self, root: yaml.Node | None) -> dict[str, dict[str, model.Entry]]:
        if not isinstance(root, yaml.MappingNode):
            self.problem(
                root,
                "目录应由 columns:（栏目）和 organisations:（单位）两部分组成。",
                "文件开头写 columns:，下面每个栏目一项；再写 organisations:，下面每个单位一项：" + EXAMPLE,
            )
            return {}
        sections: dict[str, dict[str, model.Entry]] = {}
        for key_node, value_node in root.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
            if key not in SECTIONS:
                close = difflib.get_close_matches(key, SECTIONS, n=1, cutoff=0.5)
                self.problem(
                    key_node,
                    f"目录中有未知的部分“{key}”。",
                    f"是不是 {close[0]}？" if close else "目录只有 columns（栏目）和 organisations（单位）两部分。",
                )
            elif key in sections:
                self.problem(
                    key_node, f"{key}（{SECTIONS[key]}）写了两次。", "把两处的各项合并到一个 " + key + ": 下面。"
                )
            else:
                sections[key] = self.entries(key, value_node)
        for key, label in SECTIONS.items():
            if key not in sections:
                self.problem(
                    root, f"目录缺少 {key}（{label}）部分。", f"加上 {key}:，下面每个{label}写一项：" + EXAMPLE
                )
        return sections

    def entries(self, key: str, node: yaml.Node) -> dict[str, model.Entry]:
        """Each entry read like an item's front matter: by the model's ENTRY_FIELDS, through
        portal.content.validate's reader (same conversions, same messages, the entry's real lines)."""
        label = SECTIONS[key]
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.problem(
                node, f"{key}（{label}）应为至少一项的列表。", f"每个{label}一项，以“  - name:”开头，例如：" + EXAMPLE
            )
            return {}
        fields = {f.key: f for f in model.ENTRY_FIELDS if key in f.kinds}
        every = {f.key: f for f in model.ENTRY_FIELDS}
        entries: dict[str, model.Entry] = {}
        slugs: dict[str, str] = {}
        for number, child in enumerate(node.value, start=1):
            where = f"{key} 第 {number} 项{label}的"
            if not isinstance(child, yaml.MappingNode):
                self.problem(child, f"{where}格式不对：应为 name、slug 等“键: 值”。", "每项写成：" + EXAMPLE)
                continue
            checker = Checker(Source(self.file, child, 1, "", 0), model.Catalogue({}, {}))
            values = checker.mapping(child, fields, where, every)
            self.problems += checker.problems
            if checker.problems:
                continue
            nodes = {k.value: v for k, v in child.value if isinstance(k, yaml.ScalarNode)}
            name, slug = values["name"], values["slug"]
            if name in entries:
                self.problem(
                    nodes["name"], f"{where}名称“{name}”与前面的{label}重名。", f"每个{label}只声明一次：删除或改名。"
                )
            elif slug in slugs:
                self.problem(
                    nodes["slug"], f"{where}slug“{slug}”与{label}“{slugs[slug]}”相同。", "slug 用于网址，不能重复。"
                )
            else:
                slugs[slug] = name
                entries[name] = model.Entry(**values)
                self.lines[(key, name)] = child.start_mark.line + 1
        return entries
