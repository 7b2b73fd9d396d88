"""Annual reviews as data: figures checked against the text, column boards, trends, open data."""

from __future__ import annotations

import csv
import io
import json
import re

import yaml

from conftest import CATALOGUE, DEMO_CONTENT, SITE_URL, review

HAINING = DEMO_CONTENT / "reviews/2025/haining-zhilianhui.md"


def _catalogue_with_2024(portal):
    catalogue = yaml.safe_load(yaml.safe_dump(CATALOGUE))
    catalogue["columns"].append({"name": "2024·年度回顾", "slug": "2024-review"})
    portal.write("catalogue.yml", yaml.safe_dump(catalogue, allow_unicode=True))


def _reviews(portal, draft_secret=False):
    """Two organisations, two years, units that must not be added together."""
    _catalogue_with_2024(portal)
    portal.item(
        "reviews/2024/zhilianhui.md",
        review(
            title="县知联会2024年回顾",
            date="2025-01-20",
            year=2024,
            column="2024·年度回顾",
            metrics=[
                {"label": "社情民意信息", "value": 30, "unit": "篇", "group": "参政议政"},
                {"label": "义诊", "value": 5, "unit": "场", "group": "社会服务"},
                {"label": "只在这一年", "value": 3, "unit": "次", "group": "社会服务"},
            ],
        ),
        body="全年上报社情民意信息30篇。开展义诊5场。只在这一年的活动举办3次。\n",
    )
    portal.item(
        "reviews/2025/zhilianhui.md",
        review(
            metrics=[
                {"label": "社情民意信息", "value": 46, "unit": "篇", "group": "参政议政", "headline": True},
                {"label": "义诊", "value": 8, "unit": "场", "group": "社会服务"},
                {"label": "服务群众", "value": 540, "unit": "人次", "approx": True, "group": "社会服务"},
                {"label": "提案", "value": 25, "unit": "件", "group": "参政议政"},
            ]
        ),
        body="全年上报社情民意信息46篇，提交提案25件。开展义诊8场，服务群众540余人次。\n",
    )
    portal.item(
        "reviews/2025/zhengxie.md",
        review(
            title="县政协2025年回顾",
            organisation="县政协",
            metrics=[
                {"label": "社情民意信息", "value": 12, "unit": "篇", "group": "参政议政"},
                {"label": "服务群众", "value": 100, "unit": "人次", "group": "社会服务"},
                {"label": "提案", "value": 3, "unit": "篇", "group": "参政议政"},
            ],
        ),
        body="报送社情民意信息12篇，服务群众100人次，形成提案3篇。\n",
    )
    if draft_secret:
        portal.item(
            "reviews/2025/draft.md",
            review(
                title="未发布的回顾",
                organisation="县政协",
                draft=True,
                metrics=[{"label": "保密指标", "value": 999, "unit": "件", "group": "其他"}],
            ),
            body="保密指标999件。\n",
        )
    return portal.build()


def test_every_figure_of_the_haining_review_is_found_in_its_text(portal):
    portal.write("reviews/2025/haining.md", HAINING.read_bytes())
    build = portal.build()
    assert build.returncode == 0, build.output
    assert "WARNING" not in build.output


def test_a_figure_changed_by_one_is_reported_with_file_line_and_metric(portal):
    text = HAINING.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "label: 社情民意信息" in row)
    portal.write(
        "reviews/2025/haining.md", text.replace("label: 社情民意信息, value: 46", "label: 社情民意信息, value: 47")
    )
    build = portal.build()
    assert build.returncode != 0
    assert (
        f"content/reviews/2025/haining.md:{line}: 年度数据“社情民意信息 47篇”与正文不一致：正文写的是 “46篇”"
        in build.output
    ), build.output
    assert "Aborted with 1 warnings in strict mode" in build.output
    assert portal.build(strict=False).returncode == 0


def test_a_figure_missing_from_the_text_is_reported(portal):
    portal.item("reviews/2025/r.md", review(), body="全年上报社情民意信息46篇，个人提案25件。\n")
    build = portal.build()
    assert build.returncode != 0
    assert "年度数据“服务群众 540余人次”在正文中找不到" in build.output, build.output


def test_chinese_numerals_and_approximate_words_count(portal):
    portal.item(
        "reviews/2025/r.md",
        review(
            metrics=[
                {"label": "会长会议", "value": 2, "unit": "次", "group": "a"},
                {"label": "新会员", "value": 20, "unit": "名", "group": "a"},
                {"label": "活动", "value": 30, "unit": "场次", "approx": True, "group": "a"},
            ]
        ),
        body="召开会长会议两次。吸纳二十名新会员。各小组开展活动30余场次。\n",
    )
    build = portal.build()
    assert build.returncode == 0, build.output


