"""Front matter to typed items, by the model's declarations, with Chinese problems.

Each value is converted from its YAML node by the kind its `Field` declares, so
the message can name the key, the line, what was found and what is expected.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal

import yaml

import portal.model as model
from portal.content.hygiene import FIX_CHARACTERS, KINDS, body_problems, length_problem, text_problem
from portal.content.markdown import scan
from portal.content.paragraphs import split_paragraphs
from portal.content.source import Source
from portal.problems import Problem

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
# What YAML 1.1 reads an unquoted value as, for messages.
READ_AS = {
    "tag:yaml.org,2002:bool": "布尔值（真/假）",
    "tag:yaml.org,2002:int": "整数",
    "tag:yaml.org,2002:float": "小数",
    "tag:yaml.org,2002:timestamp": "日期",
}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YEAR_RE = re.compile(r"^\d{4}$")
NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")
SUMMARY_LENGTH = 120


class Invalid(Exception):
    def __init__(self, found: str, expected: str, hint: str = ""):
        super().__init__(found)
        self.found, self.expected, self.hint = found, expected, hint


class Dependent(Exception):
    """A column or organisation not found in a catalogue that has errors itself: the catalogue's
    problem, reported there, not one per item."""


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "一个列表"
    if isinstance(node, yaml.MappingNode):
        return "一组“键: 值”"
    return f"“{node.value}”"


def _scalar(node: yaml.Node, expected: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise Invalid(_describe(node), expected)
    return node.value.strip()


def to_text(node: yaml.Node, catalogue: model.Catalogue | None = None) -> str:
    text = _scalar(node, "一段文字")
    if node.tag in READ_AS and not node.style:
        raise Invalid(
            f"“{text}”（YAML 会把它读成{READ_AS[node.tag]}）", "一段文字", f"如果这就是要写的文字，请加引号：'{text}'。"
        )
    if not text:
        raise Invalid("空值", "一段文字")
    return text


def to_date(node: yaml.Node, catalogue=None) -> dt.date:
    text = _scalar(node, "YYYY-MM-DD 格式的日期")
    if not DATE_RE.match(text):
        raise Invalid(
            f"“{text}”", "YYYY-MM-DD 格式的日期，例如 2026-01-30", "月和日都写两位数字，用半角连字符 - 分隔。"
        )
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"“{text}”（日历上没有这一天）", "真实存在的日期", "核对月份的天数。") from None


def to_bool(node: yaml.Node, catalogue=None) -> bool:
    text = _scalar(node, "true 或 false")
    if text.lower() in ("true", "false") and not node.style:
        return text.lower() == "true"
    raise Invalid(f"“{text}”", "true 或 false", "只写 true 或 false，不加引号（yes/no/是/否 不被所有工具认作真假）。")


def to_approx(node: yaml.Node, catalogue=None) -> str:
    text = _scalar(node, "true、false 或“余/多/近/超过”")
    if text.lower() in ("true", "false") and not node.style:
        return "余" if text.lower() == "true" else ""
    if text in model.APPROX_WORDS:
        return text
    raise Invalid(
        f"“{text}”",
        "true（表示“余”）、false，或原文用的字：" + "、".join(model.APPROX_WORDS),
        "照原文写，例如正文是“超过300人次”就写 approx: 超过。",
    )


def to_year(node: yaml.Node, catalogue=None) -> int:
    text = _scalar(node, "四位数的年份")
    if not YEAR_RE.match(text):
        raise Invalid(f"“{text}”", "四位数的年份，例如 2025")
    return int(text)


def to_number(node: yaml.Node, catalogue=None) -> Decimal:
    text = _scalar(node, "数字")
    if not NUMBER_RE.match(text):
        hint = (
            "“余/多/近/超过”不写进数值，另写 approx，照原文写 approx: 余、approx: 超过 等（approx: true 表示“余”）。"
            if re.search(r"[余多近]", text)
            else "只写阿拉伯数字，例如 46 或 0.5。"
        )
        raise Invalid(f"“{text}”", "数字（整数或小数）", hint)
    return Decimal(text)


def to_unit(node: yaml.Node, catalogue=None) -> str:
    text = to_text(node)
    if text not in model.UNITS:
        raise Invalid(
            f"“{text}”",
            "以下计量单位之一：" + "、".join(model.UNITS),
            "需要新单位请联系维护人员加入 hooks/portal/model.py 的 UNITS。",
        )
    return text


def to_tags(node: yaml.Node, catalogue=None) -> tuple[str, ...]:
    if not isinstance(node, yaml.SequenceNode):
        hint = "方括号用英文半角 [ ]，不要用【】。" if isinstance(node, yaml.ScalarNode) and "【" in node.value else ""
        raise Invalid(_describe(node), "一个列表，例如 [知联会, 社情民意]", hint)
    tags: list[str] = []
    for child in node.value:
        for tag in TAG_SEPARATORS.split(to_text(child)):
            if tag.strip() and tag.strip() not in tags:
                tags.append(tag.strip())
    return tuple(tags)


# Chinese editors separate tags with full-width commas and enumeration commas, which YAML keeps in one tag.
TAG_SEPARATORS = re.compile(r"[，、]")


def joined_tags(node: yaml.Node) -> list[str]:
    """The tags of a `tags` list that hold full-width separators (split by to_tags, told to the editor)."""
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [
        child.value for child in node.value if isinstance(child, yaml.ScalarNode) and TAG_SEPARATORS.search(child.value)
    ]


def _entry(kind_label: str, entries: dict[str, model.Entry], node: yaml.Node, failed: bool = False) -> model.Entry:
    text = to_text(node)
    if text in entries:
        return entries[text]
    if failed:
        raise Dependent(text)
    close = difflib.get_close_matches(text, entries, n=1, cutoff=0.5)
    hint = f"是不是“{close[0]}”？" if close else f"新{kind_label}请先在 content/catalogue.yml 中声明。"
    raise Invalid(
        f"未声明的{kind_label}“{text}”", f"content/catalogue.yml 中声明的{kind_label}之一：" + "、".join(entries), hint
    )


def to_column(node: yaml.Node, catalogue: model.Catalogue) -> model.Entry:
    return _entry("栏目", catalogue.columns, node, catalogue.failed)


def to_organisation(node: yaml.Node, catalogue: model.Catalogue) -> model.Entry:
    return _entry("单位", catalogue.organisations, node, catalogue.failed)


SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def to_slug(node: yaml.Node, catalogue=None) -> str:
    text = to_text(node)
    if not SLUG_RE.match(text):
        raise Invalid(
            f"“{text}”", "只由小写英文字母、数字和连字符组成的网址短名", "例如 gongzuo-dongtai（名称的拼音）。"
        )
    return text


def to_days(node: yaml.Node, catalogue=None) -> int:
    text = _scalar(node, "正整数天数")
    if node.style or not text.isdigit() or not 0 < int(text) <= model.MAX_DAYS:
        raise Invalid(f"“{text}”", f"正整数天数（1 到 {model.MAX_DAYS}）")
    return int(text)


CONVERTERS = {
    model.TEXT: to_text,
    model.DATE: to_date,
    model.BOOL: to_bool,
    model.YEAR: to_year,
    model.TAGS: to_tags,
    model.APPROX: to_approx,
    model.NUMBER: to_number,
    model.UNIT: to_unit,
    model.COLUMN: to_column,
    model.ORGANISATION: to_organisation,
    model.SLUG: to_slug,
    model.DAYS: to_days,
}


def _refused(field: model.Field, node: yaml.Node) -> tuple[str, str] | None:
    """Invisible characters, over-long texts and lists, before any conversion: (message, hint)."""
    if isinstance(node, yaml.SequenceNode) and field.max_items and len(node.value) > field.max_items:
        return f"有 {len(node.value)} 项，最多 {field.max_items} 项", "只保留最重要的几项。"
    scalars = (
        [node]
        if isinstance(node, yaml.ScalarNode)
        else [child for child in node.value if isinstance(child, yaml.ScalarNode)]
        if isinstance(node, yaml.SequenceNode)
        else []
    )
    for scalar in scalars:
        if found := text_problem(scalar.value):
            return found, FIX_CHARACTERS
        if found := length_problem(scalar.value.strip(), field.max_length):
            which = "其中一项" if scalar is not node else ""
            return which + found, f"缩短到 {field.max_length} 个字以内。"
    return None


class Checker:
    """Collects the problems of one file while converting its front matter."""

    def __init__(self, source: Source, catalogue: model.Catalogue):
        self.source, self.catalogue = source, catalogue
        self.problems: list[Problem] = []
        self.notices: list[Problem] = []
        self.dependent = False  # a value the failed catalogue cannot resolve

    def problem(self, node: yaml.Node, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.source.file, self.source.line_of(node), message, hint))

    def mapping(
        self, node: yaml.MappingNode, fields: dict[str, model.Field], where: str, all_keys: dict[str, model.Field]
    ) -> dict:
        values: dict = {}
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
            if key in seen:
                self.problem(key_node, f"{where}字段 {key} 重复出现。", "删除多余的一行。")
                continue
            seen.add(key)
            field = fields.get(key)
            if field is None:
                self.unknown_key(key_node, key, fields, all_keys, where)
                continue
            if value_node.tag == NULL_TAG and not value_node.style and not value_node.value.strip("~").strip():
                if field.required:
                    self.problem(key_node, f"{where}字段 {key}（{field.label}）没有填写内容。", field.help)
                continue
            if refused := _refused(field, value_node):
                self.problem(value_node, f"{where}字段 {key}（{field.label}）{refused[0]}。", refused[1])
                continue
            try:
                values[key] = self.convert(field, value_node)
            except Dependent:
                self.dependent = True
            except Invalid as invalid:
                self.problem(
                    value_node,
                    f"{where}字段 {key}（{field.label}）的值是{invalid.found}，应为{invalid.expected}。",
                    invalid.hint or field.help,
                )
        for field in fields.values():
            if field.required and field.key not in seen:
                self.problem(node, f"{where}缺少必填字段 {field.key}（{field.label}）。", field.help)
        return values

    def unknown_key(self, node, key, fields, all_keys, where) -> None:
        if key in all_keys:
            kinds = "、".join(model.KINDS.get(k) or model.SECTIONS[k] for k in all_keys[key].kinds)
            in_catalogue = all(k in model.SECTIONS for k in all_keys[key].kinds)
            self.problem(
                node,
                f"{where}字段 {key} 只用于{kinds}。",
                "删除这一行。" if in_catalogue else "删除这一行，或把文件放到对应的文件夹。",
            )
            return
        close = difflib.get_close_matches(key, fields, n=1, cutoff=0.6)
        hint = f"是不是 {close[0]}？" if close else "可用字段：" + "、".join(fields)
        self.problem(node, f"{where}有未知字段 {key}。", hint)

    def convert(self, field: model.Field, node: yaml.Node):
        if field.kind == model.METRICS:
            return self.metrics(node)
        if field.kind == model.TAGS and (joined := joined_tags(node)):
            parts = "、".join(f"“{tag}”" for tag in joined)
            self.notices.append(
                Problem(
                    self.source.file,
                    self.source.line_of(node),
                    f"字段 {field.key}（{field.label}）中的 {parts} 含有全角逗号或顿号，已按它们分成几个标签。",
                    "标签之间请用英文半角逗号加空格分隔，例如 [政协, 养老服务]。",
                    "notice",
                )
            )
        return CONVERTERS[field.kind](node, self.catalogue)

    def metrics(self, node: yaml.Node) -> tuple[model.Metric, ...]:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise Invalid(
                _describe(node),
                "至少一项的数据列表，每项形如 {label: 社情民意信息, value: 46, unit: 篇, group: 参政议政}",
            )
        fields = {f.key: f for f in model.METRIC_FIELDS}
        metrics = []
        for number, child in enumerate(node.value, start=1):
            where = f"第 {number} 项数据的"
            if not isinstance(child, yaml.MappingNode):
                self.problem(
                    child,
                    f"{where}格式不对：应为一组“键: 值”，实际是{_describe(child)}。",
                    "每项写成 {label: …, value: …, unit: …, group: …}。",
                )
                continue
            before = len(self.problems)
            values = self.mapping(child, fields, where, fields)
            if len(self.problems) == before:
                metrics.append(model.Metric(**values, line=self.source.line_of(child)))
        headlines = sum(metric.headline for metric in metrics)
        if headlines > model.MAX_HEADLINES:
            self.problem(
                node,
                f"metrics（年度数据）中有 {headlines} 项标为 headline，最多 {model.MAX_HEADLINES} 项。",
                "只保留最重要的几项 headline: true。",
            )
        return tuple(metrics)


def validate_item(
    source: Source, path: str, kind: str, catalogue: model.Catalogue
) -> tuple[model.Item | None, list[Problem]]:
    checker = Checker(source, catalogue)
    all_keys = {f.key: f for f in model.ITEM_FIELDS}
    values = checker.mapping(source.node, model.fields_for(kind), "", all_keys)
    if not source.body.strip():
        checker.problems.append(
            Problem(source.file, source.body_line, "正文是空的：文件只有前置元数据。", "在第二个 --- 之后写正文。")
        )
    for offset, message in body_problems(source.body):
        checker.problems.append(
            Problem(
                source.file,
                source.body_line + offset,
                message,
                "重新输入这一行（不要从网页、微信或 Word 直接复制粘贴），或在 VS Code 中删除显示为红色的字符。",
            )
        )
    if checker.problems:
        return None, checker.problems
    if checker.dependent:
        return None, checker.notices
    values.setdefault("summary", first_paragraph(source.body))
    lines = {key.value: source.line_of(key) for key, _ in source.node.value if isinstance(key, yaml.ScalarNode)}
    item = model.Item(path=path, kind=kind, body=source.body, body_line=source.body_line, key_lines=lines, **values)
    return item, checker.notices


INVISIBLE = re.compile("|".join(pattern.pattern for pattern, _ in KINDS))  # not in a summary taken from the body
ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")
PROTECT = {"*": "\x01", "_": "\x02", "`": "\x03", "#": "\x04", ">": "\x05"}  # escaped marks survive MARKUP
RESTORE = str.maketrans({v: k for k, v in PROTECT.items()})
MARKUP = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])|<[^>]+>|[*_`>#]+|\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
DEFINITIONS = re.compile(r"(?: {0,3}\[[^\]\n]+\]:[^\n]*(?:\n|$))+")  # reference definitions: not text


def first_paragraph(markdown: str) -> str:
    """The first paragraph of the body as plain text, for summaries (one line, one paragraph)."""
    blocks = (
        part
        for _line, prose in scan(markdown).blocks()  # code blocks left out (the scanner's)
        for part in re.split(r"\n\s*\n", split_paragraphs(prose).strip())
    )
    for block in blocks:
        block = block.strip()
        if not block or block.startswith(("#", "|", "```", "<", "!", "-", "*")) and not block.startswith("**"):
            continue
        if DEFINITIONS.fullmatch(block):
            continue
        block = ESCAPED.sub(lambda m: PROTECT.get(m.group(1), m.group(1)), block)
        text = MARKUP.sub(lambda m: m.group(1) or "", block).translate(RESTORE)
        text = " ".join(INVISIBLE.sub("", text).split())
        if text:
            return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"
    return ""
