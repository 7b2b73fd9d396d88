"""A build cache of what is pure: validated items, rendered Markdown, the search index.

Entries are keyed by a hash of their input; the whole cache lives in a folder named
by a hash of everything that could change the output (the hooks' code, mkdocs.yml,
the templates, the versions of MkDocs, Material and Markdown), so a changed template
or setting starts a fresh cache. The GitHub workflow keeps `.cache/` between runs.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import zlib
from importlib import metadata
from pathlib import Path

PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pyyaml")


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha1()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def code_salt(root: Path) -> str:
    """What every cached output depends on besides its own input."""
    sources = [root / "mkdocs.yml", *sorted((root / "hooks").glob("*.py")), *sorted((root / "overrides").rglob("*.html"))]
    return digest(*(p.read_bytes() for p in sources if p.is_file()), *(metadata.version(p) for p in PACKAGES))


class BuildCache:
    """Kinds of entries, each a dict kept in memory and saved as one pickle file."""

    def __init__(self, folder: Path | None, salt: str):
        self.salt = salt
        self.folder = folder / salt[:16] if folder else None
        self.parent = folder
        self.kinds: dict[str, dict] = {}
        self.used: dict[str, set] = {}

    def _load(self, kind: str) -> dict:
        if kind not in self.kinds:
            entries = {}
            path = self.folder / f"{kind}.pickle" if self.folder else None
            if path and path.is_file():
                try:
                    entries = pickle.loads(path.read_bytes())
                except Exception:  # a cache is never worth a failed build
                    entries = {}
            self.kinds[kind], self.used[kind] = entries, set()
        return self.kinds[kind]

    def get(self, kind: str, key: str):
        entries = self._load(kind)
        if key in entries:
            self.used[kind].add(key)
        return entries.get(key)

    def put(self, kind: str, key: str, value) -> None:
        self._load(kind)[key] = value
        self.used[kind].add(key)

    def save(self, *kinds: str) -> None:
        """Write the given kinds, keeping only the entries this build used; drop caches of other salts."""
        if not self.folder:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for kind in kinds:
            if kind in self.kinds:
                kept = {key: value for key, value in self.kinds[kind].items() if key in self.used[kind]}
                temporary = self.folder / f".{kind}.pickle.tmp"
                temporary.write_bytes(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
                os.replace(temporary, self.folder / f"{kind}.pickle")
        for other in self.parent.iterdir() if self.parent.is_dir() else ():
            if other.is_dir() and other != self.folder:
                shutil.rmtree(other, ignore_errors=True)


def cached_render(page, cache: BuildCache, salt: str):
    """A replacement for `page.render` that reuses the HTML, table of contents and anchors
    rendered earlier from the same Markdown (and the same set of files to link to)."""
    original = page.render

    def render(config, files) -> None:
        key = digest(salt, page.file.src_uri, page.markdown)
        if hit := cache.get("pages", key):
            page.content, page.toc, page.present_anchor_ids, links = hit
            page.links_to_anchors = {files.get_file_from_path(uri): anchors for uri, anchors in links.items()}
            return
        original(config, files)
        links = {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()}
        cache.put("pages", key, (page.content, page.toc, page.present_anchor_ids, links))

    return render


def pack(text: str) -> bytes:
    """Pages are kept compressed: a tenth of their size in memory and on disk."""
    return zlib.compress(text.encode("utf-8"), 1)


def unpack(data: bytes | None) -> str | None:
    return None if data is None else zlib.decompress(data).decode("utf-8")
