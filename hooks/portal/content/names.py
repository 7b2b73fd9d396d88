"""File names editors give items and pictures: the name is the address, so pinyin,
lowercase and hyphens only; a name that is not gets an error with a suggested name.
Also: the same item saved twice (copied to another folder) is found and told.

pinyin_slug        a title or file name as lowercase pinyin words joined by hyphens
name_problem       a path under content/ whose folder or file names are not allowed
duplicate_problems items with the same title and body in two files
"""

from __future__ import annotations

import posixpath
import re
import unicodedata

from portal.problems import Problem

NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_WORDS = 8  # a suggested name from a long title keeps its first syllables


def pinyin_slug(text: str, max_words: int = MAX_WORDS) -> str:
    """'县知联会召开理事会 2026' -> 'xian-zhi-lian-hui-zhao-kai-li-shi'; '' when nothing is left."""
    from pypinyin import lazy_pinyin  # its phrase tables take ~50 MB: loaded only when a name is suggested

    words: list[str] = []
    for part in lazy_pinyin(unicodedata.normalize("NFKC", text)):
        words += re.findall(r"[a-z0-9]+", part.lower())
    return "-".join(words[:max_words])


def name_problem(rel: str, file: str) -> Problem | None:
    """rel is the path under content/, e.g. news/2026/a.md: every folder and the file's stem
    must be lowercase letters, digits and single hyphens."""
    parts = rel.split("/")
    stem, suffix = posixpath.splitext(parts[-1])
    names = parts[:-1] + [stem]
    if all(NAME_RE.match(name) for name in names):
        return None
    suggested = [pinyin_slug(name, max_words=12) or "gaojian" for name in names]
    better = "/".join(suggested[:-1] + [suggested[-1] + suffix.lower()])
    bad = "、".join(f"“{name}”" for name in names if not NAME_RE.match(name))
    return Problem(
        file,
        0,
        f"文件名或文件夹名 {bad} 不合规：网址由文件名生成，只能用小写拼音或英文字母、数字和连字符（-）。",
        f"改名为 {file[: len(file) - len(rel)]}{better}（发布后不要再改名）。",
    )


def _fingerprint(body: str) -> str:
    return " ".join(body.split())


def duplicate_problems(items: list, shown_as: str) -> list[Problem]:
    """Two files with the same title and the same body (whitespace aside): usually an item
    copied to another folder, which would be published twice."""
    groups: dict[tuple[str, str], list] = {}
    for item in items:
        groups.setdefault((item.title, _fingerprint(item.body)), []).append(item)
    problems = []
    for same in groups.values():
        if len(same) < 2:
            continue
        for item in same:
            others = "、".join(f"{shown_as}/{other.path}" for other in same if other is not item)
            problems.append(
                Problem(
                    f"{shown_as}/{item.path}",
                    item.key_lines.get("title", 1),
                    f"这篇稿件与 {others} 的标题和正文完全相同，会在网站上出现两次。",
                    "删除多余的一份；如果是有意转载，请修改标题或正文。",
                    "warning",
                )
            )
    return problems
