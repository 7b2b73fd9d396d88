"""The search index after an edit: updated in place from the previous build's index, with the
same bytes as an index built anew (plain functions of hooks/portal/search.py)."""

from __future__ import annotations

import dataclasses
import json
import random

from portal.search import UPDATE_AT_MOST, SearchDoc, build_index, unpack

COLUMNS, ORGANISATIONS = ["工作动态", "经验交流"], ["县知联会", "县政协"]
WORDS = "界别党支部知联会社情民意新就业群体民主监督政协委员同心乡村振兴提案办理" + "ＡＢＣabc，。"


def _docs(n: int, seed: int = 1) -> list[SearchDoc]:
    rng = random.Random(seed)
    return [
        SearchDoc(
            f"news/2026/item-{k}/",
            "".join(rng.choices(WORDS, k=8)),
            f"2026-{1 + k % 12:02d}-{1 + k % 28:02d}",
            COLUMNS[k % 2],
            ORGANISATIONS[k % 2],
            "news",
            "".join(rng.choices(WORDS, k=rng.randint(0, 400))),
        )
        for k in range(n)
    ]


def _edit(docs: list[SearchDoc], which: list[int], body) -> list[SearchDoc]:
    out = list(docs)
    for k in which:
        out[k] = dataclasses.replace(out[k], body=body(out[k].body))
    return out


