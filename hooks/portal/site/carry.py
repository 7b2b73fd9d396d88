"""Pages whose inputs did not change, carried over from the previous build's output.

After an edit, a rebuild needs to render only the pages the edit touches: the item,
its listings. Every other page's file is taken from the previous output as it is: left
where it is when `mkdocs build` updates site/ in place (portal.site.output.commit), moved
under `mkdocs serve`, which builds into the same folder again, else hard-linked; provided
the manifest of that output says the page was made from the same
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
    files: list[tuple[Path, Path]] = field(default_factory=list)  # (previous file, new file) to take over
    move: bool = False
    error: OSError | None = None  # why `take` could not finish

    @property
    def kept(self) -> set[str]:
        """The carried pages' paths under the site folder."""
        return {entry.dest for entry in self.entries.values()}

    def __contains__(self, src_uri: str) -> bool:
        return src_uri in self.entries

    def take(self) -> None:
        """Link (or move) the carried files into place: system calls only, so a thread can do it
        while the build renders the other pages."""
        made: set[str] = set()
        try:
            for old, new in self.files:
                folder = os.path.dirname(new)
                if folder not in made:
                    os.makedirs(folder, exist_ok=True)
                    made.add(folder)
                try:
                    os.rename(old, new) if self.move else os.link(old, new)
                except OSError:
                    shutil.copy2(old, new)
        except OSError as error:  # a full disk: the build stops (PortalBuild.finish)
            self.error = error


def carry(
    previous: Path | None,
    target: Path,
    pages: dict[str, tuple[str, str]],
    manifest: dict[str, Entry],
    move: bool = False,
    in_place: bool = False,
) -> Carried:
    """Every page of `pages` (src_uri -> (key, dest)) whose manifest entry has the same key and whose
    file in `previous` is unchanged, to be taken into `target` (`Carried.take`), or, `in_place`, left
    where it is. Never writes into `previous`'s files."""
    carried = Carried(move=move)
    if previous is None or not manifest or previous.resolve() == target.resolve():
        return carried
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
        if not in_place:
            carried.files.append((old, target / dest))
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
