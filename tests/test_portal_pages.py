"""The way between items, the portal home page, the site map and the site's identity."""

from __future__ import annotations

import datetime as dt
import io
import re

from PIL import Image

from conftest import REVIEW_BODY, news, review
from portal.model import Entry, Item
from portal.site.pages import NEIGHBOURS, item_ways, related_items

WORK = Entry(name="工作动态", slug="work")
TALK = Entry(name="经验交流", slug="talk")
ZLH = Entry(name="县知联会", slug="zlh")
ZX = Entry(name="县政协", slug="zx")


def _item(name: str, day: int, column=WORK, organisation=ZLH, tags=()) -> Item:
    return Item(
        path=f"news/{name}.md",
        kind="news",
        title=name,
        date=dt.date(2026, 1, day),
        column=column,
        organisation=organisation,
        editor="甲",
        responsible_editor="乙",
        body="",
        body_line=1,
        key_lines={},
        tags=tuple(tags),
        url=f"news/{name}/",
    )


def test_related_items_share_tags_first_then_the_organisation_never_the_item_itself():
    a = _item("a", 9, tags=["协商", "界别"], organisation=ZX)
    both = _item("both", 1, tags=["协商", "界别"], organisation=ZLH)  # two shared tags, far in date
    one = _item("one", 8, tags=["协商"], organisation=ZLH)
    same_org = _item("org", 7, organisation=ZX)
    unrelated = _item("none", 6, organisation=ZLH, tags=["其他"])
    items = [a, one, same_org, unrelated, both]  # newest first
    assert [i.title for i in related_items(items)["news/a.md"]] == ["both", "one", "org"]


def test_related_items_weigh_only_the_nearest_of_a_large_group():
    items = [_item(f"n{day}", day % 28 + 1, tags=["知联会"]) for day in range(200)]
    chosen = related_items(items, limit=50)
    assert len(chosen["news/n0.md"]) == NEIGHBOURS  # only the neighbours after it in its group


def test_previous_and_next_stay_in_the_column_breadcrumb_leads_home():
    newest, middle, oldest = _item("w3", 3), _item("w2", 2), _item("w1", 1)
    other = _item("t1", 2, column=TALK)
    ways = item_ways([newest, other, middle, oldest], lambda entry: f"columns/{entry.slug}/", "", with_qr=True)
    way = ways["news/w2.md"]
    assert (way.previous, way.next) == (newest, oldest)
    assert ways["news/t1.md"].previous is None and ways["news/t1.md"].next is None
    assert [(c.label, c.url) for c in way.crumbs] == [("首页", ""), ("工作动态", "columns/work/"), ("w2", "")]
    assert way.qr == "qr/news/w2.png"
    assert item_ways([middle], lambda e: "", "", with_qr=False)["news/w2.md"].qr == ""
    assert ways["news/w2.md"].related == [other]  # shares the organisation; the neighbours are shown already


def _articles(portal):
    portal.item("news/2026/a.md", news(title="甲稿", date="2026-03-01", tags=["协商"], source="县知联会办公室"))
    portal.item("news/2026/b.md", news(title="乙稿", date="2026-03-02", organisation="县政协", tags=["协商"]))
    portal.item("news/2026/c.md", news(title="丙稿", date="2026-03-03", column="经验交流"))
    portal.item("news/2026/d.md", news(title="丁稿", date="2026-03-04"))


def test_article_breadcrumb_source_beside_date_neighbours_related_and_tools(portal):
    _articles(portal)
    build = portal.build()
    assert build.returncode == 0, build.output
    page = build.page("news/2026/b")
    crumbs = page[page.index('aria-label="当前位置"') : page.index("</nav>", page.index('aria-label="当前位置"'))]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs) == [
        ("../../../", "首页"),
        ("../../../columns/gongzuo-dongtai/", "工作动态"),
    ]
    assert '<span aria-current="page">乙稿</span>' in crumbs
    assert page.index("当前位置") < page.index("<h1>乙稿</h1>")
    meta = page[page.index('class="portal-meta"') : page.index("</p>", page.index('class="portal-meta"'))]
    assert "来源：县知联会" in meta  # at the top, beside the date
    neighbours = page[page.index('class="portal-neighbours"') :]
    assert re.search(r'href="../d/" rel="prev"><span>上一篇</span>丁稿', neighbours)
    assert re.search(r'href="../a/" rel="next"><span>下一篇</span>甲稿', neighbours)
    assert "丙稿" not in neighbours[: neighbours.index("</nav>")]  # another column
    assert 'id="portal-related-title"' not in page  # its one related item (甲稿, tag 协商) is its 下一篇 already
    related = build.page("news/2026/a")
    related = related[related.index('id="portal-related-title"') :]
    assert "丙稿" in related and "乙稿" not in related  # same organisation, another column; 乙稿 is its 上一篇
    # its column's tab, though items are not in the navigation: named by the call that puts the tabs
    # in place (kept once for every item page, portal.site.compact; the browser test checks the class)
    assert re.findall(r'portalShell\("s[0-9a-f]{8}","([^"]+)"\)', page) == ["columns/gongzuo-dongtai/"]
    # the print and copy buttons are kept once too, put back inside the share block
    shell = (build.site / "assets/portal-shell.js").read_text(encoding="utf-8")
    assert "data-portal-print" in shell and "data-portal-copy" in shell
    share = page[page.index('<div class="portal-share">') : page.index('class="portal-neighbours"')]
    assert re.search(r'portalShell\("s[0-9a-f]{8}"\)', share)
    assert "javascripts/portal-tools.js" in page


