"""What readers and their tools get besides pages: feeds, sharing metadata, QR codes, robots.txt."""

from __future__ import annotations

import base64
import io
import re

import feedparser
import segno
from PIL import Image

from conftest import SITE_URL, news
from portal.site.qr import MASK


def qr_modules(path) -> list[list[int]]:
    """The dark (1) and light (0) modules of a QR image drawn 4 pixels a module with a 2-module border."""
    image = Image.open(path).convert("L")
    size = image.width // 4 - 4
    return [[int(image.getpixel(((c + 2) * 4 + 2, (r + 2) * 4 + 2)) < 128) for c in range(size)] for r in range(size)]


def _portal(portal):
    portal.item("news/2026/new.md", news(title="最新的稿件", date="2026-05-01", column="经验交流"))
    portal.item("news/2026/old.md", news(title="较早的稿件", date="2026-01-02"))
    portal.item("news/2026/draft.md", news(title="草稿稿件", draft=True))
    build = portal.build()
    assert build.returncode == 0, build.output
    return build


def test_rss_feeds_for_the_portal_and_each_column_newest_first_published_only(portal):
    build = _portal(portal)
    feed = feedparser.parse((build.site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == ["最新的稿件", "较早的稿件"]
    assert feed.entries[0].link == f"{SITE_URL}news/2026/new/"
    assert feed.entries[0].published == "Fri, 01 May 2026 00:00:00 +0800"
    column = feedparser.parse((build.site / "columns/jingyan-jiaoliu/feed.xml").read_bytes())
    assert not column.bozo and [e.title for e in column.entries] == ["最新的稿件"]
    assert '<link rel="alternate feed" type="application/rss+xml"' in build.page("")


def test_sharing_metadata_qr_code_lang_and_robots(portal):
    build = _portal(portal)
    page = build.page("news/2026/new")
    assert page.startswith('\n<!doctype html>\n<html lang="zh-CN"')
    assert f'<link rel="canonical" href="{SITE_URL}news/2026/new/">' in page
    assert '<meta property="og:title" content="最新的稿件">' in page
    assert f'<meta property="og:url" content="{SITE_URL}news/2026/new/">' in page
    # A PNG image (WeChat's long-press recognition needs one) whose modules are this page's own address.
    # In the page as a data: URI: no file per item to host and mirror, no second request.
    src = re.search(r'<img class="portal-qr" src="([^"]+)"[^>]*alt="本文网址的二维码"', page).group(1)
    assert src.startswith("data:image/png;base64,") and not (build.site / "qr").exists()
    png = io.BytesIO(base64.b64decode(src.split(",", 1)[1]))
    assert qr_modules(png) == [
        list(row) for row in segno.make(f"{SITE_URL}news/2026/new/", error="m", mask=MASK, micro=False).matrix
    ]
    assert f'data-url="{SITE_URL}news/2026/new/"' in page  # printed with the article
    robots = (build.site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots and f"Sitemap: {SITE_URL}sitemap.xml" in robots
