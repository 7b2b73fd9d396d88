"""The engine boundary: the plan is computed without MkDocs, templates read data only, the
post-processing is plain functions, and a build releases what it held, failed or not."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from urllib.parse import quote, urljoin

import yaml

from conftest import REPO, REVIEW_BODY, SITE_URL, hooks_path, news, review
from portal.site.postprocess import FolderParts


def test_the_plan_is_computed_without_mkdocs_and_holds_each_pages_data(portal):
    portal.item("news/2026/a.md", news(tags=["知联会", "调研"]))
    portal.item("reviews/2025/b.md", review(), body=REVIEW_BODY)
    portal.item(
        "reviews/2024/c.md", review(title="县知联会2024年工作回顾", year=2024, date="2025-01-30"), body=REVIEW_BODY
    )
    script = textwrap.dedent(f"""
        import sys, types, datetime, json
        from portal.content.reader import load_content
        from portal.rules.links import page_url
        from portal.site.plan import SitePlan, plain
        settings = types.SimpleNamespace(per_page=20, home_news=8, home_reviews=3, feature_column="", embed_hosts=[])
        url_for = lambda uri: page_url(uri) if uri.endswith(".md") else uri
        content = load_content(__import__("pathlib").Path({str(portal.content)!r}))
        plan = SitePlan.build(content, settings, datetime.date(2026, 6, 1), url_for, {SITE_URL!r}, "门户", "", "1234")
        item = plan.pages["news/2026/a.md"]
        print(json.dumps({{
            "mkdocs": sorted(m for m in sys.modules if m.split(".")[0] == "mkdocs"),
            "template": item.template,
            "data": plain(plan.page_data("news/2026/a.md", "news/2026/a/"), frozenset({{"body", "item", "way"}})),
            "trends": [len(p.data["charts"]) for p in plan.pages.values() if p.data.get("charts")],
            "export": plan.pages["data/index.md"].data["export_fields"][:1],
            "generated": sorted(plan.generated),
        }}, ensure_ascii=False))
    """)
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=portal.root,
        env={**os.environ, **hooks_path(REPO)},
    )
    assert run.returncode == 0, run.stderr
    found = yaml.safe_load(run.stdout)
    assert found["mkdocs"] == []
    assert found["template"] == "article.html"
    data = found["data"]
    assert data["organisation_url"] == "organisations/xian-zhilianhui/"
    assert data["column_url"] == "columns/gongzuo-dongtai/"
    assert [tag["label"] for tag in data["tags"]] == ["知联会", "调研"] and all(
        tag["url"].startswith("tags/") for tag in data["tags"]
    )
    assert data["active_tab"] == "columns/gongzuo-dongtai/"
    assert data["report_href"].endswith("portal.test%2Fnews%2F2026%2Fa%2F")  # the 找错 link carries the page's address
    assert found["trends"] == [3]  # the organisation page's charts (three figures over two years), drawn by the plan
    assert found["export"] == [["organisation", "单位（组织）"]]
    assert {"data/metrics.csv", "feed.xml", "robots.txt"} <= set(found["generated"])


def test_templates_call_no_python():
    """What a template needs is data in page.meta.portal: no `portal.…` global, no filters the
    build adds, no method calls on values (Zensical's MiniJinja could not run them); calls of
    template macros (`m.date(…)`, `lang.t(…)`) are templates, not Python."""
    texts = {
        path.name: re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        for path in (REPO / "overrides").rglob("*.html")
    }
    macros = {"lang"} | {
        name for text in texts.values() for name in re.findall(r"\{%-?\s*import\s+\S+\s+as\s+(\w+)", text)
    }
    calls = []
    for name, text in texts.items():
        for expression in re.findall(r"\{\{.*?\}\}|\{%.*?%\}", text, flags=re.S):
            expression = re.sub(r"\"[^\"]*\"|'[^']*'", "''", expression)
            calls += [
                f"{name}: {owner}.{method}("
                for owner, method in re.findall(r"(\w+)\.(\w+)\(", expression)
                if owner not in macros
            ]
            calls += [
                f"{name}: {m}"
                for m in re.findall(
                    r"(?<![.\w])portal\.\w+|\|\s*(?:bar_chart|error_report_url|conac_url)\b", expression
                )
            ]
    assert calls == []


def test_folder_parts_fill_later_pages_of_the_folder_and_column_with_the_first_pages_parts():
    parts = FolderParts()
    assert parts.mode("news/2026/a/", "columns/x/") == "capture"
    first = parts.finish(
        "<head></head><!--portal-reuse:tabs:start--><ul>T</ul><!--portal-reuse:tabs:end-->"
        "<!--portal-reuse:nav:start--><nav>N</nav><!--portal-reuse:nav:end--><main>正文</main>"
        "<!--portal-reuse:config:start--><script>C</script><!--portal-reuse:config:end-->",
        "news/2026/a/",
        "columns/x/",
    )
    assert first == "<head></head><ul>T</ul><nav>N</nav><main>正文</main><script>C</script>"
    assert parts.mode("news/2026/b/", "columns/x/") == "reuse"
    assert parts.mode("news/2026/b/", "columns/y/") == "capture"  # another column: another active tab
    assert parts.mode("reviews/2025/c/", "columns/x/") == "capture" == parts.mode("news/d/", "columns/x/")
    later = parts.finish(
        "<head></head><!--portal-reuse:tabs--><!--portal-reuse:nav--><main>正文 <!--portal-reuse:nav-->"
        "<!--portal-reuse:config--></main><!--portal-reuse:config-->",
        "news/2026/b/",
        "columns/x/",
    )
    # Only the template's slots: the first before the body, the last after it.
    assert later == (
        "<head></head><ul>T</ul><nav>N</nav><main>正文 <!--portal-reuse:nav-->"
        "<!--portal-reuse:config--></main><script>C</script>"
    )


def test_reused_parts_keep_each_item_pages_own_error_report_link(portal):
    """The footer is rendered once per folder only where it holds nothing of the page's own: with a
    网站标识码, each item page's 找错 link carries that page's own address."""
    for n in range(3):
        portal.item(f"news/2026/item-{n}.md", news(title=f"第{n}条", date=f"2026-02-0{n + 1}"), body="正文。\n")
    portal.config(identity={"site_code": "3304000001"})
    build = portal.build()
    assert build.returncode == 0, build.output
    for n in range(3):
        page = build.page(f"news/2026/item-{n}")
        link = re.search(r'class="portal-identity__jiucuo" href="([^"]+)"', page).group(1)
        assert link.endswith("url=" + quote(f"{SITE_URL}news/2026/item-{n}/", safe="")), link
        assert "portal-reuse" not in page


def test_a_review_pages_navigation_leads_to_the_news_listing(portal):
    """Regression: the navigation was reused by depth, so a review page (reviews/2025/x/) got a news
    page's links (news/2026/y/): its 最新发布 led to ../../, i.e. /reviews/, which does not exist."""
    portal.item("news/2026/a.md", news())
    portal.item("reviews/2025/b.md", review(), body=REVIEW_BODY)
    build = portal.build()
    assert build.returncode == 0, build.output
    # The drawer is kept once in the shell script (portal.site.compact), its links written from the site's root.
    script = (build.site / "assets/portal-shell.js").read_text(encoding="utf-8")
    kept = json.loads(re.search(r"P=(\{.*?\});\n", script, re.S).group(1))
    for url in ("news/2026/a/", "reviews/2025/b/"):
        html = build.page(url)
        drawers = [
            kept[k] for k in re.findall(r'portalShell\("(s[0-9a-f]{8})"\)', html) if "md-nav--primary" in kept[k]
        ]
        assert len(drawers) == 1, url
        href = re.search(r'<a href="([^"]*)" class="md-nav__link">\s*<span class="md-ellipsis">\s*最新发布', drawers[0])
        assert href.group(1) == "\0news/", (url, href.group(1))
        # the script puts the site's root in place of \0: its own address, one folder up
        src = re.search(r'<script src="([^"]*portal-shell\.js)"></script>', html).group(1)
        assert urljoin("/" + url, src) == "/assets/portal-shell.js", (url, src)


def test_a_failed_build_releases_the_warning_counter_and_the_cache(portal):
    """A build stopped by an error (in-process, as `mkdocs serve` runs many) must not leave its
    warning counter on MkDocs' logger, nor its SQLite cache open."""
    portal.item("news/2026/a.md", news(title=None))  # no title: an error
    script = textwrap.dedent("""
        import logging, sys
        from mkdocs.config import load_config
        from mkdocs.commands.build import build
        config = load_config("mkdocs.yml")
        config.plugins.on_startup(command="build", dirty=False)
        hooks = sys.modules["portal.engines.mkdocs"]  # the adapter the hook file imports: its build state
        try:
            build(config)
        except Exception as error:
            print("stopped", type(error).__name__)
        held = hooks._build
        cache = held.cache
        config.plugins.on_shutdown()
        counters = [h for h in logging.getLogger("mkdocs").handlers if type(h).__name__ == "_Counter"]
        print("counters", len(counters))
        print("cache open", cache.db is not None)
        print("lock held", held.lock is not None)
    """)
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=portal.root,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"},
    )
    assert "stopped" in run.stdout, run.stdout + run.stderr
    assert "counters 0" in run.stdout
    assert "cache open False" in run.stdout
    assert "lock held False" in run.stdout
    assert not (portal.root / "site.building").exists()