def test_a_cached_article_shows_the_new_neighbour_after_an_item_is_added(portal):
    """Previous and next depend on other items: the whole-page cache must not keep them stale."""
    _articles(portal)
    assert portal.build().returncode == 0
    # The same files (so the same link-check salt); 丙稿 moves into 工作动态 as its newest item.
    portal.item("news/2026/c.md", news(title="丙稿", date="2026-03-05"))
    build = portal.build()
    assert build.returncode == 0, build.output
    assert re.search(r'rel="prev"><span>上一篇</span>丙稿', build.page("news/2026/d"))


def test_featured_item_with_its_cover_is_the_headline_and_the_setting_picks_the_special_column(portal):
    _articles(portal)
    picture = io.BytesIO()
    Image.new("RGB", (640, 360), "#b71c1c").save(picture, "PNG")
    portal.write("news/2025/cover.png", picture.getvalue())
    portal.item("news/2025/top.md", news(title="头条稿件", date="2025-12-01", featured=True, cover="cover.png"))
    portal.item("reviews/2025/r.md", review(), body=REVIEW_BODY)
    portal.config(
        portal={
            "content_dir": "content",
            "per_page": 20,
            "home_news": 8,
            "home_reviews": 3,
            "feature_column": "经验交流",
        }
    )
    build = portal.build()
    assert build.returncode == 0, build.output
    home = build.page("")
    headline = home[
        home.index('class="portal-headline"') : home.index("</article>", home.index('class="portal-headline"'))
    ]
    assert "头条稿件" in headline and 'class="portal-headline__cover"' in headline and "cover" in headline
    latest = home[home.index('class="portal-top__latest"') :]
    assert "头条稿件" not in latest[: latest.index("</ul>")]
    feature = home[home.index('id="home-reviews"') : home.index('id="home-columns"')]
    assert "经验交流" in feature and "丙稿" not in feature and "2025·我们这样走过" not in feature


def test_site_map_lists_columns_organisations_years_and_pages_and_is_linked_everywhere(portal):
    _articles(portal)
    portal.item("news/2025/old.md", news(title="旧稿", date="2025-05-01"))
    build = portal.build()
    assert build.returncode == 0, build.output
    page = build.page("sitemap")
    sections = dict(re.findall(r'<h2 id="map-\d+">(.+?)</h2>(.*?)</section>', page, re.S))
    assert list(sections) == ["栏目", "单位", "年度归档", "专题与服务"]
    assert all(name in sections["栏目"] for name in ("工作动态", "经验交流"))
    assert "2025·我们这样走过" not in sections["栏目"]  # an empty column is not published
    assert "县政协" in sections["单位"] and "2026 年" in sections["年度归档"] and "2025 年" in sections["年度归档"]
    assert "数据开放" in sections["专题与服务"] and "关于我们" in sections["专题与服务"]
    assert "/sitemap/" in build.links("news/2026/a") and "/sitemap/" in build.links("")


def test_identity_logo_favicon_and_official_accounts_from_config(portal):
    _articles(portal)
    (portal.root / "docs/images/own-logo.png").write_bytes((portal.root / "docs/images/favicon.png").read_bytes())
    (portal.root / "docs/images/wx.png").write_bytes((portal.root / "docs/images/favicon.png").read_bytes())
    portal.config(
        identity={
            "host": "某县委统战部",
            "logo": "images/own-logo.png",
            "favicon": "images/own-logo.png",
            "accounts": [{"name": "某县统战<b>", "qr": "images/wx.png", "note": "微信公众号"}],
        }
    )
    build = portal.build()
    assert build.returncode == 0, build.output
    home = build.page("")
    assert '<link rel="icon" href="images/own-logo.png">' in home
    assert re.search(r'class="md-header__button md-logo"[^>]*>\s*<img src="images/own-logo.png" alt=""', home)
    accounts = home[home.index('id="home-accounts"') :]
    assert "政务新媒体" in home and "某县统战&lt;b&gt;" in accounts and "<b>" not in accounts
    assert '<img src="images/wx.png"' in accounts and "微信公众号" in accounts


def test_a_missing_identity_picture_is_a_chinese_error_naming_the_setting(portal):
    _articles(portal)
    portal.config(identity={"logo": "images/none.svg"})
    build = portal.build()
    assert build.returncode != 0
    assert "extra.identity.logo" in build.output and "docs/images/none.svg 不存在" in build.output
    assert "Traceback" not in build.output


def test_listing_pages_show_where_they_are(portal):
    _articles(portal)
    build = portal.build()
    assert build.returncode == 0, build.output
    for url, expected in (
        ("columns/jingyan-jiaoliu", [("../../", "首页"), ("../", "栏目")]),
        ("organisations/xian-zhengxie", [("../../", "首页"), ("../", "单位")]),
        ("archive/2026", [("../../", "首页"), ("../", "年度归档")]),
        ("sitemap", [("../", "首页")]),
    ):
        page = build.page(url)
        crumbs = page[page.index('aria-label="当前位置"') : page.index("</nav>", page.index('aria-label="当前位置"'))]
        assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs) == expected, url


def test_an_account_without_a_name_is_a_chinese_error_showing_how_to_write_it(portal):
    _articles(portal)
    portal.config(identity={"accounts": [{"qr": "images/favicon.png"}]})
    build = portal.build()
    assert build.returncode != 0 and "Traceback" not in build.output
    assert (
        "extra.identity" in build.output
        and "- {name: 某县统战, qr: images/wechat.png, note: 微信公众号}" in build.output
    )
