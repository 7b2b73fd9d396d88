"""Build benchmark: the portal against stock Material (blog plugin + search with jieba)
on the same synthetic corpus, plus the second build and the `mkdocs serve` edit latency.

    .venv/bin/python tests/benchmarks/bench_build.py                      # ours at 1,000 / 3,000 / 10,000
    .venv/bin/python tests/benchmarks/bench_build.py --stock 1000 3000    # and stock at 1,000 and 3,000

The stock baseline needs jieba (pip install jieba). Figures: wall seconds, ms per item,
peak memory (max RSS of the build process), size of site/.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from conftest import TODAY, Portal, mkdocs_serve, wait_for  # noqa: E402
from corpus import generate  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTAL_TODAY": TODAY}


def run_build(root: Path) -> tuple[float, float, float]:
    """Seconds, peak MB of the build process and peak MB of the portal's search-index process
    (it runs beside the page rendering; 0 when the index came from the cache or for stock)."""
    started = time.monotonic()
    log = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build"], cwd=root, env=ENV,
                               stdout=subprocess.DEVNULL, stderr=log)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    log.seek(0)
    output = log.read().decode("utf-8", "replace")
    if status:
        raise SystemExit(f"build failed in {root}: {output[-2000:]}")
    index = re.search(r"索引进程内存峰值 (\d+) MB", output)
    return seconds, usage.ru_maxrss / 1024, float(index.group(1)) if index else 0.0


def site_mb(root: Path) -> float:
    return sum(p.stat().st_size for p in (root / "site").rglob("*") if p.is_file()) / 1e6


STOCK_CONFIG = """site_name: stock
theme:
  name: material
  language: zh
  font: false
plugins:
  - blog:
      blog_dir: .
  - search:
      lang: zh
      separator: '[\\s\\u200b\\-_,:!=\\[\\]()"`/]+|\\.(?!\\d)|&[lg]t;|(?!\\b)(?=[A-Z][a-z])'
"""
FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def stock_portal(content: Path, root: Path) -> None:
    """The same items as Material blog posts: title, date, column as category, tags, body."""
    posts = root / "docs" / "posts"
    posts.mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# 博客\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(STOCK_CONFIG, encoding="utf-8")
    for path in content.rglob("item-*.md"):
        text = path.read_text(encoding="utf-8")
        front = FRONT.match(text).group(1)
        if "draft: true" in front:
            continue
        field = dict(re.findall(r"^(title|date|column): (.*)$", front, re.M))
        tags = re.search(r"^tags: \[(.*)\]$", front, re.M)
        body = text[FRONT.match(text).end():]
        posts.joinpath(path.name).write_text(
            f"---\ndate: {field['date']}\ncategories:\n  - {field['column']}\n"
            f"tags: [{tags.group(1) if tags else ''}]\n---\n\n# {field['title']}\n\n{body}", encoding="utf-8")


def serve_latency(root: Path) -> float:
    """Seconds from saving an edit to one item's body until `mkdocs serve` shows it."""
    item = sorted((root / "content" / "news").rglob("*.md"))[len(list((root / "content" / "news").rglob("*.md"))) // 2]
    text = item.read_text(encoding="utf-8")
    url_path = item.relative_to(root / "content").as_posix()[:-3] + "/"
    with mkdocs_serve(root) as base:
        marker = "基准测试修改标记"
        item.write_text(text.replace("\n\n", f"\n\n{marker}。\n\n", 1), encoding="utf-8")
        started = time.monotonic()
        if not wait_for(base + url_path, marker, seconds=120):
            raise SystemExit("the edit never appeared")
        return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--stock", type=int, nargs="*", default=[])
    parser.add_argument("--serve", type=int, default=1000, help="corpus size for the serve latency (0: skip)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sorted(set(args.sizes) | set(args.stock) | ({args.serve} if args.serve else set())):
            work = Path(tmp) / str(n)
            work.mkdir()
            (work / "portal").mkdir()
            portal = Portal(work / "portal")
            shutil.rmtree(portal.content)
            generate(portal.content, n)
            if n in args.sizes:
                seconds, peak, index_peak = run_build(portal.root)
                again, again_peak, _ = run_build(portal.root)
                rows.append(("portal", n, seconds, peak, index_peak, site_mb(portal.root), again, again_peak))
            if n == args.serve:
                latency = serve_latency(portal.root)
                print(f"mkdocs serve, {n} items: edit visible after {latency:.2f} s", flush=True)
            if n in args.stock:
                stock = work / "stock"
                stock_portal(portal.content, stock)
                seconds, peak, _ = run_build(stock)
                rows.append(("stock", n, seconds, peak, 0.0, site_mb(stock), None, None))
            shutil.rmtree(work)
            print(rows[-1] if rows else "", flush=True)
    print()
    print("build | N | seconds | ms per item | peak MB (index process) | site MB | second build s (share) | second build peak MB")
    for name, n, seconds, peak, index_peak, size, again, again_peak in rows:
        second = f"{again:.1f} ({again / seconds:.0%})" if again else "—"
        index = f" ({index_peak:.0f})" if index_peak else ""
        print(f"{name} | {n} | {seconds:.1f} | {seconds / n * 1000:.1f} | {peak:.0f}{index} | {size:.0f} | {second} | "
              f"{f'{again_peak:.0f}' if again_peak else '—'}")


if __name__ == "__main__":
    main()
