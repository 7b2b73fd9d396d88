"""Publishing with GitHub Actions: the guard, the Chinese job summary, size and freshness alerts."""

from __future__ import annotations

import copy
import datetime as dt
import re
import shutil
import subprocess

import pytest
import yaml

from conftest import CATALOGUE, TODAY, hooks_path, news, tool
from portal.cli.publish import PAGES_LIMIT, page_changes, ref_problem, site_url_problem, size_problem
from portal.content.reader import load_content
from portal.rules.health import freshness_alerts


@pytest.mark.parametrize(
    "url",
    [
        "",
        "https://example.org/",
        "http://localhost:8000/",
        "https://www.example.com/x/",
        "https://portal.test/",
        "example.org",
        "ftp://gov.cn/",
    ],
)
def test_placeholder_site_urls_stop_a_publish(url):
    assert site_url_problem(url)


@pytest.mark.parametrize(
    "url", ["https://tongzhan.haining.gov.cn/", "https://org.github.io/portal/", "http://zlh.example-county.cn/"]
)
def test_real_site_urls_pass(url):
    assert site_url_problem(url) == ""


def test_manual_runs_publish_from_main_only():
    assert ref_problem("workflow_dispatch", "refs/heads/feature") and ref_problem("workflow_dispatch", "")
    assert not ref_problem("workflow_dispatch", "refs/heads/main") and not ref_problem("schedule", "refs/heads/main")


def test_size_against_the_pages_limit():
    assert size_problem(PAGES_LIMIT // 2) == ("", "")
    assert size_problem(int(PAGES_LIMIT * 0.85))[0] == "warning" and "85%" in size_problem(int(PAGES_LIMIT * 0.85))[1]
    assert size_problem(PAGES_LIMIT + 1)[0] == "error"


def test_page_changes():
    assert page_changes({"/": "a", "/x/": "b", "/gone/": "c"}, {"/": "a", "/x/": "B", "/new/": "d"}) == {
        "新增": ["/new/"],
        "修改": ["/x/"],
        "删除": ["/gone/"],
    }


def _run(portal, *args, env=None):
    command = tool(portal.root, "publish", *args, "--root", str(portal.root))
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=portal.root,
        env={"PORTAL_TODAY": TODAY, "PATH": "", **hooks_path(portal.root), **(env or {})},
    )


