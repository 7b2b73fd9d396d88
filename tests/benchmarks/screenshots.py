"""Screenshots of the demo portal for a person to look at: home, article and review, at
375 and 1280 px, light and dark. Written to a folder outside the repository.

    .venv/bin/python tests/benchmarks/screenshots.py [FOLDER]     # default /tmp/portal-screenshots
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from conftest import CHROMIUM, CHROMIUM_ARGS, build_demo, serve_directory  # noqa: E402

PAGES = {"home": "", "article": "news/2026/xian-dangjian-gongzuo-huibao/", "review": "reviews/2025/haining-zhilianhui/"}


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
            for scheme in ("light", "dark"):
                for width in (375, 1280):
                    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
                    for name, url in PAGES.items():
                        page.goto(base + url)
                        path = target / f"{name}-{width}-{scheme}.png"
                        page.screenshot(path=str(path), full_page=True)
                        print(path)
                    page.close()
            browser.close()


if __name__ == "__main__":
    main()
