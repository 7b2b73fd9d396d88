"""What one build publishes: the published items, their listing pages and URLs.

Engine-free: the build plan (portal.site.plan.SitePlan) turns it into each page's data.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from portal.cache import digest
from portal.content.reader import item_print
from portal.model import Content, Entry, Item
from portal.site.listings import Link, Listing, UrlFor, build_listings, page_uri
from portal.site.metrics import export_rows, rollup, to_csv, to_json, trends
from portal.site.pages import Home, ItemWay, face, home_page, item_ways, listing_crumbs, site_map

if TYPE_CHECKING:
    from portal.settings import PortalSettings


@dataclass
class PortalSite:
    content: Content
    settings: PortalSettings
    items: list[Item]  # published, newest first
    listings: dict[str, Listing] = field(default_factory=dict)  # by src_uri
    url_for: UrlFor = str
    by_src_uri: dict[str, Item] = field(default_factory=dict)  # published items
    data_files: dict[str, bytes] = field(default_factory=dict)  # open data, by src_uri
    prints: dict[str, str] = field(default_factory=dict)  # item src_uri -> digest of everything it holds
    tag_urls: dict[str, str] = field(default_factory=dict)
    catalogue_print: str = ""  # digest of the catalogue, which every page's navigation shows
    ways: dict[str, ItemWay] = field(default_factory=dict)  # item src_uri -> breadcrumb, neighbours, related, QR
    home: Home | None = None
    qr_codes: dict[str, str] = field(default_factory=dict)  # item src_uri -> the address its QR image encodes
    faces: dict[str, str] = field(default_factory=dict)  # item src_uri -> what other pages show of it (page_inputs)
    reprs: dict[int, tuple[list, str]] = field(default_factory=dict)  # lists listings share, by id: repr (page_inputs)

    @classmethod
    def build(
        cls,
        content: Content,
        settings: PortalSettings,
        today: dt.date,
        url_for: UrlFor,
        site_url: str = "",
        preview: bool = False,
    ) -> PortalSite:
        items = content.published(today, preview)
        for item in items:
            item.url = url_for(item.src_uri)
            item.cover_url = (
                url_for(posixpath.normpath(posixpath.join(posixpath.dirname(item.path), item.cover)))
                if item.cover
                else ""
            )
        listings = {
            listing.src_uri: listing for listing in build_listings(items, content.catalogue, settings.per_page, url_for)
        }
        reviews = [item for item in items if item.is_review]
        for entry in content.catalogue.columns.values():
            if chosen := [item for item in reviews if item.column == entry]:
                listings[page_uri(f"columns/{entry.slug}", 1)].rollup = rollup(chosen)
        for entry in content.catalogue.organisations.values():
            if chosen := [item for item in reviews if item.organisation == entry]:
                listings[page_uri(f"organisations/{entry.slug}", 1)].trends = trends(chosen)
        rows = export_rows(reviews, lambda url: site_url.rstrip("/") + "/" + url if site_url else url)
        data_files = {"data/metrics.csv": to_csv(rows), "data/metrics.json": to_json(rows)}
        listings["data/index.md"] = Listing(
            "data/index.md",
            "数据开放",
            "年度回顾中全部数据的开放下载。",
            total=len(rows),
            in_nav=True,
            template="opendata.html",
        )
        pages = [
            Link("最新发布", url_for(page_uri("news", 1))),
            Link("标签", url_for("tags/index.md")),
            Link("数据开放", url_for("data/index.md")),
            Link("关于我们", url_for("about.md")),
            Link("RSS 订阅", "feed.xml"),
        ]
        listings["sitemap/index.md"] = Listing(
            "sitemap/index.md",
            "网站地图",
            "本站全部栏目、单位、年份和专题页面。",
            in_nav=True,
            template="sitemap.html",
            sections=site_map(
                listings["columns/index.md"].links,
                listings["organisations/index.md"].links,
                listings["archive/index.md"].links,
                pages,
            ),
        )
        for listing in listings.values():
            listing.crumbs = listing_crumbs(listing.src_uri, listing.title, url_for)
        site = cls(content, settings, items, listings, url_for, {item.src_uri: item for item in items}, data_files)
        column_url = site.column_url
        site.ways = item_ways(items, column_url, url_for("index.md"), with_qr=bool(site_url))
        site.qr_codes = {
            item.src_uri: site_url.rstrip("/") + "/" + item.url for item in items if site.ways[item.src_uri].qr
        }
        site.home = home_page(
            items,
            content.catalogue.columns,
            listings["organisations/index.md"].links,
            column_url,
            settings.home_news,
            settings.home_reviews,
            settings.feature_column,
        )
        site.prints = {item.src_uri: item_print(item) for item in items}
        site.tag_urls = {link.label: link.url for link in listings["tags/index.md"].links}
        site.catalogue_print = digest(repr(content.catalogue))
        return site

    def page_inputs(self, src_uri: str) -> str | None:
        """Everything an item or listing page shows besides the templates and mkdocs.yml (which
        the build cache is salted with): two builds with the same inputs write the same page."""
        if src_uri in self.prints:
            # Tag addresses depend on other items (two tags sharing a segment: the commoner gets it).
            tags = [self.tag_urls.get(tag, "") for tag in self.by_src_uri[src_uri].tags]
            if not self.faces:
                self.faces = {item.src_uri: face(item) for item in self.items}
            # The parts of varying number last: one digest of the strings they are, not of their repr.
            parts = (
                self.catalogue_print,
                self.prints[src_uri],
                repr(tags),
                *self.ways[src_uri].fingerprint(self.faces),
            )
            return digest("\0".join(parts))  # = digest(*parts), in one call

        if listing := self.listings.get(src_uri):
            shown = [f"{name}={self._shared_repr(value)}" for name, value in vars(listing).items() if name != "items"]
            items = ",".join([self.prints[item.path] for item in listing.items])
            return digest("\0".join((self.catalogue_print, *shown, items)))  # = digest(catalogue_print, *shown, items)
        return None

    def _shared_repr(self, value) -> str:
        """repr of a listing's field; a list's once however many listings share it (every page of a
        listing shares the list of its pages: 300 pages of 最新发布 at 10,000 items)."""
        if not isinstance(value, list):
            return repr(value)
        kept = self.reprs.get(id(value))
        if kept is None or kept[0] is not value:  # the list itself is kept with it: its id is not reused
            kept = self.reprs[id(value)] = (value, repr(value))
        return kept[1]

    @property
    def published_count(self) -> int:
        return sum(1 for item in self.items if not item.hold)

    @property
    def held_back(self) -> int:
        return len(self.content.items) - self.published_count

    def column_url(self, entry: Entry) -> str:
        return self.url_for(page_uri(f"columns/{entry.slug}", 1))

    def organisation_url(self, entry: Entry) -> str:
        return self.url_for(page_uri(f"organisations/{entry.slug}", 1))

    def tag_url(self, tag: str) -> str:
        return self.tag_urls[tag]

    def nav(self) -> list[dict]:
        """The site navigation (top tabs on wide screens, the drawer on phones): the columns
        first, as a portal lists them; titles escaped (MkDocs prints them raw)."""
        columns = [
            {safe(entry.name): page_uri(f"columns/{entry.slug}", 1)}
            for entry in self.content.catalogue.columns.values()
            if page_uri(f"columns/{entry.slug}", 1) in self.listings
        ]  # empty columns are not published
        return [
            {safe("首页"): "index.md"},
            *columns,
            {safe("最新发布"): "news/index.md"},
            {safe("单位"): "organisations/index.md"},
            {safe("年度归档"): "archive/index.md"},
            {
                safe("更多"): [
                    {safe("全部栏目"): "columns/index.md"},
                    {safe("标签"): "tags/index.md"},
                    {safe("数据开放"): "data/index.md"},
                    {safe("网站地图"): "sitemap/index.md"},
                    {safe("关于我们"): "about.md"},
                ]
            },
        ]


def safe(text: str) -> Markup:
    """Escaped text that Jinja's `e` filter leaves alone: safe in raw and escaped slots."""
    return escape(text)
