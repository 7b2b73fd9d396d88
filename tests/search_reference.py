"""The search index's postings encoded and spliced the plain way, one posting and one byte at a time:
the code hooks/portal/search.py used before its batched fast paths (issue 16), kept as the
reference those fast paths are tested against (tests/test_search_fast.py)."""

from __future__ import annotations

# The varint primitives the fast paths did not change are the index's own.
from portal.search import _bigrams, _entry, _read, _skip, _text, shard_entries, varint


def _chars(text: str) -> set[str]:
    return {char for char in text if not char.isspace()}


class _Postings:
    """Postings of one gram, encoded as items arrive in id order."""

    __slots__ = ("count", "last", "data")

    def __init__(self) -> None:
        self.count, self.last, self.data = 0, -1, bytearray()

    def add(self, doc: int, positions: list[int] | None) -> None:
        data = self.data
        gap = doc - self.last - 1
        self.count += 1
        self.last = doc
        if positions is None:
            varint(gap, data)
        else:
            # Most bigrams occur once in an item: the gap's lowest bit says so, and no count follows.
            if len(positions) == 1:
                varint(gap << 1 | 1, data)
            else:
                varint(gap << 1, data)
                varint(len(positions), data)
            previous = -1
            for position in positions:
                delta = position - previous - 1
                if delta < 0x80:  # the usual case, inlined: one byte
                    data.append(delta)
                else:
                    varint(delta, data)
                previous = position


def postings(texts: list[tuple[str, str]]) -> dict[str, tuple[int, bytes]]:
    """Each gram's count of items and postings bytes, for items given as (title, body), in id order."""
    grams: dict[str, _Postings] = {}
    for doc_id, (title, body) in enumerate(texts):
        text = _text(title, body)
        for char in _chars(text):
            grams.setdefault(char, _Postings()).add(doc_id, None)
        for gram, positions in _bigrams(text).items():
            grams.setdefault(gram, _Postings()).add(doc_id, positions)
    return {gram: (p.count, bytes(p.data)) for gram, p in grams.items()}


def _splice(data: bytes, count: int, change: dict[int, bytes | None], positions: bool) -> tuple[int, bytes]:
    """A gram's postings with the entries of the changed ids replaced (None: removed; else the count
    and positions, _positions). Ids are newest first and edits are mostly recent, so only the entries
    up to the last changed id are read; the rest is copied, with the gap of its first entry written anew."""
    last_target = max(change)
    kept: list[tuple[int, bytes]] = []
    doc, at, k = -1, 0, 0
    rest = None  # (id, whether it has one position, offset after its gap) of the first entry past the changes
    while k < count:
        byte = data[at]
        if byte < 0x80:
            head, after = byte, at + 1
        else:
            head, after = _read(data, at)
        single = positions and head & 1
        doc += (head >> 1 if positions else head) + 1
        k += 1
        if doc > last_target:
            rest = (doc, single, after)
            break
        at = after
        tail = b""
        if positions:
            if single:
                n = 1
            else:
                byte = data[at]
                if byte < 0x80:
                    n, at = byte, at + 1
                else:
                    n, at = _read(data, at)
            start = at
            at = _skip(data, at, n)
            tail = (b"\x01" if single else data[after:start]) + data[start:at]
        if doc not in change:
            kept.append((doc, tail))
    kept += [(doc, tail) for doc, tail in change.items() if tail is not None]
    kept.sort(key=lambda entry: entry[0])
    out = bytearray()
    last = -1
    for doc, tail in kept:
        _entry(doc - last - 1, tail, positions, out)
        last = doc
    if rest is None:
        return len(kept), bytes(out)
    gap = rest[0] - last - 1
    varint(gap << 1 | rest[1] if positions else gap, out)
    out += data[rest[2] :]
    return len(kept) + 1 + count - k, bytes(out)


def _update_shard(shard: bytes, changes: dict[str, dict[int, bytes | None]], positions: bool) -> tuple[bytes, int]:
    """A shard with the postings of the changed ids replaced; and by how much its postings grew."""
    grams = shard_entries(shard)
    delta = 0
    for gram, change in changes.items():
        count, data = grams.pop(gram, (0, b""))
        count, out = _splice(data, count, change, positions)
        delta += len(out) - len(data)
        if count:
            grams[gram] = (count, out)
    shard = bytearray()
    for gram in sorted(grams):
        count, data = grams[gram]
        varint(len(gram), shard)
        for char in gram:
            varint(ord(char), shard)
        varint(count, shard)
        varint(len(data), shard)
        shard += data
    return bytes(shard), delta
