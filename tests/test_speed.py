"""Build speed: what makes builds fast must not change what they produce."""

from __future__ import annotations

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