def _items_in_several_folders(portal) -> None:
    """Items of two columns and organisations in one folder, in a year folder and directly in
    news/, and reviews; titles with markup that must stay on their own page."""
    portal.item("news/2026/a.md", news(title="<b>甲</b>稿件", date="2026-02-01"), body="甲。\n\n## 小节\n")
    portal.item(
        "news/2026/b.md",
        news(
            title='乙稿件"><i>',
            date="2026-02-02",
            column="经验交流",
            organisation="县政协",
            source="县政协",
            tags=["政协"],
        ),
        body="乙。\n",
    )
    portal.item("news/2025/c.md", news(title="丙稿件", date="2025-02-02", column="经验交流"), body="丙。\n")
    portal.item("news/d.md", news(title="丁稿件", date="2026-02-03"), body="丁。\n")
    # Later pages of the same folder and column: their parts come from a or b's.
    portal.item("news/2026/e.md", news(title="戊稿件", date="2026-02-04"), body="戊。\n")
    portal.item("news/2026/f.md", news(title="己稿件", date="2026-02-05", column="经验交流"), body="己。\n")
    portal.item("reviews/2025/r.md", review(), body=REVIEW_BODY)
    portal.item(
        "reviews/2025/s.md",
        review(title="县政协2025年工作回顾", organisation="县政协", source="县政协"),
        body="全年服务群众540余人次，个人提案25件，社情民意信息46篇。\n",
    )


