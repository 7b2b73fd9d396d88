"""JSON Schemas of the front matter, generated from the model.

The shipped files under content/.schema/ are this module's output; a test
fails when they drift. Regenerate with:

    .venv/bin/python hooks/portal_schema.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import portal_model as model

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "content" / ".schema"

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
}


def _object(fields: tuple[model.Field, ...] | list[model.Field]) -> dict:
    properties = {}
    for field in fields:
        if field.kind == model.METRICS:
            schema = {"type": "array", "minItems": 1, "items": _object(model.METRIC_FIELDS)}
        else:
            schema = dict(KIND_SCHEMAS[field.kind])
            if field.kind == model.TEXT:
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


def schema_files() -> dict[Path, str]:
    return {SCHEMA_DIR / f"{kind}.schema.json": render(kind) for kind in model.KINDS}


if __name__ == "__main__":
    for path, text in schema_files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path, file=sys.stderr)
