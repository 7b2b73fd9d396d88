"""`mkdocs serve`'s quick path: an edit to the body of an item shows within a second or two,
however large the portal.

A preview rebuild of a large portal takes seconds (every file read again, every page carried
over). Most saves while writing change one item's body and nothing else. After a preview
build, the inputs' sizes and modification times are kept (`snapshot`); at the next save the
changes are compared with them, and when the only changes are the bodies of published items,
with everything else about those items the same (front matter, the summary taken from the body,
the pictures and files they show), only those items' pages are rendered again, their checks run
again and the search index updated beside them. Anything else (a new, removed or renamed file,
a changed title, date or draft flag, the catalogue, a setting, a template, an error in the
edited item) is a full rebuild, as before.

Listings and feeds show no body but the summary, which the comparison covers, so no other page
changes. What the quick path leaves alone, the next full rebuild redoes: a changed page's
manifest entry no longer matches, and so on.
"""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path

from portal.model import KIND_FOLDERS, Item
from portal.problems import Problem

AT_MOST = 8  # edited items at one save; beyond that a full rebuild is as quick
# Set by the build, not the item's own text: a body edit in a preview keeps them.
DERIVED = {"body", "hold", "url", "cover_url", "updated"}


def snapshot(folders: list[Path], files: list[Path]) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under `folders` and of `files`, by path."""
    found = {}
    for folder in folders:
        for here, dirs, names in os.walk(folder, followlinks=False):
            dirs.sort()
            for name in names:
                path = os.path.join(here, name)
                try:
                    stat = os.lstat(path)
                except OSError:
                    continue
                found[path] = (stat.st_size, stat.st_mtime_ns)
    for path in files:
        try:
            stat = os.lstat(path)
        except OSError:
            continue
        found[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return found


def _ignored(path: str) -> bool:
    """Editors' scratch files (Vim's .swp, Office's ~$ locks) and Python's compiled code: never read by a build."""
    return os.path.basename(path).startswith((".", "~$")) or f"{os.sep}__pycache__{os.sep}" in path


def edited_items(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]], content_dir: Path):
    """The content/-relative paths of the item files whose size or time changed, when nothing else
    changed (no file added or removed, no other file changed): [] when only scratch files changed,
    None when a full rebuild is needed (something else changed, or nothing this snapshot sees)."""
    if {p for p in before if not _ignored(p)} != {p for p in after if not _ignored(p)}:
        return None
    changed = [p for p, stat in after.items() if before.get(p) != stat and not _ignored(p)]
    if not changed:
        return [] if before != after else None
    root, edited = str(content_dir) + os.sep, []
    for path in changed:
        if not path.startswith(root) or not path.endswith(".md"):
            return None
        rel = path[len(root) :].replace(os.sep, "/")
        if rel.split("/")[0] not in KIND_FOLDERS:
            return None
        edited.append(rel)
    return edited if len(edited) <= AT_MOST else None


def same_but_body(new: Item, old: Item) -> bool:
    """Whether the edit changed the body only: every field the item's own text sets (front matter,
    the summary taken from the body, the pictures and files it shows) is the same."""
    return all(getattr(new, f.name) == getattr(old, f.name) for f in fields(Item) if f.name not in DERIVED)


def blocking(problems: list[Problem]) -> bool:
    return any(problem.level == "error" for problem in problems)