def test_an_index_updated_after_edits_is_the_index_built_anew():
    docs = _docs(300)
    first = build_index(docs, COLUMNS, ORGANISATIONS)
    assert first.updated == -1
    edits = [
        lambda body: body + "新增的一句话：基准测试修改。",  # new characters and bigrams
        lambda body: body[len(body) // 2 :],  # text removed: some grams leave the item
        lambda body: "",  # an empty body
        lambda body: body.replace("知", "ＺＨＩ"),  # full-width letters, folded
    ]
    previous = first
    for round_, edit in enumerate(edits):
        which = random.Random(round_).sample(range(len(docs)), 3) + [0, len(docs) - 1]  # and the first and last ids
        docs = _edit(docs, which, edit)
        updated = build_index(docs, COLUMNS, ORGANISATIONS, previous)
        anew = build_index(docs, COLUMNS, ORGANISATIONS)
        assert updated.updated >= 1 and anew.updated == -1
        assert updated.files == anew.files and updated.totals == anew.totals and updated.keys == anew.keys
        previous = updated


def test_a_title_edit_that_keeps_the_order_is_updated_in_place():
    docs = _docs(50)
    first = build_index(docs, COLUMNS, ORGANISATIONS)
    k = 7
    docs[k] = dataclasses.replace(docs[k], title=docs[k].title + "修改")  # sorted by date first: same id
    updated = build_index(docs, COLUMNS, ORGANISATIONS, first)
    assert updated.updated >= 1 and updated.files == build_index(docs, COLUMNS, ORGANISATIONS).files


def test_the_index_is_built_anew_when_the_previous_one_cannot_be_updated():
    docs = _docs(200)
    first = build_index(docs, COLUMNS, ORGANISATIONS)
    many = _edit(docs, list(range(UPDATE_AT_MOST + 1)), lambda body: body + "改")
    assert build_index(many, COLUMNS, ORGANISATIONS, first).updated == -1
    fewer = docs[:-1]  # an item withdrawn: the ids move
    assert build_index(fewer, COLUMNS, ORGANISATIONS, first).updated == -1
    other = build_index(docs, COLUMNS + ["理论学习"], ORGANISATIONS, first)  # the catalogue changed
    assert other.updated == -1 and other.files == build_index(docs, COLUMNS + ["理论学习"], ORGANISATIONS).files
    unchanged = build_index(docs, COLUMNS, ORGANISATIONS, first)
    assert unchanged.updated == 0 and unchanged.files == first.files


def test_a_previous_index_of_another_shape_is_ignored():
    import json

    from portal.search import VERSION, SearchIndex

    docs = _docs(20)
    first = build_index(docs, COLUMNS, ORGANISATIONS)
    broken = SearchIndex({"meta.json": json.dumps({"version": VERSION}).encode()}, list(first.keys), {})
    again = build_index(docs, COLUMNS, ORGANISATIONS, broken)
    assert again.updated == -1 and again.files == first.files


def test_result_texts_take_two_bytes_a_chinese_character_two_items_a_file():
    import json

    body = "界别党支部建在界别上。" * 40
    docs = [
        SearchDoc(f"news/2026/{n}/", "界别党支部", f"2026-03-0{n}", "工作动态", "县政协", "news", body + str(n))
        for n in range(1, 4)
    ]
    files = build_index(docs, ["工作动态"], ["县政协"]).files
    assert sorted(name for name in files if name.startswith("t/")) == ["t/0.bin", "t/1.bin"]  # 3 items, 2 files
    first = json.loads(unpack(files["t/0.bin"]).decode("utf-16-le"))
    assert [text["u"] for text in first] == ["news/2026/3/", "news/2026/2/"]  # newest first, as ids
    assert first[0]["x"] == body + "3"
    assert json.loads(unpack(files["t/1.bin"]).decode("utf-16-le"))[0]["u"] == "news/2026/1/"
    assert len(unpack(files["t/0.bin"])) < len(json.dumps(first, ensure_ascii=False).encode("utf-8")) * 0.75
    assert json.loads(files["meta.json"])["texts"] == 2


def test_a_bigram_once_in_an_item_costs_no_count():
    from portal.search import fnv1a, shard_entries

    def postings(files, gram):
        """The count and postings bytes of `gram` in its shard."""
        shard = files[f"g/{fnv1a(gram) % json.loads(files['meta.json'])['shards']['g']}.bin"]
        return shard_entries(unpack(shard))[gram]

    once = SearchDoc("news/2026/a/", "标题", "2026-03-02", "工作动态", "县政协", "news", "界别协商")
    twice = SearchDoc("news/2026/b/", "标题", "2026-03-01", "工作动态", "县政协", "news", "界别协商，界别活动")
    files = build_index([once, twice], ["工作动态"], ["县政协"]).files
    # id 0 (newest): gap 0 with the one-position bit, then position 3 ("标题\n" before it); id 1: gap 0
    # without it, a count of 2, positions 3 and 8 written as gaps
    assert postings(files, "界别") == (2, bytes([0b1, 3, 0b0, 2, 3, 4]))


def test_an_edit_touching_many_shards_is_updated_on_every_core_with_the_same_bytes(monkeypatch):
    """An item's edit touches a shard for most of its distinct bigrams: on a large index the shards
    are updated by forked processes (portal.forked), and the bytes are still those built anew."""
    import portal.search
    from portal.forked import MIN_VALUES, fork_map

    rng = random.Random(7)
    chars = [chr(0x4E00 + k) for k in range(2500)]
    docs = [dataclasses.replace(doc, body="".join(rng.choices(chars, k=600))) for doc in _docs(1200, seed=3)]
    previous = build_index(docs, COLUMNS, ORGANISATIONS)
    sizes = []
    monkeypatch.setattr(
        portal.search, "fork_map", lambda func, values: sizes.append(len(values)) or fork_map(func, values)
    )
    docs = _edit(docs, [600], lambda body: "".join(rng.choices(chars, k=900)))
    updated = build_index(docs, COLUMNS, ORGANISATIONS, previous)
    anew = build_index(docs, COLUMNS, ORGANISATIONS)
    assert updated.updated == 1 and max(sizes) >= MIN_VALUES  # the forked path was taken
    assert updated.files == anew.files and updated.totals == anew.totals


def test_item_and_shard_files_are_deflated():
    """The site's size is its bytes on disk: result texts and shards are written deflated (zlib), which
    the client inflates; items of everyday text take about half the bytes (issue 16: 200 MB at 10,000)."""
    import zlib

    words = ["界别", "党支部", "委员", "协商", "建言", "社情民意", "调研", "乡村振兴", "知联会", "会员", "活动", "开展"]
    rng = random.Random(16)
    docs = [
        SearchDoc(
            f"news/2026/{n}/",
            f"标题{n}",
            f"2026-03-{n % 28 + 1:02d}",
            "工作动态",
            "县政协",
            "news",
            "，".join("".join(rng.choice(words) for _ in range(6)) for _ in range(60)) + "。",
        )
        for n in range(40)
    ]
    files = build_index(docs, ["工作动态"], ["县政协"]).files
    packed = {name: data for name, data in files.items() if name[:2] in ("t/", "g/", "u/")}
    assert {name[:2] for name in packed} == {"t/", "g/", "u/"}
    for data in packed.values():
        assert data[0] == 0x78 and zlib.decompress(data) == unpack(data)  # zlib, as the browser's "deflate" reads
    raw = sum(len(unpack(data)) for data in packed.values())
    assert sum(len(data) for data in packed.values()) < raw * 0.6


def test_shards_average_eight_kilobytes_before_deflating():
    """Fewer files to host: a shard holds about 8 KB of postings (deflated, about 6 KB for bigrams), half the
    files of the 4 KB shards before the index was deflated; a query still fetches at most 300 KB."""
    rng = random.Random(8)
    chars = [chr(0x4E00 + k) for k in range(400)]
    docs = [
        SearchDoc(
            f"news/2026/{n}/",
            f"标题{n}",
            "2026-03-01",
            "工作动态",
            "县政协",
            "news",
            "".join(rng.choices(chars, k=800)),
        )
        for n in range(120)
    ]
    index = build_index(docs, ["工作动态"], ["县政协"])
    shards = json.loads(index.files["meta.json"])["shards"]["g"]
    assert 8_000 <= index.totals["g"] / shards < 16_000
    sizes = [len(unpack(data)) for name, data in index.files.items() if name.startswith("g/")]
    assert len(sizes) == shards and sum(sizes) / shards > 8_000


def test_the_indexing_process_writes_the_files_into_the_site_itself(tmp_path):
    """`mkdocs build` writes into a new folder: the indexing process puts every file of the index
    there while the pages render, instead of the build writing them all after (at 3,000 items that
    was 1.7 s at the end of every build); the files are those it hands back, for the build cache."""
    import sys

    from portal.search import IndexJob

    docs = _docs(120)
    site = tmp_path / "search"
    job = IndexJob(docs, COLUMNS, ORGANISATIONS, [], {}, site=str(site))
    files = job.result()
    on_disk = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert job.written == (sys.platform == "linux") and on_disk == (files if job.written else {})
    assert files == build_index(docs, COLUMNS, ORGANISATIONS).files
    elsewhere = IndexJob(docs, COLUMNS, ORGANISATIONS, [], {})  # a preview: the build writes them when ready
    assert elsewhere.result() == files and not elsewhere.written
