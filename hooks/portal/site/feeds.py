"""RSS 2.0 feeds: the whole portal and each column, newest first, published items only."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from email.utils import format_datetime

from portal.model import Catalogue, Item

CHINA = dt.timezone(dt.timedelta(hours=8))
LIMIT = 50  # items in a feed


def rss(title: str, link: str, description: str, items: list[Item], absolute) -> bytes:
    """`items` published, newest first; `absolute` turns a site URL into a full one."""
    channel_root = ET.Element("rss", version="2.0")
    channel = ET.SubElement(channel_root, "channel")
    for tag, text in (("title", title), ("link", link), ("description", description), ("language", "zh-CN")):
        ET.SubElement(channel, tag).text = text
    if items:
        ET.SubElement(channel, "lastBuildDate").text = _date(items[0].date)
    for item in items[:LIMIT]:
        entry = ET.SubElement(channel, "item")
        url = absolute(item.url)
        for tag, text in (
            ("title", item.title),
            ("link", url),
            ("guid", url),
            ("pubDate", _date(item.date)),
            ("description", item.summary),
            ("category", item.column.name),
            ("author", item.organisation.name),
        ):
            ET.SubElement(entry, tag).text = text
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        channel_root, encoding="utf-8", xml_declaration=False
    )


def _date(day: dt.date) -> str:
    return format_datetime(dt.datetime(day.year, day.month, day.day, tzinfo=CHINA))


def feed_files(site_name: str, description: str, items: list[Item], catalogue: Catalogue, absolute) -> dict[str, bytes]:
    """feed.xml for the portal and columns/<slug>/feed.xml for each published column."""
    files = {"feed.xml": rss(site_name, absolute(""), description, items, absolute)}
    for column in catalogue.columns.values():
        chosen = [item for item in items if item.column == column]
        if not chosen:
            continue  # an empty column is not published
        files[f"columns/{column.slug}/feed.xml"] = rss(
            f"{column.name} - {site_name}",
            absolute(f"columns/{column.slug}/"),
            column.description or column.name,
            chosen,
            absolute,
        )
    return files
