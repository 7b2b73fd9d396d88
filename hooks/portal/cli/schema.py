"""JSON Schemas of the front matter and the catalogue, and the README's field tables,
generated from the model (portal.model's ITEM_FIELDS, METRIC_FIELDS, ENTRY_FIELDS).

The shipped files under content/.schema/ and the README's tables between the
`<!-- fields:… -->` markers are this module's output; tests fail when they drift.
Regenerate with:

    .venv/bin/python -m portal schema            # content/.schema/*.json
    .venv/bin/python -m portal schema --readme   # the field tables in README.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import portal.model as model

ROOT = Path(__file__).resolve().parents[3]  # the repository: hooks/portal/cli/ is three below
SCHEMA_DIR = ROOT / "content" / ".schema"
README = ROOT / "README.md"

KIND_SCHEMAS = {
    model.TEXT: {"type": "string", "minLength": 1},
    model.DATE: {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"},
    model.BOOL: {"type": "boolean"},
    model.APPROX: {"oneOf": [{"type": "boolean"}, {"type": "string", "enum": list(model.APPROX_WORDS)}]},
    model.YEAR: {"type": "integer", "minimum": 1000, "maximum": 9999},
    model.TAGS: {"type": "array", "items": {"type": "string", "minLength": 1}},
    model.NUMBER: {"type": "number"},
    model.UNIT: {"type": "string", "enum": list(model.UNITS)},
    model.COLUMN: {"type": "string", "minLength": 1},
    model.ORGANISATION: {"type": "string", "minLength": 1},
    model.SLUG: {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
    model.DAYS: {"type": "integer", "minimum": 1, "maximum": model.MAX_DAYS},
}


def _object(fields: tuple[model.Field, ...] | list[model.Field]) -> dict:
    properties = {}
    for field in fields:
        if field.kind == model.METRICS:
            schema = {"type": "array", "minItems": 1, "items": _object(model.METRIC_FIELDS)}
        else:
            schema = dict(KIND_SCHEMAS[field.kind])
            if field.kind in (model.TEXT, model.SLUG):
                schema["maxLength"] = field.max_length
            elif field.kind == model.TAGS:
                schema["items"] = {**schema["items"], "maxLength": field.max_length}
        if field.max_items:
            schema["maxItems"] = field.max_items
        schema["title"] = field.label
        schema["description"] = field.help
        properties[field.key] = schema
    return {
        "type": "object",
        "properties": properties,
        "required": [field.key for field in fields if field.required],
        "additionalProperties": False,
    }


def schema_for(kind: str) -> dict:
    schema = _object(list(model.fields_for(kind).values()))
    return {"$schema": "http://json-schema.org/draft-07/schema#", "title": f"{model.KINDS[kind]}的前置元数据", **schema}


def render(kind: str) -> str:
    return json.dumps(schema_for(kind), ensure_ascii=False, indent=2) + "\n"


def catalogue_schema() -> dict:
    sections = {
        section: {
            "type": "array",
            "minItems": 1,
            "title": label,
            "items": _object([f for f in model.ENTRY_FIELDS if section in f.kinds]),
        }
        for section, label in model.SECTIONS.items()
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "栏目与单位目录",
        "type": "object",
        "properties": sections,
        "required": list(sections),
        "additionalProperties": False,
    }


def schema_files() -> dict[Path, str]:
    files = {SCHEMA_DIR / f"{kind}.schema.json": render(kind) for kind in model.KINDS}
    files[SCHEMA_DIR / "catalogue.schema.json"] = json.dumps(catalogue_schema(), ensure_ascii=False, indent=2) + "\n"
    return files


# --- the README's field tables ------------------------------------------------------------

TABLES = {  # marker name -> (fields, what the first column calls a key)
    "item": (model.ITEM_FIELDS, "字段"),
    "metric": (model.METRIC_FIELDS, "键"),
    "catalogue": (model.ENTRY_FIELDS, "键"),
}


def requirement(field: model.Field, fields: tuple[model.Field, ...]) -> str:
    """必填, 选填, 发布时必填 or 年度回顾必填 (required of some kinds only)."""
    if field.gate:
        return "发布时必填"
    if not field.required:
        return "选填"
    every = {kind for f in fields for kind in f.kinds}
    if every <= set(field.kinds):
        return "必填"
    return "、".join(model.KINDS.get(kind) or model.SECTIONS[kind] for kind in field.kinds) + "必填"


def field_table(name: str) -> str:
    fields, key = TABLES[name]
    rows = [f"| {key} | 名称 | 是否必填 | 说明 |", "|---|---|---|---|"]
    for field in fields:
        text = (field.doc or field.help).replace("|", "\\|")
        rows.append(f"| `{field.key}` | {field.label} | {requirement(field, fields)} | {text} |")
    return "\n".join(rows) + "\n"


def _markers(name: str) -> tuple[str, str]:
    return (
        f"<!-- fields:{name} (generated from hooks/portal/model.py: python -m portal schema --readme) -->\n",
        f"<!-- /fields:{name} -->\n",
    )


def readme_tables(text: str) -> str:
    """README text with every generated table block rewritten from the model."""
    for name in TABLES:
        begin, end = _markers(name)
        if begin not in text or end not in text:
            raise ValueError(f"README.md lacks the markers of the {name} table: {begin.strip()} … {end.strip()}")
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = head + begin + field_table(name) + end + tail
    return text


def main(argv: list[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else argv) == ["--readme"]:
        README.write_text(readme_tables(README.read_text(encoding="utf-8")), encoding="utf-8")
        print(README, file=sys.stderr)
        return 0
    for path, text in schema_files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
