"""Smaller pages: what every page repeats, written once or not at all.

Post-processing of the finished HTML, independent of the templates that made it:
  - indentation and blank lines are dropped (a line break stays wherever there was
    whitespace, so text renders the same), except inside elements where whitespace
    shows: pre, code, kbd, textarea, and inside script and style;
  - Material's inline icons (24×24 single-path SVGs, about 2.5 KB on every page) are
    replaced by references to one sprite file, assets/portal-icons.svg, written once;
  - the theme's configuration script is written as UTF-8 instead of \\u escapes, without what
    only Material's own search reads (its worker and messages: the portal's search replaces it,
    and Material mounts its search only where a form is named "search").
Editors' bodies never hold SVG (the sanitizer drops it), so only the theme's icons match.
"""

from __future__ import annotations

import hashlib
import json
import re
from html import escape

SPRITE = "assets/portal-icons.svg"
KEEP = re.compile(r"(<(pre|code|kbd|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
INDENT = re.compile(r"[ \t]*\n\s*")  # trailing spaces, line break, then any blank lines and indentation
ICON = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="([^"<>]*)"/></svg>')
CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def icon_id(path: str) -> str:
    return "i" + hashlib.sha1(path.encode()).hexdigest()[:8]


def dedent(html: str) -> str:
    parts = KEEP.split(html)
    out = []
    for i in range(0, len(parts), 3):  # text, kept element, its tag name, text, …
        out.append(INDENT.sub("\n", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


def _config(match: re.Match) -> str:
    try:
        data = json.loads(match.group(2))
    except ValueError:
        return match.group(0)
    if isinstance(data, dict):
        data.pop("search", None)
        if isinstance(data.get("translations"), dict):
            data["translations"] = {k: v for k, v in data["translations"].items() if not k.startswith("search.")}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return match.group(1) + text.replace("</", "<\\/") + match.group(3)


class Compactor:
    """Compacts pages and remembers the icons they referred to, for the sprite."""

    def __init__(self) -> None:
        self.icons: dict[str, str] = {}  # id -> path data

    def page(self, html: str, root: str) -> str:
        """`root`: the relative URL of the site root from this page ('' or '../…')."""

        def use(match: re.Match) -> str:
            path = match.group(1)
            key = icon_id(path)
            self.icons[key] = path
            return f'<svg viewBox="0 0 24 24"><use href="{root}{SPRITE}#{key}"/></svg>'

        html = ICON.sub(use, html)
        html = CONFIG.sub(_config, html, count=1)
        return dedent(html)

    def sprite(self) -> bytes:
        symbols = "".join(
            f'<symbol id="{key}" viewBox="0 0 24 24"><path d="{escape(path)}"/></symbol>'
            for key, path in sorted(self.icons.items())
        )
        return f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n'.encode()
