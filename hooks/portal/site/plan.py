"""What one build publishes, as data, computed without any site engine.

A `SitePlan` holds every page the portal generates or mounts with the data its template
reads (page.meta.portal: URLs, tag links, the way on, listings, charts, export fields …),
the navigation, the generated files (open data, feeds, robots.txt, QR images, listing
stubs), the files to mount from content/ and the search documents. An engine adapter
(hooks/portal/engines/mkdocs.py for MkDocs) only maps it onto the engine's files, navigation and page
meta; templates call no Python and write no state.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable

from markupsafe import Markup

from portal.collector import paused
from portal.content.reader import IMAGE_SUFFIXES
from portal.identity import conac_url, error_report_url
from portal.model import Content
from portal.search import SearchDoc
from portal.site.charts import bar_chart
from portal.site.feeds import feed_files
from portal.site.listings import Link, page_uri
from portal.site.metrics import EXPORT_LABELS
from portal.site.published import PortalSite
from portal.site.qr import data_uri

if TYPE_CHECKING:
    from portal.settings import PortalSettings

TEMPLATES = {"news": "article.html", "review": "review.html"}


@dataclass
class PagePlan:
    template: str
    title: str
    description: str = ""
    hide: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)  # what the template reads as page.meta.portal


@dataclass
class SitePlan:
    site: PortalSite
    site_url: str
    site_code: str = ""  # the 网站标识码: every page links to the 找错 form with its own address
    pages: dict[str, PagePlan] = field(default_factory=dict)  # item and listing src_uri -> its page
    generated: dict[str, bytes | str] = field(default_factory=dict)  # src_uri -> content (data, feeds, QR …)
    stubs: dict[str, bool] = field(default_factory=dict)  # listing src_uri -> whether it is in the navigation
    mounts: list[str] = field(default_factory=list)  # src_uris to publish from content/ (items, then assets)
    draw_qr: Callable[[str], bytes] | None = None  # an address -> its QR image (PNG), drawn as pages are rendered

    @classmethod
    def build(
        cls,
        content: Content,
        settings: PortalSettings,
        today: dt.date,
        url_for: Callable[[str], str],
        site_url: str,
        site_name: str,
        site_description: str,
        site_code: str = "",
        draw_qr: Callable[[str], bytes] | None = None,
        preview: bool = False,
    ) -> SitePlan:
        with paused():  # every page's data: objects that live as long as the build (portal.collector)
            return cls._build(
                content, settings, today, url_for, site_url, site_name, site_description, site_code, draw_qr, preview
            )

    @classmethod
    def _build(
        cls, content, settings, today, url_for, site_url, site_name, site_description, site_code, draw_qr, preview
    ) -> SitePlan:
        site = PortalSite.build(content, settings, today, url_for, site_url, preview=preview)
        plan = cls(site, site_url, site_code, draw_qr=draw_qr)
        for item in site.items:
            way = site.ways[item.src_uri]
            plan.pages[item.src_uri] = PagePlan(
                TEMPLATES[item.kind],
                item.title,
                item.summary,
                data={
                    "item": item,
                    "way": way,
                    "active_tab": way.crumbs[1].url if len(way.crumbs) > 1 else "",
                    "organisation_url": site.organisation_url(item.organisation),
                    "column_url": site.column_url(item.column),
                    "tags": [Link(tag, site.tag_url(tag)) for tag in item.tags],
                    "attachments": [
                        {"url": url_for(a.rel), "name": a.name, "kind": a.kind, "size_text": a.size_text}
                        for a in item.attachments
                    ],
                },
            )
        for src_uri, listing in site.listings.items():
            data = {"listing": listing, "charts": [bar_chart(series) for series in listing.trends]}
            if listing.template == "opendata.html":
                data["export_fields"] = list(EXPORT_LABELS.items())
            plan.pages[src_uri] = PagePlan(listing.template, listing.title, listing.description, ["toc"], data)
            plan.stubs[src_uri] = listing.in_nav
        published = [item for item in site.items if not item.hold]
        absolute = lambda url: (site_url or "/").rstrip("/") + "/" + url  # noqa: E731
        plan.generated = {
            **site.data_files,
            **feed_files(site_name, site_description, published, content.catalogue, absolute),
            "robots.txt": robots(site_url),
        }
        seen: set[str] = set()
        for item in site.items:
            for src_uri in (item.src_uri, *item.assets):
                if src_uri not in seen:
                    seen.add(src_uri)
                    plan.mounts.append(src_uri)
        return plan

    def page_data(self, src_uri: str, url: str) -> dict:
        """page.meta.portal of any page (docs/ pages too): the plan's data and the 找错 link."""
        data = dict(self.pages[src_uri].data) if src_uri in self.pages else {}
        if self.draw_qr and (address := self.site.qr_codes.get(src_uri)):
            # Drawn when its page is rendered (by the page workers, on every core), once per address:
            # a page carried over from the last build needs none. The page cache key has the address.
            data["way"] = replace(data["way"], qr=data_uri(self.draw_qr(address)))
        if src_uri == "index.md":
            data.update(home=self.site.home, news_url=self.site.url_for(page_uri("news", 1)))
        if self.site_code:
            data["report_href"] = error_report_url(self.address(url), self.site_code)
        return data

    def address(self, url: str) -> str:
        """A page's full address (as MkDocs' canonical_url), or its site path without site_url."""
        return self.site_url.rstrip("/") + "/" + url if self.site_url else url

    def search_docs(self) -> list[SearchDoc]:
        return [SearchDoc.of(item, item.url) for item in self.site.items]

    @staticmethod
    def is_picture(src_uri: str) -> bool:
        return src_uri.lower().endswith(IMAGE_SUFFIXES)


def identity_data(identity: dict, site_url: str, url_for: Callable[[str], str]) -> dict:
    """extra.identity with the links the footer shows, ready for templates."""
    feedback = identity["feedback"]
    if feedback.endswith(".md") or ".md#" in feedback:  # a docs page (feedback.md#anchor): its URL from the site root
        page, _, anchor = feedback.partition("#")
        feedback = (site_url or "/").rstrip("/") + "/" + url_for(page) + (f"#{anchor}" if anchor else "")
    return dict(
        identity,
        feedback_href=feedback,
        conac_href=conac_url(identity["conac_id"]) if identity["conac_id"] else "",
        report_href=error_report_url(site_url, identity["site_code"]) if identity["site_code"] else "",
    )


def robots(site_url: str) -> bytes:
    """Every page may be indexed; the sitemap tells crawlers where they are."""
    sitemap = f"Sitemap: {site_url.rstrip('/')}/sitemap.xml\n" if site_url else ""
    return f"User-agent: *\nAllow: /\n{sitemap}".encode()


def plain(value, skip: frozenset[str] = frozenset({"body", "content", "settings", "url_for"})):
    """The plan's data as plain YAML/JSON values, for engines whose templates cannot read Python
    objects (Zensical reads page data from front matter): dataclasses become mappings of their
    fields and properties, dates ISO strings, markup its HTML text; `skip` names left out."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): plain(v, skip) for key, v in value.items() if key not in skip}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v, skip) for v in value]
    if dataclasses.is_dataclass(value):
        out = {f.name: plain(getattr(value, f.name), skip) for f in dataclasses.fields(value) if f.name not in skip}
        for name in dir(type(value)):
            if name not in skip and not name.startswith("_") and isinstance(getattr(type(value), name), property):
                out[name] = plain(getattr(value, name), skip)
        return out
    return str(value)
