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
import struct
import zlib

import segno

MASK = 4  # fixed: segno's default tries all eight masks and scores each (half of a cold build once);
# any of the eight is a valid code every reader decodes, the score only prefers fewer look-alike patterns
SCALE = 4  # pixels a module: a 2 cm image on paper, crisp on phones
BORDER = 2  # quiet-zone modules; the page around it is white in every scheme (portal.css)


@functools.lru_cache(maxsize=65536)
def qr_png(url: str) -> bytes:
    return png(segno.make(url, error="m", mask=MASK, micro=False).matrix)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(matrix) -> bytes:
    """A 1-bit greyscale PNG of the modules (rows of 0 light, 1 dark), SCALE pixels a module within
    a BORDER-module quiet zone: five times faster than segno's writer, which goes pixel by pixel."""
    width = (len(matrix) + 2 * BORDER) * SCALE
    pad, tail = "1" * BORDER * SCALE, "0" * (-width % 8)

    def line(bits: str) -> bytes:  # filter type 0, then the pixels, 1 white and 0 black
        return b"\0" + int(bits + tail, 2).to_bytes((width + 7) // 8, "big")

    blank = [line("1" * width)] * (BORDER * SCALE)
    light, dark = "1" * SCALE, "0" * SCALE
    rows = [line(pad + "".join(dark if module else light for module in row) + pad) for row in matrix]
    pixels = b"".join([*blank, *(row for row in rows for _ in range(SCALE)), *blank])
    header = struct.pack(">IIBBBBB", width, width, 1, 0, 0, 0, 0)  # bit depth 1, greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(pixels, 9))
        + _chunk(b"IEND", b"")
    )


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
