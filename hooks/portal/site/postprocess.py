"""What the build does to rendered pages and to the output folder, engine-free: fixes to the
theme's page shell, the navigation reused across item pages, pictures replaced by their
published copies."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urljoin

from portal.images import Derivative, derivatives_cached, rewrite_images


def tidy(output: str) -> str:
    """Three corrections to Material's page shell, for every page."""
    output = output.replace('<html lang="zh" ', '<html lang="zh-CN" ', 1)  # Material's "zh"; readers are mainland
    # Material's two checkbox toggles carry autocomplete="off", which HTML allows on text-like inputs only.
    for toggle in ("__drawer", "__search"):
        output = output.replace(
            f'type="checkbox" id="{toggle}" autocomplete="off"', f'type="checkbox" id="{toggle}"', 1
        )
    # With navigation.tabs Material gives the active section's label an empty tabindex, which HTML forbids.
    return output.replace(' tabindex=""', "")


class FolderParts:
    """Item pages are not in the navigation, so what Material renders around the body of the item
    pages of one folder (news/2026/) and one column is the same on each: the stylesheets, the header's
    script-only part (palette, search, reading panel), the navigation sidebar, the column tabs (the
    column's tab active), the footer (where it has no 找错 link with the page's own address), Material's
    configuration and scripts (rendered once, the last four saved 0.2 ms of 0.64 ms of template time
    an item page, 2026-11-30). Their links are relative,
    and relative to any page of the folder they are written alike. The first such page renders them
    between markers (main.html), which are taken out and the parts kept; later pages leave one
    marker per part, filled in here. (Pages of the same depth in another folder are not alike: from
    news/2026/a/ the news listing is ../../, from reviews/2025/b/ it is ../../../news/.)
    Editors' bodies cannot forge a marker: the sanitizer drops HTML comments."""

    # (part, whether it follows the body): its markers are looked for from the end of the page.
    PARTS = (
        ("styles", False),
        ("header", False),
        ("tabs", False),
        ("nav", False),
        ("footer", True),
        ("config", True),
        ("scripts", True),
    )

    def __init__(self) -> None:
        self.kept: dict[tuple[str, str], dict[str, str]] = {}  # (folder, active tab) -> part -> its HTML

    @staticmethod
    def folder(url: str) -> str:
        return url.rstrip("/").rpartition("/")[0]

    def mode(self, url: str, tab: str = "") -> str:
        """What main.html does for an item page at `url` in the column of tab `tab`: "reuse" the
        kept parts or "capture" them."""
        return "reuse" if (self.folder(url), tab) in self.kept else "capture"

    def finish(self, output: str, url: str, tab: str = "") -> str:
        key = (self.folder(url), tab)
        kept = self.kept.get(key)
        for name, after_body in self.PARTS:
            find = output.rfind if after_body else output.find
            if kept is None:
                start, end = f"<!--portal-reuse:{name}:start-->", f"<!--portal-reuse:{name}:end-->"
                at = find(start)
                if at >= 0 and (stop := output.find(end, at)) >= 0:
                    part = output[at + len(start) : stop]
                    self.kept.setdefault(key, {})[name] = part
                    output = output[:at] + part + output[stop + len(end) :]
            elif (at := find(slot := f"<!--portal-reuse:{name}-->")) >= 0:
                output = output[:at] + kept.get(name, "") + output[at + len(slot) :]
        return output


class Pictures:
    """Pictures are published as re-encoded copies without metadata (no EXIF position or
    comment ever leaves the build, animations included); a picture's own name carries the
    largest copy of its kind, so links to it still work. Pages' <img> get the copies."""

    def __init__(self) -> None:
        self.copies: dict[str, list[Derivative]] = {}  # picture src_uri -> its published copies

    def mount(self, src_uri: str, data: bytes, cache) -> list[tuple[str, bytes]]:
        """The files (src_uri, bytes) that publish the picture `src_uri`."""
        stem, suffix = posixpath.splitext(posixpath.basename(src_uri))
        sources = derivatives_cached(data, stem, cache)
        self.copies[src_uri] = sources
        folder = posixpath.dirname(src_uri)
        same_kind = [d for d in sources if (d.mime == "image/webp") == (suffix.lower() == ".webp")]
        return [
            *((posixpath.join(folder, d.name), d.data) for d in sources),
            (src_uri, max(same_kind or sources, key=lambda d: d.width).data),
        ]

    def signature(self, src_uri: str) -> str:
        """What a page using the picture `src_uri` writes of it (its copies' names and sizes): a
        picture replaced under the same name changes the pages that show it."""
        return repr([(d.name, d.width, d.height, d.mime) for d in self.copies.get(src_uri, ())])

    def rewrite(self, output: str, page_url: str) -> str:
        return rewrite_images(output, self._lookup(page_url)) if self.copies else output

    def _lookup(self, page_url: str):
        """For rewrite_images: an <img src> of this page -> its resized copies and their folder URL."""
        here = "/" + page_url

        def lookup(src: str):
            if re.match(r"^([a-z][a-z0-9+.-]*:|/|#)", src, re.I):
                return None
            sources = self.copies.get(unquote(urljoin(here, src)).lstrip("/"))
            return (sources, src.rsplit("/", 1)[0] + "/" if "/" in src else "") if sources else None

        return lookup
