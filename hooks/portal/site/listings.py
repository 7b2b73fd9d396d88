"""The listing pages: all news, per-year archive, per column, per organisation, per tag.

Plain functions over published items (newest first). Each listing page is a
`Listing`; the hook mounts one generated MkDocs page for each, and the
`listing.html` template renders it. Built here rather than with Material's blog
plugin because the plugin's `page in posts` list test makes builds quadratic in
the number of items (see README).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from typing import Callable

from portal.model import Catalogue, Entry, Item

UrlFor = Callable[[str], str]  # src_uri -> site URL


@dataclass
class Link:
    label: str
    url: str
    count: int = 0
    description: str = ""


@dataclass
class Listing:
    src_uri: str
    title: str  # plain text: escaped where it reaches HTML
    description: str = ""
    items: list[Item] = field(default_factory=list)  # this page's slice
    total: int = 0  # items across all pages
    number: int = 1
    pages: list[Link] = field(default_factory=list)  # every page of this listing
    links: list[Link] = field(default_factory=list)  # index pages: years, columns, tags …
    in_nav: bool = False
    template: str = "listing.html"
    rollup: list = field(default_factory=list)  # column boards: portal.site.metrics.rollup
    trends: list = field(default_factory=list)  # organisation pages: portal.site.metrics.trends
    sections: list = field(default_factory=list)  # the site map: portal.site.pages.site_map
    crumbs: list = field(default_factory=list)  # 当前位置: portal.site.pages.listing_crumbs
    titles: bool = False  # titles and dates only (TITLES_PER_PAGE times as many a page), not whole entries

    @property
    def previous(self) -> Link | None:
        return self.pages[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> Link | None:
        return self.pages[self.number] if self.number < len(self.pages) else None


# Columns, year archives, organisations and tags list titles and dates only (as government portals'
# column pages do), three times as many a page; so do the later pages of 最新发布, whose first page
# shows each item's summary: repeating it in every list an item is in made listings a fifth of a large site.
TITLES_PER_PAGE = 3


def page_uri(base: str, number: int) -> str:
    """news/index.md, news/page/2.md, …"""
    return f"{base}/index.md" if number == 1 else f"{base}/page/{number}.md"


def paginate(
    base: str,
    title: str,
    items: list[Item],
    per_page: int,
    url_for: UrlFor,
    description: str = "",
    in_nav: bool = False,
    titles: bool = False,
    first_whole: bool = False,
) -> list[Listing]:
    """`titles`: every page lists titles only; `first_whole`: the first page lists whole entries
    (per_page of them), the later ones titles only."""
    slices = []  # (start, end, titles) of each page
    start = 0
    if first_whole:
        slices.append((0, per_page, False))
        start = per_page
        titles = True
    step = per_page * TITLES_PER_PAGE if titles else per_page
    while start < len(items) or not slices:
        slices.append((start, start + step, titles))
        start += step
    pages = [Link(f"第 {n} 页", url_for(page_uri(base, n))) for n in range(1, len(slices) + 1)]
    return [
        Listing(
            page_uri(base, n),
            title if n == 1 else f"{title}（第 {n} 页）",
            description,
            items[begin:end],
            len(items),
            n,
            pages,
            in_nav=in_nav and n == 1,
            titles=only_titles,
        )
        for n, (begin, end, only_titles) in enumerate(slices, 1)
    ]


def tag_slug(tag: str) -> str:
    """A URL segment for a tag: its letters and digits (Chinese kept), else a checksum."""
    slug = re.sub(r"[^\w]+", "-", tag).strip("-_").lower()
    return slug or f"t{zlib.crc32(tag.encode()):08x}"


def _group(items: list[Item], key: Callable[[Item], list]) -> dict:
    groups: dict = {}
    for item in items:
        for value in key(item):
            groups.setdefault(value, []).append(item)
    return groups


def _index(base: str, title: str, description: str, links: list[Link]) -> Listing:
    return Listing(
        f"{base}/index.md", title, description, links=links, total=sum(link.count for link in links), in_nav=True
    )


def _entry_pages(
    base: str, kind: str, entries: dict[str, Entry], groups: dict, per_page: int, url_for: UrlFor, nav: bool
) -> tuple[list[Listing], list[Link]]:
    listings, links = [], []
    for entry in entries.values():
        chosen = groups.get(entry.name, [])
        listings += paginate(
            f"{base}/{entry.slug}", entry.name, chosen, per_page, url_for, entry.description, in_nav=nav, titles=True
        )
        links.append(Link(entry.name, url_for(page_uri(f"{base}/{entry.slug}", 1)), len(chosen), entry.description))
    return listings, links


def build_listings(items: list[Item], catalogue: Catalogue, per_page: int, url_for: UrlFor) -> list[Listing]:
    """Every listing page of the portal; `items` are the published ones, newest first."""
    listings = paginate(
        "news", "最新发布", items, per_page, url_for, "本站发布的全部稿件，最新的在前。", in_nav=True, first_whole=True
    )

    by_year = _group(items, lambda item: [item.date.year])
    year_links = []
    for year in sorted(by_year, reverse=True):
        listings += paginate(
            f"archive/{year}", f"{year} 年", by_year[year], per_page, url_for, f"{year} 年发布的稿件。", titles=True
        )
        year_links.append(Link(f"{year} 年", url_for(page_uri(f"archive/{year}", 1)), len(by_year[year])))
    listings.append(_index("archive", "年度归档", "按发布年份浏览全部稿件。", year_links))

    used_columns = {item.column.name for item in items}
    for base, title, description, entries, key, nav in (
        # A column without a published item is not published (an empty column fails inspections).
        (
            "columns",
            "栏目",
            "本站全部栏目。",
            {n: e for n, e in catalogue.columns.items() if n in used_columns},
            lambda i: [i.column.name],
            True,
        ),
        ("organisations", "单位", "按发稿单位浏览。", catalogue.organisations, lambda i: [i.organisation.name], False),
    ):
        pages, links = _entry_pages(base, title, entries, _group(items, key), per_page, url_for, nav)
        listings += pages
        listings.append(_index(base, title, description, links))

    by_tag = _group(items, lambda item: list(item.tags))
    slugs: dict[str, str] = {}
    tag_links = []
    for tag in sorted(by_tag, key=lambda t: (-len(by_tag[t]), t)):
        slug = tag_slug(tag)
        if slug in slugs.values():
            slug = f"{slug}-{zlib.crc32(tag.encode()):08x}"
        slugs[tag] = slug
        listings += paginate(f"tags/{slug}", f"标签：{tag}", by_tag[tag], per_page, url_for, titles=True)
        tag_links.append(Link(tag, url_for(page_uri(f"tags/{slug}", 1)), len(by_tag[tag])))
    listings.append(_index("tags", "标签", "按标签浏览。", tag_links))
    return listings
