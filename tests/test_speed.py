"""Build speed: what makes builds fast must not change what they produce."""

from __future__ import annotations

import json
import re
import sys

import segno

from conftest import REPO

sys.path.insert(0, str(REPO / "hooks"))

from portal_cache import BuildCache  # noqa: E402
from portal_qr import MASK, QrCodes, qr_svg  # noqa: E402


def test_qr_code_skips_the_mask_search_and_encodes_the_url(monkeypatch):
    def no_search(*args, **kwargs):
        raise AssertionError("the mask search ran")

    monkeypatch.setattr(segno.encoder, "evaluate_mask", no_search)  # scoring the eight masks
    url = "https://example.org/news/2026/a/"
    svg = qr_svg(url)
    code = segno.make(url, error="m", mask=MASK, micro=False)
    assert code.mask == MASK and not code.is_micro  # error level M or higher (segno boosts it when it fits)
    assert svg == code.svg_inline(scale=3, dark="#000", light="#fff", svgclass="portal-qr", title=f"本文网址的二维码：{url}")


def test_qr_codes_are_drawn_once_per_url_and_kept_in_the_build_cache(tmp_path, monkeypatch):
    cache = BuildCache(tmp_path, "salt")
    drawn = []
    monkeypatch.setattr("portal_qr.qr_svg", lambda url: drawn.append(url) or f"<svg>{url}</svg>")
    codes = QrCodes(cache)
    assert codes("https://example.org/a/") == "<svg>https://example.org/a/</svg>"
    cache.save("pages")
    again = QrCodes(BuildCache(tmp_path, "salt"))  # the next build
    assert again("https://example.org/a/") == "<svg>https://example.org/a/</svg>"
    assert again("https://example.org/b/") == "<svg>https://example.org/b/</svg>"
    assert drawn == ["https://example.org/a/", "https://example.org/b/"]


def test_dedent_keeps_whitespace_where_it_shows():
    from portal_compact import dedent

    html = "<div>\n    <p>一\n      二</p>\n\n\n  <pre><code>  缩进\n    保留</code></pre>\n  <p><code>a\n   b</code></p>\n</div>\n"
    assert dedent(html) == "<div>\n<p>一\n二</p>\n<pre><code>  缩进\n    保留</code></pre>\n<p><code>a\n   b</code></p>\n</div>\n"


def test_pages_refer_to_one_icon_sprite_and_keep_their_code_blocks(portal):
    from conftest import news

    portal.item("news/2026/a.md", news(title="代码示例"),
                body="第一段。\n\n```\nline one\n    indented line\n```\n\n## 小标题\n\n第二段。\n")
    build = portal.build()
    assert build.returncode == 0, build.output
    page = build.page("news/2026/a")
    assert "\n    indented line" in page  # the code block as written
    outside = re.sub(r"<(pre|script|style)\b.*?</\1>", "", page, flags=re.S)
    assert not re.search(r"\n[ \t]", outside)  # no indentation left
    assert 'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path' not in page  # no inline theme icon
    sprite = (build.site / "assets/portal-icons.svg").read_text(encoding="utf-8")
    refs = re.findall(r'<use href="([^"#]+)#(i[0-9a-f]{8})"/>', page)
    assert len(refs) >= 5
    for href, key in refs:
        assert href == "../../../assets/portal-icons.svg"
        assert f'<symbol id="{key}" viewBox="0 0 24 24"><path d="' in sprite
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', page).group(1)
    assert json.loads(config)["base"] == "../../.." and "\\u" not in config and "搜索" in build.page("")
    # the cache serves the same compact page and the sprite still holds every icon
    again = portal.build()
    assert again.page("news/2026/a") == page
    assert (again.site / "assets/portal-icons.svg").read_text(encoding="utf-8") == sprite
