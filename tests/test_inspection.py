"""Inspection veto rules: placeholders anywhere, empty and stale columns, identity and
feedback, approximate figures as written, backdating."""

from __future__ import annotations

import io
import json
import re

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


def test_approximate_figures_are_shown_and_exported_as_the_text_says(portal):
    metrics = [{"label": "参与会员", "value": 300, "unit": "人次", "approx": "超过", "group": "a", "headline": True},
               {"label": "服务群众", "value": 540, "unit": "人次", "approx": True, "group": "a"},
               {"label": "活动", "value": 10, "unit": "场", "approx": "多", "group": "a"}]
    body = "全年参与会员超过300人次，服务群众540余人次，开展活动10多场。\n"
    portal.item("reviews/2025/r.md", review(metrics=metrics), body=body)
    build = portal.build()
    assert build.returncode == 0, build.output
    page = build.page("reviews/2025/r")
    assert re.search(r'<span class="portal-figure__approx">超过</span><span class="portal-figure__value">300</span>', page)
    assert re.search(r'<span class="portal-figure__value">540</span><span class="portal-figure__approx">余</span>', page)
    assert re.search(r'<span class="portal-figure__value">10</span><span class="portal-figure__approx">多</span>', page)
    assert "300余" not in page
    data = json.loads((build.site / "data/metrics.json").read_text(encoding="utf-8"))
    assert {r["label"]: r["approx"] for r in data["records"]} == {"参与会员": "超过", "服务群众": "余", "活动": "多"}
    csv_text = (build.site / "data/metrics.csv").read_text(encoding="utf-8-sig")
    assert ",超过," in csv_text and ",余," in csv_text
    board = build.page("columns/2025-review")
    assert "超过300" in re.sub(r"<[^>]+>", "", board)
    # The figure check verifies the word: `true` (余) where the text says 超过 is a warning.
    metrics[0]["approx"] = True
    portal.item("reviews/2025/r.md", review(metrics=metrics), body=body)
    failed = portal.build()
    assert failed.returncode != 0 and "正文用的是“超过”，写作“超过300人次”" in failed.output and "approx: 超过" in failed.output
