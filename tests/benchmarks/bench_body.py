"""CPU time of the body rules (`portal.rules.body.body_problems`) on a content folder.

    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_body CONTENT [--mode cold|single|edit]

cold    as a cold build runs them: spread over the cores by `portal.forked.fork_map` (the
        forked processes' CPU time included), no cache;
single  the same in one process;
edit    a build cache filled by another process first, then one item (the middle one) gets a
        new sentence: the body rules of the rebuild after that edit (a fresh process, as
        `mkdocs build` is).
Prints the CPU seconds (user + system, children included), per item, and the number of problems.
Make a corpus with `python -m benchmarks.corpus TARGET N`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

FILL = """
import sys
from pathlib import Path
from portal.cache import BuildCache
from portal.content.reader import load_content
from portal.rules.body import body_problems
content_dir, folder = Path(sys.argv[1]), Path(sys.argv[2])
cache = BuildCache(folder, "bench")
body_problems(load_content(content_dir, "content").items, "content", (), content_dir, cache)
cache.save("body")
cache.close()
"""


def cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("content", type=Path)
    parser.add_argument("--mode", choices=("cold", "single", "edit"), default="cold")
    args = parser.parse_args()
    import portal.forked
    from portal.cache import BuildCache
    from portal.content.reader import load_content
    from portal.rules.body import body_problems

    items = load_content(args.content, "content").items
    cache = None
    if args.mode == "single":
        portal.forked.MIN_VALUES = sys.maxsize
    if args.mode == "edit":
        folder = Path(tempfile.mkdtemp(prefix="bench-body-"))
        subprocess.run([sys.executable, "-c", FILL, str(args.content), str(folder)], check=True)
        cache = BuildCache(folder, "bench")
        middle = len(items) // 2
        edited = replace(items[middle], body=items[middle].body.replace("。", "。会上还通报了有关情况。", 1))
        items = [*items[:middle], edited, *items[middle + 1 :]]
    started, clock = cpu(), time.perf_counter()
    problems = body_problems(items, "content", (), args.content, cache)
    seconds, wall = cpu() - started, time.perf_counter() - clock
    print(
        f"{args.mode}: {len(items)} items, CPU {seconds:.2f} s ({1000 * seconds / len(items):.3f} ms an item), "
        f"wall {wall:.2f} s, {len(problems)} problems"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
