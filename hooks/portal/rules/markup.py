"""Markdown that the sanitizer changes, told to the editor; names an item may not forge.

The page's own scripts and Material read elements by id and class (`__config`,
`__search`, `md-content`, `portal-search__…`). An item that could give one of its
elements such a name could redirect search or run script, so `reserved` names are
removed by the sanitizer (portal.rules.html) wherever they come from: raw HTML or
attr_list (`{: #__config }`).

`markdown_problems` reports, with the line, what Markdown itself (not raw HTML,
see portal.rules.html.raw_html_problems) would publish and the sanitizer removes:
links with a script scheme and attr_list attributes that are handlers, styles
or reserved names.
"""

from __future__ import annotations

import re

from portal.content.markdown import scan
from portal.problems import Problem

RESERVED_PREFIXES = ("__", "md-", "portal-")
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*):", re.I)
# attr_list: {: …} or {…} holding #id, .class or key=value
ATTR_LIST = re.compile(
    r"\{:?[ \t]*((?:[#.][^\s{}]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s{}]+))"
    r"(?:[ \t]+(?:[#.][^\s{}]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s{}]+)))*)[ \t]*\}"
)
ATTR = re.compile(r"([#.])([^\s{}]+)|([\w-]+)=(\"[^\"]*\"|'[^']*'|[^\s{}]+)")
HINT = (
    "正文中不能使用脚本链接（javascript: 等）、事件属性（onclick 等）、style 样式，也不能使用网站保留的 id 和 class "
    "（以 __、md-、portal- 开头）：请删除，链接只写 http:// 或 https:// 开头的网址。"
)


def reserved(name: str) -> bool:
    """An id or class token the page's scripts or theme rely on."""
    return name.strip().lower().startswith(RESERVED_PREFIXES)


def _bad_scheme(url: str) -> str | None:
    cleaned = re.sub(r"[\x00-\x20]", "", url)
    match = SCHEME.match(cleaned)
    return match.group(1).lower() if match and match.group(1).lower() not in SAFE_SCHEMES else None


def _attr_removals(text: str) -> list[str]:
    removed = []
    for mark, name, key, value in ATTR.findall(text):
        if mark == "#" and reserved(name):
            removed.append(f"删除了网站保留的 id“{name}”")
        elif mark == "." and reserved(name):
            removed.append(f"删除了网站保留的 class“{name}”")
        elif key.lower().startswith("on"):
            removed.append(f"删除了事件属性 {key}")
        elif key.lower() == "style":
            removed.append("删除了 style 样式属性")
        elif key.lower() == "id" and reserved(value.strip("\"'")):
            removed.append(f"删除了网站保留的 id“{value.strip(chr(34) + chr(39))}”")
        elif key.lower() in ("href", "src") and (scheme := _bad_scheme(value.strip("\"'"))):
            removed.append(f"删除了 {scheme}: 链接")
    return removed


def markdown_problems(markdown: str, file: str, body_line: int) -> list[Problem]:
    """A warning for each line whose Markdown links or attr_list the sanitizer would cut."""
    scanned = scan(markdown)
    removed: dict[int, list[str]] = {}
    for link in scanned.links():
        if link.kind != "reference" and (scheme := _bad_scheme(link.target)):
            removed.setdefault(scanned.line_of(link.start), []).append(f"删除了 {scheme}: 链接")
    for offset, line in scanned.lines():
        for attrs in ATTR_LIST.finditer(line):
            removed.setdefault(offset, []).extend(_attr_removals(attrs.group(1)))
    return [
        Problem(file, body_line + offset, f"正文发布时会被删改：{'；'.join(dict.fromkeys(found))}。", HINT, "warning")
        for offset, found in sorted(removed.items())
        if found
    ]
