"""适老化 reading settings in a real browser: whole-page type size, touch targets, reading aids,
reading aloud, remembered across pages, keyboard operable."""

from __future__ import annotations

import pytest

from conftest import SITE_URL

PAGES = ["", "news/2026/title-hit/", "reviews/2025/review/", "sitemap/", "news/"]


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    yield context
    context.close()


def _root_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def _px(page, selector) -> float:
    return page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)")


def test_the_entrance_opens_the_panel_by_keyboard_and_text_scales_the_whole_page_to_double(context, site):
    build, base = site
    page = context.new_page()
    page.goto(base + "news/2026/title-hit/")
    entrance = page.get_by_role("button", name="无障碍")
    assert entrance.is_visible()
    entrance.focus()
    page.keyboard.press("Enter")
    assert page.locator("#portal-reading").is_visible() and entrance.get_attribute("aria-expanded") == "true"
    before = {
        "root": _root_px(page),
        "date": _px(page, ".portal-meta time"),
        "header": _px(page, ".md-header__title"),
        "footer": _px(page, ".md-copyright"),
        "crumbs": _px(page, ".portal-crumbs"),
    }
    larger = page.get_by_role("button", name="A＋ 放大")
    while larger.get_attribute("aria-disabled") != "true":
        larger.click()
    assert page.evaluate("document.activeElement.textContent") == "A＋ 放大"  # the focus stays
    after = {
        "root": _root_px(page),
        "date": _px(page, ".portal-meta time"),
        "header": _px(page, ".md-header__title"),
        "footer": _px(page, ".md-copyright"),
        "crumbs": _px(page, ".portal-crumbs"),
    }
    for key in before:
        assert after[key] >= 2 * before[key] - 0.5, (key, before[key], after[key])  # dates, header, footer too
    assert page.inner_text(".portal-reading__level") == "字号 200%"
    page.keyboard.press("Escape")
    assert page.locator("#portal-reading").is_hidden()
    # remembered on the next page, before it paints
    page.goto(base)
    assert page.evaluate("document.documentElement.dataset.portalSize") == "4" and _root_px(page) == after["root"]


