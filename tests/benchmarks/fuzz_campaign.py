"""A long fuzz campaign of `check`'s content path (tests/benchmarks/fuzz.py), in-process.

    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.fuzz_campaign --cases 10000 [--seed 1]

Every case writes one item and a catalogue into a scratch content/ folder and runs the
property: only Chinese problems naming a file under content/, no traceback, nothing written.
A failure prints Hypothesis's shrunk example and exits 1. A segfault would end the process
with a signal: run it as a command, not imported.
"""

from __future__ import annotations

import argparse
import collections
import platform
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

from benchmarks.fuzz import case, check_one, write_case

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="portal-fuzz-"))
    counts = collections.Counter()
    kinds = collections.Counter()
    started = time.monotonic()

    @seed(args.seed)
    @settings(max_examples=args.cases, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case())
    def campaign(data):
        content = scratch / "content"
        shutil.rmtree(content, ignore_errors=True)
        write_case(content, data)
        problems = check_one(content)
        counts["cases"] += 1
        counts["with errors"] += any(p.level == "error" for p in problems)
        counts["accepted"] += not any(p.level == "error" for p in problems)
        for problem in problems:
            counts[problem.level] += 1
            kinds[re.sub(r"“[^”]*”|\d+|[A-Za-z_]+", "…", problem.message)[:24]] += 1

    try:
        campaign()
        status = 0
    except Exception as error:  # the property broke: Hypothesis has printed the shrunk case
        print(f"FAILED: {type(error).__name__}: {error}", file=sys.stderr)
        status = 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    elapsed = time.monotonic() - started
    print(
        f"fuzz campaign: {counts['cases']} cases (seed {args.seed}) in {elapsed:.0f} s "
        f"({counts['cases'] / max(elapsed, 1e-9):.0f} cases/s), Python {platform.python_version()}"
    )
    print(f"  cases refused with an error: {counts['with errors']}, accepted: {counts['accepted']}")
    print(
        f"  problems: {counts['error']} errors, {counts['warning']} warnings, {counts['notice']} notices; "
        f"tracebacks: {status}, writes into content/: 0"
    )
    print("  most frequent problems:")
    for kind, number in kinds.most_common(12):
        print(f"    {number:6}  {kind}")
    return status


if __name__ == "__main__":
    sys.exit(main())
