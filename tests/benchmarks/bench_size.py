"""Site size benchmark: what the published site weighs per item, by kind of file.

    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_size --sizes 1000 3000

Size is deterministic (no quiet machine needed): builds the synthetic corpus once per size
and sums the bytes of site/ by kind — item pages, listing pages (news, archive, columns,
organisations, tags), search (bigram shards, single-character shards, result texts),
theme assets, other — per published item, with the file count.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.bench_build import ENV, commit
from benchmarks.corpus import generate
from conftest import Portal

KINDS = ("item pages", "listings", "search", "assets", "other")


def kind(rel: str, items: set[str]) -> str:
    """The kind of one file of the site, by its path relative to site/."""
    top = rel.split("/", 1)[0]
    if top == "search":
        return "search"
    if top == "assets" or top in ("javascripts", "stylesheets", "images"):
        return "assets"
    if rel in items:
        return "item pages"
    if rel.endswith(".html") and top in ("news", "reviews", "archive", "columns", "organisations", "tags", "page"):
        return "listings"
    return "other"


def search_part(rel: str) -> str:
    parts = rel.split("/")
    return parts[1] if len(parts) > 2 else parts[-1]


def measure(site: Path, content: Path) -> dict:
    """Bytes and files by kind, the search by its parts, and the published item count."""
    items = set()
    for md in content.rglob("*.md"):
        rel = md.relative_to(content).as_posix()[:-3] + "/index.html"
        if (site / rel).is_file():
            items.add(rel)
    size: dict[str, int] = defaultdict(int)
    files: dict[str, int] = defaultdict(int)
    search: dict[str, int] = defaultdict(int)
    for path in site.rglob("*"):
        if path.is_file():
            rel = path.relative_to(site).as_posix()
            k = kind(rel, items)
            size[k] += path.stat().st_size
            files[k] += 1
            if k == "search":
                search[search_part(rel)] += path.stat().st_size
    return {"items": len(items), "size": size, "files": files, "search": search}


def build(n: int, tmp: Path, keep: bool = False) -> dict:
    work = tmp / str(n)
    work.mkdir()
    portal = Portal(work)
    shutil.rmtree(portal.content)
    generate(portal.content, n)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=work, env=ENV, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"build failed: {done.stderr[-2000:]}")
    result = measure(work / "site", portal.content)
    if not keep:
        shutil.rmtree(work)
    return result


def report(n: int, m: dict) -> list[str]:
    items = m["items"]
    total = sum(m["size"].values())
    lines = [
        f"{n:,} items generated, {items:,} published: site {total / 1e6:.1f} MB in {sum(m['files'].values()):,} files, "
        f"{total / items / 1000:.1f} KB per item"
    ]
    for k in KINDS:
        size = m["size"][k]
        lines.append(f"  {k:<11} {size / 1e6:7.1f} MB {m['files'][k]:7,} files {size / items / 1000:6.2f} KB/item")
    for part, b in sorted(m["search"].items(), key=lambda kv: -kv[1]):
        lines.append(f"    search/{part:<16} {b / 1e6:7.2f} MB {b / items / 1000:6.2f} KB/item")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--keep", type=Path, help="build in this (empty) folder and keep the portals to inspect")
    args = parser.parse_args()
    print(f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit()}.")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            for line in report(n, build(n, args.keep or Path(tmp), keep=bool(args.keep))):
                print(line, flush=True)


if __name__ == "__main__":
    main()
