"""CPU of rendering one item page in a cold build: the benchmark corpus built by one process
(`render_workers: 1`), with the CPU time of each item page's `_populate_page` and `_build_page`
(MkDocs' two page steps: Markdown, the plan's data and QR image, templates, post-processing, cache
writes) summed. Less disturbed by other work on the machine than wall time; still, compare two
commits side by side (`--hooks` of the other one, both run at the same time, same load).

    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_page_cpu --items 2000
    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_page_cpu --items 2000 --against /tmp/old-checkout

`--against`: a checkout (its hooks/, overrides/ and docs/) built beside this one on the same corpus,
at the same time; the two sites are compared file by file.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.corpus import generate
from conftest import REPO, TODAY, Portal

RUNNER = r"""
import atexit, os, re, sys, time
import mkdocs.commands.build as build

ITEM = re.compile(r"^(news|reviews)/\d{4}/")
spent = {"cpu": 0.0, "system": 0.0, "steps": 0}

def timed(step):
    def run(page, *args, **kwargs):
        cpu, system = time.process_time(), os.times().system
        try:
            return step(page, *args, **kwargs)
        finally:
            if ITEM.match(page.file.src_uri):
                spent["cpu"] += time.process_time() - cpu
                spent["system"] += os.times().system - system
                spent["steps"] += 1

    return run

build._populate_page, build._build_page = timed(build._populate_page), timed(build._build_page)

@atexit.register
def report():
    pages = spent["steps"] // 2 or 1
    print(f"RESULT {pages} {spent['cpu'] / pages * 1000:.2f} {spent['system'] / pages * 1000:.2f}", file=sys.stderr)

from mkdocs.__main__ import cli
sys.argv = ["mkdocs", "build", "-q"]
cli()
"""


def prepare(root: Path, items: int, source: Path) -> None:
    """A fixture portal at `root` with the corpus and `source`'s hooks, templates and docs."""
    if not (root / "content").is_dir():
        root.mkdir(parents=True, exist_ok=True)
        portal = Portal(root)
        shutil.rmtree(portal.content)
        generate(portal.content, items)
        config = (root / "mkdocs.yml").read_text(encoding="utf-8")
        (root / "mkdocs.yml").write_text(
            config.replace("  portal:\n", "  portal:\n    render_workers: 1\n", 1), encoding="utf-8"
        )
    for name in ("hooks", "overrides", "docs"):
        shutil.rmtree(root / name, ignore_errors=True)
        shutil.copytree(source / name, root / name)
    for name in (".cache", "site"):
        shutil.rmtree(root / name, ignore_errors=True)


def start(root: Path) -> subprocess.Popen:
    env = {**os.environ, "PORTAL_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def result(process: subprocess.Popen) -> tuple[int, float, float]:
    _, errors = process.communicate()
    line = next((line for line in errors.splitlines() if line.startswith("RESULT ")), None)
    if process.returncode != 0 or line is None:
        raise SystemExit(errors[-3000:])
    pages, cpu, system = line.split()[1:]
    return int(pages), float(cpu), float(system)


def same_site(one: Path, other: Path) -> bool:
    compared = filecmp.dircmp(one, other)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(one, other, compared.common_files, shallow=False)
    return not mismatch and not errors and all(same_site(one / d, other / d) for d in compared.common_dirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--against", type=Path, help="another checkout, built at the same time")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bench-page-cpu")
    args = parser.parse_args()
    for _ in range(args.rounds):
        prepare(args.work / f"this-{args.items}", args.items, REPO)
        if args.against:
            prepare(args.work / f"other-{args.items}", args.items, args.against)
        this = start(args.work / f"this-{args.items}")
        other = start(args.work / f"other-{args.items}") if args.against else None
        pages, cpu, system = result(this)
        line = f"this: {pages} item pages, {cpu:.2f} ms CPU a page ({system:.2f} system)"
        if other:
            _, other_cpu, other_system = result(other)
            same = same_site(args.work / f"this-{args.items}/site", args.work / f"other-{args.items}/site")
            line += f"; other: {other_cpu:.2f} ({other_system:.2f} system); sites {'identical' if same else 'DIFFER'}"
        print(line, f"(load {os.getloadavg()[0]:.1f})", flush=True)


if __name__ == "__main__":
    main()
