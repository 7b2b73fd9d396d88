"""校对: the labelled set meets its targets, and problems reach `check` and the build with
file, line, column, the text as written and the suggestion."""

from __future__ import annotations

import datetime as dt
import json
import sys

import pytest

from benchmarks.bench_proofread import evaluate
from conftest import news, run_check
from portal.rules import proofread
from portal.rules.proofread import Proofreader, chinese_number, load_terms, release_jieba


@pytest.fixture(scope="module")
def proofreader() -> Proofreader:
    return Proofreader(load_terms(None)[0])


@pytest.fixture(scope="module")
def results(proofreader):
    return evaluate(proofreader)


@pytest.mark.parametrize("holdout", [False, True], ids=["tuning", "held-out"])
def test_labelled_set_meets_targets(results, holdout):
    planted = [(e, caught) for e, caught, _ in results["planted"] if e["holdout"] == holdout]
    for kind in ("formulation", "name", "transposition"):
        of_kind = [caught for e, caught in planted if e["kind"] == kind]
        assert sum(of_kind) >= 0.9 * len(of_kind), kind
    assert sum(caught for _, caught in planted) >= 0.7 * len(planted)
    clean = [bool(findings) for e, findings in results["clean"] if e["holdout"] == holdout]
    assert sum(clean) <= 0.05 * len(clean)


def test_seed_typo_jiadangqiang_is_caught_with_its_correction(proofreader):
    text = "县知联会坚持把党的领导作为第一要求，加党强对各级组织的领导。"
    [finding] = proofreader.check(text, dt.date(2026, 3, 1))
    assert finding.text(text) == "加党强" and finding.right == "加强党" and finding.rule == "proofread.transposition"
    assert finding.level == "warning"


def test_releasing_jieba_forgets_it_and_the_next_check_loads_it_again(proofreader):
    """A build drops jieba (about 160 MB) once every item is proofread (issue 16's memory target):
    nothing may keep it alive, and proofreading afterwards (`mkdocs serve`, `check`) still works."""
    text = "县知联会坚持把党的领导作为第一要求，加党强对各级组织的领导。"
    found = proofreader.check(text, dt.date(2026, 3, 1))
    assert "jieba" in sys.modules and proofread._jieba.cache_info().currsize == 1
    release_jieba()
    assert not [name for name in sys.modules if name.split(".")[0] == "jieba"]
    cached = (proofread._jieba, proofread._tagger, proofread._swap_gain)
    assert all(function.cache_info().currsize == 0 for function in cached) and proofread.loaded_sets() is None
    assert proofreader.check(text, dt.date(2026, 3, 1)) == found


def test_names_whose_reverse_is_a_word_are_not_transpositions_but_nearby_errors_are(proofreader):
    # The five false alarms of the 10,000-item corpus: given names 国建, 然欣, 平国, 宁洋 read as swaps.
    day = dt.date(2026, 3, 1)
    for text in (
        "工商界政协委员石国建结合本职工作，就河道综合治理提出了具体建议。",
        "座谈中，王磊、曾然欣等党外人士先后发言。",
        "医卫界政协委员韩平国结合本职工作谈了看法。",
        "座谈中，夏宁洋、杜辰晓等青年会员交流了体会。",
    ):
        assert proofreader.check(text, day) == [], text
    # Only between a name's neighbours: the same characters in running prose are still a swap.
    text = "委员石国建表示，要然欣接受组织安排，高度视重调研成果。"
    assert [f.text(text) for f in proofreader.check(text, day)] == ["然欣", "视重"]


def test_known_wrong_formulation_is_an_error_and_right_one_is_not(proofreader):
    wrong = proofreader.check("紧密团结在以习近平为核心的党中央周围。", dt.date(2026, 3, 1))
    assert [(f.level, f.rule, f.right) for f in wrong] == [
        ("error", "proofread.formulation", "以习近平同志为核心的党中央")
    ]
    assert proofreader.check("紧密团结在以习近平同志为核心的党中央周围。", dt.date(2026, 3, 1)) == []


