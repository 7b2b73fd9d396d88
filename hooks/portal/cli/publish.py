"""Publishing with GitHub Actions: the guard before a publish build, the Chinese job summary
after it, and the daily freshness alerts.

    python -m portal publish preflight    # stops while site_url is a placeholder; dispatch from main only
    python -m portal publish summary --site site [--base-site DIR] [--artifact NAME]
    python -m portal publish freshness    # fails before the home page or columns reach the veto lines

The summary goes to $GITHUB_STEP_SUMMARY (stdout without it); problems are also printed as
GitHub annotations (`::error` / `::warning`).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[3]  # mkdocs.yml's folder: hooks/portal/cli/ is three below

import yaml  # noqa: E402

from portal.cli.check import inspect  # noqa: E402
from portal.config import ConfigProblems  # noqa: E402
from portal.content.holdback import held_back  # noqa: E402
from portal.rules.health import freshness_alerts  # noqa: E402

PAGES_LIMIT = 1_000_000_000  # GitHub Pages: a published site may be no larger than 1 GB
SIZE_WARNING = 0.8  # warn at 80 % of it
LISTED = 200  # lines per section of the summary (a step summary holds at most 1 MiB)
PLACEHOLDER_HOSTS = {"example.org", "example.com", "example.net", "localhost", "127.0.0.1", "0.0.0.0"}


def site_url_problem(site_url: str) -> str:
    """Why `site_url` cannot be published yet ("" when it can): feeds, QR codes, canonical
    links and the sitemap would point at the wrong host."""
    if not site_url.strip():
        return "mkdocs.yml 没有设置 site_url（网站正式网址）。"
    parts = urlsplit(site_url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return f"mkdocs.yml 中的 site_url“{site_url}”不是完整的网址（应以 https:// 开头）。"
    if host in PLACEHOLDER_HOSTS or "example" in host.split(".") or host.endswith((".invalid", ".test", ".localhost")):
        return f"mkdocs.yml 中的 site_url 还是示例地址“{site_url}”：二维码、RSS、规范链接和网站地图都会指向错误的网站。"
    return ""


def ref_problem(event: str, ref: str) -> str:
    """Manual runs publish only from main."""
    if event == "workflow_dispatch" and ref != "refs/heads/main":
        return f"手动发布只能从 main 分支运行（这次是 {ref or '未知分支'}）。"
    return ""


def _config(root: Path) -> dict:
    return yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}


def annotation(level: str, title: str, message: str, file: str = "", line: int = 0) -> str:
    def escape(text: str, extra: str = "") -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if extra else text

    where = f" file={escape(file, 'p')},line={max(line, 1)}," if file else " "
    return f"::{level}{where}title={escape(title, 'p')}::{escape(message)}"


def preflight(root: Path, env: dict) -> list[str]:
    config = _config(root)
    problems = [
        p
        for p in (
            site_url_problem(str(config.get("site_url") or "")),
            ref_problem(env.get("GITHUB_EVENT_NAME", ""), env.get("GITHUB_REF", "")),
        )
        if p
    ]
    return problems


# --------------------------------------------------------------------------
# the job summary


def md(text: object) -> str:
    """Editors' text in a Markdown table cell: no markup, no broken table."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\`*_[]|#!":
        text = text.replace(char, "\\" + char)
    return text


def _page_urls(site: Path):
    """(address path, file) of every page of a built site."""
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        yield "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel), path


def site_files(site: Path) -> dict[str, str]:
    """Every page of a built site, by its address path, with a digest of its bytes."""
    return {url: hashlib.sha256(path.read_bytes()).hexdigest() for url, path in _page_urls(site)}


def page_changes(base: dict[str, str], head: dict[str, str]) -> dict[str, list[str]]:
    return {
        "新增": sorted(set(head) - set(base)),
        "修改": sorted(url for url in set(head) & set(base) if head[url] != base[url]),
        "删除": sorted(set(base) - set(head)),
    }


def site_size(site: Path) -> int:
    return sum(path.stat().st_size for path in site.rglob("*") if path.is_file())


def size_problem(size: int) -> tuple[str, str]:
    """(level, message) of the site size against GitHub Pages' limit; ("", "") when well under."""
    share = size / PAGES_LIMIT
    if share > 1:
        return (
            "error",
            f"网站大小 {size / 1e6:.0f} MB，超过 GitHub Pages 的 1 GB 上限，无法发布：请压缩或删除大图片和附件。",
        )
    if share >= SIZE_WARNING:
        return (
            "warning",
            f"网站大小 {size / 1e6:.0f} MB，已达 GitHub Pages 1 GB 上限的 {share:.0%}：请及早清理大图片和附件。",
        )
    return "", ""


def _listed(lines: list[str]) -> list[str]:
    return lines[:LISTED] + ([f"- ……另有 {len(lines) - LISTED} 项未列出。"] if len(lines) > LISTED else [])


