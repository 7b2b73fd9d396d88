"""Smaller pages: what every page repeats, written once or not at all.

Post-processing of the finished HTML, independent of the templates that made it:
  - indentation and blank lines are dropped (a line break stays wherever there was
    whitespace, so text renders the same), except inside elements where whitespace
    shows: pre, code, kbd, textarea, and inside script and style;
  - Material's inline icons (24×24 single-path SVGs, about 2.5 KB on every page) are
    replaced by references to one sprite file, assets/portal-icons.svg, written once;
  - the theme's configuration script is written as UTF-8 instead of \\u escapes, without what
    only Material's own search reads (its worker and messages: the portal's search replaces it,
    and Material mounts its search only where a form is named "search");
  - parts of the shell that every page repeats and that work only where scripts run (the header's
    search box, palette toggle and 无障碍 entrance, the reading settings panel, the navigation
    drawer of pages outside the navigation), marked <!--portal-shell-->…<!--/portal-shell--> by the
    templates, are written once into assets/portal-shell.js and left in the page as a one-line
    script that puts them back in place while the page is parsed (before Material's bundle runs).
    Without scripts they would do nothing anyway; listing pages keep their column tabs, item pages
    their breadcrumb. The same script runs the <head> scripts every page repeated (Material's and
    the reading settings'), and holds Material's configuration and dialog;
  - the generator's name, Material's empty announcement bar and its content-tab script (the portal
    has no content tabs) are dropped.
Editors' bodies never hold SVG (the sanitizer drops it), so only the theme's icons match.
"""

from __future__ import annotations

import functools
import hashlib
import json
import posixpath
import re
from html import escape

