"""The portal's search in a real browser (Debian's Chromium, driven by Playwright)."""

from __future__ import annotations

import re

import pytest

from conftest import (
    DEMO_CONTENT,
    SITE_URL,
    Portal,
    contain_all,
    item_texts,
    mkdocs_serve,
    news,
    serve_directory,
)
from portal.search import normalise


@pytest.fixture
def page(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    page.close()


def ground_truth(build, query: str) -> set[str]:
    """Site paths of the published items whose title or text contains every word of the query."""
    return contain_all(item_texts(build.site), query)


def engine_search(page, base, query, **options) -> list[str]:
    return page.evaluate(
        """async ([base, query, options]) => {
            const { Engine } = await import(base + "javascripts/portal-search-engine.js");
            const engine = new Engine(new URL("search/", base));
            const found = await engine.search(query, options);
            return Promise.all(found.ids.map(async (id) => new URL((await engine.doc(id)).u, base).pathname));
        }""",
        [base, query, options],
    )


def type_query(page, base, query):
    page.goto(base)
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__meta:has-text('找到'), .md-search-result__meta:has-text('没有找到')")


def test_a_plain_page_view_fetches_no_search_data(page, site):
    build, base = site
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base + "news/2026/title-hit/")
    page.wait_for_load_state("networkidle")
    searchy = [url for url in requests if "search" in url]
    assert searchy == [base + "javascripts/portal-search.js"]
    assert (build.site / "javascripts/portal-search.js").stat().st_size < 4096


@pytest.mark.parametrize(
    "query",
    ["界别党支部", "党支部", "知联会", "新就业群体", "abc", "ＸＹＺ", "界别 党支部", "运转良好", "支", "不存在的词"],
)
def test_every_item_containing_the_query_is_found_and_nothing_else(page, site, query):
    build, base = site
    page.goto(base)
    assert set(engine_search(page, base, query)) == ground_truth(build, query)


def test_whole_phrase_and_title_rank_first_newer_first_on_ties(page, site):
    build, base = site
    page.goto(base)
    ranked = engine_search(page, base, "界别党支部")
    assert ranked[0] == "/news/2026/title-hit/"  # in the title, three times
    assert ranked.index("/news/2026/newer/") < ranked.index("/news/2025/older/")  # a tie: newer first
    both = engine_search(page, base, "界别 党支部")
    assert "/news/2026/apart/" in both  # both words, apart
    assert both.index("/news/2026/apart/") > both.index("/news/2025/older/")  # below every item with the phrase
    by_date = engine_search(page, base, "界别党支部", sort="date")
    assert by_date == ["/news/2026/newer/", "/news/2026/title-hit/", "/news/2025/older/"]


def test_header_search_shows_title_date_organisation_column_and_highlighted_excerpt(page, site):
    build, base = site
    type_query(page, base, "界别党支部")
    assert page.inner_text(".md-search-result__meta") == "找到 3 篇稿件"
    first = page.locator(".md-search-result__item").first
    assert first.locator("h1").inner_html() == "<mark>界别党支部</mark>建设经验"
    assert "2026年3月1日 · 县知联会 · 经验交流" in first.inner_text()  # the site's date format, organisation
    assert first.locator("p mark").count() >= 1
    shown = page.inner_text(".md-search-result")
    assert not re.search("[\u200b-\u200f\ufeff]", shown)


def test_filters_narrow_the_results(page, site):
    build, base = site
    type_query(page, base, "界别党支部")
    page.select_option("select[name=year]", "2025")
    page.wait_for_selector(".md-search-result__meta:has-text('找到 1 篇')")
    page.select_option("select[name=year]", "0")
    page.select_option("select[name=column]", label="经验交流")
    page.wait_for_selector(".md-search-result__meta:has-text('找到 1 篇')")
    assert "界别党支部建设经验" in page.inner_text(".md-search-result__list")


