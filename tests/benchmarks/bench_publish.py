"""Push to deploy-ready, rehearsed: the publish workflow's build job run twice in fresh clones
(tests/rehearsal.py) on a synthetic corpus — a first push with a cold cache, then a content-only
push of one new item with the cache the first run saved.

    .venv/bin/python tests/benchmarks/bench_publish.py --items 1000 10000

Prints each step's seconds. GitHub's own overhead (runner start, checkout over the network,
setup-python, cache download, artifact upload and the deploy job) is not included.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from conftest import REPO, news, write_item  # noqa: E402
from corpus import generate  # noqa: E402
from rehearsal import Rehearsal  # noqa: E402


def rehearse(items: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rehearsal = Rehearsal(REPO, Path(tmp))
        root = rehearsal.origin
        shutil.rmtree(root / "content")
        generate(root / "content", items)
        config = root / "mkdocs.yml"
        text = re.sub(r"(?m)^site_url:.*$", "site_url: https://bench.github.io/portal/", config.read_text(encoding="utf-8"))
        # The corpus arrives as an archive import (items dated years before this commit): as the README tells
        # maintainers importing an archive, the backdating warning is widened for it.
        text = text.replace("\n  portal:\n", "\n  portal:\n    backdate_days: 36500\n", 1)
        config.write_text(text, encoding="utf-8")
        rehearsal.commit(f"{items} items")
        first = rehearsal.run("publish.yml", "push")[0]
        print(first.report(), flush=True)
        catalogue = (root / "content/catalogue.yml").read_text(encoding="utf-8")
        column = re.search(r"name: (.+)", catalogue).group(1).strip("'\"")
        organisation = re.findall(r"name: (.+)", catalogue)[-1].strip("'\"")
        write_item(root, "news/2026/pushed-item.md", news(title="新推送的稿件", column=column, organisation=organisation,
                                                     date=dt.date.today().isoformat()))
        rehearsal.commit("One new item")
        second = rehearsal.run("publish.yml", "push")[0]
        print(second.report(), flush=True)
        print(f"{items} items: first push {first.seconds:.1f} s, content-only push with a warm cache "
              f"{second.seconds:.1f} s of steps", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000])
    for items in parser.parse_args().items:
        rehearse(items)


if __name__ == "__main__":
    main()