def test_preflight_stops_on_the_fixture_placeholder_and_passes_a_real_address(portal, tmp_path):
    summary = tmp_path / "summary.md"
    done = _run(portal, "preflight", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode == 1
    assert "::error file=mkdocs.yml,line=1,title=发布检查::mkdocs.yml 中的 site_url 还是示例地址" in done.stdout
    assert "第一次发布" in summary.read_text(encoding="utf-8")
    config = portal.root / "mkdocs.yml"
    config.write_text(
        re.sub(r"(?m)^site_url:.*$", "site_url: https://tongzhan.haining.gov.cn/", config.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    assert _run(portal, "preflight", env={"GITHUB_EVENT_NAME": "push", "GITHUB_REF": "refs/heads/main"}).returncode == 0
    done = _run(portal, "preflight", env={"GITHUB_EVENT_NAME": "workflow_dispatch", "GITHUB_REF": "refs/heads/x"})
    assert done.returncode == 1 and "手动发布只能从 main 分支运行" in done.stdout


def test_summary_lists_published_held_back_warnings_pages_and_changes(portal, tmp_path):
    catalogue = copy.deepcopy(CATALOGUE)
    catalogue["columns"][0]["update_every"] = 7  # 工作动态: its newest item (2026-05-20) is 12 days old
    portal.write("catalogue.yml", yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False))
    portal.item("news/2026/old.md", news(title="较早的稿件", date="2026-05-01"))
    portal.item("news/2026/jintian.md", news(title="<b>今天</b>的稿件|表格", date=TODAY, column="经验交流"))
    base = portal.build()
    assert base.returncode == 0, base.output
    shutil.copytree(base.site, tmp_path / "base-site")
    portal.item("news/2026/new.md", news(title="新增的稿件", date="2026-05-20"))
    portal.item("news/2026/later.md", news(title="明天的稿件", date="2026-06-02"))
    build = portal.build()
    assert build.returncode == 0, build.output
    summary = tmp_path / "summary.md"
    done = _run(
        portal,
        "summary",
        "--site",
        str(build.site),
        "--base-site",
        str(tmp_path / "base-site"),
        "--artifact",
        "site-preview",
        env={"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_EVENT_NAME": "pull_request", "PORTAL_STARTED": "0"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## 拉取请求预览：构建成功")
    assert "| 已发布稿件 | 3 篇 |" in text and "| 暂不发布 | 1 篇 |" in text and "`site-preview`" in text
    pages = len(list(build.site.rglob("*.html")))
    assert f"| 页面 | {pages} 个 |" in text and "GitHub Pages 上限 1 GB" in text
    line = next(
        n
        for n, row in enumerate((portal.content / "news/2026/later.md").read_text().splitlines(), 1)
        if row.startswith("date:")
    )
    assert f"| `content/news/2026/later.md:{line}` | 明天的稿件 | 定时发布（2026-06-02） | 无需操作：2026-06-02" in text
    assert "&lt;b&gt;今天&lt;/b&gt;的稿件\\|表格" in text and "<b>" not in text  # editors' text cannot break the table
    assert "### 今天起发布" in text
    assert "栏目“工作动态”已有 12 天没有更新" in text  # a warning with file:line
    assert re.search(r"警告 `content/catalogue\.yml:\d+`", text)
    changes = text[text.index("### 页面变化") :]
    assert "**新增" in changes and "- `/news/2026/new/`" in changes and "- `/news/2026/later/`" not in changes
    assert "**修改" in changes and "- `/`" in changes  # the home page lists the new item
    assert "**删除 0 个**" in changes


def test_summary_after_a_failed_build_still_names_the_held_back_items(portal, tmp_path):
    portal.item("news/2026/unsigned.md", news(title="待签发", signed_off_by=None))
    summary = tmp_path / "summary.md"
    done = _run(portal, "summary", "--site", str(tmp_path / "no-site"), env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text(encoding="utf-8")
    assert done.returncode == 0 and text.startswith("## 网站发布：构建失败，网站没有更新")
    assert "| 待签发 | 未签发 |" in text and "https://portal.test/" in text


def _freshness(portal, newest: str):
    portal.item("news/2026/a.md", news(date=newest))
    portal.item("news/2026/b.md", news(date=newest, column="经验交流"))
    portal.item("news/2026/c.md", news(date=newest, column="2025·我们这样走过"))
    content = load_content(portal.content, "content")
    return freshness_alerts(
        content.catalogue, content.published(dt.date.fromisoformat(TODAY)), dt.date.fromisoformat(TODAY), 14, 90
    )


def test_freshness_alerts_before_the_home_page_veto(portal):
    assert _freshness(portal, "2026-05-25") == []  # 7 days: fine


def test_freshness_alert_ten_days_after_the_last_item(portal):
    alerts = _freshness(portal, "2026-05-22")
    assert alerts == [
        "首页已有 10 天没有新稿件（最近一篇 2026-05-22），再过 4 天达到 14 天不更新的抽查否决线：请尽快发布新稿件。"
    ]


def test_freshness_alerts_columns_and_blank_columns(portal):
    catalogue = yaml.safe_load(yaml.safe_dump(CATALOGUE))
    catalogue["columns"] += [{"name": f"空栏目{n}", "slug": f"empty-{n}"} for n in range(3)]
    portal.write("catalogue.yml", yaml.safe_dump(catalogue, allow_unicode=True))
    portal.item("news/2026/a.md", news(date="2026-05-31"))
    portal.item("news/2026/b.md", news(date="2026-02-25", column="经验交流"))
    portal.item("news/2026/c.md", news(date="2026-05-31", column="2025·我们这样走过"))
    alerts = _run(portal, "freshness")
    assert alerts.returncode == 1
    assert "::error title=更新提醒::有 3 个空白栏目（空栏目0、空栏目1、空栏目2），5 个即为抽查否决项" in alerts.stdout
    assert "栏目“经验交流”已有 96 天没有更新，已经超过本站设定的 90 天期限" in alerts.stdout


def test_a_site_over_the_pages_limit_is_not_published(portal, tmp_path, monkeypatch, capsys):
    import portal.cli.publish as portal_publish

    portal.item("news/2026/a.md", news())
    build = portal.build()
    assert build.returncode == 0, build.output
    size = portal_publish.site_size(build.site)
    monkeypatch.setenv("PORTAL_TODAY", TODAY)
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    args = ["summary", "--root", str(portal.root), "--site", str(build.site)]
    monkeypatch.setattr(portal_publish, "PAGES_LIMIT", int(size / 0.9))  # 90 % of the limit: a warning
    assert portal_publish.main(args, env) == 0
    assert "::warning title=网站大小::" in capsys.readouterr().out and "上限的 90%" in summary.read_text(
        encoding="utf-8"
    )
    monkeypatch.setattr(portal_publish, "PAGES_LIMIT", size - 1)
    summary.unlink()
    assert portal_publish.main(args, env) == 1
    assert "::error title=网站大小::" in capsys.readouterr().out
    assert summary.read_text(encoding="utf-8").startswith("## 网站发布：网站超过大小上限，没有发布")
