"""`check`: every rule of the build, without building the site — for editors and CI.

    .venv/bin/python -m portal check            # problems in Chinese, file:line, hint
    .venv/bin/python -m portal check --json     # for tools
    .venv/bin/python -m portal check --github   # annotations on a pull request's files

    .venv/bin/python -m portal check --strict   # warnings fail too, as `mkdocs build --strict`

Exit status 1 when there is an error (a build would stop), or with --strict a warning
(`mkdocs build --strict` stops on them); 0 otherwise. Notices are printed too.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]  # mkdocs.yml's folder: hooks/portal/cli/ is three below

from portal.cache import BuildCache, code_salt  # noqa: E402
from portal.config import ConfigProblems, link_extensions, load_build_config  # noqa: E402
from portal.content.history import history_problems, read_history  # noqa: E402
from portal.content.holdback import held_back_notices  # noqa: E402
from portal.content.reader import CATALOGUE, load_content  # noqa: E402
from portal.engines.mkdocs import load_config  # noqa: E402 (mkdocs.yml is MkDocs' file)
from portal.identity import identity_problems  # noqa: E402
from portal.model import today  # noqa: E402
from portal.problems import Problem  # noqa: E402
from portal.rules.body import body_problems  # noqa: E402
from portal.rules.health import catalogue_lines, column_health  # noqa: E402
from portal.rules.links import SitePages, all_link_problems, page_url  # noqa: E402
from portal.settings import SettingsError, line_of, load_settings  # noqa: E402
from portal.site.output import folder_problems  # noqa: E402
from portal.site.published import PortalSite  # noqa: E402

LEVELS = {"error": "错误", "warning": "警告", "notice": "提示"}


def check(root: Path) -> list[Problem]:
    return inspect(root)[1]


def inspect(root: Path):
    """What `check` reads and finds: (content, problems, settings, the publishing day, content shown as).
    mkdocs.yml is read as `mkdocs build` reads it (portal.config); raises ConfigProblems when the
    build would stop on it."""
    config, warnings = load_build_config(root, load_config)
    try:
        settings, identity = load_settings(config.extra)
    except SettingsError as error:
        line = line_of((root / "mkdocs.yml").read_text(encoding="utf-8-sig", errors="replace"), error.path)
        raise ConfigProblems(
            [Problem("mkdocs.yml", line, str(error), "对照 README 的说明修改 mkdocs.yml 中的这一项。")]
        ) from None
    problems = [
        Problem(
            "mkdocs.yml",
            0,
            "extra.identity（网站标识与联系方式）" + message,
            "在 mkdocs.yml 的 extra.identity 中补充或改正；没有它们 mkdocs build 会停止。",
        )
        for message in identity_problems(dict(identity), Path(config.docs_dir), production=True)
    ] + warnings
    content_dir = (root / settings.content_dir).resolve()
    shown_as = (
        content_dir.relative_to(root.resolve()).as_posix()
        if content_dir.is_relative_to(root.resolve())
        else str(content_dir)
    )
    # The build's cache, read-only: what the last build read and checked unchanged is not read again.
    cache = BuildCache.reader(root / settings.cache_dir if settings.cache_dir else None, code_salt(root))
    try:
        return _inspect(root, config, settings, content_dir, shown_as, cache, problems)
    finally:
        cache.close()


def _inspect(root: Path, config, settings, content_dir: Path, shown_as: str, cache: BuildCache, problems: list):
    content = load_content(content_dir, shown_as, cache)
    problems += content.problems
    outputs = {
        "site_dir": Path(config.site_dir),
        **({"cache_dir": root / settings.cache_dir} if settings.cache_dir else {}),
    }
    problems += folder_problems(
        root,
        outputs,
        {
            "content_dir": content_dir,
            "docs_dir": Path(config.docs_dir),
            "hooks": root / "hooks",
            "overrides": root / "overrides",
        },
    )
    day = today(settings.timezone)
    published = content.published(day)
    problems += body_problems(content.items, shown_as, tuple(settings.embed_hosts), content_dir, cache)
    problems += history_problems(content.items, read_history(content_dir), shown_as, settings.backdate_days)
    problems += held_back_notices(content.items, day, shown_as)
    if not content.catalogue.failed:  # items it could not place are missing: links to them are not broken
        problems += _links(config, content, settings, day, shown_as, content_dir)
    if not content.catalogue.failed:  # a broken catalogue is reported once, by itself
        problems += column_health(
            content.catalogue,
            published,
            day,
            settings.home_stale_days,
            settings.column_stale_days,
            f"{shown_as}/{CATALOGUE}",
            catalogue_lines(content.catalogue),
            settings.warn_days_ahead,
            empty_level=settings.empty_columns,
        )
    return content, sorted(problems, key=lambda p: (p.file, p.line, p.column)), settings, day, shown_as


def _links(config, content, settings, day, shown_as: str, content_dir: Path) -> list[Problem]:
    """The build's link and anchor rules (portal.rules.links) on the same pages, with the same Markdown
    extensions, as the build (portal.site.build.PortalBuild._check_links)."""
    listings = PortalSite.build(content, settings, day, page_url).listings
    pages = SitePages.of(
        content.items, listings, Path(config.docs_dir), config.site_url or "", link_extensions(config), day, content_dir
    )
    return all_link_problems(content.items, shown_as, pages)


def unexpected(error: BaseException, root: Path) -> str:
    """An error no rule foresaw, in Chinese, naming the file being read when it happened."""
    where = ""
    trace = error.__traceback__
    while trace is not None:  # the innermost frame that names a file (portal code calls it `file`)
        found = trace.tb_frame.f_locals.get("file")
        if isinstance(found, str) and found:
            where = found
        trace = trace.tb_next
    named = f"读取 {where} 时" if where else f"检查 {root / 'mkdocs.yml'} 和内容文件夹时"
    return (
        f"[错误] {named}遇到了检查规则没有预料到的问题（{type(error).__name__}: {error}）。"
        "修改建议：先核对这个文件最近的改动；仍无法解决时把这条消息发给维护人员。"
    )


def github(problem: Problem) -> str:
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    kind = {"error": "error", "warning": "warning"}.get(problem.level, "notice")
    col = f",col={problem.column}" if problem.column else ""
    return (
        f"::{kind} file={escape(problem.file)},line={max(problem.line, 1)}{col},title=内容检查::"
        f"{escape(problem.message + ' ' + problem.hint)}"
    )


def record(problem: Problem) -> dict:
    """One problem for `--json`: a stable rule id, where (line, column) and the text as written."""
    return {
        "file": problem.file,
        "line": max(problem.line, 1),
        "column": problem.column,
        "level": problem.level,
        "rule": problem.rule,
        "text": problem.text,
        "message": problem.message,
        "hint": problem.hint,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查 content/ 中的全部稿件（规则与构建相同，不生成网站）。")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="以 JSON 输出")
    form.add_argument("--github", action="store_true", help="输出 GitHub Actions 注释")
    parser.add_argument("--strict", action="store_true", help="有警告也以状态 1 退出（与 mkdocs build --strict 相同）")
    parser.add_argument("--root", type=Path, default=ROOT, help="mkdocs.yml 所在的文件夹")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        problems = check(args.root)
    except ConfigProblems as stopped:
        for problem in stopped.problems:
            print(github(problem) if args.github else f"[{LEVELS[problem.level]}] {problem}")
        return 1
    except Exception as error:  # never a traceback: a Chinese message naming the file
        print(unexpected(error, args.root))
        return 1
    errors = sum(p.level == "error" for p in problems)
    warnings = sum(p.level == "warning" for p in problems)
    if args.json:
        print(json.dumps([record(p) for p in problems], ensure_ascii=False, indent=1))
    else:
        for problem in problems:
            print(github(problem) if args.github else f"[{LEVELS[problem.level]}] {problem}")
        print(
            f"检查完成：错误 {errors} 个，警告 {warnings} 个，提示 {len(problems) - errors - warnings} 个，"
            f"用时 {time.monotonic() - started:.1f} 秒。"
        )
    return 1 if errors or (args.strict and warnings) else 0


if __name__ == "__main__":
    sys.exit(main())
