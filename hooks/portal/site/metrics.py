"""Annual-review figures across items: column roll-ups, per-organisation trends, open data.

All functions take published items only; the caller decides what is published.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from portal.model import ITEM_FIELDS, METRIC_FIELDS, Entry, Item, approx_text
from portal.model import display_number as display


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
    return [
        (year, sorted(years[year].values(), key=lambda row: -len(row.parts))) for year in sorted(years, reverse=True)
    ]


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
            by_metric.setdefault((metric.label, metric.unit), {})[item.year] = Point(
                metric.value, metric.approx, item.year
            )
    return [
        Series(label, unit, [points[y] for y in sorted(points)])
        for (label, unit), points in by_metric.items()
        if len(points) >= 2
    ]


# Open data: one row per metric of every published review: the review's own fields (declared
# in ITEM_FIELDS, in this order), its address, then every declared metric field.
EXPORT_ITEM_FIELDS = ("organisation", "year", "column", "title", "date")
_ITEM_FIELDS = {f.key: f for f in ITEM_FIELDS}
EXPORT_COLUMNS = (*EXPORT_ITEM_FIELDS, "url", *(f.key for f in METRIC_FIELDS))
EXPORT_LABELS = {
    **{key: _ITEM_FIELDS[key].export_label or _ITEM_FIELDS[key].label for key in EXPORT_ITEM_FIELDS},
    "url": "稿件网址",
    **{f.key: f.export_label or f.label for f in METRIC_FIELDS},
}


def _exported(value):
    """A field's value as the open data writes it: a catalogue entry by its name, a date as YYYY-MM-DD."""
    if isinstance(value, Entry):
        return value.name
    return value.isoformat() if isinstance(value, dt.date) else value


def export_rows(reviews: list[Item], absolute_url) -> list[dict]:
    rows = []
    for item in sorted(reviews, key=lambda i: (-i.year, i.organisation.name, i.date)):
        for metric in item.metrics:
            rows.append(
                {
                    **{key: _exported(getattr(item, key)) for key in EXPORT_ITEM_FIELDS},
                    "url": absolute_url(item.url),
                    **{f.key: getattr(metric, f.key) for f in METRIC_FIELDS},
                }
            )
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
