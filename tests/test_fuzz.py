"""Fuzzing with Hypothesis: no front matter, body, catalogue or file name ever produces a
traceback or a write into content/ on `check`'s path, only Chinese problems (issue 10).
The long campaign is tests/benchmarks/fuzz_campaign.py."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from benchmarks.fuzz import case, check_one, write_case


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(case())
def test_no_content_ever_crashes_check_or_writes_into_content(data):
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        write_case(content, data)
        check_one(content)
