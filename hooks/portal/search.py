"""Chinese full-text search: an exact character-n-gram index, sharded, built at build time.

Every published item's title and body are normalised (`normalise`: NFKC, invisible
characters removed, lower case, per code point) and indexed by character: each bigram with the positions
where it occurs, each single character with the items it occurs in. A query
word of n characters is found where bigrams at offsets 0, 2, 4 … n-2 sit at
the right distances, so an item is found exactly when it contains the word —
no word segmentation, at index or query time, can disagree.

Files, under search/ in the site (fetched only when a reader searches):
  meta.json      shard count, item count, columns, organisations, year ranges, reviews by
                 the year they look back on
  docs.bin       per item (newest first): title length, column, organisation, kind
  g/<k>.bin      bigram shard k: the postings (items and positions) of every bigram hashed to it
  u/<k>.bin      character shard k: the items of every single character hashed to it
  t/<k>.bin      items k*2 and k*2+1: URL, title, date, column, organisation, text as written (for excerpts)
The g/, u/ and t/ files are deflated (zlib, `pack`): the client inflates them (DecompressionStream, or
its own inflate where a browser has none).
The client is docs/javascripts/portal-search*.js; both sides share `normalise`
(table: tests/data/search_normalisation.json), the FNV-1a hash over UTF-16 code units and the varint encoding.
"""

from __future__ import annotations

import gc
import hashlib
import html
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zlib
from dataclasses import dataclass
from typing import Callable

import markdown

from portal.forked import fork_map

