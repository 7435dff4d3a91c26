"""Write one feed in three formats: RSS 2.0 and Atom with feedgen, JSON Feed 1.1 as JSON data.

Generic over what the feed lists: a section renderer builds a ``Feed`` (the whole site, a
movement, a district, a press column, ...) and ``feed_assets`` writes it. Output is
deterministic: entries keep the given order and every date, the feed's own included, is given.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from html import escape

from feedgen.feed import FeedGenerator

from generator.core.urls import file_url
from generator.infra.output import GeneratedAsset

FORMATS = (("rss", "rss.xml", "RSS 2.0"), ("atom", "atom.xml", "Atom"), ("json", "feed.json", "JSON Feed 1.1"))
FILE_NAMES = {fmt: name for fmt, name, _ in FORMATS}
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True)
class FeedImage:
    url: str  # absolute
    type: str = "image/jpeg"


@dataclass(frozen=True)
class FeedItem:
    id: str  # stable: a tag: URI
    url: str  # absolute
    title: str
    summary: str
    published: dt.datetime  # with a time zone
    image: FeedImage | None = None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feed:
    directory: str  # docs path of the folder holding rss.xml, atom.xml, feed.json
    id: str
    title: str
    description: str
    home_url: str  # the page the feed mirrors
    author: str
    updated: dt.datetime  # with a time zone
    items: tuple[FeedItem, ...]
    language: str = "vi"

    def path(self, fmt: str) -> str:
        return f"{self.directory}/{FILE_NAMES[fmt]}"


def feed_assets(feed: Feed, site_url: str) -> tuple[GeneratedAsset, ...]:
    """rss.xml, atom.xml and feed.json for ``feed``; ``site_url`` makes their self links absolute."""
    self_url = {fmt: site_url + feed.path(fmt) for fmt, _, _ in FORMATS}
    return (GeneratedAsset(feed.path("rss"), content=_generator(feed, self_url["rss"]).rss_str(pretty=True)),
            GeneratedAsset(feed.path("atom"), content=_generator(feed, self_url["atom"]).atom_str(pretty=True)),
            GeneratedAsset(feed.path("json"), content=json_feed_bytes(json_feed(feed, self_url["json"]))))


def _generator(feed: Feed, self_url: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("media")
    fg.id(feed.id)
    fg.title(feed.title)
    fg.description(feed.description)
    fg.link(href=self_url, rel="self")
    fg.link(href=feed.home_url, rel="alternate")  # last: feedgen takes RSS's <link> from the last link
    fg.language(feed.language)
    fg.author({"name": feed.author})
    fg.generator("dienhinh")
    fg.updated(feed.updated)  # also RSS lastBuildDate: never "now", so builds are reproducible
    for item in feed.items:
        entry = fg.add_entry(order="append")
        entry.id(item.id)
        entry.guid(item.id, permalink=False)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate")
        # RSS readers take <description> as HTML: the summary goes in as HTML whose text it is, in Atom too.
        entry.summary(escape(item.summary), type="html")
        entry.published(item.published)
        entry.updated(item.published)
        for category in item.categories:
            entry.category(term=category)
        if item.image:
            entry.media.content(url=item.image.url, type=item.image.type, medium="image", group=None)
    return fg


def json_feed(feed: Feed, self_url: str) -> dict:
    """The JSON Feed 1.1 object (https://www.jsonfeed.org/version/1.1/)."""
    return {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": self_url,
        "description": feed.description,
        "language": feed.language,
        "authors": [{"name": feed.author}],
        "items": [_json_item(item) for item in feed.items],
    }


def _json_item(item: FeedItem) -> dict:
    data: dict[str, object] = {"id": item.id, "url": item.url, "title": item.title, "summary": item.summary,
            "content_text": item.summary, "date_published": item.published.isoformat()}
    if item.image:
        data["image"] = item.image.url
    if item.categories:
        data["tags"] = list(item.categories)
    return data


def json_feed_bytes(data: dict) -> bytes:
    """Compact: feeds are read by programs, and the compact form uses json's fast C encoder."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


@dataclass(frozen=True)
class FeedLinks:
    title: str
    rss: str  # relative to the page showing them
    atom: str
    json: str


def feed_links(page: str, title: str, directory: str) -> FeedLinks:
    return FeedLinks(title, *(file_url(page, f"{directory}/{FILE_NAMES[fmt]}") for fmt in ("rss", "atom", "json")))
