"""What pages show beyond their own item or listing, computed once per build as plain data:
the way between items (breadcrumb, previous and next in the column, related items, the QR
image), the home page's blocks (headline, column blocks, the current special column) and
the site map. Templates only read these objects.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Callable

from portal.model import Entry, Item
from portal.site.listings import Link
from portal.site.metrics import RollupRow, rollup

RELATED = 4  # related items under an article
NEIGHBOURS = 8  # how many items either side of an item in a tag or organisation are considered
BLOCK_ITEMS = 5  # titles in a home page column block
FEATURE_FIGURES = 4  # headline figures in the special column's banner


@dataclass
class Crumb:
    label: str
    url: str = ""  # "" for the page itself


@dataclass
class ItemWay:
    """How a reader gets from an item to the others."""

    crumbs: list[Crumb]
    previous: Item | None = None  # the column's newer neighbour (listed above it)
    next: Item | None = None  # the column's older neighbour (listed below it)
    related: list[Item] = field(default_factory=list)
    qr: str = ""  # the PNG QR image of the page's address (a data: URI once drawn), or "" without site_url

    def fingerprint(self, faces: dict[str, str]) -> tuple[str, ...]:
        """Everything of other items this page shows (`faces`: item src_uri -> what a page shows of
        it, `face`): its page cache key includes it."""
        return (
            repr([(c.label, c.url) for c in self.crumbs]),
            self.qr,
            faces[self.previous.src_uri] if self.previous else "",
            faces[self.next.src_uri] if self.next else "",
            *(faces[item.src_uri] for item in self.related),
        )


def face(item: Item) -> str:
    """What another item's page shows of an item (its title, address and date)."""
    return repr((item.title, item.url, item.date.isoformat()))


PARENTS = {
    "columns": ("栏目", "columns/index.md"),
    "organisations": ("单位", "organisations/index.md"),
    "archive": ("年度归档", "archive/index.md"),
    "tags": ("标签", "tags/index.md"),
    "news": ("最新发布", "news/index.md"),
}


def listing_crumbs(src_uri: str, title: str, url_for: Callable[[str], str]) -> list[Crumb]:
    """当前位置 of a listing page: 首页 › its index (栏目, 单位 …) › itself."""
    crumbs = [Crumb("首页", url_for("index.md"))]
    section = src_uri.split("/", 1)[0]
    if section in PARENTS and src_uri != PARENTS[section][1]:
        crumbs.append(Crumb(PARENTS[section][0], url_for(PARENTS[section][1])))
    return crumbs + [Crumb(title)]


def qr_path(item: Item) -> str:
    """Stands for an item's QR image until SitePlan.page_data draws it into the page (a data: URI)."""
    return "qr/" + posixpath.splitext(item.src_uri)[0] + ".png"


def item_ways(
    items: list[Item], column_url: Callable[[Entry], str], home_url: str, with_qr: bool
) -> dict[str, ItemWay]:
    """Per item src_uri; `items` newest first."""
    by_column: dict[str, list[Item]] = {}
    for item in items:
        by_column.setdefault(item.column.name, []).append(item)
    related = related_items(items, RELATED + 2)
    ways = {}
    for siblings in by_column.values():
        for n, item in enumerate(siblings):
            crumbs = [Crumb("首页", home_url), Crumb(item.column.name, column_url(item.column)), Crumb(item.title)]
            previous = siblings[n - 1] if n > 0 else None
            following = siblings[n + 1] if n + 1 < len(siblings) else None
            others = [other for other in related[item.src_uri] if other is not previous and other is not following]
            ways[item.src_uri] = ItemWay(
                crumbs, previous, following, others[:RELATED], qr_path(item) if with_qr else ""
            )
    return ways


