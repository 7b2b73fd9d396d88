"""Search index micro-benchmark: CPU of building the index of a synthetic corpus, and of updating it.

    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_index                 # N = 3,000 and 10,000
    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_index --sizes 1000 --check

For each N: the items of the synthetic corpus (tests/benchmarks/corpus.py, seed 1), their bodies
rendered once to the text readers see (plain Markdown, kept in --work so a later run skips it),
then, measured with time.process_time:
  cold    build_index built anew (what the indexing process of a cold build does);
  update  build_index from that index after the middle item's body was edited: a sentence put in
          the middle of its body, which moves the positions of everything after it (what an edit
          rebuild does; a sentence added at the end would touch only its own grams' shards).
          It forks (portal.forked.fork_map over the shards it touches): the CPU
          of the forked processes (os.times' children fields) is added, and shown apart.
Each is the best of --repeat runs. --check also builds the edited index anew and asserts the
update gave the same bytes. Only the index functions of hooks/portal/search.py are measured:
no Markdown, no files written.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import os
import pickle
import time
from pathlib import Path

from benchmarks.corpus import generate
from portal.content.reader import load_content
from portal.search import SearchDoc, build_index, render_docs

TODAY = dt.date(2026, 11, 30)
EDIT = "基准测试修改：在界别协商中新增一句话。"


def corpus_docs(n: int, work: Path) -> tuple[list[SearchDoc], list[str], list[str]]:
    """The published items of the N-item corpus as the indexing process gets them (bodies rendered)."""
    cached = work / f"docs-{n}.pickle"
    if cached.is_file():
        with cached.open("rb") as source:
            return pickle.load(source)
    content_dir = work / f"content-{n}"
    if not content_dir.exists():
        generate(content_dir, n)
    content = load_content(content_dir)
    docs = [SearchDoc.of(item, item.path[: -len(".md")] + "/") for item in content.published(TODAY)]
    result = (render_docs(docs, [], {}), list(content.catalogue.columns), list(content.catalogue.organisations))
    with cached.open("wb") as out:
        pickle.dump(result, out, pickle.HIGHEST_PROTOCOL)
    return result


def _cpu(func):
    """func()'s result, and the CPU seconds of this process and of the children it waited for."""
    gc.collect()
    before, children = time.process_time(), os.times()
    result = func()
    own = time.process_time() - before
    after = os.times()
    forked = (after.children_user - children.children_user) + (after.children_system - children.children_system)
    return result, own, forked


def measure(n: int, work: Path, repeat: int, check: bool) -> None:
    docs, columns, organisations = corpus_docs(n, work)
    cold = []
    for _ in range(repeat):
        index, own, _ = _cpu(lambda: build_index(list(docs), columns, organisations))
        cold.append(own)
    middle = len(docs) // 2
    edited = list(docs)
    body = docs[middle].body
    edited[middle] = dataclasses.replace(docs[middle], body=body[: len(body) // 2] + EDIT + body[len(body) // 2 :])
    updates = []
    for _ in range(repeat):
        updated, own, forked = _cpu(lambda: build_index(edited, columns, organisations, index))
        assert updated.updated == 1, "the index was not updated in place"
        updates.append((own + forked, own, forked))
    best = min(updates)
    print(
        f"{n:>6} items ({len(docs)} published): cold build_index {min(cold):6.2f} s CPU; "
        f"update after one edit {best[0]:5.2f} s CPU ({best[1]:.2f} s here + {best[2]:.2f} s forked)"
    )
    if check:
        assert updated.files == build_index(edited, columns, organisations).files, "update != built anew"
        print("        the updated index is the index built anew, byte for byte")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 10000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-index"), help="corpora and rendered bodies")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement (the best is shown)")
    parser.add_argument("--check", action="store_true", help="also compare the update with the index built anew")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    for n in args.sizes:
        measure(n, args.work, args.repeat, args.check)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
