"""The rules on items' bodies that the build and `check` share, beyond the front matter
(portal_validate): one list, so the two cannot drift apart."""

from __future__ import annotations

from dataclasses import replace

from portal_figures import check_reviews
from portal_html import raw_html_problems
from portal_model import Item
from portal_placeholders import placeholder_problems
from portal_problems import Problem


def body_problems(items: list[Item], shown_as: str, embed_hosts: tuple[str, ...]) -> list[Problem]:
    """Placeholders (errors); raw HTML the build would remove and review figures the text
    does not carry (warnings: `--strict` stops on them)."""
    problems = []
    for item in items:
        file = f"{shown_as}/{item.path}"
        problems += placeholder_problems(item, file)
        problems += [replace(p, level="warning", rule="html")
                     for p in raw_html_problems(item.body, file, item.body_line, embed_hosts)]
    problems += [replace(p, level="warning", rule="figures") for p in check_reviews(items, shown_as)]
    return problems
