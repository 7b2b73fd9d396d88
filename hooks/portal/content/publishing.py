"""The closed publishing set: what content/ may put on the site, and nothing else.

An item publishes its page, its pictures (always re-encoded, portal.images) and
attachments of passive document types, shown at the end of the article with type
and size. Active types (HTML, SVG, XML, scripts, styles…) would run on the portal's
origin and are refused with what to do instead. Nothing under content/ may be a
symlink (nothing outside the repository is ever read), and no published path may
take the place of a site, theme or generated file, a listing page, another item or
another picture's resized copy.

walk_content      the item files under content/, and the problems of what is there
classify          what a linked file is: a picture, an attachment, or refused (and why)
Attachment        one attachment as the article shows it
reserved_clashes  published paths that would replace a listing page or a picture's copy
PathClaims        the build's last net: a published path that is already a file of the site
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from portal.content.hygiene import name_problem
from portal.problems import Problem

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
# Passive documents readers download: (label shown to readers).
ATTACHMENTS = {
    ".pdf": "PDF",
    ".doc": "Word",
    ".docx": "Word",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".ppt": "PowerPoint",
    ".pptx": "PowerPoint",
    ".wps": "WPS 文字",
    ".et": "WPS 表格",
    ".dps": "WPS 演示",
    ".zip": "ZIP 压缩包",
    ".txt": "纯文本",
    ".csv": "CSV 表格",
}
MAX_ATTACHMENT_BYTES = 30 * 1024 * 1024
# Types a browser runs or renders as part of the site: what to do instead.
ACTIVE = {
    ".svg": "SVG 图片可以带脚本：请用绘图软件导出为 PNG 图片后再插入。",
    ".svgz": "SVG 图片可以带脚本：请用绘图软件导出为 PNG 图片后再插入。",
    ".html": "网页文件会在本站运行：请把内容写进稿件正文，或另存为 PDF 后作为附件。",
    ".htm": "网页文件会在本站运行：请把内容写进稿件正文，或另存为 PDF 后作为附件。",
    ".xhtml": "网页文件会在本站运行：请把内容写进稿件正文，或另存为 PDF 后作为附件。",
    ".shtml": "网页文件会在本站运行：请把内容写进稿件正文，或另存为 PDF 后作为附件。",
    ".mht": "网页文件会在本站运行：请把内容写进稿件正文，或另存为 PDF 后作为附件。",
    ".xml": "XML 文件可以被浏览器当作网页运行：请另存为 PDF 或 Excel 后作为附件。",
    ".xsl": "XML 文件可以被浏览器当作网页运行：请另存为 PDF 或 Excel 后作为附件。",
    ".js": "脚本文件会改变网站的功能，稿件中不能发布；如需新功能请联系维护人员。",
    ".mjs": "脚本文件会改变网站的功能，稿件中不能发布；如需新功能请联系维护人员。",
    ".css": "样式表会改变整个网站的外观，稿件中不能发布；如需调整请联系维护人员。",
    ".json": "数据文件会被网站的脚本读取，稿件中不能发布：表格请另存为 Excel 或 CSV。",
    ".webmanifest": "网站配置文件，稿件中不能发布。",
    ".wasm": "程序文件，稿件中不能发布。",
    ".exe": "程序文件，稿件中不能发布。",
    ".swf": "Flash 文件无法播放且不安全：请改用允许的视频平台嵌入。",
}
PASSIVE_LIST = "、".join(dict.fromkeys(f"{label}（{suffix}）" for suffix, label in ATTACHMENTS.items()))
PICTURE_COPY = re.compile(r"^(?P<stem>.+)-\d+\.(?:webp|jpg|png|gif)$", re.I)


@dataclass(frozen=True)
class Attachment:
    rel: str  # under content/, '/'-separated
    kind: str  # PDF, Word, …
    size: int  # bytes

    @property
    def name(self) -> str:
        return posixpath.basename(self.rel)

    @property
    def size_text(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / 1024 / 1024:.1f} MB"
        return f"{max(1, round(self.size / 1024))} KB"


def walk_content(content_dir: Path, shown_as: str) -> tuple[list[Path], list[Problem]]:
    """The Markdown files editors wrote (names starting with '.' or '_' left out), never
    following a symlink; every symlink, folder named *.md and over-long name is a problem."""
    found, problems = [], []

    def problem(rel: str, message: str, hint: str) -> None:
        problems.append(Problem(f"{shown_as}/{rel}", 0, message, hint))

    for folder, dirs, files in os.walk(content_dir, followlinks=False):
        here = Path(folder)
        for name in sorted(dirs):
            path = here / name
            rel = path.relative_to(content_dir).as_posix()
            if name.startswith((".", "_")):
                dirs.remove(name)
            elif path.is_symlink():
                dirs.remove(name)
                problem(
                    rel,
                    "这是一个符号链接（快捷方式）文件夹，网站不读取链接指向的内容。",
                    "把真正的文件夹复制到 content/ 中，再删除这个链接。",
                )
            elif name.lower().endswith(".md"):
                problem(rel, "这是一个以 .md 结尾的文件夹，不是稿件文件。", "给文件夹改名（去掉 .md），或删除它。")
        dirs.sort()
        for name in sorted(files):
            path = here / name
            rel = path.relative_to(content_dir).as_posix()
            if any(part.startswith((".", "_")) for part in rel.split("/")):
                continue
            if path.is_symlink():
                problem(
                    rel,
                    "这是一个符号链接（快捷方式），网站不读取链接指向的文件。",
                    "把真正的文件复制到这里，再删除这个链接。",
                )
            elif found_name := name_problem(rel):
                problem(rel, f"{found_name}。", "改用简短的小写英文字母、数字和连字符命名，例如 2026-lishihui.md。")
            elif name.lower().endswith(".md") and path.is_file():
                found.append(path)
    return sorted(found), problems


def inside(content_dir: Path, rel: str) -> bool:
    """Whether a path under content/ stays inside it without passing through a symlink."""
    if rel.startswith("../") or rel == ".." or posixpath.isabs(rel):
        return False
    path = content_dir
    try:
        for part in rel.split("/"):
            path = path / part
            if path.is_symlink():
                return False
    except OSError:  # a name the file system refuses (too long): nothing there to read
        return False
    return True


def classify(rel: str) -> tuple[str, str]:
    """("image" | "attachment" | "refused", message for refused) of a linked non-Markdown file."""
    suffix = posixpath.splitext(rel)[1].lower()
    if suffix in IMAGE_SUFFIXES:
        return "image", ""
    if suffix in ATTACHMENTS:
        return "attachment", ""
    if suffix in ACTIVE:
        return "refused", ACTIVE[suffix]
    return "refused", f"网站只发布图片（JPEG、PNG、WebP、GIF）和这些文档：{PASSIVE_LIST}。请另存为其中一种格式。"


KIND_FOLDERS = ("news/", "reviews/")


def reserved_clashes(items, shown_as: str) -> list[Problem]:
    """Published paths that would replace a listing page (news/, news/page/N/), a file of
    the site outside the items' folders, or another picture's resized copy (photo-480.webp
    beside photo.jpg). Case is folded, as Windows and macOS file systems fold it."""
    problems = []
    pictures: dict[str, str] = {}  # folded folder/stem of every published picture -> its item's file
    for item in items:
        for rel in item.assets:
            if rel.lower().endswith(IMAGE_SUFFIXES):
                owner = pictures.setdefault(posixpath.splitext(rel)[0].lower(), rel)
                if owner.lower() != rel.lower():
                    problems.append(
                        Problem(
                            f"{shown_as}/{item.path}",
                            0,
                            f"图片“{shown_as}/{rel}”和“{shown_as}/{owner}”"
                            "只有扩展名不同，自动生成的缩小版同名，发布时会互相覆盖。",
                            "给其中一张改个名字。",
                        )
                    )
    owners: dict[str, str] = {}  # folded path of every published file -> the first to publish it
    for item in items:
        for rel in item.assets:
            owner = owners.setdefault(rel.lower(), rel)
            if owner != rel:
                problems.append(
                    Problem(
                        f"{shown_as}/{item.path}",
                        0,
                        f"文件“{shown_as}/{rel}”和“{shown_as}/{owner}”的名称只有大小写不同，"
                        "发布后会互相覆盖（Windows 和很多服务器不区分大小写）。",
                        "给其中一个改名；文件名请只用小写字母。",
                    )
                )
    for item in items:
        file = f"{shown_as}/{item.path}"
        stem = item.path[: -len(".md")].lower()
        if stem in ("news/index", "news") or re.fullmatch(r"news/page(/.*)?", stem):
            problems.append(
                Problem(
                    file,
                    0,
                    f"这篇稿件的网址与“最新发布”列表页相同（/{stem.removesuffix('/index')}/），会把列表页替换掉。",
                    "把稿件移到年份子文件夹中，例如 content/news/2026/，并换一个文件名。",
                )
            )
        for rel in item.assets:
            if not rel.startswith(KIND_FOLDERS):
                problems.append(
                    Problem(
                        file,
                        0,
                        f"引用的文件“{shown_as}/{rel}”不在 content/news/ 或 content/reviews/ 中，"
                        "发布后可能替换网站自己的文件。",
                        "把图片和附件放在稿件所在的文件夹中，链接只写文件名。",
                    )
                )
                continue
            copy = PICTURE_COPY.match(posixpath.basename(rel))
            if copy:
                owner = pictures.get(posixpath.join(posixpath.dirname(rel), copy["stem"]).lower())
                if owner and owner != rel:
                    problems.append(
                        Problem(
                            file,
                            0,
                            f"文件“{shown_as}/{rel}”与图片“{shown_as}/{owner}”自动生成的缩小版同名，发布时会互相覆盖。",
                            f"给“{posixpath.basename(rel)}”改个名字，例如去掉末尾的 -数字。",
                        )
                    )
    return problems


class PathClaims:
    """The build's last net: every published path has one owner. `taken` holds what the
    site has already (its own and the theme's files, generated pages and data) by lower-case
    path; files from content/ claim theirs one by one."""

    def __init__(self, taken: dict[str, str], shown_as: str, reserved_folders: tuple[str, ...] = ("search/",)):
        self.taken = dict(taken)
        self.shown_as = shown_as
        self.reserved_folders = reserved_folders

    def claim(self, dest: str, source: str) -> Problem | None:
        """`source` (under content/) publishes `dest`; a clash names both files."""
        key = dest.lower()
        other = self.taken.get(key) or next(
            (f"网站的 {folder} 文件夹" for folder in self.reserved_folders if key.startswith(folder)), None
        )
        if other:
            return Problem(
                f"{self.shown_as}/{source}",
                0,
                f"发布后的路径 /{dest} 与{other}相同，会把它替换掉。",
                "给这个文件改名，或把它放进稿件所在的文件夹。",
            )
        self.taken[key] = f" {self.shown_as}/{source} 发布的文件"
        return None
