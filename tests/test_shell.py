"""The page shell every page repeats, kept once (portal.site.compact): the header's script-only
controls and the navigation drawer of pages outside the navigation live in assets/portal-shell.js,
which puts them in place while the page is parsed; without scripts the column tabs stay."""

from __future__ import annotations

import json
import re

from conftest import news

SHELL_PARTS = (
    'id="portal-reading"',
    "data-portal-search",
    'data-md-component="palette"',
    "md-nav--primary",
    "data-portal-copy",
)


def _kept(script: str) -> dict[str, str]:
    """The kept parts in assets/portal-shell.js, by key."""
    return json.loads(re.search(r"P=(\{.*?\});\n", script, re.S).group(1))


def _shell_bytes(page: str) -> int:
    """Bytes of an item page outside its article (the shell every item page repeats)."""
    article = re.search(r'<article class="md-content__inner md-typeset">.*</article>', page, re.S).group(0)
    return len(page.encode()) - len(article.encode())


def test_item_pages_leave_the_script_only_shell_to_one_file(portal):
    portal.item("news/2026/a.md", news(title="第一篇"))
    portal.item("news/2025/b.md", news(title="第二篇", date="2025-05-01"))
    build = portal.build()
    assert build.returncode == 0, build.output
    script = (build.site / "assets/portal-shell.js").read_text(encoding="utf-8")
    kept = _kept(script)
    shell = "".join(kept.values())
    for url in ("news/2026/a", "news/2025/b", "tags/知联会"):
        page = build.page(url)
        for part in SHELL_PARTS if url.startswith("news") else SHELL_PARTS[:-1]:
            assert part not in page, (url, part)
            assert part in shell
        # header controls, reading settings, drawer, back-to-top button, Material's configuration; an item's
        # column tabs and print and copy buttons too
        assert page.count("portalShell(") == (5 if url.startswith("tags") else 7)
        assert 'id="__config"' not in page
        assert '<script src="../../../assets/portal-shell.js"></script>' in page or url.startswith("tags")
    # the whole shell of an item page outside its article, head and footer included, was about 17 KB
    assert _shell_bytes(build.page("news/2026/a")) < 6000  # 4.7 KB on 2026-11-30
    # kept parts address the site from its root, which the script takes from its own address
    assert "../" not in shell and '<use href="\0assets/portal-icons.svg#' in shell
    assert 'href="\0columns/gongzuo-dongtai/"' in shell and 'href="\0news/"' in shell
    assert set(re.findall(r'portalShell\("(s[0-9a-f]{8})"\)', build.page("news/2026/a"))) <= set(kept)
    # one kept part holds the tabs of every item page; the call names the active column
    assert 'portalShell("s' in build.page("news/2026/a") and '","columns/gongzuo-dongtai/")' in build.page(
        "news/2026/a"
    )
    assert "md-tabs__item--active" not in shell and '"base":"\0"' in shell
    # pages in the navigation keep their own drawer (it marks them as the current page)
    assert "md-nav--primary" in build.page("news")
    # a second build from the cache refers to the same parts
    again = portal.build()
    assert again.page("news/2026/a") == build.page("news/2026/a")
    assert (again.site / "assets/portal-shell.js").read_text(encoding="utf-8") == script


def test_the_script_built_shell_works_on_a_phone(browser, site):
    build, base = site
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + "news/2026/title-hit/")
    # the drawer: the menu button opens it, and its links lead to the columns
    page.click('label.md-header__button[for="__drawer"]')
    link = page.locator(".md-nav--primary a.md-nav__link", has_text="经验交流")
    link.wait_for(state="visible")
    link.click()
    page.wait_for_url(base + "columns/jingyan-jiaoliu/")
    # the palette toggle: dark mode, remembered on the next page (Material's restore script ran)
    page.goto(base + "news/2026/title-hit/")
    page.locator('label[title="切换到深色模式"]').click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    page.goto(base + "news/2026/apart/")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    # nothing is left of the placeholders, and no script failed
    assert page.locator("script:not([src])", has_text="portalShell").count() == 0
    assert page.evaluate("document.querySelectorAll('#portal-reading, [data-portal-search]').length") == 2
    active = page.locator(".md-tabs__item--active .md-tabs__link")
    assert (
        active.count() == 1 and active.get_attribute("href") == base + "columns/gongzuo-dongtai/"
    )  # apart is in 工作动态
    assert page.evaluate("JSON.parse(document.getElementById('__config').textContent).base") == base
    assert not errors
    context.close()


def test_without_scripts_the_column_tabs_stay_on_a_phone(browser, site):
    build, base = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "news/")
    assert page.locator(".md-tabs").is_visible()
    assert page.locator(".md-tabs__link", has_text="经验交流").is_visible()
    assert page.locator('label.md-header__button[for="__drawer"]').is_hidden()  # it would open nothing
    # an item page leads on by its breadcrumb and the footer's site map
    page.goto(base + "news/2026/title-hit/")
    assert page.locator(".portal-crumbs a", has_text="经验交流").is_visible()
    assert page.locator(".md-footer a", has_text="网站地图").is_visible()
    context.close()


def test_a_page_view_downloads_no_sitemap(browser, site):
    """Material's bundle downloaded sitemap.xml (1.2 MB at 10,000 items) on every page view, taking the
    RSS link for another language's site."""
    build, base = site
    page = browser.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(base + "news/2026/title-hit/")
    page.wait_for_load_state("networkidle")
    assert base + "assets/portal-shell.js" in fetched
    assert not [url for url in fetched if "sitemap" in url], fetched
    assert page.locator('link[type="application/rss+xml"]').get_attribute("rel") == "alternate feed"
    page.close()


