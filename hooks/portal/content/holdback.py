"""Items held back by the publishing gate, each with its reason and the editor's fix.

`check` and the build print them as notices (file:line); the publish job summary lists them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.model import Item
from portal.problems import Problem


@dataclass(frozen=True)
class HeldBack:
    file: str  # as the editor sees it, e.g. content/news/2026/a.md
    line: int
    title: str
    reason: str  # 草稿 / 未签发 / 定时发布（YYYY-MM-DD）
    fix: str

    def problem(self) -> Problem:
        return Problem(self.file, self.line, f"《{self.title}》暂不发布：{self.reason}。", self.fix, "notice")


def held_back(items: list[Item], today: dt.date, shown_as: str = "content") -> list[HeldBack]:
    """Every item the gate holds back on `today`, in file order."""
    found = []
    for item in sorted(items, key=lambda item: item.path):
        reason = item.held_back(today)
        if not reason:
            continue
        lines = item.key_lines
        if item.draft:
            line, fix = lines.get("draft", 1), "定稿后删除 draft: true 这一行（或改为 draft: false），再提交。"
        elif not item.signed_off_by:
            line = lines.get("responsible_editor", lines.get("title", 1))
            fix = "签发人审核同意后，在前置元数据中加一行 signed_off_by: 签发人姓名，再提交。"
        else:
            day = item.date.isoformat()
            line = lines.get("date", 1)
            fix = (
                f"无需操作：{day} 的每日定时构建（北京时间 0 点后）会自动发布；"
                f"要提前发布，把 date 改为今天或更早的日期。"
            )
        found.append(HeldBack(f"{shown_as}/{item.path}", line, item.title, reason, fix))
    return found


def held_back_notices(items: list[Item], today: dt.date, shown_as: str = "content") -> list[Problem]:
    return [entry.problem() for entry in held_back(items, today, shown_as)]
