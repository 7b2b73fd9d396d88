"""Column health, as government-website inspections count it: a declared column with no
published item is an empty column (空白栏目: not published, and a warning); a column or the
home page without a new item for too long counts as not updated. Each column may set its
own period (`update_every` in days, in the catalogue); a warning comes `ahead` days before
the period runs out, and another when it has."""

from __future__ import annotations

import datetime as dt

from portal.model import Catalogue, Item
from portal.problems import Problem


def catalogue_lines(catalogue: Catalogue) -> dict[str, int]:
    """The catalogue line where each column is declared (as its reader found it), for problems."""
    return {name: line for (section, name), line in catalogue.lines.items() if section == "columns"}


def empty_columns(
    catalogue: Catalogue, items: list[Item], file: str, lines: dict[str, int], level: str = "warning"
) -> list[Problem]:
    """Declared columns without a published item: they are left out of the site."""
    used = {item.column.name for item in items}
    return [
        Problem(
            file,
            lines.get(column.name, 1),
            f"栏目“{column.name}”没有已发布的稿件（空白栏目，抽查时扣分；这个栏目不会出现在网站上）。",
            "发布稿件，或从目录中删除这个栏目。",
            level,
            rule="column.empty",
            text=column.name,
        )
        for column in catalogue.columns.values()
        if column.name not in used
    ]


def column_health(
    catalogue: Catalogue,
    items: list[Item],
    today: dt.date,
    home_days: int,
    column_days: int,
    file: str,
    lines: dict[str, int],
    ahead: int = 3,
    empty_level: str = "warning",
) -> list[Problem]:
    """`items` are the published ones; `lines` the catalogue line of each column name; `empty_level`:
    how an empty column is told (extra.portal.empty_columns, as the build tells it)."""
    problems = empty_columns(catalogue, items, file, lines, empty_level)
    latest: dict[str, dt.date] = {}
    for item in items:
        latest[item.column.name] = max(item.date, latest.get(item.column.name, item.date))
    for column in catalogue.columns.values():
        if column.name not in latest or column.archived:
            continue
        line, limit = lines.get(column.name, 1), column.update_every or column_days
        days = (today - latest[column.name]).days
        rule = (
            f"本栏目的更新周期是 {limit} 天（目录中的 update_every）"
            if column.update_every
            else f"本站设定的期限是 {limit} 天，可在目录中为栏目写 update_every"
        )
        if days > limit:
            problems.append(
                Problem(
                    file,
                    line,
                    f"栏目“{column.name}”已有 {days} 天没有更新（最近一篇 {latest[column.name]}）。",
                    f"发布新稿件；已结束的专栏可在目录中写 archived: true（{rule}）。",
                    "warning",
                    rule="column.stale",
                    text=column.name,
                )
            )
        elif days > limit - ahead:
            problems.append(
                Problem(
                    file,
                    line,
                    f"栏目“{column.name}”{days} 天没有更新，{limit - days} 天后到期"
                    f"（最近一篇 {latest[column.name]}）。",
                    f"请在到期前发布新稿件（{rule}）。",
                    "warning",
                    rule="column.due",
                    text=column.name,
                )
            )
    newest = max(latest.values(), default=None)
    if newest:
        days = (today - newest).days
        if days > home_days:
            problems.append(
                Problem(
                    file,
                    1,
                    f"首页已有 {days} 天没有新稿件（最近一篇 {newest}）。",
                    f"政府网站抽查以两周不更新为不合格；本站设定的期限是 {home_days} 天。",
                    "warning",
                    rule="home.stale",
                )
            )
        elif days > home_days - ahead:
            problems.append(
                Problem(
                    file,
                    1,
                    f"首页 {days} 天没有新稿件，{home_days - days} 天后到期（最近一篇 {newest}）。",
                    "请在到期前发布新稿件：政府网站抽查以两周不更新为不合格。",
                    "warning",
                    rule="home.due",
                )
            )
    return problems


HOME_LEAD_DAYS = 4  # alert this many days before the home page reaches its limit
COLUMN_LEAD_DAYS = 14  # ... and a column its limit
BLANK_COLUMNS_VETO = 5  # inspections fail a site with this many empty columns


def freshness_alerts(
    catalogue: Catalogue, items: list[Item], today: dt.date, home_days: int, column_days: int
) -> list[str]:
    """Early warnings, in Chinese, for the daily scheduled run: the home page or a column close to
    its limit, or empty columns close to the inspection veto. `items` are the published ones."""
    alerts = []
    latest: dict[str, dt.date] = {}
    for item in items:
        latest[item.column.name] = max(item.date, latest.get(item.column.name, item.date))
    newest = max(latest.values(), default=None)
    if newest is None:
        alerts.append("网站还没有任何已发布的稿件。")
    elif (age := (today - newest).days) >= home_days - HOME_LEAD_DAYS:
        left = home_days - age
        when = f"再过 {left} 天" if left > 0 else "已经"
        alerts.append(
            f"首页已有 {age} 天没有新稿件（最近一篇 {newest}），{when}达到 {home_days} 天不更新的抽查否决线："
            "请尽快发布新稿件。"
        )
    blank = [c.name for c in catalogue.columns.values() if c.name not in latest]
    if len(blank) >= BLANK_COLUMNS_VETO - 2:
        alerts.append(
            f"有 {len(blank)} 个空白栏目（{'、'.join(blank)}），{BLANK_COLUMNS_VETO} 个即为抽查否决项："
            "请发布稿件或从目录中删除不用的栏目。"
        )
    for column in catalogue.columns.values():
        if column.archived or column.name not in latest:
            continue
        age = (today - latest[column.name]).days
        if age >= column_days - COLUMN_LEAD_DAYS:
            left = column_days - age
            when = f"再过 {left} 天" if left > 0 else "已经"
            alerts.append(
                f"栏目“{column.name}”已有 {age} 天没有更新，{when}超过本站设定的 {column_days} 天期限：请发布新稿件，"
                "已结束的专栏在目录中写 archived: true。"
            )
    return alerts
