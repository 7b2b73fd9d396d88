"""Annual-review figures across items: column roll-ups, per-organisation trends, open data.

All functions take published items only; the caller decides what is published.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from portal_model import METRIC_FIELDS, Item, approx_text, display_number as display


@dataclass
class Amount:
    value: Decimal
    approx: str | bool  # the text's word for one figure; True for a total with an approximate part

    @property
    def display(self) -> str:
        """540余, 超过300, 46, 0.5; a total with an approximate part: 640余"""
        return approx_text(display(self.value), "余" if self.approx is True else self.approx or "")


@dataclass
class Part(Amount):
    organisation: str
    url: str


@dataclass
class RollupRow:
    """One label and unit summed across organisations (never 件 with 篇)."""

    year: int
    label: str
    unit: str
    parts: list[Part] = field(default_factory=list)

    @property
    def total(self) -> Amount:
        # A single part keeps its own word (超过300); a sum of several is marked 余 when any is approximate.
        if len(self.parts) == 1:
            return Amount(self.parts[0].value, self.parts[0].approx)
        return Amount(sum((part.value for part in self.parts), Decimal(0)), any(part.approx for part in self.parts))


def rollup(reviews: list[Item]) -> list[tuple[int, list[RollupRow]]]:
    """Per reviewed year, newest first: one row per (label, unit), in first-seen order."""
    years: dict[int, dict[tuple[str, str], RollupRow]] = {}
    for item in sorted(reviews, key=lambda i: (i.organisation.name, i.date)):
        rows = years.setdefault(item.year, {})
        for metric in item.metrics:
            row = rows.setdefault((metric.label, metric.unit), RollupRow(item.year, metric.label, metric.unit))
            row.parts.append(Part(metric.value, metric.approx, item.organisation.name, item.url))
    # Figures most organisations report come first; otherwise the order editors wrote them in.
    return [(year, sorted(years[year].values(), key=lambda row: -len(row.parts))) for year in sorted(years, reverse=True)]


@dataclass
class Point(Amount):
    year: int


@dataclass
class Series:
    """One metric (label and unit) of one organisation over the years."""

    label: str
    unit: str
    points: list[Point]


def trends(reviews: list[Item]) -> list[Series]:
    """Metrics that two or more of the organisation's reviewed years share."""
    by_metric: dict[tuple[str, str], dict[int, Point]] = {}
    for item in sorted(reviews, key=lambda i: i.date):  # a later review of the same year wins
        for metric in item.metrics:
            by_metric.setdefault((metric.label, metric.unit), {})[item.year] = Point(metric.value, metric.approx, item.year)
    return [Series(label, unit, [points[y] for y in sorted(points)])
            for (label, unit), points in by_metric.items() if len(points) >= 2]


# Open data: one row per metric of every published review.
EXPORT_COLUMNS = ("organisation", "year", "column", "title", "date", "url",
                  *(f.key for f in METRIC_FIELDS))
EXPORT_LABELS = {"organisation": "单位（组织）", "year": "年度", "column": "栏目", "title": "稿件标题", "date": "发布日期",
                 "url": "稿件网址", **{f.key: f.label for f in METRIC_FIELDS}}


def export_rows(reviews: list[Item], absolute_url) -> list[dict]:
    rows = []
    for item in sorted(reviews, key=lambda i: (-i.year, i.organisation.name, i.date)):
        for metric in item.metrics:
            rows.append({
                "organisation": item.organisation.name, "year": item.year, "column": item.column.name,
                "title": item.title, "date": item.date.isoformat(), "url": absolute_url(item.url),
                "label": metric.label, "value": metric.value, "unit": metric.unit, "approx": metric.approx,
                "group": metric.group, "headline": metric.headline, "note": metric.note,
            })
    return rows


def to_csv(rows: list[dict]) -> bytes:
    """UTF-8 with BOM, so that Excel opens the Chinese correctly; header in Chinese and English."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f"{EXPORT_LABELS[c]}（{c}）" for c in EXPORT_COLUMNS])
    for row in rows:
        writer.writerow([_cell(row[c]) for c in EXPORT_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return display(value)
    text = str(value)
    # Spreadsheets run cells that start with = + - @ as formulas.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_json(rows: list[dict]) -> bytes:
    def plain(value):
        return int(value) if isinstance(value, Decimal) and value == value.to_integral() else float(value)
    records = [{k: plain(v) if isinstance(v, Decimal) else v for k, v in row.items()} for row in rows]
    document = {"fields": EXPORT_LABELS, "records": records}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