SPRITE = "assets/portal-icons.svg"
KEEP = re.compile(r"(<(pre|code|kbd|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
INDENT = re.compile(r"[ \t]*\n\s*")  # trailing spaces, line break, then any blank lines and indentation
LINE_BREAK = re.compile(r"\n\s*")  # INDENT without its trailing spaces (_unindent)
TRAILING = re.compile(r"\n[ \t]+")  # in reversed text: a line break's trailing spaces (_unindent)
# Each pattern below starts with a fixed text (its *_AT): the page is searched for that text with str.find
# (_matches), many times faster on a 30 KB page than the pattern's own scan.
ICON_AT = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="'
ICON = re.compile(re.escape(ICON_AT) + r'([^"<>]*)"/></svg>')
# Parts from a fixed text to the first of another (a pattern "start(.*?)end" with re.S), found by _enclosed.
CONFIG = ('<script id="__config" type="application/json">', "</script>")
SHELL = "assets/portal-shell.js"
SHELL_BLOCK = ("<!--portal-shell-->", "<!--/portal-shell-->")
URL_ATTR = re.compile(r'\b((?:href|src)=)"([^"]*)"')
CONFIG_BASE = re.compile(r'("base":)"([^"]*)"')
ABSOLUTE = re.compile(r"^([a-z][a-z0-9+.-]*:|/|#|$)", re.I)
# Scripts of <head> that every page repeats: Material's (where the site's root is, which the shell
# script knows from its own address) and the portal's (marked <!--portal-head-->); the shell script,
# loaded right after them in <head>, runs them instead.
MD_SCOPE = ('<script>__md_scope=new URL("', "</script>")
MD_SCOPE_LEAD = re.compile(r'[./]*",location\),')  # right after MD_SCOPE's start
HEAD_SCRIPT = ("<!--portal-head--><script>", "</script><!--/portal-head-->")
# Nothing a reader or a search engine uses: the generator's name, and Material's empty announcement bar
# (mounted only where it has content). Material's dialog (its "copied" messages) joins its kept configuration.
UNUSED_AT = ('<meta name="generator" content="', '<div data-md-component="announce">')
UNUSED = re.compile(re.escape(UNUSED_AT[0]) + r'[^"<>]*">\s*|' + re.escape(UNUSED_AT[1]) + r"\s*</div>\s*")
# Material's script that opens the content tab a link points to: the portal has no content tabs.
TABBED_AT = "<script>var target=document.getElementById(location.hash.slice(1));"
TABBED = re.compile(re.escape(TABBED_AT) + r'[^<]*"__tabbed_"\)\)</script>')
DIALOG_AT = '<div class="md-dialog" data-md-component="dialog">'
DIALOG = re.compile(
    r"(" + re.escape(DIALOG_AT) + r'\s*<div class="md-dialog__inner md-typeset"></div>\s*</div>)'
    r"\s*<!--portal-shell-->"
)
# The active tab of a kept part: not kept with it (one part for every column), but named by the call.
ACTIVE = re.compile(r'(<li class="([\w-]+))\s\2--active(">\s*<a href="\0([^"]*)")')
KEPT_MEMO = 256  # kept parts remembered by their text and folder
ROOT = "\0"  # in a kept part: the site's root, which the script knows from its own address
# Puts kept part `k` in place of the script that calls it; inline scripts in the part run, as
# they would have in the page (Material's palette restore).
SHELL_SCRIPT = """// Written by the build (portal.site.compact): parts of the page shell kept once for every page.
%s
(function(){var B=new URL("..",document.currentScript.src).href,P=%s;
window.portalShell=function(k,a){var s=document.currentScript,t=document.createElement("template"),c=t.content;
t.innerHTML=(P[k]||"").split("\\0").join(B);var o=[].slice.call(c.querySelectorAll("script"));
if(a)c.querySelectorAll("li>a").forEach(function(l){if(l.getAttribute("href")===B+a){var i=l.parentNode;
i.classList.add(i.classList[0]+"--active")}});s.replaceWith(c);o.forEach(function(x){
if(x.type)return;var n=document.createElement("script");n.textContent=x.textContent;x.replaceWith(n)})}})();
"""


@functools.lru_cache(maxsize=1024)  # a few dozen icons, on every page
def icon_id(path: str) -> str:
    return "i" + hashlib.sha1(path.encode()).hexdigest()[:8]


def dedent(html: str) -> str:
    parts = KEEP.split(html)
    out = []
    for i in range(0, len(parts), 3):  # text, kept element, its tag name, text, …
        out.append(_unindent(parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


def _unindent(text: str) -> str:
    """INDENT.sub("\n", text), two and a half times faster: a pattern that starts with "[ \t]*" is tried at
    every position of the page, one that starts with a line break only where there is one. So first every
    line break and the whitespace after it become one line break, then the spaces and tabs before each line
    break go: in the reversed text, where they follow it."""
    text = LINE_BREAK.sub("\n", text)
    return TRAILING.sub("\n", text[::-1])[::-1] if " \n" in text or "\t\n" in text else text


def _matches(pattern: re.Pattern, starts: str | tuple[str, ...], text: str, count: int = 0):
    """pattern.finditer(text) (at most `count` matches when given) for a pattern every match of which
    begins with one of the texts `starts`: where a match may begin is found by str.find."""
    starts = (starts,) if isinstance(starts, str) else starts
    ahead = [text.find(start) for start in starts]  # where each start is next found, -1 nowhere
    found = 0
    while True:
        at = min((i for i in ahead if i >= 0), default=-1)
        if at < 0:
            return
        match = pattern.match(text, at)
        pos = at + 1
        if match is not None:
            yield match
            found += 1
            if found == count:
                return
            pos = max(match.end(), pos)
        ahead = [i if i < 0 or i >= pos else text.find(start, pos) for i, start in zip(ahead, starts, strict=True)]


def _sub(pattern: re.Pattern, starts: str | tuple[str, ...], repl, text: str, count: int = 0) -> str:
    """pattern.sub(repl, text, count) (`repl` a function of the match, or a plain text) for a pattern
    that only matches from one of `starts` (see _matches)."""
    out, last = [], 0
    for match in _matches(pattern, starts, text, count):
        out.append(text[last : match.start()])
        out.append(repl(match) if callable(repl) else repl)
        last = match.end()
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _enclosed(text: str, start: str, end: str, repl, count: int = 0, lead: re.Pattern | None = None) -> str:
    """The sub of re.compile(re.escape(start) + lead + "(.*?)" + re.escape(end), re.S) with str.find:
    `repl(whole, inner)` replaces each part (at most `count` when given); `lead`, when given, must match
    right after `start` and is left out of `inner`. (The pattern's lazy scan of a long part was most of
    its time.)"""
    out, last, pos, found = [], 0, 0, 0
    while (at := text.find(start, pos)) >= 0:
        inner = at + len(start)
        if lead is not None:
            if (match := lead.match(text, inner)) is None:
                pos = at + 1
                continue
            inner = match.end()
        stop = text.find(end, inner)
        if stop < 0:  # nor after any later start
            break
        out.append(text[last:at])
        last = pos = stop + len(end)
        out.append(repl(text[at:last], text[inner:stop]))
        found += 1
        if found == count:
            break
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


@functools.lru_cache(maxsize=64)  # the same on every page of a folder
def _config(whole: str, text: str) -> str:
    """Material's configuration script `whole` (its JSON `text`) without what only its search reads."""
    before, after = CONFIG
    try:
        data = json.loads(text)
    except ValueError:
        return whole
    if isinstance(data, dict):
        data.pop("search", None)
        if isinstance(data.get("translations"), dict):
            data["translations"] = {k: v for k, v in data["translations"].items() if not k.startswith("search.")}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return before + text.replace("</", "<\\/") + after


def _site_relative(block: str, url: str) -> str:
    """`block` of the page at `url` with its relative addresses (links, and the base of Material's
    configuration) written from the site's root."""
    here = "/" + url

    def rebase(match: re.Match) -> str:
        target = match.group(2)
        if ABSOLUTE.match(target):
            return match.group(0)
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(here), target))
        if target.endswith("/") or target in (".", "..") or target.endswith("/.."):
            resolved = resolved.rstrip("/") + "/"
        return f'{match.group(1)}"{ROOT}{resolved.lstrip("/")}"'

    return CONFIG_BASE.sub(rebase, URL_ATTR.sub(rebase, block))


def _leaves_own_folder(block: str) -> bool:
    """Whether every relative address of `block` starts by leaving its page's folder ("../"): then the
    same text means the same addresses on every page of the same parent folder (the items of one
    column and year), and the part is kept once for all of them."""
    targets = [m.group(2) for m in URL_ATTR.finditer(block)] + [m.group(2) for m in CONFIG_BASE.finditer(block)]
    return all(ABSOLUTE.match(t) or t.startswith("../") for t in targets)


class Compactor:
    """Compacts pages and remembers the icons and the kept shell parts they referred to, for the
    sprite and the shell script."""

    def __init__(self) -> None:
        self.icons: dict[str, str] = {}  # id -> path data
        self.shells: dict[str, str] = {}  # id -> a kept shell part, addresses from ROOT
        self._kept: dict[tuple[str, str], str] = {}  # (a part as written, its page's parent folder) -> its call

    def page(self, html: str, root: str, url: str | None = None) -> str:
        """`root`: the relative URL of the site root from this page ('' or '../…'); `url`, the
        page's own (taken from `root` when not given: relative links in kept parts then resolve
        as from a page of that depth)."""
        if url is None:
            url = "x/" * root.count("../")

        def use(match: re.Match) -> str:
            path = match.group(1)
            key = icon_id(path)
            self.icons[key] = path
            return f'<svg viewBox="0 0 24 24"><use href="{root}{SPRITE}#{key}"/></svg>'

        parent = posixpath.dirname(posixpath.dirname("/" + url))

        def keep(_, part: str) -> str:
            memo = (part, parent)
            if memo in self._kept:  # the same part on a page beside this one (see _leaves_own_folder)
                return self._kept[memo]
            block = _site_relative(dedent(part).strip("\n"), url)
            active = ACTIVE.search(block)
            if active:
                block = block[: active.start()] + active.group(1) + active.group(3) + block[active.end() :]
            key = "s" + hashlib.sha1(block.encode()).hexdigest()[:8]
            self.shells[key] = block
            call = f'<script>portalShell("{key}"{"," + json.dumps(active.group(4)) if active else ""})</script>'
            if url.endswith("/") and _leaves_own_folder(part):
                if len(self._kept) >= KEPT_MEMO:  # parts that differ page by page would pile up
                    self._kept.clear()
                self._kept[memo] = call
            return call

        def head(code: str) -> str:
            key = "h" + hashlib.sha1(code.encode()).hexdigest()[:8]
            self.shells[key] = code
            return ""

        html = _sub(ICON, ICON_AT, use, html)
        html = _enclosed(html, *CONFIG, _config, count=1)
        if SHELL in html:  # the page loads the shell script (main.html): it runs the head's scripts
            html = _enclosed(
                html,
                *MD_SCOPE,
                lambda _, code: head('__md_scope=new URL("..",document.currentScript.src),' + code),
                count=1,
                lead=MD_SCOPE_LEAD,
            )
            html = _enclosed(html, *HEAD_SCRIPT, lambda _, code: head(code))
            html = _sub(UNUSED, UNUSED_AT, "", html)
            if html.count("__tabbed_") == 1:
                html = _sub(TABBED, TABBED_AT, "", html, count=1)
            html = _sub(DIALOG, DIALOG_AT, lambda m: "<!--portal-shell-->" + m.group(1), html, count=1)
        html = _enclosed(html, *SHELL_BLOCK, keep)
        return dedent(html)

    def shell(self) -> bytes:
        heads = "\n".join(
            code if code.endswith(";") else code + ";"
            for key, code in sorted(self.shells.items())
            if key.startswith("h")
        )
        kept = {key: block for key, block in sorted(self.shells.items()) if key.startswith("s")}
        parts = json.dumps(kept, ensure_ascii=False, separators=(",", ":"))
        return (SHELL_SCRIPT % (heads, parts)).encode()  # a file of its own: "</script>" ends nothing

    def sprite(self) -> bytes:
        symbols = "".join(
            f'<symbol id="{key}" viewBox="0 0 24 24"><path d="{escape(path)}"/></symbol>'
            for key, path in sorted(self.icons.items())
        )
        return f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n'.encode()
