"""Reading the whole of content/: the catalogue, then every item, all problems together."""

from __future__ import annotations

import copy
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

import portal.model as model
from portal.cache import BuildCache, digest
from portal.collector import paused
from portal.content.catalogue import load_catalogue
from portal.content.facts import ATTRIBUTE, body_facts
from portal.content.hygiene import name_problem as unsafe_name
from portal.content.markdown import mask_code, scan
from portal.content.names import duplicate_problems, name_problem
from portal.content.publishing import (  # noqa: F401
    ATTACHMENTS,
    IMAGE_SUFFIXES,
    MAX_ATTACHMENT_BYTES,
    Attachment,
    classify,
    inside,
    reserved_clashes,
    walk_content,
)
from portal.content.source import read_source
from portal.content.validate import validate_item
from portal.forked import fork_map
from portal.images import alt_problems, check_image
from portal.problems import Problem

CATALOGUE = "catalogue.yml"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _notices(raw: bytes, file: str) -> list[Problem]:
    """What editors' Windows tools add and the portal handles by itself: told, not refused."""
    notices = []
    if raw.startswith(b"\xef\xbb\xbf"):
        notices.append(
            Problem(
                file,
                1,
                "文件开头有 BOM（字节顺序标记），已自动忽略。",
                "可在编辑器中另存为“UTF-8（无 BOM）”。",
                "notice",
            )
        )
    if b"\r\n" in raw:
        notices.append(
            Problem(
                file, 1, "文件使用 Windows 换行（CRLF），已自动处理。", "可在编辑器右下角把换行符改为 LF。", "notice"
            )
        )
    return notices


def item_files(content_dir: Path) -> list[Path]:
    """Markdown files editors wrote; names starting with '.' or '_' are left out, symlinks never followed."""
    return walk_content(content_dir, "content")[0]


def read_item(
    raw: bytes, rel: str, file: str, kind: str, catalogue: model.Catalogue
) -> tuple[model.Item | None, list[Problem]]:
    source, problems = read_source(raw, file)
    if source is None:
        return None, problems
    item, problems = validate_item(source, rel, kind, catalogue)
    if item is not None:  # found where the item is parsed (on every core) and cached with it
        body_facts(item)
        text_findings(item, file)
    return item, problems


def load_content(content_dir: Path, shown_as: str = "content", cache: BuildCache | None = None) -> model.Content:
    """Read and validate everything under content_dir; never writes there. With a cache,
    a file whose bytes (and the catalogue) are unchanged is not parsed again."""
    catalogue_path = content_dir / CATALOGUE
    catalogue, problems = load_catalogue(catalogue_path, f"{shown_as}/{CATALOGUE}")
    salt = catalogue_path.read_bytes() if catalogue_path.is_file() and not catalogue_path.is_symlink() else b""
    content = model.Content(catalogue, problems=problems)
    paths, walk_problems = walk_content(content_dir, shown_as)
    content.problems += walk_problems
    sources = []  # (rel, file, cache key, notices)
    known, unread, pending = {}, {}, {}  # cache key -> entry; file -> read_item's arguments, unread or not looked up

    def look_up() -> None:  # a thousand files at a time: one query, and only unknown files' bytes kept
        found = cache.get_many("items", [key for key, _ in pending.values()]) if cache else {}
        known.update({key: _restored(found[key], raw) for key, (raw, *_) in pending.values() if key in found})
        unread.update({file: arguments for file, (key, arguments) in pending.items() if key not in known})
        pending.clear()

    prefix = os.path.join(content_dir, "")
    with paused():  # items read back from the cache live as long as the build (portal.collector)
        for path in paths:
            name = str(path)  # walk_content's paths are under content_dir (relative_to is slower)
            rel = name[len(prefix) :] if name.startswith(prefix) else path.relative_to(content_dir).as_posix()
            rel = rel.replace(os.sep, "/")
            file = f"{shown_as}/{rel}"
            kind = model.KIND_FOLDERS.get(rel.split("/")[0])
            if kind is None or "/" not in rel:
                content.problems.append(
                    Problem(
                        file,
                        0,
                        "稿件放错了位置。",
                        "新闻稿件放在 content/news/ 下，年度回顾放在 content/reviews/ 下（可再分子文件夹）。",
                    )
                )
                continue
            raw = path.read_bytes()
            sources.append((rel, file, digest(raw, salt, file), _notices(raw, file)))
            pending[file] = (sources[-1][2], (raw, rel, file, kind))
            if len(pending) >= 1000:
                look_up()
        look_up()
    # Files read for the first time are parsed and validated on every core (portal.forked).
    parsed = fork_map(lambda arguments: read_item(*arguments, catalogue), list(unread.values()))
    read = dict(zip(unread, parsed, strict=True))
    raws = {file: arguments[0] for file, arguments in unread.items()}  # for the cache (_stored)
    unread.clear()
    with paused():
        for rel, file, key, notices in sources:
            content.problems += notices
            cached = known.get(key)
            item, problems = cached or read[file]
            if cache and not cached:
                # Not deflated: about 1 KB each, which zlib's setup per call made 0.3 s at 10,000 items.
                cache.put("items", key, _stored(item, problems, raws.pop(file)), deflate=False)
            if item is not None:
                item.__dict__[SOURCE] = (item.body, key)
            problems = list(problems)
            if bad_name := name_problem(rel, file):
                problems.append(bad_name)
            if item is not None:
                item.assets, item.attachments, asset_problems = item_assets(item, content_dir, file, cache)
                problems += asset_problems
            content.problems += problems
            if item is not None and not any(p.level == "error" for p in problems):
                content.items.append(item)
    content.problems += _url_clashes(content.items, shown_as) + reserved_clashes(content.items, shown_as)
    content.problems += duplicate_problems(content.items, shown_as)
    return content


