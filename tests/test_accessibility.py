"""axe-core finds no accessibility violation on any page type, light and dark, phone and desktop."""

from __future__ import annotations

import pytest

from conftest import REPO

AXE = REPO / ".cache/npm/node_modules/axe-core/axe.min.js"  # installed by .ci/run (npm axe-core)
PAGES = [
    "",
    "news/",
    "columns/jingyan-jiaoliu/",
    "organisations/xian-zhengxie/",
    "archive/",
    "tags/",
    "news/2026/title-hit/",
    "data/",
    "reviews/2025/review/",
    "sitemap/",
]


@pytest.fixture(scope="module")
def axe():
    if not AXE.is_file():
        pytest.skip("无障碍测试需要 axe-core：npm install --prefix .cache/npm axe-core（CI 中由 .ci/run 安装）")
    return str(AXE)


def _violations(page, axe) -> list[str]:
    page.add_script_tag(path=axe)
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']})")
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['nodes'][0].get('failureSummary', '')[:200]}"
        for v in result["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_no_axe_violations(browser, site, axe, scheme, width):
    build, base = site
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    found = {}
    for url in PAGES:
        page.goto(base + url)
        if problems := _violations(page, axe):
            found[url or "/"] = problems
    # the search page: the panel open with results
    page.goto(base)
    page.keyboard.press("/")
    page.keyboard.type("界别党支部")
    page.wait_for_selector(".md-search-result__item")
    page.wait_for_timeout(500)  # the panel's opening transition
    if problems := _violations(page, axe):
        found["search"] = problems
    page.close()
    assert not found, found


@pytest.mark.parametrize(
    "settings", [{}, {"size": "4", "contrast": "high"}, {"plain": "on", "guide": "on", "cursor": "on"}]
)
def test_no_axe_violations_with_the_reading_panel_open(browser, site, axe, settings):
    build, base = site
    context = browser.new_context(viewport={"width": 375, "height": 900})
    context.add_init_script("".join(f"localStorage.setItem('portal-{k}', '{v}');" for k, v in settings.items()))
    page = context.new_page()
    found = {}
    for url in ("", "news/2026/title-hit/"):
        page.goto(base + url)
        page.get_by_role("button", name="无障碍").click()
        if problems := _violations(page, axe):
            found[url or "/"] = problems
    context.close()
    assert not found, found
