"""Page metadata, pure: Open Graph / Twitter values, schema.org JSON-LD and the licence, per page.

The dicts go into each generated page's front matter (keys ``social``, ``json_ld``, ``licence``)
and ``theme/main.html`` writes them into <head>; the JSON-LD is serialised there by Jinja's
``tojson``. Only JSON types (str, int, bool, list, dict) appear, so the YAML front matter
round-trips unchanged.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass

from generator.core.catalog import Catalog, place_date, publication_date
from generator.core.model import Profile
from generator.photos.planning import CARD_SIZE, PhotoSet
from generator.press.embeds import profile_card_title
from generator.press.site import profile_oembed_path
from generator.render.options import RenderOptions

SUBJECT_TYPES = {"ca-nhan": "Person", "tap-the": "Organization", "ho-gia-dinh": "Organization"}
CONTEXT = "https://schema.org"


@dataclass(frozen=True)
class PageImage:
    path: str  # docs-relative, e.g. "ho-so/x/the-chia-se.jpg"
    width: int
    height: int
    alt: str



def absolute(site: RenderOptions, page_dir: str, relative: str = "") -> str:
    """Absolute URL of ``relative`` from the page folder ``page_dir`` ("ho-so/x/"); "" without site_url."""
    if not site.site_url:
        return ""
    return site.site_url.rstrip("/") + "/" + page_dir + relative


def page_meta(site: RenderOptions, page_dir: str, title: str, description: str, image: PageImage | None,
              json_ld: dict, kind: str = "website", extra: dict | None = None) -> dict:
    social: dict[str, object] = {"type": kind, "title": title, "description": description}
    image_url = absolute(site, "", image.path) if image else ""
    if image and image_url:
        social.update(image=image_url, image_alt=image.alt, image_width=image.width, image_height=image.height)
    social.update(extra or {})
    return {"social": social, "json_ld": json_ld, "licence": {"text": site.licence, "url": site.licence_url}}


def _clean(data: dict) -> dict:
    """Leave out empty values: schema.org readers take a missing property better than an empty one."""
    return {k: v for k, v in data.items() if v not in ("", None, [], {})}


def publisher(site: RenderOptions) -> dict:
    """The site as an Organization; nothing without a site name (an unnamed one says nothing)."""
    if not site.site_name:
        return {}
    return _clean({"@type": "Organization", "name": site.site_name, "url": absolute(site, "")})


def place(catalog: Catalog, locality_id: str, on: dt.date | None = None) -> dict:
    """The unit as a schema.org Place, as it was on ``on`` (a model's day: catalog.place_date)."""
    loc = catalog.unit(locality_id, on)
    name = catalog.place_label(locality_id, on)
    address = _clean({"@type": "PostalAddress", "addressLocality": loc.name,
                      "addressRegion": catalog.registries.province_name, "addressCountry": "VN"})
    return {"@type": "Place", "name": name, "address": address}


def award_text(profile: Profile) -> list[str]:
    return [a.text for a in profile.awards]


def subject(catalog: Catalog, profile: Profile) -> dict:
    s = profile.subject
    kind = SUBJECT_TYPES[s.kind]
    where = "homeLocation" if kind == "Person" else "location"
    data: dict[str, object] = {"@type": kind, "name": s.name, "award": award_text(profile),
            where: place(catalog, profile.locality, place_date(profile))}
    if kind == "Person":
        data["jobTitle"] = s.position
        data["worksFor"] = _clean({"@type": "Organization", "name": s.organization}) if s.organization else None
    return _clean(data)


def profile_json_ld(catalog: Catalog, profile: Profile, site: RenderOptions, page_dir: str,
                    images: list[str]) -> dict:
    """The profile as an Article about a Person or an Organization, with awards, place and dates."""
    url = absolute(site, page_dir)
    return _clean({
        "@context": CONTEXT, "@type": "Article", "headline": profile.title, "description": profile.summary,
        "inLanguage": "vi", "url": url, "mainEntityOfPage": url,
        "image": [absolute(site, "", path) for path in images] if url else [],
        "datePublished": publication_date(profile).isoformat(),
        "dateCreated": profile.nominated_on.isoformat() if profile.nominated_on else None,
        "articleSection": catalog.movements[profile.movement].name, "keywords": list(profile.tags),
        "about": subject(catalog, profile), "contentLocation": place(catalog, profile.locality, place_date(profile)),
        "license": site.licence_url, "copyrightNotice": site.licence, "isAccessibleForFree": True,
        "publisher": publisher(site),
    })


def collection_json_ld(site: RenderOptions, page_dir: str, name: str, description: str,
                       location: dict | None = None) -> dict:
    return _clean({"@context": CONTEXT, "@type": "CollectionPage", "name": name, "description": description,
                   "inLanguage": "vi", "url": absolute(site, page_dir), "contentLocation": location,
                   "license": site.licence_url, "isPartOf": website(site)})


def website(site: RenderOptions) -> dict:
    return _clean({"@type": "WebSite", "name": site.site_name, "url": absolute(site, "")}) if site.site_name else {}


def website_json_ld(site: RenderOptions, description: str) -> dict:
    return _clean({"@context": CONTEXT, "@type": "WebSite", "name": site.site_name, "description": description,
                   "inLanguage": "vi", "url": absolute(site, ""), "license": site.licence_url,
                   "publisher": publisher(site)})


@dataclass(frozen=True)
class PageMetadata:
    """The metadata of each kind of generated page; empty without site options (bare renders)."""

    catalog: Catalog
    site: RenderOptions | None
    photos: PhotoSet

    def card(self, slug: str, alt: str) -> PageImage | None:
        card = self.photos.card(slug)
        return PageImage(card.path, *CARD_SIZE, alt) if card else None

    def profile(self, path: str, profile: Profile) -> dict:
        if self.site is None:
            return {}
        page_dir = _page_dir(path)
        card = self.card(profile.slug, f"{profile.subject.name}, {profile.title}")
        images = [card.path] if card else []
        images += [page_dir + p.page_url(p.largest("jpg")) for p in self.photos.published(profile.slug)]
        json_ld = profile_json_ld(self.catalog, profile, self.site, page_dir, images)
        extra = {"published": json_ld["datePublished"], "section": json_ld["articleSection"],
                 "tags": list(profile.tags)}
        meta = page_meta(self.site, page_dir, profile.title, profile.summary, card, json_ld, "article", extra)
        if self.site.site_url:  # the press files, the oEmbed answer among them, exist only then
            meta["oembed"] = {"href": absolute(self.site, "", profile_oembed_path(profile)),
                              "title": profile_card_title(profile)}
        return meta

    def collection(self, path: str, title: str, description: str, locality_id: str | None = None) -> dict:
        if self.site is None:
            return {}
        page_dir = _page_dir(path)
        location = place(self.catalog, locality_id) if locality_id else None
        json_ld = collection_json_ld(self.site, page_dir, title, description, location)
        return page_meta(self.site, page_dir, title, description, self.card("", self.site.site_name), json_ld)

    def home(self, path: str, title: str, description: str) -> dict:
        if self.site is None:
            return {}
        json_ld = website_json_ld(self.site, description)
        return page_meta(self.site, _page_dir(path), title, description, self.card("", self.site.site_name), json_ld)


def _page_dir(path: str) -> str:
    """Folder URL of a docs page: "ho-so/x/index.md" -> "ho-so/x/", "index.md" -> ""."""
    folder = posixpath.dirname(path)
    return f"{folder}/" if folder else ""
