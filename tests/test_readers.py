"""What readers and their tools get besides pages: feeds, sharing metadata, QR codes, robots.txt."""

from __future__ import annotations

import re

import feedparser
import segno

from conftest import REPO, news

import sys
sys.path.insert(0, str(REPO / "hooks"))
from portal_qr import MASK  # noqa: E402


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
    assert feed.entries[0].link == "https://example.org/news/2026/new/"
    assert feed.entries[0].published == "Fri, 01 May 2026 00:00:00 +0800"
    column = feedparser.parse((build.site / "columns/jingyan-jiaoliu/feed.xml").read_bytes())
    assert not column.bozo and [e.title for e in column.entries] == ["最新的稿件"]
    assert '<link rel="alternate" type="application/rss+xml"' in build.page("")


def test_sharing_metadata_qr_code_lang_and_robots(portal):
    build = _portal(portal)
    page = build.page("news/2026/new")
    assert page.startswith("\n<!doctype html>\n<html lang=\"zh-CN\"")
    assert '<link rel="canonical" href="https://example.org/news/2026/new/">' in page
    assert '<meta property="og:title" content="最新的稿件">' in page
    assert '<meta property="og:url" content="https://example.org/news/2026/new/">' in page
    expected = segno.make("https://example.org/news/2026/new/", error="m", mask=MASK, micro=False).svg_inline(
        scale=3, dark="#000", light="#fff", svgclass="portal-qr")
    path = re.search(r'<path[^>]*d="([^"]+)"', expected).group(1)
    assert path in page  # the QR code encodes this page's own address
    assert 'data-url="https://example.org/news/2026/new/"' in page  # printed with the article
    robots = (build.site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots and "Sitemap: https://example.org/sitemap.xml" in robots
