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
        # header controls, reading settings, drawer, Material's configuration; an item's column tabs and
        # print and copy buttons too
        assert page.count("portalShell(") == (4 if url.startswith("tags") else 6)
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
