"""Push to deploy-ready, rehearsed: the publish workflow's build job run twice in fresh clones
(tests/rehearsal.py) on a synthetic corpus — a first push with a cold cache, then a content-only
push of one new item with the cache the first run saved.

    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_publish --items 1000 10000 [--logs DIR]

Prints each step's seconds. GitHub's own overhead (runner start, checkout over the network,
setup-python, cache download, artifact upload and the deploy job) is not included.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import tempfile
from pathlib import Path

from benchmarks.corpus import generate
from conftest import REPO, news, write_item
from rehearsal import Rehearsal

HERE = Path(__file__).resolve().parent


def keep_logs(run, folder: Path | None, name: str) -> None:
    """Every step's whole output and the job summary, for reading what a failed push said."""
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    text = "".join(f"=== {step.name} [{step.status}] {step.seconds:.1f} s\n{step.output}\n" for step in run.steps)
    (folder / f"{name}.log").write_text(text + "=== summary\n" + run.summary, encoding="utf-8")


def rehearse(items: int, logs: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rehearsal = Rehearsal(REPO, Path(tmp))
        root = rehearsal.origin
        shutil.rmtree(root / "content")
        generate(root / "content", items)
        config = root / "mkdocs.yml"
        text = re.sub(
            r"(?m)^site_url:.*$", "site_url: https://bench.github.io/portal/", config.read_text(encoding="utf-8")
        )
        # The corpus arrives in one commit, as a site moving onto the portal would: an archive import
        # (portal.content.history), so its old dates are not backdating.
        config.write_text(text, encoding="utf-8")
        rehearsal.commit(f"{items} items")
        first = rehearsal.run("publish.yml", "push")[0]
        print(first.report(), flush=True)
        keep_logs(first, logs, f"{items}-first-push")
        catalogue = (root / "content/catalogue.yml").read_text(encoding="utf-8")
        column = re.search(r"name: (.+)", catalogue).group(1).strip("'\"")
        organisation = re.findall(r"name: (.+)", catalogue)[-1].strip("'\"")
        write_item(
            root,
            "news/2026/pushed-item.md",
            news(title="新推送的稿件", column=column, organisation=organisation, date=dt.date.today().isoformat()),
        )
        rehearsal.commit("One new item")
        second = rehearsal.run("publish.yml", "push")[0]
        print(second.report(), flush=True)
        keep_logs(second, logs, f"{items}-second-push")
        print(
            f"{items} items: first push {first.seconds:.1f} s, content-only push with a warm cache "
            f"{second.seconds:.1f} s of steps",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000])
    parser.add_argument("--logs", type=Path, help="write each push's step outputs and summary into this folder")
    args = parser.parse_args()
    for items in args.items:
        rehearse(items, args.logs)


if __name__ == "__main__":
    main()