def test_pages_with_the_reused_navigation_are_the_pages_rendered_alone(portal, tmp_path):
    """Each item page as built (navigation reused within its folder) equals the page rendered with
    its own navigation: no other item's title, highlight or aria-current comes with it."""
    from conftest import Portal

    _items_in_several_folders(portal)
    reused = portal.build()
    assert reused.returncode == 0, reused.output
    (tmp_path / "alone").mkdir()
    alone = Portal(tmp_path / "alone")
    _items_in_several_folders(alone)
    hook = alone.root / "hooks/portal/site/postprocess.py"
    text = hook.read_text(encoding="utf-8")
    rule = 'return "reuse" if (self.folder(url), tab) in self.kept else "capture"'
    assert rule in text
    hook.write_text(text.replace(rule, 'return "alone"'), encoding="utf-8")  # every page renders its own
    own = alone.build()
    assert own.returncode == 0, own.output
    assert "portal-reuse" not in own.page("news/2026/b")
    pages, own_pages = reused.html_files(), own.html_files()
    assert pages.keys() == own_pages.keys()
    items = ("news/2026/a", "news/2026/b", "news/2026/e", "news/2026/f", "news/2025/c", "news/d", "reviews/2025/r")
    for url in (*items, "reviews/2025/s"):
        assert pages[url + "/index.html"] == own_pages[url + "/index.html"], url
        assert "portal-reuse" not in pages[url + "/index.html"], url
    assert "乙稿件" not in pages["news/2026/a/index.html"].split('data-md-type="toc"')[0].split("<body", 1)[1]


