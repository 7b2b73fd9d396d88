"""Raw HTML in editors' Markdown: sanitized for the page, reported to the editor.

Editors paste HTML from Word or WeChat into item bodies. `sanitize` cleans a
rendered page body with nh3 (ammonia) against an allowlist of what Python-Markdown
and Material produce, and keeps embedded players only from allowed hosts;
`raw_html_problems` tells the editor, line by line, what sanitizing will remove.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from portal.content.markdown import scan
from portal.problems import Problem
from portal.rules.markup import reserved

EMBEDS = {"iframe": "视频", "video": "视频", "audio": "音频"}  # players, kept only from embed hosts
EMBED_TAG = re.compile(r"<(?:iframe|video|audio)", re.I)

ALLOWED_TAGS = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "img",
        "picture",
        "source",
        "figure",
        "figcaption",
        "ul",
        "ol",
        "li",
        "blockquote",
        "pre",
        "code",
        "span",
        "div",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "s",
        "sub",
        "sup",
        "mark",
        "small",
        "abbr",
        "br",
        "hr",
        "dl",
        "dt",
        "dd",
        "details",
        "summary",
        *EMBEDS,
    }
)
ALLOWED_ATTRIBUTES = {
    "*": frozenset({"class", "id", "title"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"}),
    "source": frozenset({"type", "srcset", "sizes", "media"}),
    "th": frozenset({"align", "colspan", "rowspan", "scope"}),
    "td": frozenset({"align", "colspan", "rowspan", "scope"}),
    "iframe": frozenset({"src", "width", "height", "allow", "allowfullscreen", "loading", "frameborder"}),
    "video": frozenset({"src", "controls", "poster", "preload", "width", "height"}),
    "audio": frozenset({"src", "controls", "poster", "preload", "width", "height"}),
}
# The only styles allowed: the exact ones the `tables` extension writes for aligned columns.
ALIGNMENTS = frozenset(f"text-align: {side};" for side in ("left", "center", "right"))
ALLOWED_VALUES = {"th": {"style": ALIGNMENTS}, "td": {"style": ALIGNMENTS}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})  # and relative URLs
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "poster", "action", "formaction", "data", "xlink:href"})
SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
CONTROL = "".join(map(chr, range(0x21)))  # what browsers trim around a URL

# Markdown that looks like HTML but is not raw HTML (code aside: the scanner's): autolinks, escaped '<'.
NOT_HTML = re.compile(
    r"\\<"
    r"|<(?:(?:https?|ftps?)://[^<>]*|(?:mailto:)?[-.\w]+@[-\w]+(?:\.[-\w]+)*\.[a-z]+)>",
    re.I,
)
# Python-Markdown's inline HTML (markdown.inlinepatterns.HTML_RE); any other '<' is text.
RAW_HTML = re.compile(r"(<(?:/?[a-zA-Z][^<>@ ]*(?: [^<>]*)?|!--(?:(?!<!--|-->).)*--)>)|<")


class _Tags(HTMLParser):
    """Start and end tags with their offsets; iframe content is text, as in HTML5."""

    CDATA_CONTENT_ELEMENTS = ("script", "style", "iframe", "noembed", "noframes", "xmp")

    def __init__(self, html: str):
        super().__init__()
        self.events: list[tuple[str, str, dict[str, str], int, int]] = []  # (kind, tag, attrs, start, end)
        self._lines = [0] + [m.end() for m in re.finditer("\n", html)]
        self._html = html
        self.feed(html)
        self.close()

    def _start(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._start()
        self.events.append(("start", tag, {n: v or "" for n, v in attrs}, start, start + len(self.get_starttag_text())))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        start = self._start()
        self.events.append(("end", tag, {}, start, self._html.index(">", start) + 1))


def _url(value: str) -> str:
    return re.sub(r"[\t\n\r]", "", value).strip(CONTROL)


def _scheme(value: str) -> str | None:
    match = SCHEME.match(_url(value).lower())
    return match.group(1) if match else None


def _host(url: str) -> str:
    try:  # browsers read '\' as '/' in http(s) URLs: https://evil\@v.qq.com goes to evil
        return urlsplit(_url(url).replace("\\", "/")).hostname or ""
    except ValueError:
        return ""


def _allowed(url: str, hosts: tuple[str, ...]) -> bool:
    host = _host(url)
    return bool(host) and any(host == h or host.endswith("." + h) for h in hosts)


def _drop_embeds(html: str, hosts: tuple[str, ...]) -> tuple[str, list[str]]:
    """The HTML without players from other hosts (an unclosed one: to the end), and what went."""
    cuts, removed, open_embeds = [], [], []  # open_embeds: (tag, start, dropped)
    for kind, tag, attrs, start, end in _Tags(html).events:
        if tag not in EMBEDS:
            continue
        if kind == "start":
            dropped = not _allowed(attrs.get("src", ""), hosts)
            if dropped:
                host = _host(attrs.get("src", ""))
                where = f"来自未允许主机 {host} 的" if host else "没有平台网址的"
                removed.append(f"删除了{where}嵌入{EMBEDS[tag]}")
            open_embeds.append((tag, start, dropped))
        elif any(t == tag for t, _, _ in open_embeds):
            while (popped := open_embeds.pop())[0] != tag:
                pass
            if popped[2] and not any(d for _, _, d in open_embeds):
                cuts.append((popped[1], end))
    if (outer := next((start for _, start, dropped in open_embeds if dropped), None)) is not None:
        cuts.append((outer, len(html)))
    for start, end in reversed(cuts):
        html = html[:start] + html[end:]
    return html, removed


TAG_MESSAGES = {"script": "删除了 <script> 脚本", "style": "删除了 <style> 样式表"}


def _attribute_message(tag: str, name: str, value: str, tag_removed: bool) -> str | None:
    if name.startswith("on"):
        return f"删除了事件属性 {name}"
    scheme = _scheme(value) if name in URL_ATTRIBUTES else None
    if scheme and scheme not in URL_SCHEMES:
        return f"删除了 {scheme}: 链接"
    if tag_removed or (tag, name) == ("a", "rel"):  # nh3 sets rel itself
        return None
    if name in ("id", "class") and (names := [token for token in value.split() if reserved(token)]):
        return f"删除了网站保留的 {name}“{' '.join(names)}”"
    return "删除了 style 样式属性" if name == "style" else f"删除了 <{tag}> 的 {name} 属性"


def _removed(before: str, after: str) -> list[str]:
    """What is in `before` but not in `after`: tags, then attributes, by name and value."""
    kept = [(tag, attrs) for kind, tag, attrs, *_ in _Tags(after).events if kind == "start"]
    kept_tags = Counter(tag for tag, _ in kept)
    kept_attributes = Counter((tag, n, v) for tag, attrs in kept for n, v in attrs.items())
    messages = []
    for kind, tag, attrs, *_ in _Tags(before).events:
        if kind != "start":
            continue
        tag_removed = kept_tags[tag] <= 0
        if tag_removed:
            messages.append(TAG_MESSAGES.get(tag, f"删除了 <{tag}> 标签"))
        else:
            kept_tags[tag] -= 1
        for name, value in attrs.items():
            if not tag_removed and kept_attributes[(tag, name, value)] > 0:
                kept_attributes[(tag, name, value)] -= 1
            elif message := _attribute_message(tag, name, value, tag_removed):
                messages.append(message)
    return messages


def _safe_srcset(value: str) -> bool:
    """nh3 checks href and src, not srcset (a data: URL's own comma splits it, still "data:")."""
    return all(
        _scheme(candidate.split()[0]) in (None, *URL_SCHEMES) for candidate in value.split(",") if candidate.strip()
    )


def sanitize(html: str, embed_hosts: tuple[str, ...], *, describe: bool = True) -> tuple[str, list[str]]:
    """The HTML as the allowlist lets it through, and (in Chinese) what was removed.
    describe=False skips the description (two HTML parses, the bulk of the time): [] instead."""
    hosts = tuple(h.strip().strip(".").lower() for h in embed_hosts if h.strip(" ."))

    def attribute_filter(tag: str, name: str, value: str) -> str | None:
        if tag in EMBEDS and name == "src" and not _allowed(value, hosts):
            return None  # a player _drop_embeds did not see stays, but empty
        if name == "id":
            return None if reserved(value) else value
        if name == "class":
            return " ".join(token for token in value.split() if not reserved(token)) or None
        return None if name == "srcset" and not _safe_srcset(value) else value

    trimmed, removed = _drop_embeds(html, hosts) if EMBED_TAG.search(html) else (html, [])
    cleaned = nh3.clean(
        trimmed,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ALLOWED_VALUES,
        attribute_filter=attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return cleaned, list(dict.fromkeys(removed + _removed(trimmed, cleaned))) if describe else []


def _blocks(markdown: str):
    """(line offset, text) of each blank-line-separated block, code (the scanner's) and NOT_HTML
    left out, every '<' that does not start raw HTML escaped."""
    for first, block in scan(markdown).blocks(spans=True):
        block = NOT_HTML.sub(lambda m: " " * len(m.group(0)), block)
        if block.strip():
            yield first, RAW_HTML.sub(lambda m: m.group(1) or "&lt;", block)


def raw_html_problems(markdown: str, file: str, body_line: int, embed_hosts: tuple[str, ...]) -> list[Problem]:
    """A problem for each block of the body whose raw HTML sanitizing would cut, on its first tag's line."""
    hosts = "、".join(embed_hosts)
    hint = (
        f"正文中不能使用脚本和事件属性；嵌入视频只允许来自 {hosts} 的地址，请改用允许的平台或删除。"
        if hosts
        else "正文中不能使用脚本和事件属性，也不能嵌入视频，请删除。"
    )
    problems = []
    for offset, text in _blocks(markdown):
        if "<" in text and (removed := sanitize(text, embed_hosts)[1]):
            line = body_line + offset + text.count("\n", 0, text.index("<"))
            problems.append(Problem(file, line, f"正文中的 HTML 发布时会被删改：{'；'.join(removed)}。", hint))
    return problems
