"""`check`: every rule of the build, without building the site — for editors and CI.

    .venv/bin/python hooks/portal_check.py            # problems in Chinese, file:line, hint
    .venv/bin/python hooks/portal_check.py --json     # for tools
    .venv/bin/python hooks/portal_check.py --github   # annotations on a pull request's files

    .venv/bin/python hooks/portal_check.py --strict   # warnings fail too, as `mkdocs build --strict`

Exit status 1 when there is an error (a build would stop), or with --strict a warning
(`mkdocs build --strict` stops on them); 0 otherwise. Notices are printed too.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HOOKS = Path(__file__).resolve().parent
sys.path.insert(0, str(HOOKS))

import yaml  # noqa: E402

from portal_cache import BuildCache, code_salt  # noqa: E402
from portal_content import CATALOGUE, load_content  # noqa: E402
from portal_health import catalogue_lines, column_health  # noqa: E402
from portal_history import history_problems, read_history  # noqa: E402
from portal_holdback import held_back_notices  # noqa: E402
from portal_links import SitePages, all_link_problems, page_url  # noqa: E402
from portal_model import today  # noqa: E402
from portal_output import folder_problems  # noqa: E402
from portal_rules import body_problems  # noqa: E402
from portal_problems import Problem  # noqa: E402
from portal_settings import load_settings  # noqa: E402
from portal_site import PortalSite  # noqa: E402

LEVELS = {"error": "错误", "warning": "警告", "notice": "提示"}


def check(root: Path) -> list[Problem]:
    return inspect(root)[1]


def inspect(root: Path):
    """What `check` reads and finds: (content, problems, settings, the publishing day, content shown as)."""
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
    settings, _ = load_settings(_typed(config.get("extra") or {}))
    content_dir = (root / settings.content_dir).resolve()
    shown_as = content_dir.relative_to(root.resolve()).as_posix() if content_dir.is_relative_to(root.resolve()) else str(content_dir)
    # The build's cache, read-only: what the last build read and checked unchanged is not read again.
    cache = BuildCache.reader(root / settings.cache_dir if settings.cache_dir else None, code_salt(root))
    try:
        return _inspect(root, config, settings, content_dir, shown_as, cache)
    finally:
        cache.close()


def _inspect(root: Path, config: dict, settings, content_dir: Path, shown_as: str, cache: BuildCache):
    content = load_content(content_dir, shown_as, cache)
    problems = list(content.problems)
    outputs = {"site_dir": root / str(config.get("site_dir") or "site"),
               **({"cache_dir": root / settings.cache_dir} if settings.cache_dir else {})}
    problems += folder_problems(root, outputs, {"content_dir": content_dir, "docs_dir": root / str(config.get("docs_dir") or "docs"),
                                                "hooks": root / "hooks", "overrides": root / "overrides"})
    day = today(settings.timezone)
    published = content.published(day)
    problems += body_problems(content.items, shown_as, tuple(settings.embed_hosts), content_dir, cache)
    problems += history_problems(content.items, read_history(content_dir), shown_as, settings.backdate_days)
    problems += held_back_notices(content.items, day, shown_as)
    if not content.catalogue.failed:  # items it could not place are missing: links to them are not broken
        problems += _links(root, config, content, settings, day, shown_as)
    if not content.catalogue.failed:  # a broken catalogue is reported once, by itself
        problems += column_health(content.catalogue, published, day, settings.home_stale_days,
                                  settings.column_stale_days, f"{shown_as}/{CATALOGUE}",
                                  catalogue_lines(content_dir / CATALOGUE), settings.warn_days_ahead)
    return content, sorted(problems, key=lambda p: (p.file, p.line, p.column)), settings, day, shown_as


def _links(root: Path, config: dict, content, settings, day, shown_as: str) -> list[Problem]:
    """The build's link rules (portal_links) on the same pages the build would publish."""
    listings = PortalSite.build(content, settings, day, page_url).listings
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config.get("markdown_extensions") or []]
    pages = SitePages.of(content.items, listings, root / str(config.get("docs_dir") or "docs"),
                         str(config.get("site_url") or ""), [*names, "portal_paragraphs"], day, root / settings.content_dir)
    return all_link_problems(content.items, shown_as, pages)


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
    col = f",col={problem.column}" if problem.column else ""
    return (f"::{kind} file={escape(problem.file)},line={max(problem.line, 1)}{col},title=内容检查::"
            f"{escape(problem.message + ' ' + problem.hint)}")


def record(problem: Problem) -> dict:
    """One problem for `--json`: a stable rule id, where (line, column) and the text as written."""
    return {"file": problem.file, "line": max(problem.line, 1), "column": problem.column, "level": problem.level,
            "rule": problem.rule, "text": problem.text, "message": problem.message, "hint": problem.hint}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查 content/ 中的全部稿件（规则与构建相同，不生成网站）。")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="以 JSON 输出")
    form.add_argument("--github", action="store_true", help="输出 GitHub Actions 注释")
    parser.add_argument("--strict", action="store_true", help="有警告也以状态 1 退出（与 mkdocs build --strict 相同）")
    parser.add_argument("--root", type=Path, default=HOOKS.parent, help="mkdocs.yml 所在的文件夹")
    args = parser.parse_args(argv)
    started = time.monotonic()
    problems = check(args.root)
    errors = sum(p.level == "error" for p in problems)
    warnings = sum(p.level == "warning" for p in problems)
    if args.json:
        print(json.dumps([record(p) for p in problems], ensure_ascii=False, indent=1))
    else:
        for problem in problems:
            print(github(problem) if args.github else f"[{LEVELS[problem.level]}] {problem}")
        print(f"检查完成：错误 {errors} 个，警告 {warnings} 个，提示 {len(problems) - errors - warnings} 个，"
              f"用时 {time.monotonic() - started:.1f} 秒。")
    return 1 if errors or (args.strict and warnings) else 0


if __name__ == "__main__":
    sys.exit(main())
