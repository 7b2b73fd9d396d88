"""Editors' tooling: the VS Code task's problem matcher, a quiet `make check`, `check --strict`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, TODAY, hooks_path, news, tool

WARNED = "第一段正文。\n\n<script>alert(1)</script>\n"  # raw HTML the build removes: a warning


def _matchers() -> list[dict]:
    tasks = json.loads((REPO / ".vscode/tasks.json").read_text(encoding="utf-8"))
    build = next(task for task in tasks["tasks"] if "mkdocs build" in task["command"])
    check = next(task for task in tasks["tasks"] if "-m portal check" in task["command"])
    assert check["options"]["env"]["PYTHONPATH"] == "hooks"  # the package's folder, as the Makefile sets it
    assert build["problemMatcher"] == check["problemMatcher"]
    return build["problemMatcher"]


def matched(output: str) -> list[tuple[str, str, int, str]]:
    """What VS Code's problems panel would show: (severity, file, line, message) per output line."""
    found = []
    for line in output.splitlines():
        for matcher in _matchers():
            pattern = matcher["pattern"]
            if match := re.match(pattern["regexp"], line):
                found.append(
                    (
                        matcher["severity"],
                        match.group(pattern["file"]),
                        int(match.group(pattern["line"])),
                        match.group(pattern["message"]),
                    )
                )
                break
    return found


def run_check(root: Path, *args: str):
    return subprocess.run(
        tool(root, "check", "--root", str(root), *args),
        capture_output=True,
        text=True,
        env={**os.environ, "PORTAL_TODAY": TODAY, **hooks_path(root)},
        timeout=120,
    )


def test_problem_matcher_catches_build_warnings_and_errors(portal):
    portal.item("news/2026/warned.md", news(), body=WARNED)
    build = portal.build()
    assert build.returncode == 1
    problems = matched(build.output)
    assert any(
        sev == "warning" and file == "content/news/2026/warned.md" and line == 16 and "script" in message
        for sev, file, line, message in problems
    ), build.output
    portal.item("news/2026/broken.md", news(column="工作动太"))
    build = portal.build()
    assert ("error", "content/news/2026/broken.md", 4) in [p[:3] for p in matched(build.output)], build.output


def test_problem_matcher_catches_check_output_with_severity(portal):
    portal.item("news/2026/warned.md", news(), body=WARNED)
    portal.item("news/2026/broken.md", news(column="工作动太"))
    problems = matched(run_check(portal.root).stdout)
    assert ("warning", "content/news/2026/warned.md", 16) in [p[:3] for p in problems]
    assert ("error", "content/news/2026/broken.md", 4) in [p[:3] for p in problems]


def test_check_strict_fails_on_warnings(portal):
    portal.item("news/2026/warned.md", news(), body=WARNED)
    assert run_check(portal.root).returncode == 0
    done = run_check(portal.root, "--strict")
    assert done.returncode == 1 and "[警告] content/news/2026/warned.md:16:" in done.stdout


def test_make_check_json_is_valid_json(portal, tmp_path):
    shutil.copy2(REPO / "Makefile", portal.root / "Makefile")
    shutil.copy2(REPO / "requirements.txt", portal.root / "requirements.txt")
    venv = tmp_path / "venv"  # a stand-in virtualenv that is up to date, so make installs nothing
    (venv / "bin").mkdir(parents=True)
    (venv / "bin/python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (venv / "bin/python").chmod(0o755)
    (venv / ".runtime").touch()
    portal.item("news/2026/broken.md", news(column="工作动太"))
    # As an editor runs it, from a shell: not as a sub-make of `make test` (which prints "Entering directory").
    shell = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    done = subprocess.run(
        ["make", "check", "CHECK_ARGS=--json", f"VENV={venv}"],
        cwd=portal.root,
        capture_output=True,
        text=True,
        env={**shell, "PORTAL_TODAY": TODAY},
        timeout=120,
    )
    assert done.returncode != 0  # an error: make fails too
    records = json.loads(done.stdout)
    assert any(r["file"] == "content/news/2026/broken.md" and r["line"] == 4 for r in records)