# A picture or link written in HTML (<img src="photo.jpg">, <a href="tongzhi.pdf">): MkDocs does not
# convert its relative path, so a file of this site it names is neither published nor found.
RAW_TARGET = re.compile(r"<(img|a)\b[^>]*?\s(?:src|href)\s*=\s*[\"']?([^\"'\s>]+)", re.I)


def item_assets(
    item: model.Item, content_dir: Path, file: str, cache: BuildCache | None = None
) -> tuple[tuple[str, ...], tuple[Attachment, ...], list[Problem]]:
    """The non-Markdown files the item links to, mounted with it (and only with it: a
    draft's pictures are not published): pictures, each checked (missing, corrupt, too
    large, without alt text), and attachments of passive types; anything else is refused."""
    assets, attachments = [], []
    shown, targets = text_findings(item, file)
    problems = list(shown)
    for target, line in targets:
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(item.path), unquote(target.split("#")[0])))
        path = content_dir / rel
        if found := unsafe_name(rel):
            problems.append(
                Problem(
                    file,
                    line,
                    f"链接的文件“{target[:40]}…”{found}。",
                    "改用简短的小写英文字母、数字和连字符命名，例如 2026-fangan.pdf。",
                )
            )
            continue
        kind, refusal = classify(rel)
        if target == item.cover and kind != "image":
            kind, refusal = "refused", "封面只能是 JPEG、PNG、WebP 或 GIF 图片。"
        if kind == "refused":
            problems.append(Problem(file, line, f"链接的文件“{target}”不能发布。", refusal))
            continue
        if not inside(content_dir, rel):
            problems.append(
                Problem(
                    file,
                    line,
                    f"链接的文件“{target}”在 content/ 之外或经过符号链接，网站不读取。",
                    "把文件复制到稿件所在的文件夹，链接只写文件名。",
                )
            )
            continue
        if kind == "image":
            found = check_image(path, file, line, target, cache)
            if found and not path.is_file():
                what = "字段 cover（封面图）" if target == item.cover else "图片"
                problems.append(
                    Problem(
                        file,
                        line,
                        f"{what}指向的文件“{target}”不存在。",
                        "路径相对于稿件文件本身，例如图片和稿件放在同一文件夹时只写文件名。",
                    )
                )
                continue
            problems += found
        elif not path.is_file():
            problems.append(
                Problem(
                    file,
                    line,
                    f"附件“{target}”不存在。",
                    "检查文件名（包括大小写和扩展名）；附件和稿件放在同一文件夹时链接只写文件名。",
                )
            )
            continue
        elif (size := path.stat().st_size) > MAX_ATTACHMENT_BYTES:
            problems.append(
                Problem(
                    file,
                    line,
                    f"附件“{target}”太大：{size / 1024 / 1024:.1f} MB，"
                    f"超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB 的上限。",
                    "压缩后再上传，或只发布摘要、把全文放在单位的网盘中。",
                )
            )
            continue
        elif rel not in (a.rel for a in attachments):
            attachments.append(Attachment(rel, ATTACHMENTS[posixpath.splitext(rel)[1].lower()], size))
        if path.is_file():
            assets.append(rel)
    return tuple(dict.fromkeys(assets)), tuple(attachments), problems


# What the build sets on an item after reading it (every other field comes from its file and the catalogue).
SET_BY_BUILD = ("updated", "assets", "attachments", "url", "cover_url", "hold")
SOURCE = "_source"  # on the item: (its body, the cache key of its file's bytes, the catalogue and its name)


def _text(raw: bytes) -> str:
    """A file's text as `_stored` finds the body in it (any fixed way of decoding would do)."""
    return raw.decode("utf-8", "replace").replace("\r\n", "\n")