def related_items(items: list[Item], limit: int = RELATED) -> dict[str, list[Item]]:
    """Items sharing tags or the organisation: more shared tags first, then the same
    organisation, then the nearer in date. Only the NEIGHBOURS nearest in each group are
    weighed, so 10,000 items sharing a tag cost no more than a few."""
    groups: dict[tuple[str, str], list[Item]] = {}
    slots = []  # per item: (members, its place among them, weight) of each group it is in
    for item in items:
        mine = []
        for key, weight in [*((("tag", tag), 2) for tag in item.tags), (("organisation", item.organisation.name), 1)]:
            members = groups.setdefault(key, [])
            mine.append((members, len(members), weight))
            members.append(item)
        slots.append(mine)
    days = {id(item): item.date.toordinal() for item in items}
    chosen = {}
    for item, mine in zip(items, slots, strict=True):
        scores: dict[int, list] = {}
        for members, at, weight in mine:
            for other in members[max(0, at - NEIGHBOURS) : at + NEIGHBOURS + 1]:
                if (score := scores.get(id(other))) is None:
                    scores[id(other)] = [weight, other]
                else:
                    score[0] += weight
        del scores[id(item)]
        by_score: dict[int, list[Item]] = {}  # in the order found: sorting is stable
        for score, other in scores.values():
            by_score.setdefault(score, []).append(other)
        day, picked = days[id(item)], []
        for score in sorted(by_score, reverse=True):  # only the scores it takes are sorted by date and title
            same = by_score[score]
            same.sort(key=lambda other: (abs(days[id(other)] - day), other.title))
            picked += same[: limit - len(picked)]
            if len(picked) >= limit:
                break
        chosen[item.src_uri] = picked
    return chosen


@dataclass
class ColumnBlock:
    entry: Entry
    url: str
    items: list[Item]
    total: int


@dataclass
class Feature:
    """The current special column (专题) as a banner: its newest year's headline figures."""

    entry: Entry
    url: str
    year: int | None
    figures: list[RollupRow]
    reviews: int


@dataclass
class Home:
    headline: Item | None  # 头条: the newest item marked `featured`, else the newest with a cover
    latest: list[Item]  # the newest news after the headline
    reviews: list[Item]
    blocks: list[ColumnBlock]
    feature: Feature | None
    organisations: list[Link]


def home_page(
    items: list[Item],
    columns: dict[str, Entry],
    organisations: list[Link],
    column_url: Callable[[Entry], str],
    latest: int,
    reviews: int,
    feature_column: str = "",
) -> Home:
    news = [item for item in items if not item.is_review]
    headline = (
        next((i for i in items if i.featured), None)
        or next((i for i in news if i.cover_url), None)
        or (news[0] if news else None)
    )
    by_column: dict[str, list[Item]] = {}
    for item in items:
        by_column.setdefault(item.column.name, []).append(item)
    blocks = [
        ColumnBlock(entry, column_url(entry), by_column[name][:BLOCK_ITEMS], len(by_column[name]))
        for name, entry in columns.items()
        if by_column.get(name)
    ]
    return Home(
        headline,
        [i for i in news if i is not headline][:latest],
        [i for i in items if i.is_review][:reviews],
        blocks,
        feature(items, columns, column_url, feature_column),
        [link for link in organisations if link.count],
    )


def feature(
    items: list[Item], columns: dict[str, Entry], column_url: Callable[[Entry], str], name: str = ""
) -> Feature | None:
    """The column named in extra.portal.feature_column, else the column of the newest review."""
    entry = columns.get(name) if name else next((i.column for i in items if i.is_review), None)
    if entry is None:
        return None
    reviews = [i for i in items if i.is_review and i.column == entry]
    years = rollup(reviews)
    if not years:
        return Feature(entry, column_url(entry), None, [], 0)
    year, rows = years[0]
    headline = {m.label for i in reviews if i.year == year for m in i.headline_metrics}
    rows = [row for row in rows if row.label in headline] or rows
    return Feature(entry, column_url(entry), year, rows[:FEATURE_FIGURES], len(reviews))


@dataclass
class MapSection:
    title: str
    links: list[Link]


def site_map(columns: list[Link], organisations: list[Link], years: list[Link], pages: list[Link]) -> list[MapSection]:
    """The human-readable site map: columns, organisations, years and the site's own pages."""
    return [
        section
        for section in (
            MapSection("栏目", columns),
            MapSection("单位", organisations),
            MapSection("年度归档", years),
            MapSection("专题与服务", pages),
        )
        if section.links
    ]
