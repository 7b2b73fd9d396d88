"""Screenshots of the demo portal for a person to look at: home, article, review and site
map at 375 and 1280 px; light, dark and high contrast; default and largest text; the reading
panel open. Also prints
any page that scrolls sideways at 320 px with the largest text. Written outside the repository.

    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.screenshots [FOLDER]     # default /tmp/portal-screenshots
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from conftest import CHROMIUM, CHROMIUM_ARGS, build_demo, serve_directory

HERE = Path(__file__).resolve().parent

PAGES = {
    "home": "",
    "article": "news/2026/xian-dangjian-gongzuo-huibao/",
    "review": "reviews/2025/haining-zhilianhui/",
    "sitemap": "sitemap/",
}
LOOKS = {"light": ("light", {}), "dark": ("dark", {}), "contrast": ("light", {"contrast": "high"})}
SIZES = {"default": {}, "largest": {"size": "4"}}


def settings_script(settings: dict[str, str]) -> str:
    """Reader settings stored before the page loads, as portal-reading.js stores them."""
    return "".join(f"localStorage.setItem('portal-{key}', '{value}');" for key, value in settings.items())


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/portal-screenshots")
    target.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        build = build_demo(Path(tmp))
        if build.returncode:
            raise SystemExit(build.output)
        with serve_directory(build.site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for look, (scheme, look_settings) in LOOKS.items():
                for size, size_settings in SIZES.items():
                    for width in (375, 1280):
                        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                        context.add_init_script(settings_script({**look_settings, **size_settings}))
                        page = context.new_page()
                        for name, url in PAGES.items():
                            page.goto(base + url)
                            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # load lazy pictures
                            page.wait_for_timeout(500)  # Material's tabs fade in
                            page.evaluate("window.scrollTo(0, 0)")
                            page.wait_for_timeout(300)  # the header's title slides back
                            path = target / f"{name}-{width}-{look}-{size}.png"
                            page.screenshot(path=str(path), full_page=True)
                            print(path)
                        context.close()
            for width in (375, 1280):  # the reading panel open
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(base + PAGES["article"])
                page.click(".portal-reading__entrance")
                path = target / f"panel-{width}.png"
                page.screenshot(path=str(path))
                print(path)
                page.close()
            context = browser.new_context(viewport={"width": 320, "height": 640})
            context.add_init_script(settings_script(SIZES["largest"]))
            page = context.new_page()
            for name, url in PAGES.items():
                page.goto(base + url)
                wide = page.evaluate("document.documentElement.scrollWidth")
                if wide > 320:
                    print(f"{name}: scrolls sideways at 320 px with the largest text ({wide} px wide)")
            context.close()
            browser.close()


if __name__ == "__main__":
    main()