def test_numbers_redactions_and_approximations_are_not_flagged(proofreader):
    text = "组织召开会长会\\*次，服务群众五百四十余人次，参加人数*人次，二十三名会员、**县政协、第一、二批项目。"
    assert proofreader.check(text, dt.date(2026, 3, 1)) == []


def test_dates_decide_anniversaries_plans_and_meetings(proofreader):
    assert chinese_number("七十六") == 76 and chinese_number("一百零五") == 105
    day = dt.date(2025, 6, 1)
    [anniversary] = proofreader.check("庆祝中华人民共和国成立七十五周年。", day)
    assert anniversary.right == "76周年"
    assert proofreader.check("庆祝中华人民共和国成立七十六周年。", day) == []
    [meeting] = proofreader.check("学习党的二十届四中全会精神。", day)  # held in October 2025
    assert meeting.level == "warning" and "尚未召开" in meeting.message
    assert proofreader.check("学习党的二十届四中全会精神。", dt.date(2025, 11, 1)) == []


def _item(portal, body, **front):
    portal.item("news/2026/a.md", news(**front), body=body)


def test_check_json_carries_rule_line_column_text_and_github_col(portal):
    body = "第一段正文。\n\n坚持把党的领导作为首要任务，加党强对基层组织的领导。\n"
    _item(portal, body, title="紧密团结在以习近平为核心的党中央周围")
    lines = (portal.content / "news/2026/a.md").read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(lines, 1) if "加党强" in text)
    assert lines[line - 1].index("加党强") == 14
    records = json.loads(run_check(portal, "--json").stdout)
    typo = next(r for r in records if r["rule"] == "proofread.transposition")
    assert (typo["file"], typo["line"], typo["column"], typo["text"]) == ("content/news/2026/a.md", line, 15, "加党强")
    assert typo["level"] == "warning" and "加强党" in typo["hint"]
    title = next(r for r in records if r["rule"] == "proofread.formulation")
    assert (title["line"], title["column"], title["text"], title["level"]) == (2, 13, "以习近平为核心的党中央", "error")
    annotations = run_check(portal, "--github").stdout
    assert f"::warning file=content/news/2026/a.md,line={line},col=15," in annotations
    assert all({"rule", "line", "column", "text"} <= set(r) for r in records)


def test_build_stops_on_wrong_formulation(portal):
    _item(portal, "深入学习习近平新时代特色社会主义思想。\n")
    build = portal.build()
    assert build.returncode != 0
    assert "校对：规范表述有误：“习近平新时代特色社会主义思想”" in build.output
    assert "习近平新时代中国特色社会主义思想" in build.output


def test_editor_accepts_a_word_for_one_item_or_the_site_and_extends_the_list(portal):
    _item(portal, "县委统战部高度视重知联会工作。\n")
    portal.item("news/2026/b.md", news(title="县政协召开座谈会"), body="本次活动规模空前，与会者议论风声。\n")
    assert "疑似颠倒字序：“视重”" in run_check(portal).stdout
    _item(portal, "县委统战部高度视重知联会工作。\n", proofread_accept=["视重"])
    portal.write("proofread.yml", "wrong:\n  - {wrong: 议论风声, right: 议论风生, kind: typo}\n")
    out = run_check(portal).stdout
    assert "视重" not in out
    assert "content/news/2026/b.md" in out and "疑似错别字：“议论风声”" in out and "改为“议论风生”" in out
    portal.write(
        "proofread.yml",
        "accept: [议论风声]\nwrong:\n  - {wrong: 议论风声, right: 议论风生, kind: typo}\n  - {wrong: 1, right: x}\n",
    )
    out = run_check(portal).stdout
    assert "议论风声" not in out
    assert "[警告] content/proofread.yml:1: proofread.yml的 wrong 第 2 项格式不对" in out


