"""A build cache of what is pure: validated items, rendered Markdown, item pages, the search index.

Entries are keyed by a hash of their input; the whole cache lives in a folder named
by a hash of everything that could change the output (the hooks' code, mkdocs.yml,
the templates, the versions of MkDocs, Material and Markdown), so a changed template
or setting starts a fresh cache. The GitHub workflow keeps `.cache/` between runs.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import posixpath
import re
import sqlite3
import tempfile
import zlib
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote

PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pyyaml", "pillow", "nh3")


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha1()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


# The command-line tools (check, schema, new, mirror, publish), which no build imports: editing them keeps the cache.
TOOLS = "portal.cli"
TOOLS_DIR = Path(*TOOLS.split("."))


def code_salt(root: Path) -> str:
    """What every cached output depends on besides its own input: the code under hooks/ but the tools."""
    hooks = [
        p for p in sorted((root / "hooks").rglob("*.py")) if not p.relative_to(root / "hooks").is_relative_to(TOOLS_DIR)
    ]
    sources = [root / "mkdocs.yml", *hooks, *sorted((root / "overrides").rglob("*.html"))]
    return digest(*(p.read_bytes() for p in sources if p.is_file()), *(metadata.version(p) for p in PACKAGES))


CACHE_FILE = re.compile(r"^[0-9a-f]{16}\.sqlite(-journal|-wal|-shm)?$")
# How an entry is stored: a text (a page's HTML, its search text) as its UTF-8 bytes and bytes (a QR
# image, already deflated) as they are, each after a tag byte; any other value pickled and deflated
# (zlib). Deflating every page was a tenth of the CPU of rendering it (zlib sets up about 256 KB of
# state for each call), for a cache that the workflows' cache step compresses anyway. A zlib stream
# never starts with a tag (its first byte's low four bits are 8).
# A value whose bulk is deflated already (the search index: its files are) is pickled without deflating
# (PICKLED): deflating its 36 MB at 10,000 items took 0.6 s of every build that changed it, for 0.5 %.
TEXT, BYTES, PICKLED = b"\x01", b"\x02", b"\x03"
# SQLite's largest page: most entries (a page's HTML, about 12 KB) fit in one page instead of a chain
# of 4 KB ones, so a first build writes its ~270 MB at 10,000 items with far fewer system calls
# (committing it took 0.75 s at the end of that build, now 0.4 s); reading the 10,000 items' entries
# back takes 0.06 s instead of 0.03 (each read fetches a larger page).
PAGE_SIZE = "PRAGMA page_size=65536"


def _stored(value, deflate: bool = True) -> bytes:
    if type(value) is str:  # not a subclass (Markup): pickle keeps those
        return TEXT + value.encode("utf-8", "surrogatepass")
    if type(value) is bytes:
        return BYTES + value
    if not deflate:
        return PICKLED + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _loaded(blob: bytes):
    """The value of a stored entry; an exception when it does not read back (taken for a miss)."""
    tag = blob[:1]
    if tag == TEXT:
        return str(memoryview(blob)[1:], "utf-8", "surrogatepass")
    if tag == BYTES:
        return blob[1:]
    if tag == PICKLED:
        return pickle.loads(memoryview(blob)[1:])
    return pickle.loads(zlib.decompress(blob))


class BuildCache:
    """Entries by kind and key in one SQLite file per salt, read one at a time: a warm build
    holds no more in memory than a cold one. Entries a build did not use are dropped when it
    saves; caches of other salts are deleted (and nothing else in the folder ever is).

    The cache only ever speeds a build up: a damaged or foreign file is discarded with a
    notice (`notices`) and rebuilt, an unreadable entry is a miss, and a cache that cannot
    be written is switched off for the rest of the build."""

    def __init__(self, folder: Path | None, salt: str):
        self.salt = salt
        self.parent = folder
        self.db = None
        self.used: set[tuple[str, str]] = set()
        self.notices: list[str] = []
        self.out = None  # in a render worker: the file its entries go to, for the main process (absorb)
        self.out_path = ""
        self.attached: list[str] = []  # render workers' files, until the next commit
        self._inherited = None
        self.path: Path | None = None
        self.readonly = False
        if folder:
            try:
                self._open(folder)
            except (OSError, sqlite3.Error) as error:
                self._discard(f"构建缓存 {folder} 无法使用（{type(error).__name__}），本次不用缓存。")

    @classmethod
    def reader(cls, folder: Path | None, salt: str) -> "BuildCache":
        """The build's cache as `check` and the job summary read it: opened read-only if it
        exists, never created, cleaned or written (a build may be using it)."""
        cache = cls(None, salt)
        path = folder / f"{salt[:16]}.sqlite" if folder else None
        if path and path.is_file():
            try:
                cache.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
                cache.db.execute("SELECT kind, key, value FROM entries LIMIT 1").fetchall()
                cache.path, cache.readonly = path, True
            except sqlite3.Error:  # unreadable: read nothing from it
                cache.close()
        return cache

    def _open(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{self.salt[:16]}.sqlite"
        for other in folder.iterdir():
            if CACHE_FILE.match(other.name) and not other.name.startswith(name) and other.is_file():
                other.unlink()
        path = self.path = folder / name
        try:
            self._connect(path)
        except sqlite3.Error:
            self.notices.append(f"构建缓存 {path} 已损坏或不是本网站的缓存，已删除并重建（只影响速度，不影响结果）。")
            if self.db:
                self.db.close()
            for leftover in folder.glob(name + "*"):
                leftover.unlink()
            self._connect(path)

    def _connect(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.db.execute(PAGE_SIZE)  # a new file's (an existing one keeps its own)
        self.db.execute("PRAGMA journal_mode=WAL")  # render workers read while this process writes
        self.db.execute("CREATE TABLE IF NOT EXISTS entries (kind TEXT, key TEXT, value BLOB, PRIMARY KEY (kind, key))")
        self.db.execute("SELECT kind, key, value FROM entries LIMIT 1").fetchall()
        if self.db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("quick_check")

    def _discard(self, notice: str) -> None:
        self.notices.append(notice)
        if self.db:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
        self.db = None

    def get(self, kind: str, key: str):
        if not self.db:
            return None
        try:
            row = self.db.execute("SELECT value FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
            if row is None:
                return None
            value = _loaded(row[0])
        except sqlite3.Error:
            self._discard("构建缓存读取失败，本次构建的其余部分不用缓存。")
            return None
        except Exception:  # an entry that does not unpickle: a miss, rebuilt and replaced
            return None
        self.used.add((kind, key))
        return value

    def get_many(self, kind: str, keys: list[str]) -> dict:
        """The entries of `keys` that the cache has (one query per thousand keys, not one per key)."""
        found: dict = {}
        if not self.db:
            return found
        for at in range(0, len(keys), 999):  # SQLite's oldest limit of parameters in a query
            chunk = keys[at : at + 999]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self.db.execute(
                    f"SELECT key, value FROM entries WHERE kind = ? AND key IN ({marks})", (kind, *chunk)
                ).fetchall()
            except sqlite3.Error:
                self._discard("构建缓存读取失败，本次构建的其余部分不用缓存。")
                return {}
            for key, blob in rows:
                try:
                    found[key] = _loaded(blob)
                except Exception:  # an entry that does not unpickle: a miss, rebuilt and replaced
                    continue
                self.used.add((kind, key))
        return found

    def has(self, kind: str, key: str) -> bool:
        if not self.db:
            return False
        try:
            return (
                self.db.execute("SELECT 1 FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone() is not None
            )
        except sqlite3.Error:
            self._discard("构建缓存读取失败，本次构建的其余部分不用缓存。")
            return False

    def put(self, kind: str, key: str, value, deflate: bool = True) -> None:
        """`deflate`: False for a value whose bulk is compressed already."""
        if self.db and not self.readonly:
            blob = _stored(value, deflate)
            try:
                (self.out if self.out is not None else self.db).execute(
                    "INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", (kind, key, blob)
                )
            except sqlite3.Error:
                self._discard("构建缓存写入失败，本次构建的其余部分不用缓存。")
                return
            self.used.add((kind, key))

    def keep(self, kind: str, key: str) -> None:
        """An entry this build did not read but the next one may: not dropped when saving."""
        self.used.add((kind, key))

    def in_worker(self) -> None:
        """In a forked render worker: read through a connection of its own (SQLite connections
        must not cross a fork; the inherited one is kept, never used or closed) and write to a
        file of its own, which the main process takes in (`absorb`): nothing piles up in memory."""
        if self.db:
            self._inherited, self.db = self.db, sqlite3.connect(self.path)
            handle, self.out_path = tempfile.mkstemp(prefix="portal-worker-", suffix=".sqlite")
            os.close(handle)
            self.out = sqlite3.connect(self.out_path)
            self.out.execute(PAGE_SIZE)
            self.out.execute("PRAGMA journal_mode=OFF")
            self.out.execute("CREATE TABLE entries (kind TEXT, key TEXT, value BLOB, PRIMARY KEY (kind, key))")
            self.used = set()

    def worker_result(self) -> tuple[set[tuple[str, str]], str]:
        """In a render worker, at the end: what it read, and the file of what it wrote."""
        if self.out is not None:
            self.out.commit()
            self.out.close()
        return self.used, self.out_path

    def absorb(self, used: set[tuple[str, str]], path: str) -> None:
        """What a render worker read and wrote (`worker_result`); its file is deleted."""
        if self.db and path and len(self.attached) >= 8:  # SQLite attaches at most 10 (serve, builds that warned)
            with sqlite3.connect(path) as worker:
                rows = worker.execute("SELECT kind, key, value FROM entries").fetchall()
            self.db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", rows)
            self.used |= used
        elif self.db and path:
            alias = f"worker{len(self.attached)}"  # detached by save(): not within this transaction
            self.db.execute(f"ATTACH DATABASE ? AS {alias}", (path,))
            self.db.execute(f"INSERT OR REPLACE INTO entries SELECT kind, key, value FROM {alias}.entries")
            self.attached.append(alias)
            self.used |= used
        if path:
            os.unlink(path)  # gone when detached

    def save(self, *kinds: str) -> None:
        """Commit; of the given kinds keep only the entries this build used."""
        if not self.db or self.readonly:
            return
        try:
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS used (kind TEXT, key TEXT)")
            self.db.execute("DELETE FROM used")
            self.db.executemany("INSERT INTO used VALUES (?, ?)", [u for u in self.used if u[0] in kinds])
            for kind in kinds:
                self.db.execute(
                    "DELETE FROM entries WHERE kind = ? AND key NOT IN (SELECT key FROM used WHERE kind = ?)",
                    (kind, kind),
                )
            self.db.commit()
            for alias in self.attached:
                self.db.execute(f"DETACH DATABASE {alias}")
            self.attached = []
        except sqlite3.Error:
            self._discard("构建缓存保存失败，下次构建会重建缓存。")
            return
        self.used = {u for u in self.used if u[0] not in kinds}

    def close(self) -> None:
        """The end of the session: the database is closed (entries not saved are dropped)."""
        for db in (self.out, self._inherited, self.db):
            if db is not None:
                try:
                    db.close()
                except sqlite3.Error:
                    pass
        self.db = self.out = self._inherited = None


# What a Markdown link or image points at ](target) or ](<target>), and a reference definition's
# target ([ref]: target): the only places whose relative paths MkDocs turns into addresses.
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.M)


def link_salt(src_uri: str, markdown: str, dest_of) -> str:
    """What a page's HTML depends on among the site's files: where each file its Markdown may
    name (relative to the page) lands, or that it does not exist. `dest_of(src_uri)` gives a
    file's output path or None. Adding an unrelated item changes nothing here."""
    base, found = posixpath.dirname(src_uri), []
    for token in sorted({inline or defined for inline, defined in LINK_TARGET.findall(markdown)}):
        path = unquote(token.split("#", 1)[0].split("?", 1)[0])
        if not path or "://" in path or path.startswith(("/", "mailto:", "tel:")):
            continue
        target = posixpath.normpath(posixpath.join(base, path))
        found.append(f"{target}>{dest_of(target) or ''}")
    return digest(*found)


