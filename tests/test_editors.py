"""What editors actually type: full-width tag separators, file names, duplicates."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import TODAY, news


def run_check(portal, *args):
    return subprocess.run([sys.executable, str(portal.root / "hooks/portal_check.py"), "--root", str(portal.root), *args],
                          capture_output=True, text=True, env={**os.environ, "PORTAL_TODAY": TODAY}, timeout=120)


def test_tags_split_on_full_width_commas_with_a_notice(portal):
    portal.write("news/2026/yanglao.md", "---\ntitle: 政协委员调研养老服务\ndate: 2026-03-02\ncolumn: 工作动态\n"
                 "organisation: 县政协\neditor: 甲\nresponsible_editor: 乙\nsigned_off_by: 丙\n"
                 "tags: [政协，养老服务、调研, 政协]\n---\n\n正文。\n")
    build = portal.build()
    assert build.returncode == 0, build.output
    assert "content/news/2026/yanglao.md:9: 字段 tags（标签）中的 “政协，养老服务、调研” 含有全角逗号或顿号" in build.output
    for tag in ("政协", "养老服务", "调研"):
        assert "政协委员调研养老服务" in build.page(f"tags/{tag}")
    assert not (build.site / "tags/政协，养老服务、调研").exists()
    assert "[提示] content/news/2026/yanglao.md:9: 字段 tags（标签）" in run_check(portal).stdout
