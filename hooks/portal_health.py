"""Column health, as government-website inspections count it: a declared column with no
published item is an empty column (空白栏目); a column or the home page without a new item
for too long counts as not updated."""

from __future__ import annotations

import datetime as dt

from portal_model import Catalogue, Item
from portal_problems import Problem


def column_health(catalogue: Catalogue, items: list[Item], today: dt.date, home_days: int, column_days: int,
                  file: str, lines: dict[str, int]) -> list[Problem]:
    """`items` are the published ones; `lines` the catalogue line of each column name."""
    problems = []
    latest: dict[str, dt.date] = {}
    for item in items:
        latest[item.column.name] = max(item.date, latest.get(item.column.name, item.date))
    for column in catalogue.columns.values():
        line = lines.get(column.name, 1)
        if column.name not in latest:
            problems.append(Problem(file, line, f"栏目“{column.name}”没有已发布的稿件（空白栏目，抽查时扣分）。",
                                    "发布稿件，或从目录中删除这个栏目。", "warning"))
        elif not column.archived and (today - latest[column.name]).days > column_days:
            days = (today - latest[column.name]).days
            problems.append(Problem(file, line, f"栏目“{column.name}”已有 {days} 天没有更新（最近一篇 {latest[column.name]}）。",
                                    f"发布新稿件；已结束的专栏可在目录中写 archived: true（本站设定的期限是 {column_days} 天）。",
                                    "warning"))
    newest = max(latest.values(), default=None)
    if newest and (today - newest).days > home_days:
        problems.append(Problem(file, 1, f"首页已有 {(today - newest).days} 天没有新稿件（最近一篇 {newest}）。",
                                f"政府网站抽查以两周不更新为不合格；本站设定的期限是 {home_days} 天。", "warning"))
    return problems
