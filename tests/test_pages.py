"""The pages a reader sees, built from fixture content."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from conftest import REVIEW_BODY, news, review


def _site_with_items(portal):
    portal.item("news/2026/lishihui.md", news(tags=["知联会", "理事会"]))
    portal.item(
        "news/2025/zhengxie.md",
        news(title="县政协开展界别协商", date="2025-11-20", column="经验交流", organisation="县政协", tags=["政协"]),
    )
    portal.item("reviews/2025/zhilianhui.md", review(), body=REVIEW_BODY)
    return portal.build()


def test_published_item_appears_in_lists_archive_column_organisation_and_tags(portal):
    build = _site_with_items(portal)
    assert build.returncode == 0, build.output
    url = "/news/2026/lishihui/"
    for listing in (
        "news",
        "archive/2026",
        "columns/gongzuo-dongtai",
        "organisations/xian-zhilianhui",
        "tags/知联会",
        "tags/理事会",
    ):
        assert url in build.links(listing), f"{url} missing from {listing}"
    # ... and not in lists it does not belong to
    for listing in ("archive/2025", "columns/jingyan-jiaoliu", "organisations/xian-zhengxie", "tags/政协"):
        assert url not in build.links(listing), f"{url} wrongly in {listing}"
    assert "news/2026/lishihui/" in (build.site / "sitemap.xml").read_text(encoding="utf-8")


def test_index_pages_count_items(portal):
    build = _site_with_items(portal)
    archive = build.page("archive")
    assert re.search(r"2026 年</a>\s*<span class=\"portal-count\">2 篇", archive)
    assert re.search(r"2025 年</a>\s*<span class=\"portal-count\">1 篇", archive)
    columns = build.page("columns")
    assert re.search(r"经验交流</a>\s*<span class=\"portal-count\">1 篇", columns)
    assert "县政协" in build.page("organisations") and "理事会" in build.page("tags")


def test_article_page_shows_date_organisation_column_tags_body_and_editorial_block(portal):
    build = _site_with_items(portal)
    page = build.page("news/2026/lishihui")
    assert "<h1>县知联会召开理事会</h1>" in page
    assert '<time datetime="2026-03-02">2026年3月2日</time>' in page
    assert re.search(r'单位：<a href="[^"]*">县知联会</a>', page) and re.search(
        r'栏目：<a href="[^"]*">工作动态</a>', page
    )
    links = build.links("news/2026/lishihui")
    assert {"/organisations/xian-zhilianhui/", "/columns/gongzuo-dongtai/", "/tags/理事会/", "/tags/知联会/"} <= links
    assert "第一段正文" in page and "<h2 id=" in page
    editorial = page[page.index('class="portal-editorial"') :]
    labels = re.findall(r"<dt>(.+?)</dt><dd>(.+?)</dd>", editorial)
    assert labels == [("来源", "县知联会"), ("编辑", "编辑甲"), ("责编", "责编乙"), ("签发", "签发丙")]
    assert page.index("第二段正文") < page.index('class="portal-editorial"')
    assert '<meta name="description" content="第一段正文，介绍这项工作的基本情况。">' in page


def test_review_page_shows_figure_cards_grouped_by_section_above_body(portal):
    build = _site_with_items(portal)
    page = build.page("reviews/2025/zhilianhui")
    cards = page[page.index('class="portal-figures"') : page.index('class="portal-article__body"')]
    groups = re.findall(r'<h3 class="portal-figures__group">(.+?)</h3>', cards)
    assert groups == ["参政议政", "社会服务"]
    text = re.sub(r"<[^>]+>", " ", cards)
    text = " ".join(text.split())
    assert "社情民意信息 46 篇" in text and "个人提案 25 件" in text
    assert "服务群众 540 余 人次" in text
    assert text.index("个人提案") < text.index("服务群众")  # grouped: 参政议政 first


def test_home_is_a_portal_headline_special_column_with_figures_and_column_blocks(portal):
    build = _site_with_items(portal)
    home = build.page("")
    assert '<h1 class="portal-home__title">统一战线宣传门户</h1>' in home  # the site's name, not 首页
    news_section = home[home.index('id="home-news"') : home.index('id="home-reviews"')]
    assert news_section.index("县知联会召开理事会") < news_section.index("县政协开展界别协商")  # newest first
    assert 'class="portal-headline"' in news_section  # 头条: the newest news item without a featured one
    feature = home[home.index('id="home-reviews"') : home.index('id="home-columns"')]
    assert "2025·我们这样走过" in feature and "县知联会2025年工作回顾" in feature  # the special column as a banner
    assert re.search(
        r'portal-figure__value">46</span><span class="portal-figure__unit">篇</span></span>\s*'
        r'<span class="portal-feature__label">社情民意信息</span>',
        feature,
    )  # its headline figure only
    assert "个人提案" not in feature
    columns = home[home.index('id="home-columns"') :]
    for slug in ("gongzuo-dongtai", "jingyan-jiaoliu", "2025-review"):
        assert f'href="columns/{slug}/"' in columns
    blocks = re.findall(r'<section class="portal-block".*?</section>', columns, re.S)
    assert len(blocks) == 3 and "县政协开展界别协商" in blocks[1] and "2025年11月20日" in blocks[1]
    assert 'for="__search"' in home  # search in reach


def test_news_list_paginates(portal):
    portal.config(portal={"content_dir": "content", "per_page": 2, "home_news": 8, "home_reviews": 3})
    for day in range(1, 12):
        portal.item(f"news/2026/item-{day}.md", news(title=f"第{day}条消息", date=f"2026-02-{day:02d}"))
    build = portal.build()
    assert build.returncode == 0, build.output
    first, second, third = build.page("news"), build.page("news/page/2"), build.page("news/page/3")
    assert first.index("第11条消息") < first.index("第10条消息") and "第9条消息" not in first
    # later pages list titles, three times per_page of them
    assert "第9条消息" in second and "第4条消息" in second and "第3条消息" not in second
    assert "第1条消息" in third and not (build.site / "news/page/4").exists()
    assert 'href="page/2/" rel="next"' in first and "/news/page/3/" in build.links("news/page/2")
    assert 'href="../../" rel="prev"' in second
    assert '<span aria-current="page">2</span>' in second


def test_footer_identity_prints_filled_fields_and_links_the_filings(portal):
    portal.config(
        identity={
            "host": "某县委统战部",
            "organiser": "",
            "contact": "0000-0000000",
            "icp": "浙ICP备00000000号",
            "psb": "浙公网安备33000000000000号",
            "site_code": "",
        }
    )
    portal.item("news/2026/a.md", news())
    build = portal.build()
    assert build.returncode == 0, build.output
    for page in (build.page(""), build.page("news/2026/a")):
        footer = page[page.index("portal-identity") :]
        assert "主办单位：某县委统战部" in footer and "联系方式：0000-0000000" in footer
        assert '<a href="https://beian.miit.gov.cn/" rel="noopener" target="_blank">浙ICP备00000000号</a>' in footer
        assert "https://beian.mps.gov.cn/#/query/webSearch?code=33000000000000" in footer
        assert "承办单位" not in footer and "网站标识码" not in footer


class _Requests(HTMLParser):
    """Every URL a browser would fetch while loading the page."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") not in ("canonical", "alternate"):
            self.urls.append(attrs["href"])


