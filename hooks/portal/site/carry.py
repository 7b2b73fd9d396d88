"""Pages whose inputs did not change, carried over from the previous build's output.

After an edit, a rebuild needs to render only the pages the edit touches: the item,
its listings. Every other page's file is taken from the previous output as it is
(hard-linked, or moved under `mkdocs serve`, which builds into the same folder
again) — provided the manifest of that output says the page was made from the same
inputs (its cache key: templates, settings, the set of files and the page's own
content) and the file is still the one that build wrote (size and modification time).
Links into and out of carried pages are still checked: the portal checks every item's links and
anchors itself (portal.rules.links), before any page is rendered.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    key: str
    dest: str  # path under the site folder
    size: int
    mtime_ns: int


@dataclass
class Carried:
    entries: dict[str, Entry] = field(default_factory=dict)  # src_uri -> its entry from the previous build

    def __contains__(self, src_uri: str) -> bool:
        return src_uri in self.entries


def carry(
    previous: Path | None,
    target: Path,
    pages: dict[str, tuple[str, str]],
    manifest: dict[str, Entry],
    move: bool = False,
) -> Carried:
    """Take every page of `pages` (src_uri -> (key, dest)) whose manifest entry has the same key
    and whose file in `previous` is unchanged into `target`. Never writes into `previous`'s files."""
    carried = Carried()
    if previous is None or not manifest or previous.resolve() == target.resolve():
        return carried
    made: set[str] = set()
    for src_uri, (key, dest) in pages.items():
        entry = manifest.get(src_uri)
        if entry is None or entry.key != key or entry.dest != dest:
            continue
        old = previous / dest
        try:
            stat = old.stat()
        except OSError:
            continue
        if (stat.st_size, stat.st_mtime_ns) != (entry.size, entry.mtime_ns):
            continue
        new = target / dest
        folder = os.path.dirname(new)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        try:
            os.rename(old, new) if move else os.link(old, new)
        except OSError:
            shutil.copy2(old, new)
        carried.entries[src_uri] = entry
    return carried


def manifest_of(site: Path, pages: dict[str, tuple[str, str]]) -> dict[str, Entry]:
    """The manifest of a finished output: every page of `pages` (src_uri -> (key, dest)) that was written."""
    manifest = {}
    for src_uri, (key, dest) in pages.items():
        try:
            stat = (site / dest).stat()
        except OSError:
            continue
        manifest[src_uri] = Entry(key, dest, stat.st_size, stat.st_mtime_ns)
    return manifest
