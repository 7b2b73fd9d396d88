"""Image checks of a warm build: a corpus where every item shows a photo, built twice
(cold, then warm with nothing changed), optionally with another checkout's hooks/ to
compare before and after a change.

    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_images           # 200 items, 200 photos 2000×1500
    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_images --hooks /tmp/main-hooks  # with those hooks
    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_images --reading  # content/ read twice, in-process
    PYTHONPATH=/tmp/main-hooks:tests .venv/bin/python -m benchmarks.bench_images --reading  # … with those hooks

Prints wall and CPU seconds of both builds (or CPU seconds of reading content/ — validation and
image checks, no pages or derivatives — cold and warm with a build cache), with the date and commit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.bench_build import commit, load, run_build
from benchmarks.corpus import generate
from conftest import Portal

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--pictures", type=float, default=1.0, help="share of items with a photo")
    parser.add_argument("--picture-size", default="2000x1500")
    parser.add_argument("--hooks", type=Path, help="build with this hooks/ folder instead of the repository's")
    parser.add_argument("--reading", action="store_true", help="time reading content/ (load_content) instead of builds")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.picture_size.split("x"))
    if args.reading:
        return reading(args, size)
    with tempfile.TemporaryDirectory() as tmp:
        portal = Portal(Path(tmp))
        if args.hooks:
            shutil.rmtree(portal.root / "hooks")
            shutil.copytree(args.hooks, portal.root / "hooks")
        shutil.rmtree(portal.content)
        stats = generate(portal.content, args.items, pictures=args.pictures, picture_size=size)
        before = load()
        cold, _, cold_cpu = run_build(portal.root)
        warm, _, warm_cpu = run_build(portal.root)
        print(
            f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit()}, {os.cpu_count()} cores, "
            f"hooks {args.hooks or 'of the repository'}, load {before} → {load()}."
        )
        print(
            f"{stats.items} items, {stats.pictures} photos {args.picture_size}: "
            f"cold {cold:.1f} s (CPU {cold_cpu:.1f} s), warm {warm:.1f} s (CPU {warm_cpu:.1f} s)"
        )


def reading(args, size) -> None:
    """load_content twice with one build cache, in this process: CPU seconds, pictures decoded."""
    if args.hooks:  # this process imports the portal from PYTHONPATH: give the other hooks/ there
        raise SystemExit("--reading measures the hooks/ on PYTHONPATH: PYTHONPATH=OTHER/hooks:tests python -m …")
    import portal.images as portal_images
    from portal.cache import BuildCache
    from portal.content.reader import load_content

    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        stats = generate(content, args.items, pictures=args.pictures, picture_size=size)
        figures = []
        for _ in ("cold", "warm"):
            cache = BuildCache(Path(tmp) / "cache", "bench")
            decoded = getattr(portal_images, "decoded", None)
            started = time.process_time()
            load_content(content, "content", cache)
            figures.append(time.process_time() - started)
            cache.save("items", getattr(portal_images, "CHECKS", "items"))
            cache.db.close()
            if decoded is not None:
                figures.append(portal_images.decoded - decoded)
        print(
            f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit()}, "
            f"hooks {args.hooks or 'of the repository'}, load {load()}."
        )
        shown = [f"{f:.2f} s" if isinstance(f, float) else f"{f} decoded" for f in figures]
        print(
            f"reading {stats.items} items, {stats.pictures} photos {args.picture_size}: "
            f"CPU cold {' / '.join(shown[: len(shown) // 2])}"
            f", warm {' / '.join(shown[len(shown) // 2 :])}"
        )


if __name__ == "__main__":
    main()
