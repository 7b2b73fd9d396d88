"""Inspection veto rules: placeholders anywhere, empty and stale columns, identity and
feedback, approximate figures as written, backdating."""

from __future__ import annotations

import io
import json

from PIL import Image

from conftest import REVIEW_BODY, news, review
from test_check import run_check


def _png() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(data, "PNG")
    return data.getvalue()


def test_placeholders_in_title_summary_tags_metrics_and_alt_even_when_redacted(portal):
    portal.write("news/2026/photo.png", _png())
    portal.item("news/2026/a.md", news(title="XX县政协召开座谈会", summary="会议【待补充】", tags=["TODO"], redacted=True),
                body="第一段，会议共召开\\*次。\n\n![待核实](photo.png)\n")
    metrics = review()["metrics"]
    metrics[1] = dict(metrics[1], note="口径XX")
    portal.item("reviews/2025/r.md", review(metrics=metrics), body=REVIEW_BODY)
    records = [r for r in json.loads(run_check(portal, "--json").stdout) if r["rule"] == "placeholder"]
    found = {(r["file"].rsplit("/", 1)[1], r["line"], r["text"]) for r in records}
    lines = (portal.content / "news/2026/a.md").read_text(encoding="utf-8").split("\n")
    where = {text: next(n for n, line in enumerate(lines, 1) if text in line) for text in ("XX", "【待补充】", "tags:", "待核实")}
    where["TODO"] = where.pop("tags:")  # a tag is reported on the tags key's line
    assert {(line, text) for f, line, text in found if f == "a.md"} == {(line, text) for text, line in where.items()}
    assert any(f == "r.md" and text == "XX" for f, _, text in found)  # a metric's note
    assert all(r["level"] == "error" for r in records)
    assert portal.build().returncode != 0
