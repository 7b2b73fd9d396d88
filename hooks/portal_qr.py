"""An article's address as a QR code, drawn at build time as inline SVG (WeChat readers scan it).

A QR code depends on the URL only, so it is drawn once per URL and kept in the build
cache. The mask is fixed: segno's default tries all eight masks and scores each (most
of the encoding time, half of a cold build before this module); any of the eight is a
valid QR code that every reader app decodes, the score only prefers fewer look-alike
patterns, which a short URL at error level M does not need.
"""

from __future__ import annotations

import segno
from markupsafe import Markup

MASK = 4  # fixed: no mask search (see above)


def qr_svg(url: str) -> str:
    """The SVG element of `url`'s QR code (error level M), with its Chinese title."""
    code = segno.make(url, error="m", mask=MASK, micro=False)
    return code.svg_inline(scale=3, dark="#000", light="#fff", svgclass="portal-qr", title=f"本文网址的二维码：{url}")


class QrCodes:
    """QR codes by URL, from the build cache (kind "qr") when an earlier build drew them."""

    def __init__(self, cache=None):
        self.cache = cache

    def __call__(self, url: str) -> Markup:
        svg = self.cache.get("qr", url) if self.cache else None
        if svg is None:
            svg = qr_svg(url)
            if self.cache:
                self.cache.put("qr", url, svg)
        return Markup(svg)
