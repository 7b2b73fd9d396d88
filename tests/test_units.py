"""The plain functions under the hooks, called directly."""

from __future__ import annotations

from decimal import Decimal

from portal.content.reader import url_key
from portal.content.validate import first_paragraph
from portal.model import Metric
from portal.site.listings import paginate, tag_slug


def test_first_paragraph_skips_headings_and_strips_markup_but_keeps_escaped_marks():
    body = "## 小标题\n\n知联会召开会长会\\*次，**重点**学习[条例](x.md)。\n\n第二段。"
    assert first_paragraph(body) == "知联会召开会长会*次，重点学习条例。"


def test_first_paragraph_reads_reference_style_links_as_their_text_and_skips_their_definitions():
    body = "![会议现场][p]\n\n[p]: photo.png\n[q]: <tong zhi.pdf>\n\n见[通知][q]和[原文](x.md)，![图][p]完。\n"
    assert first_paragraph(body) == "见通知和原文，完。"
    assert first_paragraph("见 [a] 和 [b] 两项。\n") == "见 [a] 和 [b] 两项。"


def test_first_paragraph_is_cut_to_summary_length():
    summary = first_paragraph("字" * 300)
    assert len(summary) == 120 and summary.endswith("…")


def test_url_key_folds_index_files_and_case():
    assert url_key("news/2026/A.md") == url_key("news/2026/a/index.md") == "news/2026/a"


def test_tag_slug_keeps_chinese_and_drops_punctuation():
    assert tag_slug("社情民意") == "社情民意"
    assert tag_slug("<b>知联会</b>") == "b-知联会-b"
    assert tag_slug("！？").startswith("t") and tag_slug("！？") != tag_slug("？！")


def test_paginate_cuts_pages_and_links_them():
    pages = paginate("news", "最新发布", list(range(45)), 20, lambda uri: uri.replace(".md", "/"))
    assert [len(p.items) for p in pages] == [20, 20, 5]
    assert [p.src_uri for p in pages] == ["news/index.md", "news/page/2.md", "news/page/3.md"]
    assert pages[0].previous is None and pages[0].next.url == "news/page/2/"
    assert pages[2].previous.url == "news/page/2/" and pages[2].next is None
    assert pages[1].title == "最新发布（第 2 页）" and pages[0].total == 45


def test_paginate_empty_listing_has_one_page():
    pages = paginate("columns/x", "栏目", [], 20, str)
    assert len(pages) == 1 and pages[0].items == []


def test_metric_display_value_has_no_trailing_zeros():
    metric = Metric(label="a", value=Decimal("46"), unit="篇", group="g")
    assert metric.display_value == "46"
    assert Metric(label="a", value=Decimal("97.90"), unit="％", group="g").display_value == "97.9"
    assert Metric(label="a", value=Decimal("1200"), unit="名", group="g", approx=True).approx_mark == "余"