def test_repeated_builds_in_one_process_recover_from_failures_and_close_a_replaced_cache(portal, tmp_path):
    """As `mkdocs serve` runs them: a build stopped by a strict warning, one stopped by an error in
    an item, and one after mkdocs.yml changed (a new cache: the old one is closed, not leaked);
    each next build works and the last one's site is a clean build's."""
    for n in (1, 2):
        portal.item(f"news/2026/i{n}.md", news(title=f"第{n}条", date=f"2026-02-0{n}"), body=f"第{n}条。\n\n## 小节\n")
    portal.item("news/2026/bad.md", news(title="坏链接", date="2026-02-05"), body="见[缺](missing.md)。\n")
    script = textwrap.dedent("""
        import pathlib, sys
        from mkdocs.config import load_config
        from mkdocs.commands.build import build
        root = pathlib.Path(".")
        config = load_config("mkdocs.yml", strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        hooks = sys.modules["portal.engines.mkdocs"]  # the adapter the hook file imports: its build state

        def run(step):
            try:
                build(load_config("mkdocs.yml", strict=True))
                print(step, "built")
            except BaseException as error:
                print(step, "stopped", type(error).__name__)

        run(1)
        item = root / "content/news/2026/bad.md"
        item.write_text(item.read_text(encoding="utf-8").replace("missing.md", "i1.md"), encoding="utf-8")
        run(2)
        broken = root / "content/news/2026/i2.md"
        text = broken.read_text(encoding="utf-8")
        broken.write_text("---\\ntitle: [\\n---\\n", encoding="utf-8")
        run(3)
        broken.write_text(text.replace("第2条。", "第2条，改过。"), encoding="utf-8")
        first = hooks._build.cache
        config_file = root / "mkdocs.yml"
        config_file.write_text(config_file.read_text(encoding="utf-8") + "\\n# changed\\n", encoding="utf-8")
        run(4)
        print("old cache closed", first.db is None, "new cache", hooks._build.cache is not first)
        config.plugins.on_shutdown()
    """)
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=portal.root,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "PORTAL_TODAY": "2026-06-01"},
    )
    assert "1 stopped Abort" in run.stdout and "2 built" in run.stdout, run.stdout + run.stderr
    assert "3 stopped Abort" in run.stdout and "4 built" in run.stdout, run.stdout + run.stderr
    assert "old cache closed True new cache True" in run.stdout, run.stdout + run.stderr
    assert not (portal.root / "site.building").exists()
    site = {
        p.relative_to(portal.root / "site").as_posix(): p.read_bytes()
        for p in (portal.root / "site").rglob("*")
        if p.is_file()
    }
    assert "第2条，改过。" in site["news/2026/i2/index.html"].decode("utf-8")
    shutil.rmtree(portal.root / "site")
    shutil.rmtree(portal.root / ".cache")
    clean = portal.build()
    assert clean.returncode == 0, clean.output
    fresh = {p.relative_to(clean.site).as_posix(): p.read_bytes() for p in clean.site.rglob("*") if p.is_file()}
    assert {k: v for k, v in fresh.items() if not k.startswith("sitemap")} == {
        k: v for k, v in site.items() if not k.startswith("sitemap")
    }


def test_a_session_whose_site_dir_changes_releases_the_old_folders_lock(portal):
    """Two builds in one process (as `mkdocs serve --clean`) into site/ then public/: the second
    holds public.lock only; another build may use site/ again."""
    portal.item("news/2026/a.md", news())
    script = textwrap.dedent("""
        import pathlib, sys
        from mkdocs.config import load_config
        from mkdocs.commands.build import build
        from portal.site.output import BuildLock
        config = load_config("mkdocs.yml")
        config.plugins.on_startup(command="build", dirty=False)
        build(load_config("mkdocs.yml"))
        print("site locked", BuildLock(pathlib.Path("site").resolve()).acquire() is not None)
        build(load_config("mkdocs.yml", site_dir=str(pathlib.Path("public").resolve())))
        other = BuildLock(pathlib.Path("site").resolve())
        print("site free", other.acquire() is None)
        other.release()
        print("public locked", BuildLock(pathlib.Path("public").resolve()).acquire() is not None)
        config.plugins.on_shutdown()
    """)
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=portal.root,
        env={
            "PATH": "/usr/bin:/bin",
            "NO_MKDOCS_2_WARNING": "1",
            "PORTAL_TODAY": "2026-06-01",
            **hooks_path(portal.root),
        },
    )
    assert "site locked True" in run.stdout, run.stdout + run.stderr
    assert "site free True" in run.stdout and "public locked True" in run.stdout, run.stdout + run.stderr
