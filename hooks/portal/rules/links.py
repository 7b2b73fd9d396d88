"""Links between pages, as editors write them: a relative `.md` path, or an address copied
from the browser (`/news/2026/slug/` or the full `https://…` address of this site).

page_url         the site path a page's source file is published at
SitePages        every page of one build, and the items that are not published
link_problems    links to a missing item, anchor, draft, or a file outside content/, in Chinese
rewrite_links    an item body with links by address turned into relative `.md` links

Both the build (hooks/portal/engines/mkdocs.py) and `check` run link_problems on the same SitePages, so
they report the same problems; MkDocs' own (English) link validation is switched off in
mkdocs.yml. A link by address is rewritten to the target's `.md` file before MkDocs
renders the page, so it works under any base path (a site_url with a sub-path) and in
`mkdocs serve`.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

import markdown

from portal.content.facts import BY_ADDRESS, body_facts
from portal.content.markdown import scan
from portal.problems import Problem

SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
DOCS_META = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n", re.S)
HINT = "复制浏览器地址栏中的网址（如 /news/2026/wenjian-ming/ 或完整网址），或写相对于本稿件的 .md 文件路径。"


def page_url(src_uri: str) -> str:
    """Where MkDocs (use_directory_urls) publishes a page: news/2026/a.md -> news/2026/a/."""
    stem = src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    return stem.rstrip("/") + "/" if stem.strip("/") else ""


@dataclass
class SitePages:
    """The pages of one build by site path, and why unpublished items are not published."""

    by_url: dict[str, str]  # "news/2026/a/" -> "news/2026/a.md"; "" is the home page
    held: dict[str, str] = field(default_factory=dict)  # src_uri of an unpublished item -> why
    site_url: str = ""
    bodies: dict[str, str] = field(default_factory=dict)  # src_uri -> Markdown, for anchors
    extensions: list = field(default_factory=list)  # Markdown extensions, for the ids of headings
    held_by_url: dict[str, str] = field(default_factory=dict)
    uris: set[str] = field(default_factory=set)  # src_uri of every page
    roots: tuple[Path, ...] = ()  # content/ and docs/: where linked files must be
    docs_dir: Path | None = None  # its pages' headings are anchors too (read when a link needs them)
    _ids: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        items: list,
        listing_uris,
        docs_dir: Path | None,
        site_url: str,
        extensions: list,
        today,
        content_dir: Path | None = None,
    ) -> SitePages:
        """The pages of one build: the items published on `today`, the listings and docs/ pages;
        held-back items apart (a link to one is told as such)."""
        published = [item for item in items if item.is_published(today)]
        held = [item for item in items if not item.is_published(today)]
        uris = [item.src_uri for item in published] + list(listing_uris)
        if docs_dir and docs_dir.is_dir():
            uris += [p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")]
        pages = cls({page_url(uri): uri for uri in uris}, site_url=site_url, extensions=extensions)
        pages.uris = set(uris)
        pages.roots = tuple(root for root in (content_dir, docs_dir) if root)
        pages.docs_dir = docs_dir
        pages.held = {item.src_uri: item.held_back(today) for item in held}
        pages.held_by_url = {page_url(uri): uri for uri in pages.held}
        pages.bodies = {item.src_uri: item.body for item in [*published, *held]}
        return pages

    def ids(self, src_uri: str) -> set[str] | None:
        """The ids a page's body gives its headings (as MkDocs' toc makes them); None when unknown."""
        if src_uri not in self.bodies and src_uri in self.uris and self.docs_dir and src_uri.endswith(".md"):
            try:  # a docs/ page: its Markdown without front matter
                self.bodies[src_uri] = DOCS_META.sub(
                    "", (self.docs_dir / src_uri).read_text(encoding="utf-8-sig"), count=1
                )
            except (OSError, UnicodeDecodeError):
                return None
        if src_uri not in self.bodies:
            return None
        if src_uri not in self._ids:
            html = markdown.markdown(self.bodies[src_uri], extensions=self.extensions)
            self._ids[src_uri] = set(re.findall(r'\bid="([^"]+)"', html))
        return self._ids[src_uri]

    def site_path(self, target: str) -> str | None:
        """A link by address -> its path on this site ("news/2026/a/"), or None when the link
        is not to this site (another host, mailto:, a relative path)."""
        base = urlsplit(self.site_url or "/")
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            if parts.scheme not in ("http", "https") or not base.netloc or parts.netloc.lower() != base.netloc.lower():
                return None
        elif not target.startswith("/"):
            return None
        path = unquote(parts.path or "/")
        prefix = base.path.rstrip("/") + "/"
        if prefix != "/" and (path + "/").startswith(prefix):
            path = path[len(prefix) - 1 :]
        return path.lstrip("/")


@dataclass(frozen=True)
class Link:
    start: int  # offset of the target in the body
    end: int
    target: str  # as written, without <>
    picture: bool


def links(body: str) -> Iterator[Link]:
    """Every inline link and picture target and every [label]: definition of a Markdown body,
    outside code (the scanner's, shared with every other check)."""
    for link in scan(body).links():
        if link.kind != "reference" and link.target:
            yield Link(link.start, link.end, link.target, link.picture)


def _looks_like_page(path: str) -> bool:
    """A site path of a page (a folder-style address), not of a file such as /data/metrics.csv."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return path.endswith("/") or "." not in last or last.endswith((".html", ".md"))


def resolve(item_path: str, target: str, pages: SitePages) -> tuple[str | None, str, str]:
    """(src_uri of the linked page or None, the anchor, why not found: "" | "missing" | "outside").
    (None, "", "") means: not a link this module checks (another site, a file, mailto:)."""
    address, _, anchor = target.partition("#")
    if not address:
        return item_path, anchor, ""
    path = pages.site_path(address)
    if path is not None:
        if not _looks_like_page(path):
            return None, "", ""
        key = path.rstrip("/") + "/" if path.strip("/") else ""
        if key.endswith(".html/"):
            key = page_url(key[: -len(".html/")] + ".md")
        uri = pages.by_url.get(key) or pages.held_by_url.get(key)
        return (uri, anchor, "") if uri else (key, anchor, "missing")
    if SCHEME.match(address) or address.startswith("//"):
        return None, "", ""
    if address.endswith("/") or address in (".", ".."):  # relative to the page's address, as a browser reads it
        joined = posixpath.normpath(posixpath.join(page_url(item_path), unquote(address)))
        if joined == ".." or joined.startswith("../"):
            return joined, anchor, "missing"
        return resolve(
            item_path, "/" + ("" if joined == "." else joined + "/") + ("#" + anchor if anchor else ""), pages
        )
    rel = posixpath.normpath(posixpath.join(posixpath.dirname(item_path), unquote(address)))
    if rel.startswith("../") or rel == "..":
        return rel, anchor, "outside"
    if not rel.endswith(".md"):  # a file such as a PDF (pictures are checked with the item's assets)
        if not pages.roots or any(_is_file(root / rel) for root in pages.roots):
            return None, "", ""
        return rel, "", "no file"
    if rel in pages.uris or rel in pages.held:
        return rel, anchor, ""
    return rel, anchor, "missing"


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a NUL byte or an over-long name from an editor's link
        return False


def all_link_problems(items: list, shown_as: str, pages: SitePages) -> list[Problem]:
    """The link problems of every item (the build and `check` alike)."""
    return [problem for item in items for problem in link_problems(item, f"{shown_as}/{item.path}", pages)]


def link_problems(item, file: str, pages: SitePages) -> list[Problem]:
    """Each link of an item that would not work on the published site, as a warning
    (`--strict`, as CI builds, stops on them) with its line."""
    problems = []
    for start, end, target, picture in body_facts(item).links:  # found when the item was read
        if picture:
            continue  # pictures are checked with the item's assets (portal.content.reader)
        link = Link(start, end, target, picture)
        uri, anchor, why = resolve(item.path, link.target, pages)
        if uri is None:
            continue
        line = item.body_line + item.body.count("\n", 0, link.start)
        shown = link.target
        if why == "outside":
            problems.append(
                Problem(
                    file,
                    line,
                    f"链接“{shown}”指向 content/ 以外的文件，网站上不会有这个文件。",
                    "只能链接 content/ 中的稿件和文件；把文件放到稿件旁边再链接。",
                    "warning",
                )
            )
        elif why == "no file":
            problems.append(
                Problem(
                    file,
                    line,
                    f"链接指向的文件“{shown}”不存在。",
                    "路径相对于本稿件文件；把文件放进 content/ 中稿件旁边，检查文件名（包括大小写和扩展名）。",
                    "warning",
                )
            )
        elif why == "missing":
            problems.append(
                Problem(
                    file,
                    line,
                    f"链接指向的稿件“{shown}”不存在。",
                    "检查网址或文件名（稿件可能已改名或删除），或删除这个链接。" + HINT,
                    "warning",
                )
            )
        elif uri in pages.held:
            problems.append(
                Problem(
                    file,
                    line,
                    f"链接“{shown}”指向的稿件暂不发布（{pages.held[uri]}），读者点开会找不到页面。",
                    "等那篇稿件发布后再加链接，或删除这个链接。",
                    "warning",
                )
            )
        elif anchor and (ids := pages.ids(uri)) is not None and anchor not in ids and unquote(anchor) not in ids:
            problems.append(
                Problem(
                    file,
                    line,
                    f"链接“{shown}”中的“#{anchor}”在目标页面中找不到。",
                    "检查 # 后面的小标题锚点，或去掉 # 及其后的部分。",
                    "warning",
                )
            )
    return problems


def rewrite_links(body: str, item_path: str, pages: SitePages) -> str:
    """Links by address to a page of this site become relative links to its source file,
    which MkDocs turns into the right relative URL."""
    if not BY_ADDRESS.search(body):
        return body
    edits: list[tuple[int, int, str]] = []
    for link in links(body):
        address = link.target.partition("#")[0]
        if link.picture or not address or (pages.site_path(address) is None and not address.endswith("/")):
            continue
        uri, anchor, why = resolve(item_path, link.target, pages)
        if uri and not why and uri.endswith(".md"):
            relative = posixpath.relpath(uri, posixpath.dirname(item_path) or ".")
            edits.append((link.start, link.end, relative + ("#" + anchor if anchor else "")))
    for start, end, text in sorted(edits, reverse=True):
        body = body[:start] + text + body[end:]
    return body