def read_entry(path: Path | None, kind: str, key: str):
    """One entry of a cache file, read through a connection of its own (in a forked process,
    where the build's connection must not be used); None when it is missing or unreadable."""
    if path is None:
        return None
    try:
        db = sqlite3.connect(path)
        try:
            row = db.execute("SELECT value FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        finally:
            db.close()
        return _loaded(row[0]) if row else None
    except Exception:  # a miss: the index is built anew
        return None


def cached_render(page, cache: BuildCache, salt: str):
    """A replacement for `page.render` that reuses the HTML, table of contents and anchors
    rendered earlier from the same Markdown (with the same files at the places it names)."""
    original = page.render

    def render(config, files) -> None:
        dest_of = lambda uri: f.dest_uri if (f := files.get_file_from_path(uri)) else None  # noqa: E731
        key = digest(salt, page.file.src_uri, page.markdown, link_salt(page.file.src_uri, page.markdown, dest_of))
        if hit := cache.get("pages", key):
            page.content, page.toc, page.present_anchor_ids, links = hit
            page.links_to_anchors = {files.get_file_from_path(uri): anchors for uri, anchors in links.items()}
            return
        original(config, files)
        links = {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()}
        cache.put("pages", key, (page.content, page.toc, page.present_anchor_ids, links))

    return render