def _stored(item: model.Item | None, problems: list[Problem], raw: bytes) -> tuple:
    """A cache entry of a file read: the item, without its body when the body ends the file's text
    (most do: the cache need not hold every body twice, and reads back a quarter of the bytes)."""
    if item is None or not item.body or not _text(raw).endswith(item.body):
        return item, problems, 0
    stored = copy.copy(item)
    _set_body(stored, "")
    return stored, problems, len(item.body)


def _restored(entry: tuple, raw: bytes) -> tuple[model.Item | None, list[Problem]]:
    """The item and problems of a cache entry (`_stored`) of the same bytes."""
    item, problems, length = entry
    if length:
        _set_body(item, _text(raw)[-length:])
    return item, problems


def _set_body(item: model.Item, body: str) -> None:
    """The body, and the facts found in it (which name it: portal.content.facts)."""
    found = item.__dict__
    found["body"] = body
    if (facts := found.get(ATTRIBUTE)) is not None:
        found[ATTRIBUTE] = facts._replace(body=body)
    if (kept := found.get(FINDINGS)) is not None:
        found[FINDINGS] = (body, *kept[1:])


def item_print(item: model.Item) -> str:
    """A digest of everything the item holds (its page cache key includes it): what its file (the
    cache key of its bytes, name and catalogue) and the build set; its repr once its body was replaced."""
    source = item.__dict__.get(SOURCE)
    if source is None or source[0] is not item.body:
        return digest(repr(item))
    return digest(source[1], repr([getattr(item, name) for name in SET_BY_BUILD]))


FINDINGS = "_asset_findings"  # on the item, cached with it as its body facts are (portal.content.facts)


def text_findings(item: model.Item, file: str) -> tuple[list[Problem], list[tuple[str, int]]]:
    """What `item_assets` finds in the item's text alone: the problems of its pictures' alt text and of
    files named in HTML, and the (target, line) of each file it names, which must be looked up. Found
    once when the item is read and cached with it; found again when the body or the cover changed."""
    kept = item.__dict__.get(FINDINGS)
    if kept is not None and kept[0] is item.body and kept[1:3] == (file, item.cover):
        return kept[3], kept[4]
    problems = alt_problems(item.body, file, item.body_line)
    scanned = scan(item.body)  # links and pictures outside code (definitions too), as the page shows them
    named = [
        (link.target, item.body_line + scanned.line_of(link.start))
        for link in scanned.links()
        if link.kind != "reference" and link.target
    ]
    if item.cover:
        named.insert(0, (item.cover, item.key_lines.get("cover", 1)))
    for match in RAW_TARGET.finditer(mask_code(item.body)):
        target, picture = match.group(2), match.group(1).lower() == "img"
        if not re.match(r"^([a-z][a-z0-9+.-]*:|/|#)", target, re.I):
            what, example = ("图片", f"![图片说明]({target})") if picture else ("链接", f"[链接文字]({target})")
            problems.append(
                Problem(
                    file,
                    item.body_line + item.body.count("\n", 0, match.start()),
                    f"正文中用 HTML 写的{what}“{target}”指向本站的文件：这种写法的路径不会转换，发布后打不开。",
                    f"改用 Markdown 写法，例如 {example}。",
                    level="warning",
                )
            )
    targets = []
    for target, line in named:
        if re.match(r"^([a-z][a-z0-9+.-]*:|/|#)", target, re.I) or re.search(r"\.md($|#)", target):
            continue  # other sites, anchors and pages are MkDocs' to check
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(item.path), unquote(target.split("#")[0])))
        if not posixpath.splitext(rel)[1] and target != item.cover:
            continue  # a folder or a page address: MkDocs checks those links
        targets.append((target, line))
    item.__dict__[FINDINGS] = (item.body, file, item.cover, problems, targets)
    return problems, targets


def url_key(rel: str) -> str:
    """Where a file lands: a/b.md and a/b/index.md both become a/b/; case is folded
    because Windows and macOS editors' file systems (and some servers) ignore it."""
    stem = rel[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    return stem.rstrip("/").lower()


def _url_clashes(items: list[model.Item], shown_as: str) -> list[Problem]:
    by_url: dict[str, list[model.Item]] = {}
    for item in items:
        by_url.setdefault(url_key(item.path), []).append(item)
    problems = []
    for url, clash in by_url.items():
        if len(clash) > 1:
            names = "、".join(f"{shown_as}/{item.path}" for item in clash)
            for item in clash:
                problems.append(
                    Problem(
                        f"{shown_as}/{item.path}",
                        0,
                        f"与其他稿件的网址相同（/{url}/）：{names}。",
                        "给其中一个文件改名（文件名只用小写字母、数字和连字符）。",
                    )
                )
    return problems
