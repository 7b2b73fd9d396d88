"""The QR image of a page's address, for WeChat readers: a PNG (WeChat's long-press
recognition needs an image; an inline SVG is not recognised).

One small function of the URL alone, so that it is drawn once per URL: kept in memory
across `mkdocs serve` rebuilds, and cacheable by URL wherever the build caches.
"""

from __future__ import annotations

import functools
import io

import segno

SCALE = 4  # pixels a module: a 2 cm image on paper, crisp on phones
BORDER = 2  # quiet-zone modules; the page around it is white in every scheme (portal.css)


@functools.lru_cache(maxsize=65536)
def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=SCALE, border=BORDER, dark="#000", light="#fff")
    return out.getvalue()