# 2: result texts t/ in UTF-16 (two bytes a Chinese character instead of three), two a file;
# 3: a bigram's count of positions in an item left out when it is one (the gap's lowest bit);
# 4: item and shard files deflated (pack).
VERSION = 4
# An item's result text (t/ID.bin: its address, title, date, column, organisation and body, as JSON) in
# UTF-16: a Chinese character takes two bytes there, three in UTF-8 (the texts were 40 % of the index).
TEXT_ENCODING = "utf-16-le"
# Result texts of consecutive ids share a file (t/K.bin: a JSON list): ids are newest first, as results
# are, so a page of results mostly reads few files; half the files to host, a few KB more a query.
TEXTS_PER_FILE = 2
# Item and shard files are deflated: the site's size is counted in bytes on disk (GitHub Pages' 1 GB), and
# GitHub Pages compresses only text types in transit, not .bin. At 1,000 items: result texts 2.35 -> 1.32 MB,
# bigram shards 3.02 -> 2.29 MB, character shards 0.40 -> 0.08 MB (issue 16: a site of 10,000 items in 200 MB).
# zlib's fastest level: on the 10,000-item benchmark site's files (2026-11-30) level 6 made the bigram shards 1.2 %,
# the character shards 17 % and the result texts 1.7 % smaller (35.5 MB in all against 36.0 MB) for 0.25 against 0.14
# ms a bigram shard; an edit rewrites about a thousand shards, every build at 10,000 items writes 9,000 files.
PACK_LEVEL = 1
# Average shard size aimed at, before deflating (about 6 KB after for bigrams): at 10,000 items half the
# shard files of 4 KB (3,584 instead of 7,168), and a query fetched at most 229 KB instead of 208 (target 300).
SHARD_BYTES = 8_000
MAX_SHARDS = 16_384
# Search text normalisation, defined once here and once in docs/javascripts/portal-search.js
# (`fold`, `normalise`), with a shared table of cases: tests/data/search_normalisation.json.
# Text is folded one code point at a time, so that the page's highlighter, which must map every
# folded character back to the text as written, folds exactly as the index and the query do:
#   NFKC (full- and half-width forms, compatibility characters) -> invisible characters removed
#   -> lower case; then runs of white space become one space, and the ends are trimmed.
# (Per code point, a combining sequence such as e + U+0301 is not composed: CJK text has none.)
ZERO_WIDTH = re.compile(  # characters that do not show: soft hyphen, grapheme joiner, Mongolian selectors,
    # zero-width space and joiners, direction marks, embeddings and isolates, word joiner, invisible
    # operators, variation selectors, byte-order mark, tag characters, supplementary variation selectors
    "[\u00ad\u034f\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufe00-\ufe0f"
    "\ufeff\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
# White space by both Python's and JavaScript's definitions (they differ in U+001C-U+001F and U+0085).
SPACE = re.compile("[\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)


def fold(char: str) -> str:
    """One code point as search sees it: NFKC, invisible characters removed, lower case."""
    return ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", char)).lower()


class _Folds(dict):
    """Code point -> its fold, filled as characters are met (for str.translate)."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = fold(chr(code))
        return folded


_FOLDS = _Folds()


def normalise(text: str) -> str:
    """Every code point folded, white space collapsed to one space, the ends trimmed."""
    return SPACE.sub(" ", text.translate(_FOLDS)).strip(" ")


def html_text(markup: str) -> str:
    """The text a reader sees in rendered HTML."""
    return html.unescape(TAG.sub(" ", markup))


def fnv1a(gram: str) -> int:
    """32-bit FNV-1a over UTF-16 code units, as JavaScript sees the string."""
    value = 0x811C9DC5
    units = gram.encode("utf-16-le")
    for i in range(0, len(units), 2):
        value ^= units[i] | units[i + 1] << 8
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)


@dataclass
class SearchDoc:
    url: str
    title: str
    date: str  # YYYY-MM-DD
    column: str
    organisation: str
    kind: str  # news | review
    body: str | None  # plain text of the rendered body (Markdown until render_docs; None: its text is given)
    year: int | None = None  # the year a review looks back on (the year filter finds it there too)

    @classmethod
    def of(cls, item, url: str) -> SearchDoc:
        """The document of an item (portal.model.Item) at `url`, its body as Markdown."""
        return cls(
            url,
            item.title,
            item.date.isoformat(),
            item.column.name,
            item.organisation.name,
            item.kind,
            item.body,
            item.year,
        )


class _Varints(dict):
    """Value -> its varint bytes, filled as values are met: a value of 128 or more is appended as
    its bytes from here (one dictionary look-up), not encoded by a Python loop over its bytes."""

    def __missing__(self, value: int) -> bytes:
        out = bytearray()
        varint(value, out)
        data = bytes(out)
        if value < 0x4000:  # kept for values of one or two bytes: the table stays small (a long text's
            self[value] = data  # positions, met once each, are not kept for the life of a preview)
        return data


_VARINTS = _Varints()


# Every character str.isspace() calls white space (none is above U+3000; tests check it): a set, so
# that an item's indexed characters are its set of characters minus this one (_chars, in C).
_SPACES = frozenset(char for char in map(chr, range(0x3001)) if char.isspace())


@dataclass
class SearchIndex:
    """The index's files and what an update after an edit needs: each id's key (a digest of what the
    index holds of that item) and the bytes of postings per folder, which decide its shard count."""

    files: dict[str, bytes]
    keys: list[str]
    totals: dict[str, int]
    updated: int = -1  # items updated in place from the previous index; -1: built anew


def _ordered(docs: list[SearchDoc]) -> list[SearchDoc]:
    return sorted(docs, key=lambda d: (d.date, d.title), reverse=True)  # id order: newest first


def _key(doc: SearchDoc) -> str:
    return hashlib.sha1(repr(sorted(vars(doc).items())).encode("utf-8")).hexdigest()


def _text(title: str, body: str) -> str:
    """What is indexed of an item: its title and body, normalised, on two lines."""
    return f"{normalise(title)}\n{normalise(body)}"


def _bigrams(text: str) -> dict[str, list[int]]:
    local: dict[str, list[int]] = {}
    for position in range(len(text) - 1):
        local.setdefault(text[position : position + 2], []).append(position)
    return local


def _chars(text: str) -> set[str]:
    chars = set(text)
    chars -= _SPACES
    return chars


class _Postings:
    """Postings of one gram, encoded as items arrive in id order (_postings)."""

    __slots__ = ("count", "last", "data")

    def __init__(self) -> None:
        self.count, self.last, self.data = 0, -1, bytearray()


def _postings(docs: list[SearchDoc], consume: bool) -> tuple[dict[str, bytearray], dict[str, int]]:
    """Every gram's postings (bytes as written) and count of items, the items taken in id order.

    A posting is a gap (the ids between it and the gram's previous posting) and, for a bigram, its
    positions in the item (a count, then each position's distance from the one before); the gap of a
    bigram is doubled and its lowest bit says the bigram occurs once, with no count following.
    About 1,000 (gram, item) postings an item, 10 million at 10,000 items: each is one dictionary
    look-up and a few appends: values below 128 (most gaps) appended as one byte, others as their
    varint bytes found in a table (_VARINTS), never encoded one byte at a time in Python. The loop
    makes no reference cycles: the cyclic garbage collector, which would walk the growing postings
    again and again, is paused while it runs."""
    grams: dict[str, _Postings] = {}
    get, varints = grams.get, _VARINTS.__getitem__
    paused = gc.isenabled()
    gc.disable()
    try:
        for doc_id, doc in enumerate(docs):
            text = _text(doc.title, doc.body)
            if consume:
                doc.body = None
            for char in _chars(text):
                postings = get(char)
                if postings is None:
                    grams[char] = postings = _Postings()
                gap = doc_id - postings.last - 1
                postings.count += 1
                postings.last = doc_id
                if gap < 0x80:
                    postings.data.append(gap)
                else:
                    postings.data += varints(gap)
            for gram, positions in _bigrams(text).items():
                postings = get(gram)
                if postings is None:
                    grams[gram] = postings = _Postings()
                data = postings.data
                gap = doc_id - postings.last - 1
                postings.count += 1
                postings.last = doc_id
                if len(positions) == 1:  # most bigrams: the gap's lowest bit says so, and no count follows
                    head = gap << 1 | 1
                    if head < 0x80:
                        data.append(head)
                    else:
                        data += varints(head)
                    position = positions[0]
                    if position < 0x80:
                        data.append(position)
                    else:
                        data += varints(position)
                    continue
                data += varints(gap << 1)
                data += varints(len(positions))
                previous = -1
                for position in positions:
                    delta = position - previous - 1
                    if delta < 0x80:
                        data.append(delta)
                    else:
                        data += varints(delta)
                    previous = position
    finally:
        if paused:
            gc.enable()
    return {gram: postings.data for gram, postings in grams.items()}, {
        gram: postings.count for gram, postings in grams.items()
    }


def index_files(docs: list[SearchDoc], columns: list[str], organisations: list[str]) -> dict[str, bytes]:
    """Every file of the search index, by path under search/."""
    return build_index(docs, columns, organisations).files


class _Spooled(dict):
    """An index's files whose item (t/) and shard (g/, u/) files are handed to `write(name, data)`
    as they are made instead of being kept: the indexing process never holds the whole index."""

    def __init__(self, write: Callable[[str, bytes], None]) -> None:
        super().__init__()
        self.write = write

    def __setitem__(self, name: str, data: bytes) -> None:
        if name[:2] in ("t/", "g/", "u/"):
            self.write(name, data)
        else:
            super().__setitem__(name, data)


def build_index(
    docs: list[SearchDoc],
    columns: list[str],
    organisations: list[str],
    previous: SearchIndex | None = None,
    spool: Callable[[str, bytes], None] | None = None,
    consume: bool = False,
) -> SearchIndex:
    """The index; from `previous` (the index of an earlier build) when only a few items changed:
    then only the shards holding their characters are decoded and written again. Either way the
    files are the same, byte for byte. With `spool`, an index built anew hands its item and shard
    files to it as they are made, and keeps only docs.bin and meta.json in `files`. With `consume`,
    the caller gives the docs up: an index built anew drops each body once it is indexed, so the
    bodies shrink as the postings grow (the indexing process never holds both whole)."""
    docs = _ordered(docs)
    keys = [_key(doc) for doc in docs]
    reused = _reused_texts(previous, keys, columns, organisations)
    files = _table_files(docs, columns, organisations, _Spooled(spool) if spool and previous is None else {}, reused)
    try:
        if (
            previous is not None
            and (update := _update(previous, docs, keys, files, columns, organisations)) is not None
        ):
            return update
    except (AttributeError, KeyError, IndexError, TypeError, ValueError):  # a previous index of another shape
        files = _table_files(docs, columns, organisations, {})
    if spool and not isinstance(files, _Spooled):
        spooled = _Spooled(spool)
        for name in list(files):
            spooled[name] = files.pop(name)
        files = spooled
    grams, counts = _postings(docs, consume)
    totals = {}
    for folder, size in (("g", 2), ("u", 1)):
        chosen = {gram: grams.pop(gram) for gram in [gram for gram in grams if len(gram) == size]}
        totals[folder] = sum(map(len, chosen.values()))
        _shards(folder, chosen, counts, files)
    _finish(files, columns, organisations, totals)
    return SearchIndex(dict(files), keys, totals)


def _reused_texts(
    previous: SearchIndex | None, keys: list[str], columns: list[str], organisations: list[str]
) -> dict[str, bytes]:
    """The t/ files of `previous` that hold the same items, unchanged (same keys at the same ids, same
    catalogue): the same bytes, so not made again (an edit rebuild at 10,000 items made 5,000)."""
    if previous is None:
        return {}
    try:
        meta = json.loads(previous.files["meta.json"])
        if (
            meta.get("version") != VERSION
            or meta.get("texts") != TEXTS_PER_FILE
            or meta["columns"] != columns
            or meta["organisations"] != organisations
        ):
            return {}
        reused = {}
        for start in range(0, len(keys), TEXTS_PER_FILE):
            name = f"t/{start // TEXTS_PER_FILE}.bin"
            data = previous.files.get(name)
            if previous.keys[start : start + TEXTS_PER_FILE] == keys[start : start + TEXTS_PER_FILE] and isinstance(
                data, bytes
            ):
                reused[name] = data
        return reused
    except (AttributeError, KeyError, TypeError, ValueError):  # a previous index of another shape
        return {}


def _table_files(
    docs: list[SearchDoc], columns: list[str], organisations: list[str], files: dict, reused: dict | None = None
) -> dict[str, bytes]:
    """Per item: its line of docs.bin and its t/ file (or the one in `reused`); meta.json's years
    (finished by _finish); into `files`, which is returned."""
    column_ids = {name: i for i, name in enumerate(columns)}
    organisation_ids = {name: i for i, name in enumerate(organisations)}
    table = bytearray()
    years: list[list[int]] = []
    reviewed: dict[int, list[int]] = {}  # a review's own year -> its ids, when it differs from the date's
    for doc_id, doc in enumerate(docs):
        for value in (
            len(normalise(doc.title)) + 1,
            column_ids.get(doc.column, 0),
            organisation_ids.get(doc.organisation, 0),
            1 if doc.kind == "review" else 0,
        ):
            varint(value, table)
        year = int(doc.date[:4])  # ids are newest first, so one year's items are one id range
        if not years or years[-1][0] != year:
            years.append([year, doc_id, doc_id])
        years[-1][2] = doc_id
        if doc.year and doc.year != year:
            reviewed.setdefault(doc.year, []).append(doc_id)
    reused = reused or {}
    for start in range(0, len(docs), TEXTS_PER_FILE):
        name = f"t/{start // TEXTS_PER_FILE}.bin"
        if name in reused:
            files[name] = reused[name]
            continue
        texts = [
            {
                "u": doc.url,
                "t": doc.title,
                "d": doc.date,
                "c": column_ids.get(doc.column, 0),
                "o": organisation_ids.get(doc.organisation, 0),
                "x": SPACE.sub(" ", doc.body).strip(),
            }
            for doc in docs[start : start + TEXTS_PER_FILE]
        ]
        files[name] = pack(json.dumps(texts, ensure_ascii=False, separators=(",", ":")).encode(TEXT_ENCODING))
    files["docs.bin"] = bytes(table)
    files["meta.json"] = json.dumps(
        {
            "docs": len(docs),
            "years": years,
            "reviewed": [[year, ids] for year, ids in sorted(reviewed.items(), reverse=True)],
        }
    )
    return files


def pack(data: bytes) -> bytes:
    """An item or shard file as written: deflated, in zlib's format (RFC 1950)."""
    return zlib.compress(data, PACK_LEVEL)


def unpack(data: bytes) -> bytes:
    """An item or shard file as `pack` wrote it, inflated."""
    return zlib.decompress(data)


def read_text(files: dict[str, bytes], doc_id: int) -> dict:
    """The result text of item `doc_id` in the index's `files`."""
    chunk = json.loads(unpack(files[f"t/{doc_id // TEXTS_PER_FILE}.bin"]).decode(TEXT_ENCODING))
    return chunk[doc_id % TEXTS_PER_FILE]


def _shard_count(total: int) -> int:
    """About total / SHARD_BYTES, rounded down to four significant bits, so that an edit seldom
    changes it (the index can then be updated in place; shards average 8-9 KB before deflating)."""
    ideal = min(MAX_SHARDS, total // SHARD_BYTES)
    shift = max(0, ideal.bit_length() - 4)
    return max(1, ideal >> shift << shift)


def _finish(files: dict, columns: list[str], organisations: list[str], totals: dict[str, int]) -> None:
    part = json.loads(files["meta.json"])
    files["meta.json"] = json.dumps(
        {
            "version": VERSION,
            "docs": part["docs"],
            "shards": {folder: _shard_count(totals[folder]) for folder in ("g", "u")},
            "texts": TEXTS_PER_FILE,
            "columns": columns,
            "organisations": organisations,
            "years": part["years"],
            "reviewed": part["reviewed"],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


UPDATE_AT_MOST = 64  # items changed since the previous index; beyond that it is built anew


def _update(
    previous: SearchIndex,
    docs: list[SearchDoc],
    keys: list[str],
    files: dict[str, bytes],
    columns: list[str],
    organisations: list[str],
) -> SearchIndex | None:
    """The index after a few items changed in place (same number of items, same ids otherwise),
    or None when it must be built anew: more changes, another catalogue, or another shard count."""
    old_meta = json.loads(previous.files["meta.json"])
    if (
        len(previous.keys) != len(keys)
        or old_meta.get("version") != VERSION
        or old_meta["columns"] != columns
        or old_meta["organisations"] != organisations
    ):
        return None
    changed = [i for i, (a, b) in enumerate(zip(previous.keys, keys, strict=True)) if a != b]
    if len(changed) > UPDATE_AT_MOST:
        return None
    totals = dict(previous.totals)
    files = {**{name: data for name, data in previous.files.items() if name[:2] in ("g/", "u/")}, **files}
    new_texts = {i: _text(docs[i].title, docs[i].body) for i in changed}
    old_texts = {}
    for i in changed:
        old = read_text(previous.files, i)
        old_texts[i] = _text(old["t"], old["x"])
    for folder in ("g", "u"):
        count = old_meta["shards"][folder]
        entries: dict[str, dict[int, bytes | None]] = {}  # gram -> changed id -> its new positions (None: gone)
        for i in changed:
            if folder == "g":
                new = {gram: _positions(positions) for gram, positions in _bigrams(new_texts[i]).items()}
                old = {gram: _positions(positions) for gram, positions in _bigrams(old_texts[i]).items()}
            else:
                new, old = dict.fromkeys(_chars(new_texts[i]), b""), dict.fromkeys(_chars(old_texts[i]), b"")
            # Only grams whose postings of this item differ: an edit moves the positions after it, no others
            # (a sentence added at the end touches only its own grams' shards, not the item's thousand).
            for gram in old:
                if gram not in new:
                    entries.setdefault(gram, {})[i] = None
            for gram, data in new.items():
                if old.get(gram) != data:
                    entries.setdefault(gram, {})[i] = data
        by_shard: dict[int, dict] = {}
        for gram, change in entries.items():
            by_shard.setdefault(fnv1a(gram) % count, {})[gram] = change
        names = [f"{folder}/{k}.bin" for k in by_shard]
        # An item touches a shard for most of its distinct characters and bigrams: on every core.
        jobs = [(previous.files[f"{folder}/{k}.bin"], changes, folder == "g") for k, changes in by_shard.items()]
        for name, (data, delta) in zip(names, fork_map(_repack, jobs), strict=True):
            files[name] = data
            totals[folder] += delta
        if _shard_count(totals[folder]) != count:
            return None
    _finish(files, columns, organisations, totals)
    return SearchIndex(files, keys, totals, len(changed))


def _positions(positions: list[int]) -> bytes:
    data = bytearray()
    varint(len(positions), data)
    previous = -1
    for position in positions:
        varint(position - previous - 1, data)
        previous = position
    return bytes(data)


def _read(data, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def _skip(data, at: int, count: int) -> int:
    """The offset after `count` varints from `at`."""
    if count and max(data[at : at + count]) < 0x80:  # the usual case: one byte each
        return at + count
    for _ in range(count):
        while data[at] >= 0x80:
            at += 1
        at += 1
    return at


def _entry(gap: int, tail: bytes, positions: bool, out: bytearray) -> None:
    """One posting: its gap and `tail` (for bigrams: the count and positions, as _positions writes
    them; a count of one is told by the gap's lowest bit instead, as _Postings.add writes it)."""
    if not positions:
        varint(gap, out)
    elif tail[0] == 1:  # one position (a count below 128 is one byte)
        varint(gap << 1 | 1, out)
        out += tail[1:]
    else:
        varint(gap << 1, out)
        out += tail


def _step(data, at: int, positions: bool) -> tuple[int, int, int]:
    """The entry at `at`: its head (gap; for bigrams doubled, with the one-position bit), the offset
    after the head and the offset after the entry."""
    head = data[at]
    if head < 0x80:
        after = at + 1
    else:
        head, after = _read(data, at)
    if not positions:
        return head, after, after
    if head & 1:  # one position
        end = after
        while data[end] >= 0x80:
            end += 1
        return head, after, end + 1
    count, start = _read(data, after)
    return head, after, _skip(data, start, count)


# Runs of entries skipped in C (_seek): a character's entries are one-byte gaps; a bigram's, with a
# one-byte head, are its one position (odd head) or a one-byte count of 2-15 and as many positions.
_VARINT = rb"[\x80-\xff]*[\x00-\x7f]"
_ODD = "".join(f"\\x{b:02x}" for b in range(1, 0x80, 2)).encode("ascii")
_EVEN = "".join(f"\\x{b:02x}" for b in range(0, 0x80, 2)).encode("ascii")
_MANY = b"|".join(b"\\x%02x(?:%s){%d}" % (n, _VARINT, n) for n in range(2, 16))
_BIGRAM_ENTRY = re.compile(
    rb"([\x00-\x7f])(?:(?<=[" + _ODD + rb"])" + _VARINT + rb"|(?<=[" + _EVEN + rb"])(?:" + _MANY + rb"))"
)
_BIGRAM_RUN = re.compile(
    rb"(?:[\x00-\x7f](?:(?<=[" + _ODD + rb"])" + _VARINT + rb"|(?<=[" + _EVEN + rb"])(?:" + _MANY + rb")))*"
)
_CHAR_RUN = re.compile(rb"[\x00-\x7f]*")
_EVEN_BYTES = bytes(range(0, 0x100, 2))
SEEK_WINDOW = 256  # bytes of entries skipped at a time


def _seek(data, at: int, doc: int, target: int, positions: bool) -> tuple[int, int, int]:
    """From the entry at `at` (the one before it has id `doc`), past every entry with an id below
    `target`: the offset of the first entry not skipped, the id of the last one skipped (`doc` if none)
    and how many were skipped. Runs of entries with one-byte gaps are summed a window at a time in C
    (a regular expression finds the run, and its heads); only the window holding `target` and entries
    with longer gaps are read one at a time."""
    end, skipped = len(data), 0
    run = _BIGRAM_RUN if positions else _CHAR_RUN
    while at < end:
        stop = run.match(data, at, min(end, at + SEEK_WINDOW)).end()
        if stop > at:
            if positions:
                heads = b"".join(_BIGRAM_ENTRY.findall(data, at, stop))
                entries = len(heads)
                step = (sum(heads) - len(heads.translate(None, _EVEN_BYTES))) // 2 + entries
            else:
                entries = stop - at
                step = sum(data[at:stop]) + entries
            if doc + step < target:
                doc, at, skipped = doc + step, stop, skipped + entries
                continue
        # The target is in this run, or no run starts here: one entry at a time, to the run's end (or one)
        while True:
            head, _, after = _step(data, at, positions)
            following = doc + (head >> 1 if positions else head) + 1
            if following >= target:
                return at, doc, skipped
            doc, at, skipped = following, after, skipped + 1
            if at >= stop:
                break
    return at, doc, skipped


def _copy(data, at: int, stop: int, doc: int, last: int, positions: bool, out: bytearray) -> None:
    """Entries data[at:stop] (the one before `at` has id `doc`) after an entry with id `last`: the first
    one's gap written anew, the rest copied as they are."""
    head, after, _ = _step(data, at, positions)
    if positions:
        gap = (head >> 1) + doc - last
        varint(gap << 1 | head & 1, out)
    else:
        varint(head + doc - last, out)
    out += data[after:stop]


def _splice(data: bytes, count: int, change: dict[int, bytes | None], positions: bool) -> tuple[int, bytes]:
    """A gram's postings with the entries of the changed ids replaced (None: removed; else the count
    and positions, _positions): the entries between the changes are skipped over (_seek) and copied
    as they are, only the gap of the first after each change is written anew."""
    out = bytearray()
    end = len(data)
    at, doc, read = 0, -1, 0  # offset of the next entry, id of the entry before it, entries read
    last, kept = -1, 0  # id of the last entry written, entries written
    for target in sorted(change):
        stop, before, skipped = _seek(data, at, doc, target, positions)
        if skipped:
            _copy(data, at, stop, doc, last, positions, out)
            last, kept = before, kept + skipped
        at, doc, read = stop, before, read + skipped
        if at < end:
            head, _, after = _step(data, at, positions)
            if doc + (head >> 1 if positions else head) + 1 == target:  # the old entry of this id: left out
                at, doc, read = after, target, read + 1
        tail = change[target]
        if tail is not None:
            _entry(target - last - 1, tail, positions, out)
            last, kept = target, kept + 1
    if at < end:
        _copy(data, at, end, doc, last, positions, out)
        kept += count - read
    return kept, bytes(out)


def shard_entries(shard: bytes) -> dict[str, tuple[int, bytes]]:
    """What a shard holds (as inflated: `unpack`): each gram's count of items and its postings bytes."""
    grams: dict[str, tuple[int, bytes]] = {}
    at = 0
    while at < len(shard):
        length, at = _read(shard, at)
        chars = []
        for _ in range(length):
            code, at = _read(shard, at)
            chars.append(chr(code))
        count, at = _read(shard, at)
        size, at = _read(shard, at)
        grams["".join(chars)] = (count, shard[at : at + size])
        at += size
    return grams


def _repack(job: tuple[bytes, dict, bool]) -> tuple[bytes, int]:
    """A packed shard updated (_update_shard) and packed again."""
    packed, changes, positions = job
    shard, delta = _update_shard(unpack(packed), changes, positions)
    return pack(shard), delta


def _update_shard(shard: bytes, changes: dict[str, dict[int, bytes | None]], positions: bool) -> tuple[bytes, int]:
    """A shard with the postings of the changed ids replaced; and by how much its postings grew.
    Only the records of the changed grams are read: the others are copied as they are (each
    record's header gives the size of its postings, which are skipped)."""
    records: dict[str, tuple[int, int, int, int]] = {}  # gram -> start, count, postings start, end
    at, end = 0, len(shard)
    while at < end:
        start = at
        length, at = _read(shard, at)
        codes = []
        for _ in range(length):
            code, at = _read(shard, at)
            codes.append(code)
        count, at = _read(shard, at)
        size, at = _read(shard, at)
        records["".join(map(chr, codes))] = (start, count, at, at + size)
        at += size
    made: dict[str, bytes] = {}
    delta = 0
    for gram, change in changes.items():
        _, count, start, stop = records.get(gram, (0, 0, 0, 0))
        data = shard[start:stop]
        count, out = _splice(data, count, change, positions)
        delta += len(out) - len(data)
        made[gram] = _record(gram, count, out) if count else b""
    parts = [
        made[gram] if gram in made else shard[records[gram][0] : records[gram][3]] for gram in sorted({*records, *made})
    ]
    return b"".join(parts), delta


def _record(gram: str, count: int, data) -> bytes:
    """A gram's record in its shard: its length and code points, its count of items, the size of its
    postings and the postings."""
    varints = _VARINTS.__getitem__
    return b"".join((varints(len(gram)), *map(varints, map(ord, gram)), varints(count), varints(len(data)), data))


def _shards(folder: str, grams: dict[str, bytearray], counts: dict[str, int], files: dict) -> None:
    """Postings of `grams`, hashed into about SHARD_BYTES-sized files folder/<k>.bin, into `files`."""
    count = _shard_count(sum(map(len, grams.values())))
    members: list[list[str]] = [[] for _ in range(count)]
    for gram in grams:
        members[fnv1a(gram) % count].append(gram)
    for k, names in enumerate(members):  # one shard at a time: the postings are never held twice
        names.sort()
        # each gram's postings freed as they are copied into its shard
        files[f"{folder}/{k}.bin"] = pack(b"".join([_record(gram, counts[gram], grams.pop(gram)) for gram in names]))


def render_docs(
    docs: list[SearchDoc],
    extensions: list,
    configs: dict,
    texts: dict[str, str] | None = None,
    rendered: dict[str, str] | None = None,
) -> list[SearchDoc]:
    """Bodies given as Markdown, rendered with the site's extensions into the text readers see.
    `texts`: bodies already rendered, by URL (by the page renderers, or kept in the build cache),
    for which a doc's body may be None; `rendered` receives the ones rendered here."""
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    texts = texts or {}
    out = []
    for doc in docs:
        text = texts.get(doc.url)
        if text is None:
            if doc.body is None:
                raise RuntimeError(f"搜索索引缺少《{doc.title}》（{doc.url}）的正文：页面生成进程没有交回它。")
            text = html_text(md.reset().convert(doc.body))
            if rendered is not None:
                rendered[doc.url] = text
        out.append(SearchDoc(**{**vars(doc), "body": text}))
    return out


def _wait_for(paths: list[str]) -> dict[str, str]:
    """The texts the page renderers write once their pages' Markdown is rendered."""
    parent, texts = os.getppid(), {}
    for path in paths:
        while not os.path.exists(path):
            if os.getppid() != parent:  # the build is gone
                os._exit(1)
            time.sleep(0.05)
        with open(path, "rb") as source:
            texts.update(pickle.load(source) or {})
    return texts


def _index(docs, columns, organisations, extensions, configs, texts, rendered, previous, spool=None) -> SearchIndex:
    """The index of `docs`, whose bodies are given up (`texts` is emptied): each is dropped once indexed."""
    docs = render_docs(docs, extensions, configs, texts, rendered)
    texts.clear()  # the docs hold the texts now: dropped with them
    return build_index(docs, columns, organisations, previous() if previous else None, spool, consume=True)


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not the build's from before exec)."""
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))


def _run(job_path: str) -> None:
    """In the indexing process: the job IndexJob wrote, its result pickled beside it."""
    parent = os.getppid()
    with open(job_path, "rb") as source:
        path, docs, columns, organisations, extensions, configs, texts, previous, text_files, site = pickle.load(source)
    rendered: dict[str, str] = {}
    texts = {**texts, **_wait_for(list(text_files))}

    def put(name: str, data: bytes) -> None:  # into the site's search folder, while the pages render
        if site:
            target = os.path.join(site, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as file:
                file.write(data)

    with open(path + ".part", "wb") as out:
        # Item and shard files are written out as they are made ("file" records), then the rest.
        def spool(name: str, data: bytes) -> None:
            put(name, data)
            pickle.dump(("file", name, data), out, protocol=pickle.HIGHEST_PROTOCOL)

        index = _index(docs, columns, organisations, extensions, configs, texts, rendered, previous, spool)
        if os.getppid() != parent:  # the build is gone: nobody will read or remove the result
            shutil.rmtree(os.path.dirname(job_path), ignore_errors=True)
            return
        for name, data in index.files.items():  # what was not spooled (all of an index updated in place)
            put(name, data)
        pickle.dump(("index", index, _peak_mb(), rendered), out, protocol=pickle.HIGHEST_PROTOCOL)
    os.rename(path + ".part", path)


# The indexing process is a new interpreter, not a fork of the build: a fork would share the build's
# whole memory, and once the build and its page renderers have each written to (copied) the pages
# they share, the fork would be the last to hold the originals (issue 16: the build's memory).
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the folder holding portal/


class IndexJob:
    """The search index, built in a second process while the engine renders the pages (on Linux,
    where the page renderers hand it their texts); elsewhere, when its result is asked for."""

    def __init__(
        self,
        docs: list[SearchDoc],
        columns: list[str],
        organisations: list[str],
        extensions: list,
        configs: dict,
        texts: dict[str, str] | None = None,
        text_files: list[str] = (),
        previous: Callable[[], SearchIndex | None] | None = None,
        site: str | None = None,
    ):
        """`texts`: bodies already rendered, by URL; `text_files`: pickles of more of them that the
        page renderers will write (Linux only); `previous`: loads the index of an earlier build (in
        the indexing process, so it must pickle), to update when few items changed; `site`: an empty
        folder the indexing process writes the index's files into itself (`written` then says so).
        Afterwards `rendered` holds the bodies this job rendered and `index` the SearchIndex."""
        self.args = (docs, columns, organisations, extensions, configs, texts or {})
        self.previous, self.site = previous, site
        self.text_files = tuple(text_files)
        self.process: subprocess.Popen | None = None
        self.peak_mb = 0.0  # of the indexing process
        self.rendered: dict[str, str] = {}
        self.index: SearchIndex | None = None
        self.written = False  # the indexing process wrote the files into `site`
        if sys.platform == "linux":
            self.folder = tempfile.mkdtemp(prefix="portal-search-")
            self.path = os.path.join(self.folder, "index.pickle")
            job = os.path.join(self.folder, "job.pickle")
            try:
                with open(job, "wb") as out:
                    pickle.dump((self.path, *self.args, previous, self.text_files, site), out, pickle.HIGHEST_PROTOCOL)
            except (pickle.PicklingError, TypeError, AttributeError):  # a Markdown option that does not pickle
                shutil.rmtree(self.folder, ignore_errors=True)
                return  # built in this process when its result is asked for
            self.args = ()  # the process has them: this one need not keep them
            path = os.pathsep.join(p for p in (PACKAGE_ROOT, os.environ.get("PYTHONPATH", "")) if p)
            self.process = subprocess.Popen(
                [sys.executable, "-c", "import sys; from portal.search import _run; _run(sys.argv[1])", job],
                env={**os.environ, "PYTHONPATH": path},
                stdin=subprocess.DEVNULL,
            )

    def abort(self) -> None:
        """No index for a failed build: stop the process and remove its scratch folder."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            shutil.rmtree(self.folder, ignore_errors=True)

    def result(self) -> dict[str, bytes]:
        if self.process is None:
            docs, columns, organisations, extensions, configs, texts = self.args
            texts = {**texts, **_wait_for(list(self.text_files))}
            self.index = _index(docs, columns, organisations, extensions, configs, texts, self.rendered, self.previous)
            return self.index.files
        status = self.process.wait()
        try:
            if status:
                raise RuntimeError(f"搜索索引进程失败（退出码 {status}）")
            files = {}
            with open(self.path, "rb") as source:
                while (record := pickle.load(source))[0] == "file":
                    files[record[1]] = record[2]
            _, self.index, self.peak_mb, self.rendered = record
            self.index.files = {**files, **self.index.files}
            self.written = self.site is not None
            return self.index.files
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
