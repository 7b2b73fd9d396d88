"""Proofreading benchmark: caught and false-alarm rates by kind on the labelled set.

    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_proofread [--show] [--corpus N]

A planted error is caught when a finding overlaps its span; a clean sentence is a false alarm
when anything at all is reported in it. Within each kind every third entry is held out (the
detectors were tuned on the others); both halves are reported, and the time per 1,000 characters.
`--corpus N` also proofreads N synthetic items (tests/benchmarks/corpus.py, which has no planted
errors: every finding there is a false alarm) and reports the time a cold build spends on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import yaml

from portal.rules.proofread import Proofreader, load_terms

ROOT = Path(__file__).resolve().parents[2]

LABELLED = ROOT / "tests/data/proofread_labelled.yml"
KINDS = ("formulation", "name", "transposition", "confusion", "number", "punctuation")


def labelled() -> tuple[list[dict], list[dict]]:
    """(planted, clean), each entry with `holdout` set: the 3rd, 6th … entry of its kind."""
    data = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    planted, counts = [], {}
    for entry in data["planted"]:
        counts[entry["kind"]] = counts.get(entry["kind"], 0) + 1
        planted.append(dict(entry, holdout=counts[entry["kind"]] % 3 == 0))
    clean = [
        dict(entry if isinstance(entry, dict) else {"text": entry}, holdout=number % 3 == 0)
        for number, entry in enumerate(data["clean"], 1)
    ]
    return planted, clean


def day_of(entry: dict) -> dt.date:
    return dt.date(entry.get("year", 2026), 12, 31)


def evaluate(proofreader: Proofreader) -> dict:
    planted, clean = labelled()
    results = {"planted": [], "clean": []}
    for entry in planted:
        text, wrong = entry["text"], entry["wrong"]
        start = text.index(wrong)
        findings = proofreader.check(text, day_of(entry), entry.get("year", 2026))
        caught = any(f.start < start + len(wrong) and start < f.end for f in findings)
        results["planted"].append((entry, caught, findings))
    for entry in clean:
        findings = proofreader.check(entry["text"], day_of(entry), entry.get("year", 2026))
        results["clean"].append((entry, findings))
    return results


def table(results: dict, holdout: bool | None) -> list[str]:
    def chosen(entry):
        return holdout is None or entry["holdout"] == holdout

    rows = []
    planted = [(e, c) for e, c, _ in results["planted"] if chosen(e)]
    for kind in KINDS:
        of_kind = [c for e, c in planted if e["kind"] == kind]
        if of_kind:
            rows.append(
                f"  {kind:<14} caught {sum(of_kind):>3}/{len(of_kind):<3} {100 * sum(of_kind) / len(of_kind):5.1f} %"
            )
    total = [c for _, c in planted]
    rows.append(f"  {'overall':<14} caught {sum(total):>3}/{len(total):<3} {100 * sum(total) / len(total):5.1f} %")
    clean = [bool(f) for e, f in results["clean"] if chosen(e)]
    rows.append(f"  {'clean':<14} false alarms {sum(clean)}/{len(clean)} {100 * sum(clean) / len(clean):5.1f} %")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="list misses and false alarms")
    parser.add_argument("--corpus", type=int, default=0, help="also proofread this many synthetic items")
    args = parser.parse_args()
    terms, _ = load_terms(None)
    proofreader = Proofreader(terms)
    proofreader.check("加强党的领导。", dt.date(2026, 1, 1))  # load jieba's dictionary outside the timing
    results = evaluate(proofreader)
    for title, holdout in (("all", None), ("tuning part", False), ("held-out part", True)):
        print(f"{title}:")
        print("\n".join(table(results, holdout)))
    if args.show:
        for entry, caught, findings in results["planted"]:
            if not caught:
                print("MISSED", entry["kind"], entry["wrong"], entry["text"], [f.message for f in findings])
        for entry, findings in results["clean"]:
            if findings:
                print("FALSE ALARM", entry["text"], [f.message for f in findings])
    corpus = (
        "\n".join(e["text"] for e, _, _ in results["planted"])
        + "\n"
        + "\n".join(e["text"] for e, _ in results["clean"])
    )
    started = time.perf_counter()
    for _ in range(20):
        proofreader.check(corpus, dt.date(2026, 6, 1))
    per_k = (time.perf_counter() - started) / 20 / len(corpus) * 1000 * 1000
    print(f"time: {per_k:.2f} ms per 1,000 characters ({len(corpus)} characters, 20 runs)")
    if args.corpus:
        synthetic(proofreader, args.corpus)
    return 0


def synthetic(proofreader: Proofreader, n: int) -> None:
    import tempfile

    from benchmarks.corpus import generate
    from portal.content.reader import load_content
    from portal.rules.proofread import proofread_item

    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder) / "content", n)
        content = load_content(Path(folder) / "content")
    started = time.perf_counter()
    findings = [p for item in content.items for p in proofread_item(item, item.path, proofreader)]
    seconds = time.perf_counter() - started
    characters = sum(len(item.body) + len(item.title) + len(item.summary) for item in content.items)
    flagged = len({p.file for p in findings})
    print(
        f"synthetic corpus: {len(content.items)} items, {characters} characters, {seconds:.1f} s "
        f"({1000 * seconds / len(content.items):.1f} ms per item); findings {len(findings)} in {flagged} items "
        f"({100 * flagged / len(content.items):.2f} % of items): {sorted({p.text for p in findings})[:10]}"
    )


if __name__ == "__main__":
    sys.exit(main())
