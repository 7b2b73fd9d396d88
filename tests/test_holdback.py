"""Held-back items named with their reason and fix: the plain function, `check` and the build."""

from __future__ import annotations

import datetime as dt
import subprocess

from conftest import TODAY, hooks_path, news, tool
from portal.content.holdback import held_back
from portal.content.reader import load_content


def _line(path, prefix: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(prefix))


def _items(portal):
    portal.item("news/2026/live.md", news(title="已发布的稿件", date="2026-05-30"))
    draft = portal.item("news/2026/draft.md", news(title="草稿稿件", draft=True))
    unsigned = portal.item("news/2026/unsigned.md", news(title="待签发稿件", signed_off_by=None))
    later = portal.item("news/2026/later.md", news(title="明天的稿件", date="2026-06-02"))
    return {"draft": draft, "unsigned": unsigned, "later": later}


def test_each_held_back_item_has_its_reason_line_and_fix(portal):
    paths = _items(portal)
    content = load_content(portal.content, "content")
    found = {entry.file: entry for entry in held_back(content.items, dt.date.fromisoformat(TODAY))}
    assert set(found) == {"content/news/2026/draft.md", "content/news/2026/later.md", "content/news/2026/unsigned.md"}
    draft, unsigned, later = (found[f"content/news/2026/{n}.md"] for n in ("draft", "unsigned", "later"))
    assert (draft.reason, draft.line, draft.title) == ("草稿", _line(paths["draft"], "draft:"), "草稿稿件")
    assert "draft: true" in draft.fix
    assert (unsigned.reason, unsigned.line) == ("未签发", _line(paths["unsigned"], "responsible_editor:"))
    assert "signed_off_by" in unsigned.fix
    assert (later.reason, later.line) == ("定时发布（2026-06-02）", _line(paths["later"], "date:"))
    assert "2026-06-02" in later.fix and "定时构建" in later.fix
    # The next day the scheduled item is published; the others still wait.
    next_day = held_back(content.items, dt.date(2026, 6, 2))
    assert [entry.reason for entry in next_day] == ["草稿", "未签发"]


def test_check_and_the_build_print_them_as_notices(portal):
    paths = _items(portal)
    where = f"content/news/2026/later.md:{_line(paths['later'], 'date:')}"
    expected = f"{where}: 《明天的稿件》暂不发布：定时发布（2026-06-02）。 修改建议："
    done = subprocess.run(
        tool(portal.root, "check", "--root", str(portal.root)),
        capture_output=True,
        text=True,
        env={"PORTAL_TODAY": TODAY, "PATH": "", **hooks_path(portal.root)},
        timeout=120,
    )
    assert done.returncode == 0, done.stdout
    assert f"[提示] {expected}" in done.stdout
    assert "《草稿稿件》暂不发布：草稿。" in done.stdout and "《待签发稿件》暂不发布：未签发。" in done.stdout
    assert "《已发布的稿件》" not in done.stdout
    build = portal.build()
    assert build.returncode == 0, build.output
    assert expected in build.output and "《待签发稿件》暂不发布：未签发。" in build.output
    assert "1 篇发布，3 篇暂不发布" in build.output
