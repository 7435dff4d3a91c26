"""Write one feed in three formats: RSS 2.0 and Atom with feedgen, JSON Feed 1.1 as JSON data.

Generic over what the feed lists: a section renderer builds a ``Feed`` (the whole site, a
movement, a district, a press column, ...) and ``feed_assets`` writes it. Output is
deterministic: entries keep the given order and every date, the feed's own included, is given.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from html import escape

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from generator.core.urls import file_url
from generator.infra.output import GeneratedAsset

FORMATS = (("rss", "rss.xml", "RSS 2.0"), ("atom", "atom.xml", "Atom"), ("json", "feed.json", "JSON Feed 1.1"))
FILE_NAMES = {fmt: name for fmt, name, _ in FORMATS}
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True)
class FeedImage:
    url: str  # absolute
    type: str = "image/jpeg"
    size: int = 0  # bytes


@dataclass(frozen=True)
class FeedItem:
    id: str  # stable: a tag: URI
    url: str  # absolute
    title: str
    summary: str
    published: dt.datetime  # with a time zone
    image: FeedImage | None = None
    categories: tuple[str, ...] = ()
    author: str = ""  # who stands behind the item: for a profile, the nominating body
    content_html: str = ""  # the whole story, sanitised HTML with absolute links


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
    rights: str = ""  # the reuse licence, in words
    rights_url: str = ""  # and its address

    def path(self, fmt: str) -> str:
        return f"{self.directory}/{FILE_NAMES[fmt]}"

    def with_contents(self, contents: Mapping[str, str]) -> Feed:
        """The same feed with each item's whole story, looked up by the item's URL."""
        return replace(self, items=tuple(replace(item, content_html=contents.get(item.url, item.content_html))
                                         for item in self.items))

    @property
    def rights_line(self) -> str:
        return " ".join(part for part in (self.rights, self.rights_url) if part)


def feed_assets(feed: Feed, site_url: str) -> tuple[GeneratedAsset, ...]:
    """rss.xml, atom.xml and feed.json for ``feed``; ``site_url`` makes their self links absolute."""
    self_url = {fmt: site_url + feed.path(fmt) for fmt, _, _ in FORMATS}
    rss = _generator(feed, self_url["rss"], atom=False).rss_str(pretty=True)
    atom = _generator(feed, self_url["atom"], atom=True).atom_str(pretty=True)
    return (GeneratedAsset(feed.path("rss"), content=rss), GeneratedAsset(feed.path("atom"), content=atom),
            GeneratedAsset(feed.path("json"), content=json_feed_bytes(json_feed(feed, self_url["json"]))))


class _NoFeedExtension(BaseExtension):
    pass


class _AtomEnclosure(BaseEntryExtension):
    """An Atom entry's enclosure link, whole. feedgen 1.0 writes an entry's links with their href
    only (lkiesow/python-feedgen#135, open), so its own enclosure would read as a second
    alternate link."""

    def __init__(self) -> None:
        self.image: FeedImage | None = None

    def extend_atom(self, entry):
        if self.image:
            link = xml_elem("link", entry, href=self.image.url, rel="enclosure", type=self.image.type)
            if self.image.size:
                link.attrib["length"] = str(self.image.size)
        return entry


def _generator(feed: Feed, self_url: str, atom: bool) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("media")
    if atom:
        fg.register_extension("enclosure", _NoFeedExtension, _AtomEnclosure, atom=True, rss=False)
    else:
        fg.load_extension("dc")  # RSS names an author only with an e-mail address; dc:creator names anyone
    fg.id(feed.id)
    fg.title(feed.title)
    fg.description(feed.description)
    fg.link(href=self_url, rel="self")
    fg.link(href=feed.home_url, rel="alternate")  # last: feedgen takes RSS's <link> from the last link
    fg.language(feed.language)
    fg.author({"name": feed.author})
    fg.generator("dienhinh")
    if feed.rights_line:
        fg.rights(feed.rights_line)  # Atom <rights>, RSS <copyright>
    fg.updated(feed.updated)  # also RSS lastBuildDate: never "now", so builds are reproducible
    for item in feed.items:
        entry = fg.add_entry(order="append")
        entry.id(item.id)
        entry.guid(item.id, permalink=False)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate")
        # RSS readers take <description> as HTML: the summary goes in as HTML whose text it is, in Atom too.
        entry.summary(escape(item.summary), type="html")
        if item.content_html:
            entry.content(item.content_html, type="html")  # Atom <content>, RSS <content:encoded>
        entry.published(item.published)
        entry.updated(item.published)
        for category in item.categories:
            entry.category(term=category)
        if item.author:
            if atom:
                entry.author({"name": item.author})
            else:
                entry.dc.dc_creator(item.author)
        if feed.rights_line:
            if atom:
                entry.rights(feed.rights_line)
            else:
                entry.dc.dc_rights(feed.rights_line)
        if item.image:
            entry.media.content(url=item.image.url, type=item.image.type, medium="image", group=None)
            if atom:
                entry.enclosure.image = item.image
            else:
                entry.enclosure(item.image.url, str(item.image.size), item.image.type)
    return fg


def json_feed(feed: Feed, self_url: str) -> dict:
    """The JSON Feed 1.1 object (https://www.jsonfeed.org/version/1.1/); the licence, which the
    format has no field for, in an extension object."""
    data: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": self_url,
        "description": feed.description,
        "language": feed.language,
        "authors": [{"name": feed.author}],
        "items": [_json_item(item) for item in feed.items],
    }
    if feed.rights_line:
        data["_licence"] = {"about": feed.rights_url or feed.home_url, "text": feed.rights}
    return data


def _json_item(item: FeedItem) -> dict:
    data: dict[str, object] = {"id": item.id, "url": item.url, "title": item.title, "summary": item.summary}
    if item.content_html:
        data["content_html"] = item.content_html
    else:
        data["content_text"] = item.summary
    data["date_published"] = item.published.isoformat()
    if item.author:
        data["authors"] = [{"name": item.author}]
    if item.image:
        data["image"] = item.image.url
        attachment: dict[str, object] = {"url": item.image.url, "mime_type": item.image.type}
        if item.image.size:
            attachment["size_in_bytes"] = item.image.size
        data["attachments"] = [attachment]
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
