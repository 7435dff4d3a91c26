"""Embeds for agency websites: a card per profile, a "latest profiles" list per movement and locality.

Each is a standalone HTML5 page made for an iframe: inline CSS of a few lines, one inline script
that only tells the host page its height (see ``EmbedSnippet``), no font or image from anywhere
but our own site, links opening in a new tab. Each card also has an
oEmbed answer (https://oembed.com/, type "rich"), which the profile page names in a discovery
link, so a newsroom system given the page's address embeds the card by itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from jinja2 import Environment

from generator.core.catalog import Catalog, publication_date
from generator.core.model import Locality, Profile
from generator.core.urls import locality_page_path, movement_page_path, profile_page_path
from generator.infra.output import GeneratedAsset
from generator.press.photos import PressImage, PublishedPhotos, lead_image
from generator.press.site import (
    EMBED_HOST_SCRIPT,
    EMBEDS_DIR,
    PressSite,
    locality_embed_path,
    movement_embed_path,
    profile_embed_path,
    profile_oembed_path,
)

LIST_LENGTH = 5
IMAGE_WIDTH = 480  # the card is at most 480 px wide
# Heights the snippets give, in CSS pixels: what a host page without script shows. With our host
# script, WordPress' or a browser that sizes frames to their content, the embed sets its own.
PROFILE_HEIGHT = 420
LIST_HEIGHT = 460


@dataclass(frozen=True)
class EmbedSnippet:
    """The code a host page pastes: the iframe and the script that lets it size itself.

    The sizing speaks WordPress' embed protocol: the embed posts {message: "height", value,
    secret} to its parent, and a host finds the frame by ``data-secret`` (our host script, or
    WordPress' own wp-embed.js). The secret only tells our frames apart on a host page, so it is
    made from the embed's address, in the letters and digits WordPress accepts.
    """

    src: str  # absolute address of the embed page
    title: str  # the iframe's, announced by screen readers
    height: int
    host_script: str  # absolute address of nhung.js

    @property
    def secret(self) -> str:
        return re.sub(r"[^A-Za-z0-9]", "", self.src.rsplit(f"/{EMBEDS_DIR}/", 1)[-1].removesuffix(".html"))


def embed_snippet(site: PressSite, path: str, title: str, height: int) -> EmbedSnippet:
    return EmbedSnippet(site.absolute(path), title, height, site.absolute(EMBED_HOST_SCRIPT))


@dataclass(frozen=True)
class ListEntry:
    profile: Profile
    url: str
    place: str


def embed_localities(catalog: Catalog) -> list[Locality]:
    """Every district and the city (each has a page), and the communes that have profiles."""
    return [loc for loc in catalog.localities.values()
            if loc.holds_communes or loc.id in catalog.by_locality]


def profile_card_title(p: Profile) -> str:
    """The card's own title: its page's, and the oEmbed answer's."""
    return f"{p.subject.name}: {p.title}"


def profile_embed_title(p: Profile) -> str:
    """The title of the card's iframe, which screen readers announce on the host page."""
    return f"Điển hình tiên tiến: {p.subject.name}"


def profile_embed(env: Environment, catalog: Catalog, site: PressSite, image: PressImage | None,
                  p: Profile) -> GeneratedAsset:
    html = env.get_template("embed_profile.html.j2").render(
        title=profile_card_title(p), p=p, movement=catalog.movements[p.movement], image=image,
        url=site.absolute(profile_page_path(p)), place=catalog.profile_place(p), site=site)
    return GeneratedAsset(profile_embed_path(p), content=html.encode("utf-8"))


def profile_oembed(env: Environment, catalog: Catalog, site: PressSite, image: PressImage | None,
                   p: Profile) -> GeneratedAsset:
    """The card as oEmbed 1.0 "rich": the same iframe snippet the profile page offers to copy."""
    snippet = env.get_template("_press.j2").module.embed_snippet(  # type: ignore[attr-defined]
        embed_snippet(site, profile_embed_path(p), profile_embed_title(p), PROFILE_HEIGHT))
    answer: dict[str, object] = {
        "version": "1.0", "type": "rich", "title": profile_card_title(p),
        "author_name": catalog.nominator_name(p), "provider_name": site.name,
        "provider_url": site.url, "html": str(snippet).strip(), "width": IMAGE_WIDTH, "height": PROFILE_HEIGHT,
    }
    if image:
        answer.update(thumbnail_url=image.url, thumbnail_width=image.width, thumbnail_height=image.height)
    data = json.dumps(answer, ensure_ascii=False, indent=1) + "\n"
    return GeneratedAsset(profile_oembed_path(p), content=data.encode("utf-8"))


def list_embed(env: Environment, catalog: Catalog, site: PressSite, path: str, heading: str,
               profiles: tuple[Profile, ...], page_path: str) -> GeneratedAsset:
    newest = sorted(profiles, key=lambda p: (publication_date(p), p.slug), reverse=True)[:LIST_LENGTH]
    entries = [ListEntry(p, site.absolute(profile_page_path(p)), catalog.profile_place(p)) for p in newest]
    html = env.get_template("embed_list.html.j2").render(
        title=heading, heading=heading, entries=entries, total=len(profiles), more_url=site.absolute(page_path),
        site=site)
    return GeneratedAsset(path, content=html.encode("utf-8"))


def render_embeds(env: Environment, catalog: Catalog, site: PressSite,
                  photos: PublishedPhotos | None = None) -> tuple[GeneratedAsset, ...]:
    host = env.get_template("embed_host.js").render()
    assets = [GeneratedAsset(EMBED_HOST_SCRIPT, content=host.encode("utf-8"))]
    for p in catalog.profiles:
        image = lead_image(p, site, photos, IMAGE_WIDTH)
        assets += [profile_embed(env, catalog, site, image, p), profile_oembed(env, catalog, site, image, p)]
    assets += [list_embed(env, catalog, site, movement_embed_path(code), f"Điển hình mới: {m.label}",
                          catalog.by_movement.get(code, ()), movement_page_path(code))
               for code, m in catalog.movements.items()]
    assets += [list_embed(env, catalog, site, locality_embed_path(loc.id), f"Điển hình mới: {loc.name}",
                          catalog.by_locality.get(loc.id, ()), locality_page_path(loc.id))
               for loc in embed_localities(catalog)]
    return tuple(assets)
