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
import operator
import struct
import zlib

from segno import consts, encoder

MASK = 4  # fixed: segno's default tries all eight masks and scores each (half of a cold build once);
# any of the eight is a valid code every reader decodes, the score only prefers fewer look-alike patterns
SCALE = 4  # pixels a module: a 2 cm image on paper, crisp on phones
BORDER = 2  # quiet-zone modules; the page around it is white in every scheme (portal.css)


@functools.lru_cache(maxsize=65536)
def qr_png(url: str) -> bytes:
    return png(qr_matrix(url))


def qr_matrix(url: str) -> list[bytes]:
    """The modules of segno.make(url, error="m", mask=MASK, micro=False), row by row (0 light, 1 dark),
    at less than half its cost. segno's own steps make the final message (segments, version, error level
    boosted where it fits, padding, Reed-Solomon codewords); where its bits go and what the mask and the
    function patterns make of them depends only on version, error level and mask, so instead of placing
    and masking module by module (segno's loops, half of its time) each bit is put in place by a table
    that segno's own placement drew once (_layout)."""
    error = consts.ERROR_LEVEL_M
    segments = encoder.prepare_data(url, None, None)
    version = encoder.find_version(segments, error, eci=False, micro=False)
    error = encoder.boost_error_level(version, error, segments, False)
    buffer = encoder.Buffer()
    for segment in segments:
        encoder.write_segment(buffer, segment, None, encoder.version_range(version), False)
    capacity = consts.SYMBOL_CAPACITY[version][error]
    encoder.write_terminator(buffer, capacity, None, len(buffer))
    encoder.write_padding_bits(buffer, version, len(buffer))
    encoder.write_pad_codewords(buffer, version, capacity, len(buffer))
    bits = encoder.make_final_message(version, error, buffer).getbits()  # one 0/1 byte a bit
    width, blank, place = _layout(version, error, MASK)
    # a module of the data region is its bit XOR the mask, which `blank` holds (every bit 0 there)
    flat = int.from_bytes(blank, "big") ^ int.from_bytes(bytes(place(bits + b"\0")), "big")
    flat_bytes = flat.to_bytes(len(blank), "big")
    return [flat_bytes[at : at + width] for at in range(0, len(flat_bytes), width)]


@functools.lru_cache(maxsize=None)
def _layout(version: int, error: int, mask: int):
    """(width, blank, place) of a QR code symbol: `blank` its modules (row after row, 0/1 bytes) when
    every bit of the message is 0, `place(bits)` the message bit each module shows (the sentinel after
    the message, 0, where it shows none) — drawn by segno's own functions."""
    width = encoder.calc_matrix_size(version)

    def patterns():
        matrix = encoder.make_matrix(width, width)
        encoder.add_finder_patterns(matrix, width, width)
        encoder.add_alignment_patterns(matrix, width, width)
        return matrix

    matrix = patterns()
    size = sum(row.count(0x2) for row in matrix)  # the data region: the message's bits
    encoder.add_codewords(matrix, bytes(size), version)
    _, matrix = encoder.find_and_apply_best_mask(matrix, width, width, mask)
    encoder.add_format_info(matrix, version, error, mask)
    encoder.add_version_info(matrix, version)
    # where each bit goes: segno places them in a matrix of lists, each bit k as the mark -1 - k
    marks = [list(row) for row in patterns()]
    encoder.add_codewords(marks, [-1 - k for k in range(size)], version)
    return width, b"".join(matrix), operator.itemgetter(*(-1 - v if v < 0 else size for row in marks for v in row))


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
