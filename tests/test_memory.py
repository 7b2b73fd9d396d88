"""Build memory (issue 16: at most 600 MB for the whole build, forked processes included): what a
build no longer needs is released before it forks its page renderers and search index process."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import news


def _in_process_build(portal, script: str) -> str:
    """Run `mkdocs build` in one Python process with `script` after it; its output."""
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        cwd=portal.root,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "PORTAL_TODAY": "2026-06-01"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def test_a_build_releases_jieba_once_every_item_is_proofread(portal):
    portal.item("news/2026/a.md", news(), body="县知联会坚持把党的领导作为第一要求，加党强对各级组织的领导。\n")
    out = _in_process_build(
        portal,
        """
        import sys
        from mkdocs.config import load_config
        from mkdocs.commands.build import build
        config = load_config("mkdocs.yml")
        config.plugins.on_startup(command="build", dirty=False)
        adapter = sys.modules["portal.engines.mkdocs"]
        seen = []
        on_nav = adapter.on_nav
        def watched(nav, config, files):  # where the page renderers are forked
            seen.append(sorted(name for name in sys.modules if name.split(".")[0] == "jieba"))
            return on_nav(nav, config, files)
        config.plugins.events["nav"] = [watched if e is on_nav else e for e in config.plugins.events["nav"]]
        build(config)
        config.plugins.on_shutdown()
        print("proofread", "加党强" in open("site/news/2026/a/index.html", encoding="utf-8").read())
        print("jieba at fork", seen)
        """,
    )
    assert "proofread True" in out
    assert "jieba at fork [[]]" in out, out
