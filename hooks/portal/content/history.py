"""What git history says about items, read with two `git log` calls for the whole of content/
(never one per file): when each file first appeared, and when its body last changed.

- Backdating: an item dated well before its file first appeared in history is a warning
  (an editor explains a legitimate case, such as a republished article, in `backdated`).
  Items that arrived with IMPORT_ITEMS or more others in one commit are an archive import (a
  site moving onto the portal), not backdating: they are told once, as a notice.
- 更新日期: a published item whose body changed in a commit after its date shows that date.
Without git, outside a repository or in a shallow clone (history cut short), nothing is
reported: the checks are skipped silently.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from portal.problems import Problem

IMPORT_ITEMS = 20  # items added by one commit that make it an archive import
HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


@dataclass
class History:
    added: dict[str, dt.date] = field(default_factory=dict)  # path under content/ -> first commit date
    changes: dict[str, list[tuple[dt.date, int]]] = field(default_factory=dict)  # path -> (date, last line changed)
    imported: set[str] = field(default_factory=set)  # paths first added by an archive import

    def body_changed(self, path: str, body_line: int) -> dt.date | None:
        """The latest commit date that changed a line at or after the body's first line (the
        current body line: an approximation when the front matter's length changed since)."""
        dates = [day for day, last in self.changes.get(path, ()) if last >= body_line]
        return max(dates, default=None)


def _git(content_dir: Path, *args: str) -> str | None:
    command = ["git", "-c", "core.quotePath=false", "-C", str(content_dir), *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=300)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def read_history(content_dir: Path) -> History | None:
    if not content_dir.is_dir() or _git(content_dir, "rev-parse", "--is-shallow-repository") != "false\n":
        return None
    history = History()
    common = ("log", "--relative", "--no-renames", "--no-color", "--format=@%cs")
    added = _git(content_dir, *common, "--diff-filter=A", "--name-only", "--", ".")
    changed = _git(content_dir, *common, "--diff-filter=M", "-p", "--unified=0", "--no-ext-diff", "--", ".")
    if added is None or changed is None:
        return None
    day, commit = None, []
    for line in [*added.splitlines(), "@"]:  # newest first: the last date seen for a path is its first
        if line.startswith("@"):
            items = [path for path in commit if path.endswith(".md")]
            for path in commit:
                history.added[path] = day
                if len(items) >= IMPORT_ITEMS:
                    history.imported.add(path)
                else:
                    history.imported.discard(path)  # the first addition decides, as for the date
            day, commit = (dt.date.fromisoformat(line[1:]) if line != "@" else None), []
        elif line and day:
            commit.append(line)
    path = None
    for line in changed.splitlines():
        if line.startswith("@") and not line.startswith("@@"):
            day = dt.date.fromisoformat(line[1:])
        elif line.startswith("+++ "):
            path = line[6:] if line.startswith("+++ b/") else None
        elif path and day and (match := HUNK.match(line)):
            start, count = int(match.group(1)), int(match.group(2) or 1)
            history.changes.setdefault(path, []).append((day, start + max(count, 1) - 1))
    return history


def history_problems(items, history: History | None, shown_as: str, days: int) -> list[Problem]:
    """Backdated items (warnings), and each item's `updated` date set from the history."""
    problems, imported = [], []
    if history is None:
        return problems
    for item in items:
        first = history.added.get(item.path)
        changed = history.body_changed(item.path, item.body_line)
        item.updated = changed if changed and changed > item.date else None
        if first and (first - item.date).days > days and not item.backdated and item.path in history.imported:
            imported.append(item)
        elif first and (first - item.date).days > days and not item.backdated:
            problems.append(
                Problem(
                    f"{shown_as}/{item.path}",
                    item.key_lines.get("date", 1),
                    f"稿件日期 {item.date} 比文件第一次提交（{first}）早 {(first - item.date).days} 天：疑似倒签日期。",
                    "写实际发布的日期；如果是转载等有意保留原日期，在前置元数据中写 backdated: 说明原因。",
                    "warning",
                    rule="date.backdated",
                    text=item.date.isoformat(),
                )
            )
    if imported:
        first = min(imported, key=lambda item: item.path)
        problems.append(
            Problem(
                f"{shown_as}/{first.path}",
                first.key_lines.get("date", 1),
                f"{len(imported)} 篇稿件是随同一次提交批量导入的历史稿件（每次 {IMPORT_ITEMS} 篇以上），"
                "日期早于提交日期，不按倒签检查。",
                "迁移旧网站的稿件时这是正常的；日常发布请每次提交少量稿件。",
                "notice",
                rule="date.imported",
            )
        )
    return problems