def _sized_context(browser, width: int, height: int, size: str):
    """A browser context whose reader chose text size `size` earlier ("" = the default)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    if size:
        context.add_init_script(f"localStorage.setItem('portal-size', '{size}')")
    return context


@pytest.mark.parametrize("size", ["", "4"])
def test_no_sideways_scrolling_at_320_px(browser, site, size):
    build, base = site
    context = _sized_context(browser, 320, 640, size)
    page = context.new_page()
    wide = {}
    for url in PAGES:
        page.goto(base + url)
        if (width := page.evaluate("document.documentElement.scrollWidth")) > 320:
            wide[url or "/"] = width
    context.close()
    assert not wide, wide


@pytest.mark.parametrize("size", ["", "4"])
def test_header_and_panel_buttons_are_at_least_44_px(browser, site, size):
    build, base = site
    context = _sized_context(browser, 375, 800, size)
    page = context.new_page()
    page.goto(base + "news/2026/title-hit/")
    page.get_by_role("button", name="无障碍").click()
    small = page.evaluate("""[...document.querySelectorAll('.md-header__button, .portal-reading__button, .portal-tool')]
        .filter((e) => e.offsetParent !== null)
        .map((e) => [e.textContent.trim() || e.getAttribute('for') || e.className, e.getBoundingClientRect()])
        .filter(([, r]) => r.width < 44 || r.height < 44).map(([name, r]) => `${name} ${r.width}x${r.height}`)""")
    context.close()
    assert not small, small


def test_reading_aids_switch_on_are_remembered_and_reset(context, site):
    build, base = site
    page = context.new_page()
    page.goto(base + "news/2026/title-hit/")
    page.get_by_role("button", name="无障碍").click()
    for name in ("大鼠标", "十字线", "纯文本", "高对比度"):
        page.get_by_role("button", name=name).click()
        assert page.get_by_role("button", name=name).get_attribute("aria-pressed") == "true"
    assert "url(" in page.evaluate("getComputedStyle(document.body).cursor")  # the large cursor
    page.mouse.move(100, 300)
    guide = page.locator(".portal-guide--x")
    assert guide.is_visible() and "translateY(300px)" in guide.get_attribute("style")
    page.goto(base + "reviews/2025/review/")
    root = page.evaluate("({...document.documentElement.dataset})")
    assert root == {**root, "portalCursor": "on", "portalGuide": "on", "portalPlain": "on", "portalContrast": "high"}
    assert page.locator(".portal-qr").is_hidden()  # plain text: no pictures
    page.get_by_role("button", name="无障碍").click()
    page.get_by_role("button", name="恢复默认").click()
    assert not any(
        key in page.evaluate("({...document.documentElement.dataset})") for key in ("portalCursor", "portalPlain")
    )
    assert page.evaluate("localStorage.getItem('portal-guide')") is None


def test_reading_aloud_speaks_the_article_in_chinese_with_pause_and_resume(context, site):
    build, base = site
    page = context.new_page()
    # Record what the page hands to the browser's speech synthesis (headless Chromium has no voices).
    page.add_init_script("""
        window.__spoken = [];
        const synth = window.speechSynthesis;
        synth.speak = (u) => { window.__spoken.push({text: u.text, lang: u.lang}); window.__speaking = true; };
        Object.defineProperty(synth, 'speaking', {get: () => !!window.__speaking});
        Object.defineProperty(synth, 'paused', {get: () => !!window.__paused});
        synth.pause = () => { window.__paused = true; };
        synth.resume = () => { window.__paused = false; };
        synth.cancel = () => { window.__speaking = false; window.__paused = false; };
    """)
    page.goto(base + "news/2026/title-hit/")
    page.get_by_role("button", name="无障碍").click()
    speak = page.locator("[data-portal-speak]")
    speak.click()
    spoken = page.evaluate("window.__spoken")
    assert spoken[0] == {"text": "界别党支部建设经验", "lang": "zh-CN"}  # the title first, then the text
    assert speak.inner_text() == "暂停朗读" and page.get_by_role("button", name="停止朗读").is_visible()
    speak.click()
    assert page.evaluate("window.__paused") and speak.inner_text() == "继续朗读"
    speak.click()
    assert not page.evaluate("window.__paused") and speak.inner_text() == "暂停朗读"
    page.get_by_role("button", name="停止朗读").click()
    assert speak.inner_text() == "朗读本页"


def test_copy_link_copies_the_canonical_address(browser, site):
    build, base = site
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.goto(base + "news/2026/title-hit/?h=界别")
    page.get_by_role("button", name="复制链接").click()
    page.wait_for_selector(".portal-share__status:has-text('已复制')")
    assert page.evaluate("navigator.clipboard.readText()") == f"{SITE_URL}news/2026/title-hit/"
    context.close()


def test_without_scripts_no_dead_buttons_are_shown(browser, site):
    build, base = site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "news/2026/title-hit/")
    assert page.locator(".portal-reading__entrance").is_hidden()
    assert page.locator("[data-portal-copy]").is_hidden()
    assert page.locator("#portal-reading").is_hidden()
    context.close()


def test_largest_text_on_a_wide_screen_gives_the_text_the_width(browser, site):
    """Material's breakpoints do not follow the root size: its sidebars would squeeze the text."""
    build, base = site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script("localStorage.setItem('portal-size', '4')")
    page = context.new_page()
    page.goto(base + "news/2026/title-hit/")
    width = page.evaluate("document.querySelector('.portal-article__body').getBoundingClientRect().width")
    context.close()
    assert width > 900, width


def test_the_home_page_search_box_opens_the_search(context, site):
    build, base = site
    page = context.new_page()
    page.goto(base)
    page.click(".portal-home__search")
    page.wait_for_function("document.activeElement && document.activeElement.name === 'q'")
    page.keyboard.type("界别党支部")
    page.wait_for_selector(".md-search-result__meta:has-text('找到 3 篇')")


def test_every_panel_button_can_be_reached_at_the_largest_size_on_a_small_phone(browser, site):
    build, base = site
    context = browser.new_context(viewport={"width": 320, "height": 568})
    context.add_init_script("localStorage.setItem('portal-size', '4')")
    page = context.new_page()
    page.goto(base + "news/2026/title-hit/")
    page.click(".portal-reading__entrance")
    close = page.get_by_role("button", name="关闭")
    close.scroll_into_view_if_needed()
    box = close.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 568
    close.click()
    assert page.locator("#portal-reading").is_hidden()
    context.close()