def test_shipped_terms_are_well_formed_and_their_corrections_pass(proofreader):
    terms, problems = load_terms(None)
    assert problems == [] and len(terms.wrong) > 80
    day = dt.date(2026, 6, 1)
    for entry in terms.wrong:
        right = entry["right"].split("（")[0]
        assert entry["wrong"] != right
        assert [f for f in proofreader.check(right, day) if f.level == "error"] == [], right
        assert proofreader.check(entry["wrong"], day), entry["wrong"]


def test_an_edited_text_confirms_only_its_changed_lines_and_their_verdicts_keep_the_line_before(proofreader):
    """The verdicts of lines (issue 16: a rebuild after one edit re-checks that item): lines whose
    text and three characters before are unchanged are not confirmed again, so with the
    dictionary sets kept a change without candidates loads no jieba; findings stay those of a
    check from scratch, also where the line before decides (a name after 委员 on the line above)."""
    day = dt.date(2026, 3, 1)
    before = (
        "县知联会坚持把党的领导作为第一要求，加党强对各级组织的领导。\n工商界政协委员\n"
        "石国建结合本职工作，就河道综合治理提出了具体建议。\n调协各方力量。"
    )
    seen: dict = {}
    found = proofreader.check(before, day, seen=seen)
    assert found == proofreader.check(before, day)
    assert [f.text(before) for f in found] == ["加党强", "调协"]  # 石国建 is a name after 委员
    sets = proofread.dictionary_sets()
    release_jieba()
    proofread.adopt_sets(sets)
    after = before.replace("调协各方力量。", "会议听取了各单位的汇报。")
    again = proofreader.check(after, day, known=seen, seen={})
    assert "jieba" not in sys.modules  # nothing to confirm: the unchanged lines' verdicts were known
    assert [f.text(after) for f in again] == ["加党强"]
    assert again == proofreader.check(after, day)  # from scratch (loads jieba)
    # The line before is part of a line's key: 国建 after 开会 is no longer between a name's neighbours.
    moved = before.replace("委员\n", "开会\n")
    assert proofreader.check(moved, day, known=seen) == proofreader.check(moved, day)
    assert "国建" in [f.text(moved) for f in proofreader.check(moved, day, known=seen)]


def test_body_rules_after_an_edit_use_the_cached_verdicts_and_find_what_a_cold_check_finds(portal, tmp_path):
    from portal.cache import BuildCache
    from portal.content.reader import load_content
    from portal.rules.body import body_problems

    for number in range(3):
        portal.item(
            f"news/2026/n{number}.md",
            news(title=f"县知联会召开第{number + 1}次理事会"),
            body="县知联会坚持把党的领导作为第一要求，加党强对各级组织的领导。\n\n会议调协各方力量，部署全年工作。\n",
        )
    cache = BuildCache(tmp_path / "cache", "salt")
    items = load_content(portal.content).items
    assert [p.text for p in body_problems(items, "content", (), portal.content, cache)].count("加党强") == 3
    cache.save("body")
    release_jieba()  # a new build process
    path = portal.content / "news/2026/n1.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n会议听取了各单位的汇报。\n", encoding="utf-8")
    items = load_content(portal.content).items
    problems = body_problems(items, "content", (), portal.content, cache)
    assert "jieba" not in sys.modules  # the added line has no candidate: the kept sets decide it
    release_jieba()
    assert problems == body_problems(items, "content", (), portal.content, None)
    assert sorted(p.text for p in problems if p.rule == "proofread.transposition") == ["加党强"] * 3 + ["调协"] * 3


def test_the_tagger_shares_the_tag_table_it_would_read_again(proofreader):
    import jieba.posseg

    proofreader.check("加党强", dt.date(2026, 3, 1))
    own = jieba.posseg.POSTokenizer(proofread._jieba()[0])
    assert proofread._tagger().word_tag_tab == own.word_tag_tab
    text = "座谈中，孙辰子、张丽秀等委员先后发言。"
    assert [tuple(p) for p in proofread._tagger().cut(text)] == [tuple(p) for p in own.cut(text)]
