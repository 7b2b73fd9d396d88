"""The rules on items' bodies that the build and `check` share, beyond the front matter
(portal_validate): one list, so the two cannot drift apart."""

from __future__ import annotations

from portal_figures import check_reviews
from portal_html import raw_html_problems
from portal_markup import markdown_problems
from portal_model import ITEM_FIELDS, Item
from portal_placeholders import placeholder_problems
from portal_problems import Problem


def body_problems(items: list[Item], shown_as: str, embed_hosts: tuple[str, ...]) -> list[Problem]:
    """Placeholders (errors); raw HTML the build would remove and review figures the text
    does not carry (warnings: `--strict` stops on them)."""
    problems = []
    for item in items:
        file = f"{shown_as}/{item.path}"
        problems += placeholder_problems(item, file)
        problems += long_texts(item, file)
        problems += markdown_problems(item.body, file, item.body_line)
        problems += [Problem(p.file, p.line, p.message, p.hint, "warning")
                     for p in raw_html_problems(item.body, file, item.body_line, embed_hosts)]
    problems += [Problem(p.file, p.line, p.message, p.hint, "warning") for p in check_reviews(items, shown_as)]
    return problems


def long_texts(item: Item, file: str) -> list[Problem]:
    """Texts longer than readers take in at once (a phone shows about 15 characters a line):
    warnings; the hard limits are errors of portal_validate."""
    problems = []
    for field in ITEM_FIELDS:
        value = getattr(item, field.key, None)
        if field.warn_length and isinstance(value, str) and len(value) > field.warn_length:
            problems.append(Problem(file, item.key_lines.get(field.key, 1),
                                    f"字段 {field.key}（{field.label}）有 {len(value)} 个字，超过建议的 {field.warn_length} 个字。",
                                    "手机上一行约显示 15 个字：请精简，把细节写进正文。", "warning"))
    return problems