def test_no_page_requests_another_host(portal):
    build = _site_with_items(portal)
    for name, html in build.html_files().items():
        parser = _Requests()
        parser.feed(html)
        foreign = [url for url in parser.urls if re.match(r"^(https?:)?//", url)]
        assert not foreign, f"{name} loads {foreign}"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    css = "".join(p.read_text(encoding="utf-8") for p in build.site.rglob("*.css"))
    assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//", css)


def _png(color=(200, 30, 30), size=(1200, 800)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()


def _jpeg_with_gps() -> bytes:
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (30.0, 31.0, 0.0), 0x1D: "2026:01:30"}
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (30, 90, 160)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_cover_and_inline_images_are_published_with_their_item_only(portal):
    portal.write("news/2026/cover.jpg", _jpeg_with_gps())
    portal.write("news/2026/photo.png", PNG)
    portal.write("news/2026/draft-photo.png", PNG)
    portal.item("news/2026/a.md", news(cover="cover.jpg"), body="正文。\n\n![会议现场](photo.png)\n")
    portal.item("news/2026/b.md", news(draft=True), body="草稿。\n\n![未发布](draft-photo.png)\n")
    build = portal.build()
    assert build.returncode == 0, build.output
    page = build.page("news/2026/a")
    assert re.search(
        r'<picture><source type="image/webp" srcset="\.\./cover-480\.webp 480w, \.\./cover-960\.webp 960w, '
        r'\.\./cover-1200\.webp 1200w"',
        page,
    ), page
    assert re.search(
        r'<img src="\.\./photo-960\.png"[^>]* width="960" height="640" alt="会议现场" loading="lazy"', page
    )
    assert (build.site / "news/2026/cover-480.webp").is_file() and (build.site / "news/2026/photo-1200.png").is_file()
    for published in (build.site / "news/2026").glob("cover*"):
        assert b"Exif" not in published.read_bytes() and b"2026:01:30" not in published.read_bytes(), published.name
    assert not (build.site / "news/2026/draft-photo.png").exists()


def test_missing_cover_is_reported_on_its_line(portal):
    portal.item("news/2026/a.md", news(cover="nowhere.png"))
    build = portal.build()
    assert build.returncode != 0
    assert "content/news/2026/a.md:12: 字段 cover（封面图）指向的文件“nowhere.png”不存在" in build.output, build.output


def test_only_the_latest_news_repeats_summaries_other_lists_give_three_times_as_many_titles(portal):
    portal.config(portal={"per_page": 4})
    for n in range(1, 14):
        portal.item(f"news/2026/n{n:02d}.md", news(title=f"第{n}篇稿件", date=f"2026-03-{n:02d}", summary=f"摘要{n}。"))
    build = portal.build()
    assert build.returncode == 0, build.output
    news_page = build.page("news")
    assert news_page.count('class="portal-entry"') == 4 and "摘要13。" in news_page
    # its later pages list titles: 12 a page (13 = 4 + 9: two pages)
    later = build.page("news/page/2")
    titles = later[later.index('<ol class="portal-titles">') : later.index("</ol>", later.index("portal-titles"))]
    assert titles.count("<li>") == 9 and "摘要" not in later and "第9篇稿件" in titles and "第1篇稿件" in titles
    assert not (build.site / "news/page/3").exists()
    for listing in ("columns/gongzuo-dongtai", "archive/2026", "organisations/xian-zhilianhui", "tags/知联会"):
        page = build.page(listing)
        titles = page[page.index('<ol class="portal-titles">') : page.index("</ol>", page.index("portal-titles"))]
        assert titles.count("<li>") == 12, listing  # 3 × per_page
        assert '<a href="../../news/2026/n13/">第13篇稿件</a>' in titles.replace("../../../", "../../"), listing
        assert '<time datetime="2026-03-13">2026年3月13日</time>' in titles
        assert "摘要" not in page and 'class="portal-entry"' not in page, listing
        assert (build.site / listing / "page/2/index.html").is_file() and not (build.site / listing / "page/3").exists()