def test_the_year_filter_finds_a_review_under_the_year_it_looks_back_on(page, site):
    build, base = site
    page.goto(base)
    assert engine_search(page, base, "社情民意", year=2025) == ["/reviews/2025/review/"]
    assert engine_search(page, base, "社情民意", year=2026) == ["/reviews/2025/review/"]  # published in 2026
    assert engine_search(page, base, "界别党支部", year=2025) == ["/news/2025/older/"]
    type_query(page, base, "社情民意")
    assert page.locator("select[name=year] option").all_inner_texts() == ["全部", "2026 年", "2025 年"]
    page.select_option("select[name=year]", "2025")
    page.wait_for_selector(".md-search-result__meta:has-text('找到 1 篇')")


def test_the_searched_words_are_highlighted_on_the_target_page(page, site):
    build, base = site
    type_query(page, base, "界别党支部")
    page.locator(".md-search-result__link").first.click()
    page.wait_for_url("**/news/2026/title-hit/?h=*")
    marks = page.locator(".md-content mark")
    assert marks.count() >= 3 and marks.first.inner_text() == "界别党支部"


def test_unpublished_items_are_not_searchable(page, site):
    build, base = site
    page.goto(base)
    assert engine_search(page, base, "草稿中的") == []
    assert engine_search(page, base, "尚未发布") == []


def test_values_in_results_are_inert(page, site):
    build, base = site
    type_query(page, base, "标题")
    page.wait_for_timeout(300)
    assert "<img src=x" in page.inner_text(".md-search-result__list")  # shown as text
    assert page.locator(".md-search-result__list img").count() == 0
    assert page.evaluate("window.__xss") is None and page.dialogs == []


def test_keyboard_shortcut_and_escape(page, site):
    build, base = site
    page.goto(base)
    page.keyboard.press("s")
    assert page.evaluate("document.activeElement.name") == "q"
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")


def test_search_works_under_mkdocs_serve(browser, tmp_path):
    portal = Portal(tmp_path)
    portal.item("news/2026/a.md", news(title="预览中的稿件"), body="预览时也能搜索到界别党支部。\n")
    with mkdocs_serve(portal.root) as base:
        page = browser.new_page()
        page.goto(base)
        assert engine_search(page, base, "界别党支部") == ["/news/2026/a/"]
        page.close()


@pytest.mark.parametrize("source", ["demo", "corpus"])
def test_recall_and_ranking_on_the_demo_content_and_a_generated_corpus(browser, tmp_path, source):
    import shutil

    from benchmarks.corpus import generate

    portal = Portal(tmp_path)
    shutil.rmtree(portal.content)
    if source == "demo":
        shutil.copytree(DEMO_CONTENT, portal.content)
    else:
        generate(portal.content, 1000)
    build = portal.build(today="2026-11-22")
    assert build.returncode == 0, build.output
    texts = item_texts(build.site)
    queries = [
        "知联会",
        "社情民意",
        "界别党支部",
        "新就业群体",
        "民主监督",
        "政协委员",
        "同心",
        "乡村振兴",
        "委员之家",
        "提案办理",
        "知联会 社情民意",
        "政协委员 提案",
        "党建引领",
        "统一战线",
    ]
    with serve_directory(build.site) as base:
        page = browser.new_page()
        page.goto(base)
        for query in queries:
            words = normalise(query).split(" ")
            truth = contain_all(texts, query)
            found = engine_search(page, base, query) if len(truth) < 400 else None
            if found is None:  # many results: compare counts and a sample instead of fetching every item
                ids = page.evaluate(
                    """async ([base, q]) => {
                    const { Engine } = await import(base + "javascripts/portal-search-engine.js");
                    return (await new Engine(new URL("search/", base)).search(q)).ids.length; }""",
                    [base, query],
                )
                assert ids == len(truth), query
                continue
            assert set(found) == truth, query
            phrase = "".join(words)
            flags = [phrase in texts[url] for url in found]
            assert flags == sorted(flags, reverse=True), query  # whole-query items first
        page.close()


