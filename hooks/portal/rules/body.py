"""The rules on items' bodies that the build and `check` share, beyond the front matter
(portal.content.validate): one list, so the two cannot drift apart."""

from __future__ import annotations

from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import Callable

from portal.cache import digest
from portal.forked import Later, fork_map
from portal.model import ITEM_FIELDS, Item
from portal.problems import Problem
from portal.rules.figures import check_item
from portal.rules.html import raw_html_problems
from portal.rules.markup import markdown_problems
from portal.rules.placeholders import placeholder_problems
from portal.rules.proofread import (
    BASE_TERMS,
    Proofreader,
    adopt_sets,
    load_terms,
    loaded_sets,
    preload,
    proofread_item,
)


def body_problems(
    items: list[Item],
    shown_as: str,
    embed_hosts: tuple[str, ...],
    content_dir: Path | None = None,
    cache=None,
    later: bool = False,
) -> list[Problem] | Callable[[], list[Problem]]:
    """Placeholders and known-wrong formulations and names (errors); raw HTML the build would
    remove, review figures the text does not carry and suspected typos (warnings: `--strict`
    stops on them). With a build cache, an unchanged item is not checked again, and an edited
    one re-confirms only the transpositions of lines it changed (`proofread.transpositions`),
    so the rebuild after an edit mostly needs no jieba (only the sets `DictionarySets`, kept in
    the cache too). `later`: the items not in the cache are checked by a forked process while the
    caller goes on (portal.forked.Later), and a function is returned that waits for them and gives
    the problems."""
    terms, problems = load_terms(content_dir, shown_as)
    salt = digest(BASE_TERMS.read_bytes(), repr(terms), metadata.version("jieba"), metadata.version("pyahocorasick"))
    keys = {item.path: digest(salt, repr(embed_hosts), f"{shown_as}/{item.path}", repr(item)) for item in items}
    known = cache.get_many("body", list(keys.values())) if cache else {}
    found = {item.path: known.get(keys[item.path]) for item in items}
    unchecked = [item for item in items if found[item.path] is None]
    lines = {
        item.path: digest(salt, "lines", f"{shown_as}/{item.path}") for item in items
    }  # by file: its last verdicts
    if cache:
        for item in items:
            if found[item.path] is not None:
                cache.keep("body", lines[item.path])  # for the item's next edit
    if unchecked:
        proofreader = Proofreader(terms)
        verdicts = cache.get_many("body", [lines[item.path] for item in unchecked]) if cache else {}
        sets_key = digest(salt, "dictionary sets")
        kept = cache.get("body", sets_key) if cache else None
        if kept is not None:
            adopt_sets(kept)

        def check(item: Item) -> tuple[list[Problem], dict]:
            seen: dict = {}
            file = f"{shown_as}/{item.path}"
            return item_problems(item, file, embed_hosts, proofreader, verdicts.get(lines[item.path]), seen), seen

        def run() -> tuple[list, object]:
            return fork_map(check, unchecked, preload), loaded_sets() if kept is None else None

        pending = Later(run) if later else None
        done = pending.result if pending else run

    def result() -> list[Problem]:
        if unchecked:
            checked, sets = done()
            for item, (item_found, seen) in zip(unchecked, checked, strict=True):
                found[item.path] = item_found
                if cache:
                    cache.put("body", keys[item.path], item_found)
                    if seen:
                        cache.put("body", lines[item.path], seen)
            if cache and sets is not None:
                cache.put("body", sets_key, sets)
        return problems + [problem for item in items for problem in found[item.path]]

    return result if later else result()


def item_problems(
    item: Item,
    file: str,
    embed_hosts: tuple[str, ...],
    proofreader: Proofreader,
    known: dict | None = None,
    seen: dict | None = None,
) -> list[Problem]:
    """The rules that read one item alone (`known`, `seen`: see `proofread.transpositions`)."""
    return [
        *placeholder_problems(item, file),
        *long_texts(item, file),
        *markdown_problems(item.body, file, item.body_line),
        *(
            replace(p, level="warning", rule="html")
            for p in raw_html_problems(item.body, file, item.body_line, embed_hosts)
        ),
        *proofread_item(item, file, proofreader, known, seen),
        *(replace(p, level="warning", rule="figures") for p in (check_item(item, file) if item.is_review else [])),
    ]


def long_texts(item: Item, file: str) -> list[Problem]:
    """Texts longer than readers take in at once (a phone shows about 15 characters a line):
    warnings; the hard limits are errors of portal.content.validate."""
    problems = []
    for field in ITEM_FIELDS:
        value = getattr(item, field.key, None)
        if field.warn_length and isinstance(value, str) and len(value) > field.warn_length:
            problems.append(
                Problem(
                    file,
                    item.key_lines.get(field.key, 1),
                    f"字段 {field.key}（{field.label}）有 {len(value)} 个字，超过建议的 {field.warn_length} 个字。",
                    "手机上一行约显示 15 个字：请精简，把细节写进正文。",
                    "warning",
                )
            )
    return problems