def summary(
    root: Path, site: Path, env: dict, base_site: Path | None = None, artifact: str = ""
) -> tuple[str, tuple[str, str]]:
    """The Chinese job summary (Markdown) and the size problem, if any (level "error": over the limit)."""
    content, problems, _settings, day, shown_as = inspect(root)
    published = content.published(day)
    held = held_back(content.items, day, shown_as)
    built = site.is_dir() and (site / "index.html").is_file()
    site_url = str(_config(root).get("site_url") or "")
    # Digests only where pages are compared (a pull request's preview); a push only counts them.
    pages = (site_files(site) if base_site is not None else {url: "" for url, _ in _page_urls(site)}) if built else {}
    size = site_size(site) if built else 0
    level, size_message = size_problem(size)
    started = env.get("PORTAL_STARTED", "")
    seconds = f"{time.time() - float(started):.0f} 秒" if started.replace(".", "", 1).isdigit() else "—"
    is_pr = env.get("GITHUB_EVENT_NAME") == "pull_request"
    heading = "拉取请求预览" if is_pr else "网站发布"
    state = "构建成功" if built else "构建失败，网站没有更新"
    if built and level == "error":
        state = "网站超过大小上限，没有发布"
    out = [f"## {heading}：{state}", "", "| 项目 | 结果 |", "|---|---|"]
    if is_pr:
        out.append(f"| 预览 | 在本次运行的“Artifacts”中下载 `{md(artifact or 'site')}`，解压后打开 index.html |")
    else:
        out.append(f"| 网站地址 | {md(site_url) or '（未设置 site_url）'} |")
    warnings = [p for p in problems if p.level in ("error", "warning")]
    out += [
        f"| 已发布稿件 | {len(published)} 篇 |",
        f"| 暂不发布 | {len(held)} 篇 |",
        f"| 错误和警告 | {len(warnings)} 个 |",
        f"| 页面 | {len(pages)} 个 |",
        f"| 网站大小 | {size / 1e6:.1f} MB（GitHub Pages 上限 1 GB 的 {size / PAGES_LIMIT:.1%}） |",
        f"| 用时 | {seconds} |",
        f"| 发布日期 | {day.isoformat()} |",
        "",
    ]
    if size_message:
        out += [f"> **{'错误' if level == 'error' else '警告'}**：{size_message}", ""]
    today_items = [item for item in published if item.date == day]
    if today_items:
        out += ["### 今天起发布", ""]
        out += _listed([f"- {md(item.title)}（`{md(shown_as + '/' + item.path)}`）" for item in today_items])
        out.append("")
    if published:
        out += ["### 最新发布", ""]
        out += [
            f"- {item.date.isoformat()} {md(item.title)}（`{md(shown_as + '/' + item.path)}`）"
            for item in published[:10]
        ]
        out.append("")
    if held:
        out += ["### 暂不发布的稿件", "", "| 文件 | 标题 | 原因 | 怎么办 |", "|---|---|---|---|"]
        out += _listed([f"| `{md(h.file)}:{h.line}` | {md(h.title)} | {md(h.reason)} | {md(h.fix)} |" for h in held])
        out.append("")
    if warnings:
        out += ["### 错误和警告", ""]
        out += _listed(
            [
                f"- {'错误' if p.level == 'error' else '警告'} `{md(p.file)}:{max(p.line, 1)}`：{md(p.message)}"
                + (f" 修改建议：{md(p.hint)}" if p.hint else "")
                for p in warnings
            ]
        )
        out.append("")
    if base_site is not None and built:
        changes = page_changes(site_files(base_site) if base_site.is_dir() else {}, pages)
        out += ["### 页面变化（与目标分支相比）", ""]
        for label, urls in changes.items():
            out.append(f"**{label} {len(urls)} 个**" + ("：" if urls else ""))
            out += _listed([f"- `{md(url)}`" for url in urls])
            out.append("")
    return "\n".join(out) + "\n", (level, size_message)


def _write_summary(text: str, env: dict) -> None:
    target = env.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text)
    else:
        print(text)


def main(argv: list[str] | None = None, env: dict | None = None) -> int:
    env = dict(os.environ) if env is None else env
    parser = argparse.ArgumentParser(description="GitHub Actions 发布：发布前检查、运行摘要、更新提醒。")
    parser.add_argument("command", choices=("preflight", "summary", "freshness"))
    parser.add_argument("--root", type=Path, default=ROOT, help="mkdocs.yml 所在的文件夹")
    parser.add_argument("--site", type=Path, default=None, help="构建出的网站（默认 site/）")
    parser.add_argument("--base-site", type=Path, default=None, help="目标分支构建出的网站，用于列出页面变化")
    parser.add_argument("--artifact", default="", help="拉取请求预览的构建产物名称")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        return _run(args, root, env)
    except ConfigProblems as stopped:  # mkdocs.yml as the build reads it: told, never a traceback
        for problem in stopped.problems:
            print(annotation("error", "网站配置", f"{problem.message} {problem.hint}", "mkdocs.yml"))
        return 1


def _run(args, root: Path, env: dict) -> int:
    if args.command == "preflight":
        problems = preflight(root, env)
        for problem in problems:
            print(annotation("error", "发布检查", problem, "mkdocs.yml" if "site_url" in problem else ""))
        if problems:
            _write_summary(
                "## 网站发布：未开始\n\n"
                + "".join(f"- {md(p)}\n" for p in problems)
                + "\n请按 README“第一次发布”一节修改后重新运行。\n",
                env,
            )
        return 1 if problems else 0
    if args.command == "summary":
        text, (level, message) = summary(root, args.site or root / "site", env, args.base_site, args.artifact)
        if level:
            print(annotation(level, "网站大小", message))
        _write_summary(text, env)
        return 1 if level == "error" else 0
    content, _problems, settings, day, _shown = inspect(root)
    alerts = freshness_alerts(
        content.catalogue, content.published(day), day, settings.home_stale_days, settings.column_stale_days
    )
    for alert in alerts:
        print(annotation("error", "更新提醒", alert))
    _write_summary(
        "## 更新提醒\n\n" + ("".join(f"- {md(a)}\n" for a in alerts) if alerts else "首页和各栏目都在期限内。\n"), env
    )
    return 1 if alerts else 0


if __name__ == "__main__":
    sys.exit(main())
