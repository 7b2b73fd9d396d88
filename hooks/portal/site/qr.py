"""The QR image of a page's address, for WeChat readers: a PNG (WeChat's long-press
recognition needs an image; an inline SVG is not recognised), written into the page as a
data: URI (about 400 bytes; a file per item was 10,000 more files to host and mirror at
10,000 items and a second request for every article view).

One small function of the URL alone, so that it is drawn once per URL: kept in memory
across `mkdocs serve` rebuilds, and cacheable by URL wherever the build caches.
"""

from __future__ import annotations

import base64
import functools
import io

import segno

MASK = 4  # fixed: segno's default tries all eight masks and scores each (half of a cold build once);
# any of the eight is a valid code every reader decodes, the score only prefers fewer look-alike patterns
SCALE = 4  # pixels a module: a 2 cm image on paper, crisp on phones
BORDER = 2  # quiet-zone modules; the page around it is white in every scheme (portal.css)


@functools.lru_cache(maxsize=65536)
def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m", mask=MASK, micro=False).save(
        out, kind="png", scale=SCALE, border=BORDER, dark="#000", light="#fff"
    )
    return out.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


class QrCodes:
    """QR images by URL, from the build cache (kind "qr") when an earlier build drew them:
    a warm build of 10,000 items draws none."""

    def __init__(self, cache=None):
        self.cache = cache

    def __call__(self, url: str) -> bytes:
        data = self.cache.get("qr", url) if self.cache else None
        if data is None:
            data = qr_png(url)
            if self.cache:
                self.cache.put("qr", url, data)
        return data
