"""`check`: every rule of the build, without building the site — for editors and CI.

    .venv/bin/python hooks/portal_check.py            # problems in Chinese, file:line, hint
    .venv/bin/python hooks/portal_check.py --json     # for tools
    .venv/bin/python hooks/portal_check.py --github   # annotations on a pull request's files

Exit status 1 when there is an error (a build would stop), 0 otherwise; warnings
(`mkdocs build --strict` stops on them) and notices are printed too.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

HOOKS = Path(__file__).resolve().parent
sys.path.insert(0, str(HOOKS))

import yaml  # noqa: E402

from portal_content import CATALOGUE, LINK_TARGET, load_content  # noqa: E402
from portal_health import column_health  # noqa: E402
from portal_model import today  # noqa: E402
from portal_output import folder_problems  # noqa: E402
from portal_rules import body_problems  # noqa: E402
from portal_problems import Problem  # noqa: E402
from portal_settings import load_settings  # noqa: E402

LEVELS = {"error": "错误", "warning": "警告", "notice": "提示"}


def _link_problems(item, content_dir: Path, file: str) -> list[Problem]:
    """Links from an item to another page under content/ that does not exist."""
    problems = []
    for offset, line in enumerate(item.body.split("\n")):
        for match in LINK_TARGET.finditer(line):
            target = match.group(1).split("#")[0]
            if not target.endswith(".md") or "://" in target or target.startswith("/"):
                continue
            try:
                found = (content_dir / item.path).parent.joinpath(target).resolve().is_file()
            except (OSError, ValueError):  # a name the file system refuses: no such page
                found = False
            if not found:
                problems.append(Problem(file, item.body_line + offset, f"链接指向的稿件“{target}”不存在。",
                                        "链接路径相对于本稿件文件；检查文件名，或删除这个链接。"))
    return problems


def check(root: Path) -> list[Problem]:
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
    settings, _ = load_settings(_typed(config.get("extra") or {}))
    content_dir = (root / settings.content_dir).resolve()
    shown_as = content_dir.relative_to(root.resolve()).as_posix() if content_dir.is_relative_to(root.resolve()) else str(content_dir)
    content = load_content(content_dir, shown_as)
    problems = list(content.problems)
    outputs = {"site_dir": root / str(config.get("site_dir") or "site"),
               **({"cache_dir": root / settings.cache_dir} if settings.cache_dir else {})}
    problems += folder_problems(root, outputs, {"content_dir": content_dir, "docs_dir": root / str(config.get("docs_dir") or "docs"),
                                                "hooks": root / "hooks", "overrides": root / "overrides"})
    day = today(settings.timezone)
    published = content.published(day)
    problems += body_problems(content.items, shown_as, tuple(settings.embed_hosts))
    for item in content.items:
        problems += _link_problems(item, content_dir, f"{shown_as}/{item.path}")
    catalogue_file = content_dir / CATALOGUE
    lines = {}
    if catalogue_file.is_file():
        for number, line in enumerate(catalogue_file.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if match := re.match(r"\s*-?\s*name:\s*(.+?)\s*$", line):
                lines.setdefault(match.group(1).strip("'\""), number)
    problems += column_health(content.catalogue, published, day, settings.home_stale_days, settings.column_stale_days,
                              f"{shown_as}/{CATALOGUE}", lines)
    return sorted(problems, key=lambda p: (p.file, p.line))


def _typed(extra: dict) -> dict:
    """mkdocs.yml's `extra`, read without YAML 1.1 guessing, with its numbers as numbers."""
    def convert(value):
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return int(value) if isinstance(value, str) and value.isdigit() else value
    return convert(extra)


def github(problem: Problem) -> str:
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    kind = {"error": "error", "warning": "warning"}.get(problem.level, "notice")
    return f"::{kind} file={escape(problem.file)},line={max(problem.line, 1)},title=内容检查::{escape(problem.message + ' ' + problem.hint)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查 content/ 中的全部稿件（规则与构建相同，不生成网站）。")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="以 JSON 输出")
    form.add_argument("--github", action="store_true", help="输出 GitHub Actions 注释")
    parser.add_argument("--root", type=Path, default=HOOKS.parent, help="mkdocs.yml 所在的文件夹")
    args = parser.parse_args(argv)
    started = time.monotonic()
    problems = check(args.root)
    errors = sum(p.level == "error" for p in problems)
    if args.json:
        print(json.dumps([{"file": p.file, "line": max(p.line, 1), "level": p.level, "message": p.message, "hint": p.hint}
                          for p in problems], ensure_ascii=False, indent=1))
    else:
        for problem in problems:
            print(github(problem) if args.github else f"[{LEVELS[problem.level]}] {problem}")
        warnings = sum(p.level == "warning" for p in problems)
        print(f"检查完成：错误 {errors} 个，警告 {warnings} 个，提示 {len(problems) - errors - warnings} 个，"
              f"用时 {time.monotonic() - started:.1f} 秒。")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
