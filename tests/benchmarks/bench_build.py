"""Build benchmark: the portal against stock Material (blog plugin + search with jieba)
on the same synthetic corpus, plus rebuilds (nothing changed; one item edited) and the
`mkdocs serve` edit latency.

    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_build                 # ours at 1,000 / 3,000 / 10,000
    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_build --stock 3000         # and stock at 3,000
    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_build --sizes 50000 --serve 0 --no-rebuilds
    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_build --sizes 1000 --serve 0 --pictures 0.1  # photos

The stock baseline needs jieba (pip install jieba). Figures: wall seconds, ms per item,
peak memory of the whole build (the build process and every process it forks: page
workers, search index; the largest sum of their proportional set sizes, sampled every
0.1 s, so memory two processes share is counted once), size and file count of site/.
The last lines are the README's table rows, with the date, commit and machine load.

Each size's files are deleted only after every measurement (moved aside until then): on a file
system without a journal (ext4 here) creating files is several times slower for a minute or more
after many were deleted (ext4 skips inodes deleted less than 60 s ago, or 6 min while their
table is not yet written back). Deleting the smaller runs' files just before it gave the
10,000-item cold build 6-14 s of system time instead of 3-4 s (2026-11-30). A build on a fresh
runner or an editor's computer does not follow tens of thousands of deletions.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.corpus import generate
from conftest import TODAY, Portal, wait_for

HERE = Path(__file__).resolve().parent

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTAL_TODAY": TODAY}


def _tree(pid: int) -> list[int]:
    pids, k = [pid], 0
    while k < len(pids):
        for task in Path(f"/proc/{pids[k]}/task").glob("*/children"):
            try:
                pids += [int(p) for p in task.read_text().split()]
            except OSError:
                pass
        k += 1
    return pids


def _memory_mb(pids: list[int], file: str, field: str) -> float:
    """The sum of a memory field of /proc/PID/`file` (in kB) over `pids`, in MB."""
    total = 0
    for pid in pids:
        try:
            total += int(re.search(rf"^{field}:\s+(\d+)", Path(f"/proc/{pid}/{file}").read_text(), re.M).group(1))
        except (OSError, AttributeError):
            pass
    return total / 1024


def _pss_mb(pids: list[int]) -> float:
    return _memory_mb(pids, "smaps_rollup", "Pss")


def _rss_mb(pids: list[int]) -> float:
    return _memory_mb(pids, "status", "VmRSS")


class MemorySampler(threading.Thread):
    """The largest total PSS of a process and its descendants. PSS counts the memory that forked
    processes share once; but reading it walks their page tables, about 10 ms of CPU for a
    10,000-item build's processes: read ten times a second, that was a tenth of one of the two cores
    taken from the build being timed (about 1.4 s of its 30). The resident total (no page walk) is
    read ten times a second; PSS at least every half second, and at once when the resident total
    has grown by 2 % since the last PSS reading (a peak shorter than half a second may be missed by
    up to that)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        read_at, rss_then = 0.0, 0.0
        while not self.done.wait(0.1):
            pids = _tree(self.pid)
            rss = _rss_mb(pids)
            if rss > rss_then * 1.02 or time.monotonic() - read_at >= 0.5:
                self.peak = max(self.peak, _pss_mb(pids))
                read_at, rss_then = time.monotonic(), rss


