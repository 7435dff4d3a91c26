"""Where the press outputs live, and the public site they point to.

Feeds, press kits and embeds leave our site: a feed reader, a newsroom system or an agency's
page reads them, so every link in them is absolute (from MkDocs' ``site_url``) and every id is
a ``tag:`` URI (RFC 4151) that never changes when a title or a date does.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from urllib.parse import urlsplit

from generator.core.model import Profile
from generator.core.options import VIETNAM_TZ
from generator.core.urls import PROFILES_DIR

FEEDS_DIR = "feeds"
PRESS_PAGE = "bao-chi/index.md"
EMBEDS_DIR = "nhung"
FRAGMENT_NAME = "ban-tin.html"
# The year of Kế hoạch 658/QĐ-UBND: the date part of every tag: URI, fixed for ever (RFC 4151 §2.1).
TAG_DATE = "2023"


def movement_feed_dir(code: str) -> str:
    return f"{FEEDS_DIR}/phong-trao/{code}"


def district_feed_dir(locality_id: str) -> str:
    return f"{FEEDS_DIR}/dia-phuong/{locality_id}"


def column_feed_dir(code: str) -> str:
    return f"{FEEDS_DIR}/chuyen-muc/{code}"


def kit_folder(profile: Profile) -> str:
    """The one folder inside the zip, so unpacking never scatters files."""
    return f"tu-lieu-{profile.slug}"


def kit_path(profile: Profile) -> str:
    return f"{PROFILES_DIR}/{profile.slug}/{kit_folder(profile)}.zip"


def fragment_path(profile: Profile) -> str:
    return f"{PROFILES_DIR}/{profile.slug}/{FRAGMENT_NAME}"


EMBED_HOST_SCRIPT = f"{EMBEDS_DIR}/nhung.js"  # what a host page loads to let our embeds size themselves


def profile_embed_path(profile: Profile) -> str:
    return f"{EMBEDS_DIR}/ho-so/{profile.slug}.html"


def profile_oembed_path(profile: Profile) -> str:
    """The oEmbed answer for the profile's card, which its page names in a discovery link."""
    return f"{EMBEDS_DIR}/ho-so/{profile.slug}.oembed.json"


def movement_embed_path(code: str) -> str:
    return f"{EMBEDS_DIR}/phong-trao/{code}.html"


def locality_embed_path(locality_id: str) -> str:
    return f"{EMBEDS_DIR}/dia-phuong/{locality_id}.html"


def midnight(day: dt.date) -> dt.datetime:
    """A date as an instant: 00:00 in Vietnam (+07:00), as feeds and ninjs want."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=VIETNAM_TZ)


@dataclass(frozen=True)
class PressSite:
    """The public site as seen from outside: its address, its name and its reuse licence."""

    url: str  # site_url, always ending in "/"
    name: str
    licence: str
    licence_url: str = ""

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or "localhost"

    def absolute(self, docs_path: str) -> str:
        """Public URL of a docs path: pages directory-style ("a/index.md" → "a/"), files as they are."""
        if docs_path.endswith(".md"):
            stem = docs_path.removesuffix(".md")
            docs_path = stem.removesuffix("index") if posixpath.basename(stem) == "index" else stem + "/"
        return self.url + docs_path

    def tag(self, key: str) -> str:
        return f"tag:{self.host},{TAG_DATE}:{key}"


def press_site(site_url: str, licence: str, site_name: str = "", province_name: str = "",
               licence_url: str = "") -> PressSite | None:
    """None without a site_url: absolute links cannot be made, so no press outputs are.

    The name is mkdocs.yml's site_name, or "Điển hình tiên tiến tỉnh ..." from the province.
    """
    if not site_url:
        return None
    place = province_name[:1].lower() + province_name[1:]
    name = site_name or f"Điển hình tiên tiến {place}".strip()
    return PressSite(site_url if site_url.endswith("/") else site_url + "/", name, licence, licence_url)
