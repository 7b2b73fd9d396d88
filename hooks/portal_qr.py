"""An article's address as a QR code, drawn at build time as inline SVG (WeChat readers scan it).

A QR code depends on the URL only, so it is drawn once per URL and kept in the build
cache. The mask is fixed: segno's default tries all eight masks and scores each (most
of the encoding time, half of a cold build before this module); any of the eight is a
valid QR code that every reader app decodes, the score only prefers fewer look-alike
patterns, which a short URL at error level M does not need.
"""

from __future__ import annotations

import re
from html import escape

import segno
from markupsafe import Markup

MASK = 4  # fixed: no mask search (see above)
SCALE = 3  # pixels per module
BORDER = 4  # the quiet zone the standard asks for, in modules
DARK_RUN = re.compile(rb"\x01+")


def qr_path(matrix) -> str:
    """SVG path data drawing the dark modules as one-module-high horizontal strokes, row by row,
    each move relative to the end of the previous stroke (as segno writes it, several times faster)."""
    parts, x, y = [], 0, 0.0
    for row_number, row in enumerate(matrix):
        row_y = row_number + BORDER + 0.5
        for run in DARK_RUN.finditer(bytes(row)):
            start, end = run.start() + BORDER, run.end() + BORDER
            dy = row_y - y
            parts.append(f"{'m' if parts else 'M'}{start - x} {int(dy) if dy == int(dy) else dy}h{end - start}")
            x, y = end, row_y
    return "".join(parts)


def qr_svg(url: str) -> str:
    """The SVG element of `url`'s QR code (error level M or higher), with its Chinese title."""
    code = segno.make(url, error="m", mask=MASK, micro=False)
    size = len(code.matrix) + 2 * BORDER
    return (f'<svg width="{size * SCALE}" height="{size * SCALE}" class="portal-qr"><title>{escape(f"本文网址的二维码：{url}", quote=False)}</title>'
            f'<g transform="scale({SCALE})"><path fill="#fff" d="M0 0h{size}v{size}h-{size}z"/>'
            f'<path class="qrline" stroke="#000" d="{qr_path(code.matrix)}"/></g></svg>')


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
