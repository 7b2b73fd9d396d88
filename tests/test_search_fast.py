"""The search index's fast paths (hooks/portal/search.py, issue 16) against the plain code they
replaced (tests/search_reference.py): postings encoded per item with C-level passes, an update that
skips runs of postings in C and copies unchanged entries and records as they are. Random and
adversarial texts: astral characters, long runs of one character, positions 128 and more apart,
empty bodies, gaps of 64 items and more (two-byte heads), counts of 16 positions and more."""

from __future__ import annotations

import random
import sys

from hypothesis import example, given, settings
from hypothesis import strategies as st

import search_reference as reference
from portal.search import (
    _SPACES,
    SEEK_WINDOW,
    SearchDoc,
    _positions,
    _postings,
    _seek,
    _splice,
    _step,
    _update_shard,
    build_index,
    unpack,
)

ALPHABET = (
    "界别党支部知联会社情民意新就业群体政协委员"  # CJK
    "𠀀𠀁😀𝐀"  # astral: two UTF-16 code units each
    "abcＡＢＣ１２"  # ASCII and full-width (folded)
    " \n\t\u3000\u00a0\u200b\u00ad"  # white space, and invisible characters (removed)
)
TEXTS = st.text(alphabet=ALPHABET, max_size=60) | st.builds(
    lambda char, n, filler: char + filler * n + char + char * n,  # far apart, then a long run of one character
    st.sampled_from(ALPHABET),
    st.integers(0, 300),
    st.sampled_from(["", "界", "别党", "𠀀"]),
)


def _docs(texts: list[tuple[str, str]]) -> list[SearchDoc]:
    return [SearchDoc(f"n/{k}/", title, "2026-01-01", "c", "o", "news", body) for k, (title, body) in enumerate(texts)]


def _fast(texts: list[tuple[str, str]]) -> dict[str, tuple[int, bytes]]:
    data, counts = _postings(_docs(texts), False)
    return {gram: (counts[gram], bytes(postings)) for gram, postings in data.items()}


def test_every_white_space_character_is_left_out_of_the_characters_indexed():
    assert _SPACES == {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TEXTS, TEXTS), max_size=8))
@example([("", ""), ("a", ""), ("", "界界界界"), ("𠀀😀𠀀😀", "ab" * 200 + "ba")])
def test_postings_encoded_per_item_are_those_encoded_one_posting_at_a_time(texts):
    assert _fast(texts) == reference.postings(texts)


def test_postings_with_long_gaps_and_many_positions_are_those_encoded_one_posting_at_a_time():
    rng = random.Random(41)
    texts = []
    for k in range(400):
        body = "".join(rng.choices("界别党支部知联会", k=rng.choice([0, 5, 300, 2000])))
        if k % 97 == 0:  # rare grams: gaps of 97 items (two-byte heads), repeated far apart in the item
            body += "𠀀稀" + "界" * 200 + "𠀀稀" * 20
        texts.append((f"标题{k}", body))
    assert _fast(texts) == reference.postings(texts)


def _postings_list(rng: random.Random, positions: bool, items: int, density: float):
    postings = reference._Postings()
    for doc in range(items):
        if rng.random() < density:
            if not positions:
                postings.add(doc, None)
                continue
            count = rng.choice([1, 1, 1, 1, 2, 3, 15, 16, 40])
            postings.add(doc, sorted(rng.sample(range(rng.choice([count + 1, 300, 20_000])), count)))
    return postings