def test_a_kept_part_is_compacted_once_per_folder_and_exactly_as_alone():
    """The memo of kept parts (pages of one folder share them) changes no page: each page compacts
    as it would with a fresh Compactor, also where a part links into the page's own folder."""
    from portal.site.compact import Compactor

    def page(url: str, links: list[str]) -> str:
        anchors = "".join(f'<li class="tab"><a href="{link}">栏目</a></li>' for link in links)
        return f"<body>\n  <!--portal-shell--><ul>\n    {anchors}</ul><!--/portal-shell-->\n  <p>{url}</p>\n</body>\n"

    shared = Compactor()
    cases = [
        ("news/2025/a/", ["../../../", "../"]),
        ("news/2025/b/", ["../../../", "../"]),  # same text, same folder: the memo's answer
        ("news/2024/c/", ["../../../", "../"]),  # same text, another folder: other addresses
        ("news/2025/d/", ["./", "../../"]),  # its own folder: never from the memo
        ("news/2025/e/", ["./", "../../"]),
    ]
    calls = []
    for url, links in cases:
        html = page(url, links)
        assert shared.page(html, "../" * url.count("/"), url) == Compactor().page(html, "../" * url.count("/"), url)
        calls.append(re.search(r'portalShell\("(\w+)"', shared.page(html, "../" * url.count("/"), url)).group(1))
    assert calls[0] == calls[1] != calls[2] and calls[3] != calls[4]
    assert len(shared._kept) == 2  # a/b and c: d and e link into their own folders


TOC_BODY = (
    "导语。\n\n## 一、基本情况\n\n正文。\n\n### （一）组织建设\n\n正文。\n\n"
    "### （二）队伍建设\n\n正文。\n\n## 二、下一步打算\n\n正文。\n"
)


def test_an_items_table_of_contents_is_built_by_script_from_its_headings(portal, browser):
    """The table of contents (0.7 KB an item page) is not written into item pages: a script builds it from
    the body's headings before Material's bundle mounts it; without scripts its placeholder stays hidden."""
    from conftest import serve_directory

    portal.item("news/2026/a.md", news(title="目录稿件"), body=TOC_BODY)
    build = portal.build()
    assert build.returncode == 0, build.output
    html = build.page("news/2026/a")
    assert "md-nav__link" not in html and "基本情况</a>" not in html
    assert '<nav class="md-nav md-nav--secondary" aria-label="目录" data-portal-toc hidden></nav>' in html
    with serve_directory(build.site) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "news/2026/a/")
        toc = page.locator('.md-sidebar--secondary nav[aria-label="目录"]')
        assert toc.is_visible() and toc.locator(".md-nav__title").inner_text() == "目录"
        links = toc.locator("a.md-nav__link")
        ids = page.evaluate(
            "[].map.call(document.querySelectorAll('.portal-article__body :is(h2, h3)'), h => '#' + h.id)"
        )
        assert [links.nth(i).get_attribute("href") for i in range(links.count())] == ids
        assert links.all_inner_texts() == ["一、基本情况", "（一）组织建设", "（二）队伍建设", "二、下一步打算"]
        # h3 under their h2, as MkDocs' toc nests them, in a nav named for it
        nested = toc.locator('li > nav.md-nav[aria-label="一、基本情况"] a.md-nav__link')
        assert nested.all_inner_texts() == ["（一）组织建设", "（二）队伍建设"]
        assert toc.locator('ul[data-md-component="toc"]').count() == 1
        # Material's bundle mounted it: a link scrolls to its heading and is marked as the one being read
        links.nth(3).click()
        page.wait_for_function("document.querySelector('a.md-nav__link--active') !== null")
        assert not errors
        context.close()
        context = browser.new_context(viewport={"width": 1400, "height": 900}, java_script_enabled=False)
        page = context.new_page()
        page.goto(base + "news/2026/a/")
        assert page.locator("nav[data-portal-toc]").is_hidden()
        assert page.get_by_role("navigation", name="目录").count() == 0  # no empty landmark
        assert page.locator("h2", has_text="二、下一步打算").is_visible()
        context.close()


def test_lists_of_titles_and_item_furniture_are_written_short(portal):
    """What every item repeats in every list and on its own page carries no wrapper or class that only
    styling needed: the date is a bare <time>, the editorial rows and neighbour links have no class, the
    back-to-top button (shown only by Material's bundle) is kept once."""
    portal.item("news/2026/a.md", news(title="甲稿", date="2026-03-01", tags=["知联会"]))
    portal.item("news/2026/b.md", news(title="乙稿", date="2026-03-02", tags=["知联会"]))
    build = portal.build()
    assert build.returncode == 0, build.output
    item, listing = build.page("news/2026/a"), build.page("tags/知联会")
    for page in (item, listing):
        assert "portal-titles__date" not in page and 'data-md-component="top"' not in page
    assert '乙稿</a> <time datetime="2026-03-02">2026年3月2日</time></li>' in listing
    assert 'class="portal-neighbours__' not in item and 'rel="prev"><span>上一篇</span>乙稿</a>' in item
    assert 'class="portal-editorial__row"' not in item and "<div><dt>签发</dt>" in item
    assert 'class="portal-meta__field"' not in item
    script = (build.site / "assets/portal-shell.js").read_text(encoding="utf-8")
    assert 'data-md-component=\\"top\\"' in script
