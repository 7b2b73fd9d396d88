"""Inspection veto rules: placeholders anywhere, empty and stale columns, identity and
feedback, approximate figures as written, backdating."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
from urllib.parse import quote

import yaml
from PIL import Image

from conftest import REVIEW_BODY, TODAY, hooks_path, news, review, run_check, tool


def _png() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(data, "PNG")
    return data.getvalue()


def test_placeholders_in_title_summary_tags_metrics_and_alt_even_when_redacted(portal):
    portal.write("news/2026/photo.png", _png())
    portal.item(
        "news/2026/a.md",
        news(title="XX县政协召开座谈会", summary="会议【待补充】", tags=["TODO"], redacted=True),
        body="第一段，会议共召开\\*次。\n\n![待核实](photo.png)\n",
    )
    metrics = review()["metrics"]
    metrics[1] = dict(metrics[1], note="口径XX")
    portal.item("reviews/2025/r.md", review(metrics=metrics), body=REVIEW_BODY)
    records = [r for r in json.loads(run_check(portal, "--json").stdout) if r["rule"] == "placeholder"]
    found = {(r["file"].rsplit("/", 1)[1], r["line"], r["text"]) for r in records}
    lines = (portal.content / "news/2026/a.md").read_text(encoding="utf-8").split("\n")
    where = {
        text: next(n for n, line in enumerate(lines, 1) if text in line)
        for text in ("XX", "【待补充】", "tags:", "待核实")
    }
    where["TODO"] = where.pop("tags:")  # a tag is reported on the tags key's line
    assert {(line, text) for f, line, text in found if f == "a.md"} == {(line, text) for text, line in where.items()}
    assert any(f == "r.md" and text == "XX" for f, _, text in found)  # a metric's note
    assert all(r["level"] == "error" for r in records)
    assert portal.build().returncode != 0


def test_approximate_figures_are_shown_and_exported_as_the_text_says(portal):
    metrics = [
        {"label": "参与会员", "value": 300, "unit": "人次", "approx": "超过", "group": "a", "headline": True},
        {"label": "服务群众", "value": 540, "unit": "人次", "approx": True, "group": "a"},
        {"label": "活动", "value": 10, "unit": "场", "approx": "多", "group": "a"},
    ]
    body = "全年参与会员超过300人次，服务群众540余人次，开展活动10多场。\n"
    portal.item("reviews/2025/r.md", review(metrics=metrics), body=body)
    build = portal.build()
    assert build.returncode == 0, build.output
    page = build.page("reviews/2025/r")
    assert re.search(
        r'<span class="portal-figure__approx">超过</span><span class="portal-figure__value">300</span>', page
    )
    assert re.search(
        r'<span class="portal-figure__value">540</span><span class="portal-figure__approx">余</span>', page
    )
    assert re.search(r'<span class="portal-figure__value">10</span><span class="portal-figure__approx">多</span>', page)
    assert "300余" not in page
    data = json.loads((build.site / "data/metrics.json").read_text(encoding="utf-8"))
    assert {r["label"]: r["approx"] for r in data["records"]} == {"参与会员": "超过", "服务群众": "余", "活动": "多"}
    csv_text = (build.site / "data/metrics.csv").read_text(encoding="utf-8-sig")
    assert ",超过," in csv_text and ",余," in csv_text
    board = build.page("columns/2025-review")
    assert "超过300" in re.sub(r"<[^>]+>", "", board)
    # The figure check verifies the word: `true` (余) where the text says 超过 is a warning.
    metrics[0]["approx"] = True
    portal.item("reviews/2025/r.md", review(metrics=metrics), body=body)
    failed = portal.build()
    assert (
        failed.returncode != 0
        and "正文用的是“超过”，写作“超过300人次”" in failed.output
        and "approx: 超过" in failed.output
    )


def test_an_empty_column_is_not_published_and_stops_the_strict_build(portal):
    portal.config(portal={"empty_columns": "warning"})
    portal.item("news/2026/a.md", news(), body="第一段正文。\n")
    portal.item("reviews/2025/r.md", review(), body=REVIEW_BODY)
    failed = portal.build()
    assert failed.returncode != 0
    assert "content/catalogue.yml:5: 栏目“经验交流”没有已发布的稿件（空白栏目" in failed.output
    built = portal.build(strict=False)
    assert built.returncode == 0
    assert not (built.site / "columns/jingyan-jiaoliu").exists()
    pages = built.html_files()
    assert not [name for name, html in pages.items() if "jingyan-jiaoliu" in html]  # no link, no nav entry
    assert "columns/gongzuo-dongtai/" in built.page("")
    assert "columns/jingyan-jiaoliu" not in (built.site / "sitemap.xml").read_text(encoding="utf-8")


def test_column_update_rules_warn_before_and_after_the_period(portal):
    catalogue = yaml.safe_load((portal.content / "catalogue.yml").read_text(encoding="utf-8"))
    catalogue["columns"][0]["update_every"] = 14
    catalogue["columns"][1]["update_every"] = 180
    portal.write("catalogue.yml", yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False))
    portal.item("news/2026/a.md", news(date="2026-05-20"), body="第一段正文。\n")  # 12 days before TODAY
    portal.item("news/2026/b.md", news(date="2025-11-01", column="经验交流"), body="第一段正文。\n")  # 212 days
    records = {r["rule"]: r for r in json.loads(run_check(portal, "--json").stdout)}
    assert "2 天后到期" in records["column.due"]["message"] and records["column.due"]["text"] == "工作动态"
    assert records["column.due"]["level"] == "warning" and "update_every" in records["column.due"]["hint"]
    assert "“经验交流”已有 212 天没有更新" in records["column.stale"]["message"]
    assert "180 天" in records["column.stale"]["hint"]
    assert "首页 12 天没有新稿件，2 天后到期" in records["home.due"]["message"]
    catalogue["columns"][0]["update_every"] = "两周"
    portal.write("catalogue.yml", yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False))
    assert "update_every（更新周期）的值是“两周”，应为正整数天数（1 到 3660）" in run_check(portal).stdout


def test_a_production_build_requires_contact_and_feedback(portal):
    portal.item("news/2026/a.md", news(), body="第一段正文。\n")
    portal.config(identity={"contact": "", "feedback": ""})
    failed = portal.build()
    assert failed.returncode != 0 and "Traceback" not in failed.output
    assert "extra.identity（网站标识与联系方式）需要补充" in failed.output
    assert "没有填写 contact（联系方式" in failed.output and "没有填写 feedback（留言/意见建议渠道" in failed.output
    portal.config(identity={"contact": "0571-00000000", "feedback": "javascript:alert(1)"})
    failed = portal.build()
    assert failed.returncode != 0 and "feedback 的值“javascript:alert(1)”不是可用的链接" in failed.output


def test_every_page_shows_contact_feedback_error_report_badge_and_filings(portal):
    portal.item("news/2026/a.md", news(), body="第一段正文。\n")
    portal.write("../docs/images/dzjg.png", _png())
    portal.config(
        identity={
            "contact": "0571-00000000",
            "feedback": "about.md",
            "site_code": "3304000001",
            "icp": "浙ICP备00000000号",
            "psb": "浙公网安备33000000000000号",
            "conac_id": "0123456789ABCDEF0123456789ABCDEF",
            "conac_image": "images/dzjg.png",
        }
    )
    build = portal.build()
    assert build.returncode == 0, build.output
    pages = build.html_files()
    article = "news/2026/a/index.html"
    home_url = re.search(r'<link rel="canonical" href="([^"]+)"', pages["index.html"]).group(1)
    article_url = re.search(r'<link rel="canonical" href="([^"]+)"', pages[article]).group(1)
    for name in ("index.html", article, "columns/index.html", "copyright/index.html"):
        footer = pages[name][pages[name].index("portal-identity") :]
        assert "联系方式：0571-00000000" in footer
        assert f'class="portal-identity__feedback" href="{home_url}about/">留言与意见建议</a>' in footer
        assert "版权与隐私声明</a>" in footer
        assert '<p class="portal-identity__filings">' in footer and "https://beian.miit.gov.cn/" in footer
        badge = re.search(r'<a class="portal-identity__conac" href="([^"]+)"[^>]*>\s*<img src="([^"]+)"', footer)
        assert badge.group(1) == "https://bszs.conac.cn/sitename?method=show&amp;id=0123456789ABCDEF0123456789ABCDEF"
        assert not badge.group(2).startswith(("http", "//")) and badge.group(2).endswith("images/dzjg.png")
    jiucuo = re.search(r'class="portal-identity__jiucuo" href="([^"]+)"', pages[article]).group(1)
    assert jiucuo == (
        "https://zfwzzc.www.gov.cn/check_web/errorInfo/jcInfoNew?siteCode=3304000001&amp;url="
        + quote(article_url, safe="")
    )
    assert article_url.endswith("/news/2026/a/")
    assert "版权" in pages["copyright/index.html"] and "隐私" in pages["copyright/index.html"]
    assert ".md-copyright.portal-identity" in (build.site / "stylesheets/portal.css").read_text(encoding="utf-8")
    portal.config(identity={"conac_image": "https://dcs.conac.cn/image/red.png"})
    failed = portal.build()
    assert (
        failed.returncode != 0
        and "conac_image“https://dcs.conac.cn/image/red.png”应是 docs/ 中存在的图片文件路径" in failed.output
    )


def _commit(portal, day: str, message: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{day}T10:00:00+08:00",
        "GIT_COMMITTER_DATE": f"{day}T10:00:00+08:00",
        "GIT_AUTHOR_NAME": "编辑",
        "GIT_AUTHOR_EMAIL": "e@example.org",
        "GIT_COMMITTER_NAME": "编辑",
        "GIT_COMMITTER_EMAIL": "e@example.org",
    }
    for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", message]):
        subprocess.run(command, cwd=portal.root, env=env, check=True, capture_output=True)


def _check_with_git(portal, *args):
    command = tool(portal.root, "check", "--root", str(portal.root), *args)
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PORTAL_TODAY": TODAY, "PATH": os.environ["PATH"], **hooks_path(portal.root)},
    )


def test_backdated_items_warn_and_changed_bodies_show_their_update_date(portal):
    body = "第一段正文。\n\n第二段正文。\n"
    portal.item("news/2026/old.md", news(date="2026-01-05"), body=body)
    portal.item("news/2026/a.md", news(date="2026-03-02", title="县政协召开座谈会"), body=body)
    assert "倒签" not in _check_with_git(portal).stdout  # not a repository: skipped silently
    _commit(portal, "2026-03-02", "add")
    portal.item(
        "news/2026/a.md",
        news(date="2026-03-02", title="县政协召开座谈会"),
        body=body.replace("第二段", "修改后的第二段"),
    )
    _commit(portal, "2026-04-10", "body")
    portal.item(
        "news/2026/a.md",
        news(date="2026-03-02", title="县政协召开座谈会", tags=["政协"]),
        body=body.replace("第二段", "修改后的第二段"),
    )
    _commit(portal, "2026-05-01", "front matter only")
    records = [r for r in json.loads(_check_with_git(portal, "--json").stdout) if r["rule"] == "date.backdated"]
    assert [(r["file"], r["text"], r["level"]) for r in records] == [
        ("content/news/2026/old.md", "2026-01-05", "warning")
    ]
    assert "比文件第一次提交（2026-03-02）早 56 天" in records[0]["message"]
    build = portal.build(strict=False)
    assert "疑似倒签日期" in build.output
    page = build.page("news/2026/a")
    assert '更新日期：<time datetime="2026-04-10">2026年4月10日</time>' in page
    assert "更新日期" not in build.page("news/2026/old")
    portal.item("news/2026/old.md", news(date="2026-01-05", backdated="转载原文，保留原发布日期。"), body=body)
    _commit(portal, "2026-05-02", "explained")
    assert "倒签" not in _check_with_git(portal).stdout


def test_an_archive_import_is_not_backdating_but_a_late_item_after_it_is(portal):
    """A commit adding 20 or more items at once (a site moving onto the portal) imports
    history: its old dates are told once, as a notice; an item backdated later still warns."""
    body = "第一段正文。\n"
    for number in range(20):
        portal.item(
            f"news/2019/old-{number:02d}.md",
            news(date=f"2019-0{1 + number % 9}-1{number % 10}", title=f"历史稿件{number}"),
            body=body,
        )
    _commit(portal, "2026-03-02", "import the archive")
    portal.item("news/2026/late.md", news(date="2026-01-05", title="补发的稿件"), body=body)
    _commit(portal, "2026-03-20", "one late item")
    records = json.loads(_check_with_git(portal, "--json").stdout)
    assert [r["file"] for r in records if r["rule"] == "date.backdated"] == ["content/news/2026/late.md"]
    [imported] = [r for r in records if r["rule"] == "date.imported"]
    assert imported["level"] == "notice" and "20 篇稿件" in imported["message"]


def test_an_approx_word_the_text_cannot_have_is_a_clear_error(portal):
    metrics = [{"label": "服务群众", "value": 540, "unit": "人次", "approx": "大约", "group": "a"}]
    portal.item("reviews/2025/r.md", review(metrics=metrics), body="服务群众540余人次。\n")
    failed = portal.build()
    assert failed.returncode != 0 and "Traceback" not in failed.output
    assert "字段 approx（约数）的值是“大约”" in failed.output and "余、多、近、超过" in failed.output
