"""One profile as every press format tells it: headline, facts, photos, citation, licence.

The formats themselves (HTML fragment, plain text, Markdown, ninjs) read a ``Story``; none of
them looks a fact up again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from markupsafe import Markup

from generator.core.catalog import Catalog, publication_date
from generator.core.facts import Fact, FactsLayout, profile_facts
from generator.core.labels import vn_date
from generator.core.model import Movement, Profile
from generator.core.urls import profile_page_path
from generator.press.photos import KitPhoto, PublishedPhotos, kit_photos
from generator.press.site import PressSite
from generator.press.text import BodyConverter, html_to_text


@dataclass(frozen=True)
class Story:
    """One profile as every press format tells it."""

    profile: Profile
    site: PressSite
    url: str  # the profile page, absolute
    published: dt.date
    movement: Movement
    locality: str  # "Xã Điện Phước, Thị xã Điện Bàn"
    facts: tuple[Fact, ...]  # in reading order; each as plain text: fact.text
    photos: tuple[KitPhoto, ...]
    body_html: Markup
    citation: str

    @property
    def body_text(self) -> str:
        return html_to_text(self.body_html)


def tell_story(profile: Profile, catalog: Catalog, site: PressSite, photos: PublishedPhotos | None,
               converter: BodyConverter) -> Story:
    story = story_facts(profile, catalog, site, photos)
    return replace(story, body_html=Markup(converter.html(profile.body, story.url)))


def story_facts(profile: Profile, catalog: Catalog, site: PressSite, photos: PublishedPhotos | None) -> Story:
    """The story without its body converted (``body_html`` empty): every input of the press
    formats but the converter's code, cheap to make, so its ``repr`` can key a cached kit."""
    place = catalog.profile_place(profile)
    movement = catalog.movements[profile.movement]
    url = site.absolute(profile_page_path(profile))
    return Story(profile=profile, site=site, url=url, published=publication_date(profile), movement=movement,
                 locality=place, facts=profile_facts(profile, catalog, FactsLayout.PRESS),
                 photos=kit_photos(profile, site, photos), body_html=Markup(""), citation=citation(profile, site))


def citation(profile: Profile, site: PressSite) -> str:
    """The suggested way to credit a reuse: site, headline, address, date."""
    url = site.absolute(profile_page_path(profile))
    return f"{site.name}, “{profile.title}”, {url} (công bố ngày {vn_date(publication_date(profile))})."