@settings(max_examples=400, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    positions=st.booleans(),
    items=st.sampled_from([1, 3, 70, 600, 3000]),
    density=st.sampled_from([1.0, 0.9, 0.3, 0.02, 0.003]),
    changes=st.integers(1, 5),
)
def test_a_splice_is_the_splice_reading_every_entry(seed, positions, items, density, changes):
    rng = random.Random(seed)
    postings = _postings_list(rng, positions, items, density)
    change = {}
    for _ in range(changes):
        doc = rng.choice([0, items - 1, items, rng.randrange(items + 3)])
        if rng.random() < 0.3:
            change[doc] = None  # removed
        elif positions:
            change[doc] = _positions(sorted(rng.sample(range(500), rng.choice([1, 1, 2, 20]))))
        else:
            change[doc] = b""
    data = bytes(postings.data)
    assert _splice(data, postings.count, change, positions) == reference._splice(
        data, postings.count, change, positions
    )


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32), positions=st.booleans(), density=st.sampled_from([1.0, 0.5, 0.05]))
def test_seeking_skips_exactly_the_entries_before_the_target(seed, positions, density):
    """_seek sums runs of one-byte gaps a window at a time: it stops where reading every entry stops."""
    rng = random.Random(seed)
    postings = _postings_list(rng, positions, 2000, density)
    data = bytes(postings.data)
    entries, at, doc = [], 0, -1  # (offset, id) of every entry, read one at a time
    while at < len(data):
        head, _, after = _step(data, at, positions)
        doc += (head >> 1 if positions else head) + 1
        entries.append((at, doc))
        at = after
    assert len(entries) == postings.count
    for target in [0, 1, 2000, 2001, *rng.sample(range(2000), 20)]:
        before = [entry for entry in entries if entry[1] < target]
        stop = entries[len(before)][0] if len(before) < len(entries) else len(data)
        assert _seek(data, 0, -1, target, positions) == (stop, before[-1][1] if before else -1, len(before))
    assert len(data) > 4 * SEEK_WINDOW or density < 1  # the windows were exercised


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(TEXTS, TEXTS), min_size=1, max_size=12), st.integers(0, 2**32))
def test_a_shard_updated_is_the_shard_updated_by_parsing_it_whole(texts, seed):
    rng = random.Random(seed)
    index = build_index(_docs(texts), ["c"], ["o"])
    changed = rng.sample(range(len(texts) + 2), rng.randint(1, 3))
    arriving = ["𠀀", "新", "𠀀新", "新就", "a\n"]  # grams that may not be in the shard yet
    for name, packed in index.files.items():
        if name[:2] not in ("g/", "u/"):
            continue
        positions = name.startswith("g/")
        shard = unpack(packed)
        grams = list(reference.shard_entries(shard))
        size = 2 if positions else 1
        changes = {}
        for gram in grams[rng.randrange(2) :: 2] + [gram for gram in arriving if len(gram) == size]:
            changes[gram] = {
                i: None
                if rng.random() < 0.4
                else (_positions(sorted(rng.sample(range(300), rng.choice([1, 2, 17])))) if positions else b"")
                for i in changed
            }
        assert _update_shard(shard, changes, positions) == reference._update_shard(shard, changes, positions)


def test_result_texts_are_made_again_when_the_column_ids_change():
    """An update reuses the result texts (t/) of unchanged items only while the catalogue is the same:
    reordered columns renumber every item's column."""
    docs = [SearchDoc(f"n/{k}/", f"标题{k}", "2026-01-01", ["甲", "乙"][k % 2], "o", "news", "正文") for k in range(6)]
    first = build_index(docs, ["甲", "乙"], ["o"])
    again = build_index(docs, ["乙", "甲"], ["o"], first)
    anew = build_index(docs, ["乙", "甲"], ["o"])
    assert again.files == anew.files and again.files["t/0.bin"] != first.files["t/0.bin"]


def test_an_edit_that_moves_no_positions_rewrites_only_the_shards_of_its_new_grams(monkeypatch):
    """A sentence added at the end of an item changes the postings of its own grams only: the item's
    other grams keep their positions, so their shards are not decoded, deflated or written again."""
    import dataclasses

    import portal.search

    rng = random.Random(16)
    chars = [chr(0x4E00 + k) for k in range(300)]
    docs = _docs([(f"标题{k}", "".join(rng.choices(chars, k=500))) for k in range(200)])
    previous = build_index(docs, ["c"], ["o"])
    jobs = []
    monkeypatch.setattr(portal.search, "fork_map", lambda func, values: jobs.extend(values) or list(map(func, values)))
    docs[100] = dataclasses.replace(docs[100], body=docs[100].body + "𠀀𠀁")  # characters no item has
    updated = build_index(docs, ["c"], ["o"], previous)
    assert updated.updated == 1 and updated.files == build_index(docs, ["c"], ["o"]).files
    # bigrams (last character, 𠀀) and 𠀀𠀁, characters 𠀀 and 𠀁: at most four shards
    assert 1 <= len(jobs) <= 4 and all(len(changes) <= 2 for _, changes, _ in jobs)
    same = [name for name in previous.files if name[:2] in ("g/", "u/") and updated.files[name] is previous.files[name]]
    assert len(same) >= len([name for name in previous.files if name[:2] in ("g/", "u/")]) - 4


def test_the_varint_table_keeps_only_values_of_one_or_two_bytes():
    """Values of 128 and more are appended from a table (_VARINTS): a very long text's positions, each
    met once, are encoded but not kept for the life of the process (a preview runs for hours)."""
    from portal.search import _VARINTS, varint

    for value in (0, 127, 128, 0x3FFF, 0x4000, 10**6):
        out = bytearray()
        varint(value, out)
        assert _VARINTS[value] == bytes(out)
    assert 0x3FFF in _VARINTS and 0x4000 not in _VARINTS and 10**6 not in _VARINTS
    texts = [("长文", "界" * 20_000 + "别界" * 3)]  # positions of 40,000 and more
    assert _fast(texts) == reference.postings(texts)
    assert max(_VARINTS) < 0x4000
