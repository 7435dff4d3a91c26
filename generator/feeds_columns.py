"""RSS 2.0 and Atom feeds of one column, written by feedgen (never by string concatenation).

Only published items go into a feed, in a preview too. Every date in the feed comes from
the data (item dates, the column's start), so the same input gives the same bytes.
A later general feeds module can absorb this one.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from .columns import COLUMNS_DIR, ColumnItem
from .model import Column
from .render import PROFILES_DIR
from .settings import VIETNAM_TZ

RSS_NAME = "feed.xml"
ATOM_NAME = "atom.xml"


def feed_paths(code: str) -> tuple[str, str]:
    return f"{COLUMNS_DIR}/{code}/{RSS_NAME}", f"{COLUMNS_DIR}/{code}/{ATOM_NAME}"


def column_feeds(column: Column, items: tuple[ColumnItem, ...], site_url: str) -> tuple[bytes, bytes]:
    """(RSS, Atom) of the published ``items`` (newest first) of ``column``."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    rss_path, atom_path = feed_paths(column.code)
    published = [it for it in items if not it.scheduled]
    return (_generator(column, published, base, rss_path).rss_str(pretty=True),
            _generator(column, published, base, atom_path).atom_str(pretty=True))


def _generator(column: Column, items: list[ColumnItem], base: str, self_path: str) -> FeedGenerator:
    page = urljoin(base, f"{COLUMNS_DIR}/{column.code}/")
    updated = _moment(items[0].date if items else column.active_from or dt.date(2000, 1, 1))
    fg = FeedGenerator()
    fg.id(page)
    fg.title(column.name)
    fg.description(column.description or column.name)
    fg.language("vi")
    fg.link(href=urljoin(base, self_path), rel="self")
    fg.link(href=page, rel="alternate")  # last: RSS keeps one <link>, the page
    fg.updated(updated)
    fg.lastBuildDate(updated)
    for item in reversed(items):  # feedgen prepends: add oldest first, newest ends on top
        url = urljoin(base, f"{PROFILES_DIR}/{item.profile.slug}/")
        entry = fg.add_entry()
        entry.id(f"{url}#{column.code}-{item.date.isoformat()}")
        entry.guid(f"{url}#{column.code}-{item.date.isoformat()}", permalink=False)
        entry.title(item.profile.title)
        entry.link(href=url)
        entry.summary(item.profile.summary)
        entry.published(_moment(item.date))
        entry.updated(_moment(item.date))
    return fg


def _moment(date: dt.date) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, tzinfo=VIETNAM_TZ)