def test_column_board_sums_like_units_only_and_marks_approximate_totals(portal):
    build = _reviews(portal)
    assert build.returncode == 0, build.output
    board = build.page("columns/2025-review")
    rows = {
        re.sub(r"<[^>]+>", "", m.group(1)): re.sub(r"<[^>]+>", "", m.group(2))
        for m in re.finditer(r'<th scope="row">(.+?)</th>\s*<td class="portal-board__total">(.+?)</td>', board)
    }
    assert rows["社情民意信息"] == "58篇"
    assert rows["服务群众"] == "640余人次"  # 540余 + 100: approximate
    totals = re.findall(r'<th scope="row">提案</th>\s*<td class="portal-board__total">(.+?)</td>', board)
    assert sorted(totals) == ["25件", "3篇"]  # never 件 with 篇
    assert re.findall(r'id="board-(\d+)"', board) == ["2025"]  # the 2024 review is in another column
    # 单位 alone means both a unit of measure and an organisation: the board says which.
    explanation = re.search(r'<p class="portal-count">(.+?)</p>', board).group(1)
    assert "计量单位" in explanation and "单位（组织）" in explanation and "不同单位不相加" not in explanation


def test_organisation_with_two_years_gets_a_chart_and_a_table_per_shared_metric(portal):
    build = _reviews(portal)
    page = build.page("organisations/xian-zhilianhui")
    trends = page[page.index('id="trends-title"') :]
    captions = re.findall(r"<figcaption>(.+?)</figcaption>", trends)
    assert captions == ["社情民意信息（篇）", "义诊（场）"]
    assert trends.count('<svg class="portal-chart"') == 2
    assert re.search(r"<th scope=\"row\">2024 年</th><td>30篇</td>", trends)
    assert re.search(r"<th scope=\"row\">2025 年</th><td>46篇</td>", trends)
    bars = re.findall(
        r'<rect class="portal-chart__bar" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"', trends
    )
    assert float(bars[0][1]) < float(bars[1][1])  # 30 is drawn lower than 46
    assert 'id="trends-title"' not in build.page("organisations/xian-zhengxie")  # one year only


def test_open_data_exports_published_review_figures_as_csv_and_json(portal):
    build = _reviews(portal, draft_secret=True)
    assert build.returncode == 0, build.output
    raw = (build.site / "data/metrics.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["单位（组织）（organisation）", "年度（year）", "栏目（column）"]
    assert "计量单位（unit）" in rows[0] and not any(h.startswith("单位（unit") for h in rows[0])
    assert len(rows) == 1 + 3 + 4 + 3
    assert "保密指标" not in raw.decode("utf-8") and "999" not in raw.decode("utf-8")
    data = json.loads((build.site / "data/metrics.json").read_text(encoding="utf-8"))
    record = next(r for r in data["records"] if r["label"] == "服务群众" and r["organisation"] == "县知联会")
    assert record == {
        "organisation": "县知联会",
        "year": 2025,
        "column": "2025·我们这样走过",
        "title": "县知联会2025年工作回顾",
        "date": "2026-01-30",
        "url": f"{SITE_URL}reviews/2025/zhilianhui/",
        "label": "服务群众",
        "value": 540,
        "unit": "人次",
        "approx": "余",
        "group": "社会服务",
        "headline": False,
        "note": "",
    }
    page = build.page("data")
    assert 'href="metrics.csv"' in page and 'href="metrics.json"' in page and "共 10 条" in page
    assert "/data/" in build.links("")  # in the navigation


def test_csv_cells_cannot_become_spreadsheet_formulas(portal):
    portal.item(
        "reviews/2025/r.md",
        review(
            title='=HYPERLINK("x")',
            metrics=[{"label": "社情民意信息", "value": 46, "unit": "篇", "group": "+参政议政"}],
        ),
        body="社情民意信息46篇。\n",
    )
    build = portal.build()
    text = (build.site / "data/metrics.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'+参政议政" in text


def test_headline_figures_appear_in_lists(portal):
    build = _reviews(portal)
    listing = build.page("news")
    assert re.search(
        r'<span class="portal-strip__label">社情民意信息</span>\s*<span class="portal-figure">'
        r'<span class="portal-figure__value">46</span><span class="portal-figure__unit">篇</span>',
        listing,
    )


def test_approximate_mark_must_agree_with_the_text(portal):
    portal.item(
        "reviews/2025/r.md",
        review(
            metrics=[
                {"label": "服务群众", "value": 540, "unit": "人次", "group": "a"},
                {"label": "义诊", "value": 8, "unit": "场", "approx": True, "group": "a"},
            ]
        ),
        body="服务群众540余人次。开展义诊8场。\n",
    )
    build = portal.build()
    assert build.returncode != 0
    assert "年度数据“服务群众 540人次”的约数标记与正文不一致：正文用的是“余”，写作“540余人次”" in build.output, (
        build.output
    )
    assert "改为 approx: 余" in build.output
    assert "年度数据“义诊 8余场”的约数标记与正文不一致：正文写的是确数，写作“8场”" in build.output
