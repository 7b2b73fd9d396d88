"""Every figure of an annual review must be findable in the review's own text.

A metric is found when a sentence of the body mentions its label (or most of
it) together with its number and unit: "社情民意信息46篇", "540余人次",
"两次", "二十名". A metric whose label sentences carry the unit with another
number is reported as different from the text; one whose number and unit are
nowhere near its label is reported as not found. The problems are warnings:
`mkdocs build --strict` fails on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from portal.model import UNITS, Item, Metric
from portal.problems import Problem

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
POWERS = {"十": 10, "百": 100, "千": 1000}
CN_NUMBER = "[零〇一二两三四五六七八九十百千万]+"
UNIT_RE = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))  # 场次 before 场
QUANTITY = re.compile(
    rf"(?P<before>近|超过|逾)?(?P<number>\d+(?:\.\d+)?|{CN_NUMBER})\s*(?P<approx>余|多)?\s*(?P<unit>{UNIT_RE})"
)
SENTENCE_END = re.compile(r"[。；！？\n]")
LABEL_MATCH = 0.5  # share of the label's character pairs a sentence must contain


def chinese_number(text: str) -> int | None:
    """两 → 2, 十 → 10, 二十五 → 25, 一百二十 → 120, 三千 → 3000, 1万 is left to Arabic digits."""
    if "万" in text:
        high, _, low = text.partition("万")
        high_value = chinese_number(high) if high else 1
        low_value = chinese_number(low) if low else 0
        return None if high_value is None or low_value is None else high_value * 10000 + low_value
    total, digit = 0, None
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in POWERS:
            total += (1 if digit is None else digit) * POWERS[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


@dataclass
class Mention:
    value: Decimal
    unit: str
    text: str
    line: int
    approx: str  # the approximating word written (余/多/近/超过/逾), "" for an exact figure


def _number(text: str) -> Decimal | None:
    if text[0].isdigit():
        return Decimal(text)
    value = chinese_number(text)
    return None if value is None else Decimal(value)


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def _sentences(item: Item):
    """(text, first line) of each sentence of the body."""
    start = 0
    for match in SENTENCE_END.finditer(item.body + "\n"):
        text = item.body[start : match.start()]
        if text.strip():
            yield text, item.body_line + item.body.count("\n", 0, start)
        start = match.end()


def _label_sentences(item: Item, metric: Metric, sentences, pairs: list[set[str]]) -> list[tuple[str, int]]:
    """The sentences that mention the metric's label; `pairs`: each sentence's character pairs."""
    wanted = _pairs(metric.label)
    return [
        (text, line)
        for (text, line), found in zip(sentences, pairs, strict=True)
        if metric.label in text or len(wanted & found) / len(wanted) >= LABEL_MATCH
    ]


def _mentions(text: str, line: int) -> list[Mention]:
    mentions = []
    for match in QUANTITY.finditer(text):
        value = _number(match.group("number"))
        if value is not None:
            approx = match.group("approx") or match.group("before") or ""
            mentions.append(Mention(value, match.group("unit"), match.group(0), line, approx))
    return mentions


def check_item(item: Item, file: str) -> list[Problem]:
    sentences = list(_sentences(item))
    pairs = [_pairs(text) for text, _line in sentences] if item.metrics else []  # once for every metric
    problems = []
    for metric in item.metrics:
        near = [
            m
            for text, line in _label_sentences(item, metric, sentences, pairs)
            for m in _mentions(text, line)
            if m.unit == metric.unit
        ]
        same = [m for m in near if m.value == metric.value]
        where = f"年度数据“{metric.label} {metric.written}{metric.unit}”"
        if any(m.approx == metric.approx for m in same):
            continue
        if same:
            wanted = f"正文用的是“{same[0].approx}”" if same[0].approx else "正文写的是确数"
            fix = f"改为 approx: {same[0].approx}" if same[0].approx else "删去 approx"
            problems.append(
                Problem(
                    file,
                    metric.line,
                    f"{where}的约数标记与正文不一致：{wanted}，写作“{same[0].text}”（正文第 {same[0].line} 行）。",
                    f"{fix}，或改正正文。",
                )
            )
        elif near:
            found = "、".join(f"“{m.text}”（正文第 {m.line} 行）" for m in near[:3])
            problems.append(
                Problem(
                    file,
                    metric.line,
                    f"{where}与正文不一致：正文写的是 {found}。",
                    "核对原文，改正数值或正文，使两处一致。",
                )
            )
        else:
            problems.append(
                Problem(
                    file,
                    metric.line,
                    f"{where}在正文中找不到：没有句子同时写到这个名称和“{metric.display_value}{metric.unit}”。",
                    "数据必须出自正文：检查名称用词、数字和单位是否与正文一致。",
                )
            )
    return problems