def test_reading_settings_enlarge_type_and_raise_contrast_and_are_remembered(page, site):
    build, base = site
    page.goto(base + "news/2026/title-hit/")
    size = lambda: page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")  # noqa: E731
    normal = size()
    page.click(".portal-reading__entrance")
    page.click("[data-portal-size='+1']")
    page.click("[data-portal-size='+1']")
    assert size() > normal * 1.2
    page.click("button[data-portal-toggle=contrast]")
    assert page.get_attribute("button[data-portal-toggle=contrast]", "aria-pressed") == "true"
    assert page.evaluate("getComputedStyle(document.body).getPropertyValue('--md-default-fg-color').trim()") == "#000"
    page.goto(base + "news/")  # another page: remembered
    assert page.evaluate("document.documentElement.dataset.portalSize") == "2"
    assert page.evaluate("document.documentElement.dataset.portalContrast") == "high"
    page.click(".portal-reading__entrance")
    page.click("[data-portal-size='-1']")
    page.click("[data-portal-size='-1']")
    assert page.evaluate("document.documentElement.dataset.portalSize") is None


def test_articles_print_without_navigation_with_editorial_block_and_url(page, site):
    build, base = site
    page.goto(base + "news/2026/title-hit/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-footer', '.portal-share', '.md-search',
        '.portal-crumbs', '.portal-related', '.portal-reading']
        .map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)""")
    assert hidden and set(hidden) == {"none"}
    assert page.is_visible(".portal-editorial") and page.is_visible("time")
    printed_url = page.evaluate("getComputedStyle(document.querySelector('.portal-article'), '::after').content")
    assert f"{SITE_URL}news/2026/title-hit/" in printed_url


def test_browsers_without_decompression_streams_inflate_what_python_deflates(browser, site):
    """Item and shard files are deflated (portal.search.pack). Browsers without DecompressionStream
    (before Safari 16.4, Chrome 80) inflate them with fflate, vendored: the engine's inflate must give
    back exactly what zlib wrote, for stored, fixed-code and dynamic-code blocks, with and without the
    browser's own; and a search there finds what it finds with the browser's own."""
    import base64
    import random
    import zlib

    build, base = site
    rng = random.Random(7)
    text = "，".join(rng.choice(["界别", "党支部", "委员", "协商建言", "社情民意"]) for _ in range(3000))
    samples = [
        b"",
        b"a",
        text.encode("utf-16-le"),
        bytes(rng.randrange(256) for _ in range(70_000)),  # incompressible: stored blocks
        b"ab" * 40_000,  # long matches at distance 2
        (build.site / "search/docs.bin").read_bytes(),
    ]
    cases = [(data, zlib.compress(data, level)) for data in samples for level in (0, 1, 6, 9)]
    fixed = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_FIXED)  # fixed codes only
    cases.append((text.encode("utf-8"), fixed.compress(text.encode("utf-8")) + fixed.flush()))
    inflate = """async ([base, cases]) => {
        const { inflate } = await import(base + "javascripts/portal-search-engine.js");
        const b64 = (bytes) => btoa(Array.from(bytes, (c) => String.fromCharCode(c)).join(""));
        const raw = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
        return Promise.all(cases.map(async (packed) => b64(await inflate(raw(packed)))));
    }"""
    packed = [base64.b64encode(packed).decode() for _, packed in cases]
    page = browser.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(base)
    assert [base64.b64decode(out) for out in page.evaluate(inflate, [base, packed])] == [data for data, _ in cases]
    with_stream = engine_search(page, base, "界别党支部")
    assert fetched and not any("fflate" in url for url in fetched)  # only browsers without the stream load it
    page.close()
    page = browser.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.add_init_script("delete window.DecompressionStream")
    page.goto(base)
    assert page.evaluate("typeof DecompressionStream") == "undefined"
    assert [base64.b64decode(out) for out in page.evaluate(inflate, [base, packed])] == [data for data, _ in cases]
    assert any(url.endswith("javascripts/vendor/fflate.js") for url in fetched)
    assert engine_search(page, base, "界别党支部") == with_stream and len(with_stream) >= 3
    assert set(with_stream) == ground_truth(build, "界别党支部")
    page.close()
