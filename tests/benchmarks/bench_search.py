"""Search benchmark: synthetic N-item portals, measured in headless Chromium.

    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_search            # N = 1,000 and 10,000
    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_search --sizes 300

For each N: builds the portal from the synthetic corpus (tests/benchmarks/corpus.py),
then prints bytes fetched by a plain page view (search part and whole page), bytes and
milliseconds of the first query of a visit and of later ones, recall and ranking against
ground truth computed by substring matching on the built pages, index size and how long
the build waited for the index after the pages (it is built beside them; from the build log).
Needs Debian's chromium and the test dependencies.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import generate
from conftest import CHROMIUM, CHROMIUM_ARGS, Portal, contain_all, item_texts, serve_directory
from portal.search import TEXT_ENCODING, TEXTS_PER_FILE, normalise, unpack

HERE = Path(__file__).resolve().parent

QUERIES = [
    "知联会",
    "社情民意",
    "界别党支部",
    "新就业群体",
    "民主监督",
    "政协委员",
    "乡村振兴",
    "委员之家",
    "提案办理",
    "同心",
    "政协委员 提案",
    "知联会 社情民意",
    "统一战线 党外知识分子",
]


def measure(n: int, work: Path, browser) -> dict:
    (work / "portal").mkdir()
    portal = Portal(work / "portal")
    shutil.rmtree(portal.content)
    generate(portal.content, n)
    started = time.monotonic()
    build = portal.build(today="2026-06-01")
    build_seconds = time.monotonic() - started
    if build.returncode:
        raise SystemExit(build.output[-3000:])
    index = re.search(
        r"搜索索引：(\d+) 篇[^。]*?，(\d+) 个分片，([\d.]+) MB，页面生成后又等了 ([\d.]+) 秒", build.output
    )
    texts = item_texts(build.site)
    urls = {
        int(p.stem) * TEXTS_PER_FILE + k: "/" + text["u"]
        for p in (build.site / "search/t").glob("*.bin")
        for k, text in enumerate(json.loads(unpack(p.read_bytes()).decode(TEXT_ENCODING)))
    }
    article = next(iter(texts))

    with serve_directory(build.site) as base:
        page = browser.new_page()
        sizes: dict[str, int] = {}
        page.on("response", lambda r: sizes.__setitem__(r.url, int(r.headers.get("content-length", 0))))
        page.goto(base + article.lstrip("/"))
        page.wait_for_load_state("networkidle")
        view_total = sum(sizes.values())
        view_search = sum(size for url, size in sizes.items() if "search" in url)

        def query(text: str) -> tuple[float, int]:
            """Milliseconds from typing to results on screen (later queries include the UI's 120 ms typing
            pause; the first runs as soon as the engine is loaded), and bytes fetched."""
            sizes.clear()
            elapsed = page.evaluate(
                """q => new Promise(resolve => {
                const box = document.querySelector('[data-portal-search]');
                const input = box.querySelector('input[name=q]');
                const meta = box.querySelector('.md-search-result__meta');
                const list = box.querySelector('.md-search-result__list');
                meta.textContent = '';
                const started = performance.now();
                const observer = new MutationObserver(() => {
                    const done = list.children.length || meta.textContent.startsWith('没有');
                    if (/找到/.test(meta.textContent) && done) {
                        observer.disconnect();
                        resolve(performance.now() - started);
                    }
                });
                observer.observe(box, { subtree: true, childList: true, characterData: true });
                input.focus();
                input.value = q;
                input.dispatchEvent(new Event('input'));
            })""",
                text,
            )
            page.wait_for_load_state("networkidle")
            return elapsed, sum(sizes.values())

        def found(text: str) -> list[str]:
            ids = page.evaluate(
                """async ([base, q]) => {
                const { Engine } = await import(base + 'javascripts/portal-search-engine.js');
                const engine = window.__engine || (window.__engine = new Engine(new URL('search/', base)));
                return (await engine.search(q)).ids;
            }""",
                [base, text],
            )
            return [urls[i] for i in ids]

        first_ms, first_bytes = query(QUERIES[0])
        later = [query(q) for q in QUERIES[1:]]
        recalls, rankings = [], []
        for text in QUERIES:
            words = normalise(text).split(" ")
            truth = contain_all(texts, text)
            results = found(text)
            recalls.append(len(truth & set(results)) / len(truth) if truth else 1.0)
            recalls.append(1.0 if set(results) <= truth else 0.0)  # nothing that does not contain the query
            phrase = "".join(words)
            flags = [phrase in texts[url] for url in results]
            rankings.append(flags == sorted(flags, reverse=True))  # whole-query items all above the others
        page.close()
    site_mb = sum(p.stat().st_size for p in build.site.rglob("*") if p.is_file()) / 1e6
    return {
        "N": n,
        "build s": build_seconds,
        "site MB": site_mb,
        "view KB": view_total / 1e3,
        "view search KB": view_search / 1e3,
        "1st query KB": first_bytes / 1e3,
        "1st query ms": first_ms,
        "later KB (max)": max(b for _, b in later) / 1e3,
        "later ms (median)": statistics.median(t for t, _ in later),
        "later ms (max)": max(t for t, _ in later),
        "recall (min)": min(recalls),
        "ranking ok": f"{sum(rankings)}/{len(rankings)}",
        "index MB": float(index.group(3)),
        "index wait s": float(index.group(4)),
        "shards": int(index.group(2)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for n in args.sizes:
            work = Path(tmp) / str(n)
            work.mkdir()
            rows.append(measure(n, work, browser))
            shutil.rmtree(work)
        browser.close()
    keys = list(rows[0])
    print(" | ".join(keys))
    for row in rows:
        print(" | ".join(f"{row[k]:.2f}" if isinstance(row[k], float) else str(row[k]) for k in keys))


if __name__ == "__main__":
    main()