def run_build(root: Path) -> tuple[float, float, float]:
    """Wall seconds, peak MB of the whole build (all its processes) and CPU seconds of all its
    processes (user + system: what a busy shared machine disturbs least)."""
    started = time.monotonic()
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build"], cwd=root, env=ENV, stdout=subprocess.DEVNULL, stderr=log
    )
    sampler = MemorySampler(process.pid)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    sampler.done.set()
    log.seek(0)
    output = log.read().decode("utf-8", "replace")
    if status:
        raise SystemExit(f"build failed in {root}: {output[-2000:]}")
    # The replaced site is deleted by a detached process after the build (portal.site.output.discard):
    # not part of the build's time, but never overlapping the next measurement either.
    deadline = time.monotonic() + 300
    while list(root.glob("site.discarded-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    return seconds, max(sampler.peak, usage.ru_maxrss / 1024), usage.ru_utime + usage.ru_stime


def edit_one(root: Path) -> None:
    """Add a sentence to the body of one item in the middle of the corpus."""
    items = sorted((root / "content" / "news").rglob("*.md"))
    item = items[len(items) // 2]
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("\n\n", "\n\n基准测试修改一篇。\n\n", 1), encoding="utf-8")


def site_mb(root: Path, under: str = "") -> float:
    return sum(p.stat().st_size for p in (root / "site" / under).rglob("*") if p.is_file()) / 1e6


def site_files(root: Path) -> int:
    return sum(1 for p in (root / "site").rglob("*") if p.is_file())


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=HERE, capture_output=True, text=True
    )
    return done.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


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
        body = text[FRONT.match(text).end() :]
        posts.joinpath(path.name).write_text(
            f"---\ndate: {field['date']}\ncategories:\n  - {field['column']}\n"
            f"tags: [{tags.group(1) if tags else ''}]\n---\n\n# {field['title']}\n\n{body}",
            encoding="utf-8",
        )


def serve_latency(root: Path) -> float:
    """Seconds from saving an edit to one item's body until `mkdocs serve` shows it (the first
    build of a large portal may take minutes: waited for, not counted)."""
    item = sorted((root / "content" / "news").rglob("*.md"))[len(list((root / "content" / "news").rglob("*.md"))) // 2]
    text = item.read_text(encoding="utf-8")
    url_path = item.relative_to(root / "content").as_posix()[:-3] + "/"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=ENV,
        start_new_session=True,  # its search index process too is stopped at the end (killpg)
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        if not wait_for(base + url_path, "</html>", seconds=900):
            raise SystemExit("mkdocs serve did not answer")
        time.sleep(2)  # let the first build's search index and file watching settle
        marker = "基准测试修改标记"
        item.write_text(text.replace("\n\n", f"\n\n{marker}。\n\n", 1), encoding="utf-8")
        started = time.monotonic()
        if not wait_for(base + url_path, marker, seconds=300):
            raise SystemExit("the edit never appeared")
        return time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        deadline = time.monotonic() + 60  # and every process of its group, before the folder is removed
        while time.monotonic() < deadline and _group_alive(server.pid):
            time.sleep(0.1)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--stock", type=int, nargs="*", default=[])
    parser.add_argument("--serve", type=int, default=10000, help="corpus size for the serve latency (0: skip)")
    parser.add_argument("--no-rebuilds", action="store_true", help="cold builds only (for the largest corpora)")
    parser.add_argument(
        "--pictures",
        type=float,
        default=0.0,
        help="share of items with a 2000×1500 photo (default none: the README's figures are without)",
    )
    args = parser.parse_args()
    rows, serve = [], ""
    with tempfile.TemporaryDirectory() as tmp:
        done = Path(tmp) / "done"  # deleted with tmp, after every measurement (see above)
        done.mkdir()
        for n in sorted(set(args.sizes) | set(args.stock) | ({args.serve} if args.serve else set())):
            work = Path(tmp) / str(n)
            work.mkdir()
            (work / "portal").mkdir()
            portal = Portal(work / "portal")
            shutil.rmtree(portal.content)
            generate(portal.content, n, pictures=args.pictures)
            if n in args.sizes:
                before = load()
                seconds, peak, cpu = run_build(portal.root)
                row = {
                    "name": "本站",
                    "n": n,
                    "seconds": seconds,
                    "cpu": cpu,
                    "peak": peak,
                    "site": site_mb(portal.root),
                    "search": site_mb(portal.root, "search"),
                    "files": site_files(portal.root),
                }
                if not args.no_rebuilds:
                    row["again"], row["again_peak"], row["again_cpu"] = run_build(portal.root)
                    edit_one(portal.root)
                    row["edit"], row["edit_peak"], row["edit_cpu"] = run_build(portal.root)
                row["load"] = f"{before} → {load()}"
                rows.append(row)
                print(row, flush=True)
            if n == args.serve:
                before = load()
                latency = serve_latency(portal.root)
                serve = f"mkdocs serve, {n:,} items: edit visible after {latency:.1f} s (load {before} → {load()})"
                print(serve, flush=True)
            if n in args.stock:
                stock = work / "stock"
                stock_portal(portal.content, stock)
                before = load()
                seconds, peak, cpu = run_build(stock)
                rows.append(
                    {
                        "name": "stock",
                        "n": n,
                        "seconds": seconds,
                        "cpu": cpu,
                        "peak": peak,
                        "site": site_mb(stock),
                        "search": site_mb(stock, "search"),
                        "files": site_files(stock),
                        "load": f"{before} → {load()}",
                    }
                )
                print(rows[-1], flush=True)
            work.rename(done / work.name)
    print()
    print(f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit()}, {os.cpu_count()} cores.")
    print(
        "| 构建 | 稿件数 | 冷构建 秒（CPU 秒） | 每篇毫秒 | 内存峰值 MB（全部进程） | 网站 MB（搜索） | 文件数 "
        "| 无改动重建 秒（CPU） | 改一篇后重建 秒（CPU） | 负载（前 → 后） |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        again = f"{r['again']:.1f}（{r['again_cpu']:.1f}）" if "again" in r else "—"
        edit = f"{r['edit']:.1f}（{r['edit_cpu']:.1f}）" if "edit" in r else "—"
        print(
            f"| {r['name']} | {r['n']:,} | {r['seconds']:.1f}（{r['cpu']:.0f}） | {r['seconds'] / r['n'] * 1000:.1f} | "
            f"{r['peak']:.0f} | {r['site']:.0f}（{r['search']:.0f}） | {r['files']:,} | {again} | {edit} | "
            f"{r['load']} |"
        )
    if serve:
        print(serve)


if __name__ == "__main__":
    main()
