"""One field table: Item, Metric and Entry, validation of items and of the catalogue, the
exports, the JSON Schemas and the README's tables all come from portal_model's declarations."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import portal.cli.schema as portal_schema
import portal.model as model
from conftest import REPO
from portal.site.metrics import EXPORT_COLUMNS, EXPORT_LABELS, export_rows

BOOKKEEPING = {
    "path",
    "kind",
    "body",
    "body_line",
    "key_lines",
    "updated",
    "assets",
    "attachments",
    "url",
    "cover_url",
    "hold",
}


def names(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def test_the_classes_have_one_attribute_per_declared_field():
    assert names(model.Item) == {f.key for f in model.ITEM_FIELDS} | BOOKKEEPING
    assert names(model.Metric) == {f.key for f in model.METRIC_FIELDS} | {"line"}
    assert names(model.Entry) == {f.key for f in model.ENTRY_FIELDS}
    required = {f.name for f in dataclasses.fields(model.Item) if f.default is dataclasses.MISSING} - BOOKKEEPING
    assert required == {f.key for f in model.ITEM_FIELDS if f.required and len(f.kinds) == 2}


def test_the_readme_tables_are_the_models():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    stale = "README 的字段表已过期：运行 .venv/bin/python -m portal schema --readme"
    assert portal_schema.readme_tables(text) == text, stale
    for field in (*model.ITEM_FIELDS, *model.METRIC_FIELDS, *model.ENTRY_FIELDS):
        assert f"| `{field.key}` | {field.label} |" in text


def test_the_drift_check_sees_a_changed_model(monkeypatch):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    extra = model.Field("subtitle", model.TEXT, "副标题", "稿件的副标题。")
    monkeypatch.setitem(portal_schema.TABLES, "item", (model.ITEM_FIELDS + (extra,), "字段"))
    changed = portal_schema.readme_tables(text)
    assert changed != text and "| `subtitle` | 副标题 | 选填 | 稿件的副标题。 |" in changed
    assert "| `year` | 回顾年度 | 年度回顾必填 |" in changed and "| `signed_off_by` | 签发 | 发布时必填 |" in changed


def test_the_exports_carry_every_declared_metric_field():
    keys = [f.key for f in model.METRIC_FIELDS]
    assert [c for c in EXPORT_COLUMNS if c in keys] == keys
    assert EXPORT_LABELS["organisation"] == "单位（组织）" and EXPORT_LABELS["unit"] == "计量单位"
    column, organisation = model.Entry(name="栏目甲", slug="a"), model.Entry(name="单位乙", slug="b")
    metric = model.Metric(
        label="提案", value=Decimal("25"), unit="件", group="参政议政", approx="超过", headline=True, note="口径"
    )
    item = model.Item(
        path="reviews/a.md",
        kind=model.REVIEW,
        body="",
        body_line=1,
        key_lines={},
        title="回顾",
        date=dt.date(2026, 1, 30),
        column=column,
        organisation=organisation,
        editor="甲",
        responsible_editor="乙",
        year=2025,
        metrics=(metric,),
        url="reviews/a/",
    )
    [row] = export_rows([item], lambda url: "https://x.test/" + url)
    assert list(row) == list(EXPORT_COLUMNS)
    assert row == {
        "organisation": "单位乙",
        "year": 2025,
        "column": "栏目甲",
        "title": "回顾",
        "date": "2026-01-30",
        "url": "https://x.test/reviews/a/",
        "label": "提案",
        "value": Decimal("25"),
        "unit": "件",
        "approx": "超过",
        "group": "参政议政",
        "headline": True,
        "note": "口径",
    }


def test_the_catalogue_schema_comes_from_the_entry_fields():
    schema = portal_schema.catalogue_schema()
    columns = schema["properties"]["columns"]["items"]
    organisations = schema["properties"]["organisations"]["items"]
    assert set(columns["properties"]) == {f.key for f in model.ENTRY_FIELDS}
    assert set(organisations["properties"]) == {f.key for f in model.ENTRY_FIELDS} - {"update_every"}
    assert columns["required"] == ["name", "slug"] and columns["properties"]["slug"]["pattern"]


def test_the_catalogue_is_read_by_the_items_reader_with_real_lines(tmp_path):
    from portal.content.catalogue import load_catalogue

    path = tmp_path / "catalogue.yml"
    path.write_text(
        "columns:\n  - name: 工作动态\n    slug: gongzuo\n    update_every: 14\n"
        "organisations:\n  - name: 县政协\n    slug: xian-zhengxie\n    update_every: 7\n"
        "  - name: 2025\n    slug: y\n    archived: 'true'\n",
        encoding="utf-8",
    )
    catalogue, problems = load_catalogue(path, "content/catalogue.yml")
    assert [(p.line, p.message) for p in problems] == [
        (8, "organisations 第 1 项单位的字段 update_every 只用于栏目。"),
        (9, "organisations 第 2 项单位的字段 name（名称）的值是“2025”（YAML 会把它读成整数），应为一段文字。"),
        (11, "organisations 第 2 项单位的字段 archived（已结束）的值是“true”，应为true 或 false。"),
    ]
    assert catalogue.failed and catalogue.columns["工作动态"] == model.Entry(
        name="工作动态", slug="gongzuo", update_every=14
    )
    assert catalogue.lines[("columns", "工作动态")] == 2


def test_the_closing_block_is_labelled_by_the_fields():
    entry = model.Entry(name="工作动态", slug="a")
    item = model.Item(
        path="news/a.md",
        kind=model.NEWS,
        body="",
        body_line=1,
        key_lines={},
        title="t",
        date=dt.date(2026, 1, 1),
        column=entry,
        organisation=entry,
        editor="甲",
        responsible_editor="乙",
        signed_off_by="丙",
    )
    assert item.editorial == [("编辑", "甲"), ("责编", "乙"), ("签发", "丙")]
    assert [label for label, _ in model.Item(**{**item.__dict__, "source": "县政协"}).editorial] == [
        "来源",
        "编辑",
        "责编",
        "签发",
    ]
