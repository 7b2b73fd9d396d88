"""Workflow rehearsal: each workflow job's steps, in order, in a fresh clone of this repository with
the variables GitHub sets (tests/rehearsal.py). The clone's content is a fixture, committed as a
maintainer would commit it: the rehearsal tests the workflows and the code, not the live content.

The clone is of the committed HEAD (as on GitHub): commit before rehearsing a change.
Run with `-s` to see each step and the time from push to deploy-ready of a content-only change.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
import yaml

from conftest import CATALOGUE, REPO, find_browser, news, write_item
from portal.model import beijing_date
from rehearsal import Rehearsal


def _today() -> dt.date:
    """The publishing day as the workflows' builds see it: Beijing's (from 16:00 UTC a day ahead of the runner's)."""
    return beijing_date(dt.datetime.now(dt.timezone.utc))


SITE_URL = "https://rehearsal-org.github.io/portal/"


def _site_url(root, url: str) -> None:
    config = root / "mkdocs.yml"
    config.write_text(
        re.sub(r"(?m)^site_url:.*$", f"site_url: {url}", config.read_text(encoding="utf-8")), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory) -> Rehearsal:
    """The origin after a maintainer's first commits: fixture content (one published item per column,
    one unsigned, one dated tomorrow) and, at first, the placeholder site_url."""
    rehearsal = Rehearsal(REPO, tmp_path_factory.mktemp("rehearsal"))
    root = rehearsal.origin
    shutil.rmtree(root / "content")
    (root / "content").mkdir()
    (root / "content/catalogue.yml").write_text(
        yaml.safe_dump(CATALOGUE, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    today = _today()
    yesterday, tomorrow = (today - dt.timedelta(days=1)).isoformat(), (today + dt.timedelta(days=1)).isoformat()
    for number, column in enumerate(entry["name"] for entry in CATALOGUE["columns"]):
        write_item(
            root,
            f"news/{today.year}/item-{number}.md",
            news(title=f"已发布稿件{number}", column=column, date=yesterday),
        )
    write_item(root, f"news/{today.year}/unsigned.md", news(title="等待签发的稿件", signed_off_by=None, date=yesterday))
    write_item(root, f"news/{today.year}/tomorrow.md", news(title="明天发布的稿件", date=tomorrow))
    _site_url(root, "https://example.org/")
    rehearsal.placeholder = rehearsal.commit("Fixture content")
    return rehearsal


def _executed(run) -> list[str]:
    return [step.name for step in run.steps if step.status in ("passed", "failed")]


def test_publish_stops_at_the_guard_while_site_url_is_a_placeholder(rehearsal):
    build, deploy, freshness = rehearsal.run("publish.yml", "push", sha=rehearsal.placeholder)
    guard = build.step("Publishing guard")
    assert guard.status == "failed", build.report()
    assert "::error file=mkdocs.yml" in guard.output and "site_url 还是示例地址" in guard.output
    assert build.step("Strict build").status == "skipped"
    assert build.step("Job summary").status == "passed", build.report()  # editors are told, in Chinese
    assert "第一次发布" in build.summary and "构建失败" in build.summary


def test_publish_push_then_content_only_push_with_a_warm_cache(rehearsal):
    _site_url(rehearsal.origin, SITE_URL)
    rehearsal.commit("Set site_url")
    first, deploy, freshness = rehearsal.run("publish.yml", "push")
    assert first.ok and freshness.ok, first.report() + "\n" + freshness.report()
    assert _executed(first) == [
        "Start the clock",
        "Install the build's packages",
        "Publishing guard",
        "Check content",
        "Strict build",
        "Job summary",
        "Mirror to the mainland bucket",
    ], first.report()
    assert (first.workspace / "site/index.html").is_file()
    assert first.step("Restore build cache").note.startswith("cache miss")
    summary = first.summary
    assert summary.startswith("## 网站发布：构建成功") and SITE_URL in summary
    assert "| 已发布稿件 | 3 篇 |" in summary and "| 暂不发布 | 2 篇 |" in summary
    assert re.search(r"`content/news/\d+/unsigned\.md:\d+` \| 等待签发的稿件 \| 未签发 \|", summary), summary
    assert re.search(r"\| 明天发布的稿件 \| 定时发布（\d{4}-\d\d-\d\d） \|", summary), summary
    assert "暂不发布：未签发" in first.step("Check content").output  # the notice, as an annotation
    assert [step.status for step in deploy.steps] == ["skipped"]

    # A content-only push: one new item. The cache saved by the first run is restored.
    year = _today().year
    write_item(rehearsal.origin, f"news/{year}/new-item.md", news(title="新推送的稿件", date=_today().isoformat()))
    rehearsal.commit("Add an item")
    second, _, _ = rehearsal.run("publish.yml", "push")
    assert second.ok, second.report()
    assert second.step("Restore build cache").note.startswith("cache hit")
    assert "| 已发布稿件 | 4 篇 |" in second.summary and "新推送的稿件" in second.summary
    assert (second.workspace / f"site/news/{year}/new-item/index.html").is_file()
    print("\n" + first.report() + "\n" + second.report())
    print(f"content-only push to deploy-ready, warm cache: {second.seconds:.1f} s of steps")
    assert second.seconds < 180


def test_scheduled_run_publishes_dated_items_and_manual_runs_only_from_main(rehearsal):
    scheduled, _, freshness = rehearsal.run("publish.yml", "schedule")
    assert scheduled.ok and freshness.ok, scheduled.report()
    other, _, _ = rehearsal.run("publish.yml", "workflow_dispatch", ref="refs/heads/feature")
    assert [step.status for step in other.steps] == ["skipped"]  # the job's `if:` keeps it off


def test_pull_request_preview_lists_changed_pages_and_held_back_items(rehearsal):
    base = rehearsal.head()
    year = _today().year
    write_item(
        rehearsal.origin,
        f"news/{year}/pr-item.md",
        news(title="拉取请求中的稿件", date="2020-01-02", backdated="转载旧稿，保留原日期"),
    )
    write_item(
        rehearsal.origin,
        f"news/{year}/pr-draft.md",
        news(title="拉取请求中的草稿", draft=True, backdated="转载旧稿，保留原日期"),
    )
    head = rehearsal.commit("A pull request")
    (preview,) = rehearsal.run("pull-request.yml", "pull_request", sha=head, ref="refs/pull/1/merge", base_sha=base)
    assert preview.ok, preview.report()
    assert preview.step("Upload the site for preview").note.startswith("上传构建产物")
    summary = preview.summary
    assert summary.startswith("## 拉取请求预览：构建成功") and "`site-preview`" in summary
    assert f"- `/news/{year}/pr-item/`" in summary and f"/news/{year}/pr-draft/" not in summary.split("### 页面变化")[1]
    assert "| 拉取请求中的草稿 | 草稿 |" in summary
    assert "**删除 0 个**" in summary


def test_tests_workflow_installs_its_tools_and_leaves_the_suite_to_this_run(rehearsal):
    npm = REPO / ".cache/npm"
    if find_browser() is None or not (npm / "node_modules/vnu-jar").is_dir():
        pytest.skip("需要测试工具：先运行 bash .ci/install-test-tools")
    rehearsal.seed_cache(".cache/npm", npm)  # saved by an earlier run of the workflow
    (tests,) = rehearsal.run("tests.yml", "pull_request", ref="refs/pull/1/merge")
    assert tests.ok, tests.report()
    tools = tests.step("Install the test tools")
    assert tools.status == "passed" and "浏览器：" in tools.output and "测试工具已就绪" in tools.output
    assert tests.step("Test").status == "skipped" and "not rerun" in tests.step("Test").note


def test_scheduled_run_warns_before_the_home_page_veto_and_still_publishes(rehearsal):
    old = (_today() - dt.timedelta(days=11)).isoformat()
    shutil.rmtree(rehearsal.origin / "content/news")
    for number, column in enumerate(entry["name"] for entry in CATALOGUE["columns"]):
        write_item(
            rehearsal.origin, f"news/2020/old-{number}.md", news(title=f"旧稿件{number}", column=column, date=old)
        )
    rehearsal.commit("Nothing new for eleven days")
    build, deploy, freshness = rehearsal.run("publish.yml", "schedule")
    assert build.ok, build.report()  # the site is still built and handed to the deploy job
    alert = freshness.step("Home page and columns updated in time")
    assert alert.status == "failed"
    assert (
        f"::error title=更新提醒::首页已有 11 天没有新稿件（最近一篇 {old}），再过 3 天达到 14 天不更新的抽查否决线"
        in alert.output
    )
    assert "## 更新提醒" in freshness.summary
