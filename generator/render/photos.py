"""The photo section of the site: process every published photo and share card (cached), then
publish the derived files. Originals are never published, only these stripped derivatives.

Two steps, as the rest of the site: ``process_photos`` gathers (decodes, resizes, caches) and
returns a ``PhotoSet`` that the profile pages read; ``render_photos`` turns it into assets.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from generator.check.photos import photo_problem
from generator.core.catalog import Catalog
from generator.core.model import Profile
from generator.core.urls import PROFILES_DIR
from generator.infra.files import write_atomically
from generator.infra.output import GeneratedAsset, SiteOutput
from generator.photos import cache as cache
from generator.photos.imaging import PhotoError, save, write_renditions
from generator.photos.planning import (
    CARD_NAME,
    NO_PHOTOS,
    Card,
    Credits,
    PhotoSet,
    PublishedPhoto,
    Rendition,
    job_key,
    output_stems,
)
from generator.photos.share_card import CardText, card_key, fonts_digest, render_card
from generator.photos.xmp import xmp_packet
from generator.render.context import SiteContext
from generator.render.options import RenderOptions

log = logging.getLogger(__name__)
SITE_SUBTITLE = "Giới thiệu, nhân rộng mô hình, điển hình tiên tiến"


@dataclass(frozen=True)
class _Job:
    key: str
    source: Path
    entry: Path
    credits: Credits


@dataclass(frozen=True)
class _CardJob:
    text: CardText
    photo: Path | None
    target: Path
    credits: Credits


def _process(job: _Job) -> dict:
    """In a worker: write one entry; a photo that cannot be decoded comes back as its verdict."""
    def write(folder: Path) -> dict:
        info, renditions = write_renditions(job.source, folder, xmp_packet(job.credits))
        return {"width": info.width, "height": info.height, "format": info.format,
                "renditions": [[r.width, r.height, r.format] for r in renditions]}
    try:
        return cache.fill_entry(job.entry, write)
    except PhotoError as error:
        return {"error": [error.code, error.message]}


def _draw_card(job: _CardJob) -> None:
    buffer = io.BytesIO()
    save(render_card(job.text, job.photo), buffer, "jpg", xmp_packet(job.credits))
    write_atomically(job.target, buffer.getvalue())


def process_photos(catalog: Catalog, options: RenderOptions) -> PhotoSet:
    """Every photo of every published profile, and the share cards: from the cache, or made now."""
    return _gather(catalog, catalog.profiles, options, site_card=True)


def photos_again(photos: PhotoSet, catalog: Catalog, profile: Profile, options: RenderOptions) -> PhotoSet:
    """``photos`` with ``profile``'s photos and share card gathered again from its bundle as it is
    now (a photo added, replaced or removed, a caption or a name edited): the live preview's
    first look at an edited profile. The other profiles' photos are taken as they are."""
    again = _gather(catalog, (profile,), options, site_card=False)
    by_profile = {slug: items for slug, items in photos.by_profile.items() if slug != profile.slug}
    by_profile.update(again.by_profile)
    return PhotoSet(MappingProxyType(by_profile), MappingProxyType({**photos.cards, **again.cards}))


def _gather(catalog: Catalog, profiles: Sequence[Profile], options: RenderOptions, site_card: bool) -> PhotoSet:
    """The photos and share cards of ``profiles`` (and the site's card, if asked)."""
    if options.cache_dir is None:
        return NO_PHOTOS
    cache_dir = options.cache_dir
    index = cache.SourceIndex(cache_dir)
    planned = _plan(profiles, options, cache_dir, index)
    manifests = {job.key: cache.read_manifest(job.entry) for *_, job in planned}
    todo = {job.key: job for *_, job in planned if manifests[job.key] is None}
    manifests.update(zip(todo, cache.parallel_map(_process, todo.values())))
    made = {key: manifest for key, manifest in manifests.items() if manifest is not None}  # every one, now
    by_profile: dict[str, list[PublishedPhoto]] = {}
    for profile, number, stem, digest, job in planned:
        manifest = made[job.key]
        if "error" in manifest:  # found only now (check_photos would have said so before)
            index.record(digest, manifest)
            log.warning(photo_problem(profile, number, manifest["error"]).format())
            continue
        renditions = tuple(Rendition(*r) for r in manifest["renditions"])
        by_profile.setdefault(profile.slug, []).append(PublishedPhoto(profile.photos[number], stem, job.entry,
                                                                      renditions))
    index.save()
    photos = MappingProxyType({slug: tuple(items) for slug, items in by_profile.items()})
    return PhotoSet(photos, MappingProxyType(_cards(catalog, profiles, photos, options, cache_dir, site_card)))


def _plan(profiles: Sequence[Profile], options: RenderOptions, cache_dir: Path,
          index: cache.SourceIndex) -> list[tuple]:
    """(profile, photo number, stem, digest, job) for each photo that has not failed a check."""
    planned = []
    for profile in profiles:
        for number, (photo, stem) in enumerate(zip(profile.photos, output_stems(profile.photos))):
            source = profile.bundle_dir / photo.file
            if not source.is_file():
                continue
            digest = index.digest(source)
            if "error" in (index.verdict(digest) or {}):
                continue  # reported by check_photos; the profile is published without it
            credits = Credits(photo.alt, photo.caption, photo.credit, options.licence, options.licence_url)
            key = job_key(digest, credits)
            planned.append((profile, number, stem, digest,
                            _Job(key, source, cache.entry_folder(cache_dir, key), credits)))
    return planned


def _cards(catalog: Catalog, profiles: Sequence[Profile], photos, options: RenderOptions, cache_dir: Path,
           site_card: bool) -> dict[str, Card]:
    """One share card per profile and, if ``site_card``, one for the site ("" key), drawn only
    when not cached."""
    site, fonts = options.site_name, fonts_digest()
    jobs: dict[str, _CardJob] = {}
    for profile in profiles:
        first = photos.get(profile.slug, (None,))[0]
        details = (catalog.profile_place(profile), catalog.movements[profile.movement].name)
        text = CardText(profile.subject.name, details, site, first.photo.credit if first else "")
        photo = first.entry / first.largest("jpg").filename if first else None
        key = card_key(text, first.entry.name if first else None, fonts)
        credits = Credits(profile.subject.name, profile.title, text.credit, options.licence, options.licence_url)
        jobs[profile.slug] = _CardJob(text, photo, cache.card_file(cache_dir, key), credits)
    if site_card:
        site_text = CardText(site or SITE_SUBTITLE, (SITE_SUBTITLE,) if site else ())
        jobs[""] = _CardJob(site_text, None, cache.card_file(cache_dir, card_key(site_text, None, fonts)),
                            Credits(site_text.title, "", "", options.licence, options.licence_url))
    cache.parallel_map(_draw_card, [job for job in jobs.values() if not job.target.is_file()])
    return {slug: Card(card_path(slug), job.target) for slug, job in jobs.items()}


def card_path(slug: str) -> str:
    """Docs-relative path of a share card: beside the profile page, or at the root for the site's."""
    return f"{PROFILES_DIR}/{slug}/{CARD_NAME}" if slug else CARD_NAME


def render_photos(ctx: SiteContext) -> SiteOutput:
    """The stripped renditions and share cards the photo pipeline made (``ctx.photos``)."""
    photos = ctx.photos
    assets = [asset for slug, items in photos.by_profile.items() for asset in _rendition_assets(slug, items)]
    assets += [_card_asset(card) for card in photos.cards.values()]
    return SiteOutput((), tuple(assets))


def profile_photo_assets(photos: PhotoSet, slug: str) -> tuple[GeneratedAsset, ...]:
    """One profile's renditions and share card, as ``render_photos`` publishes them."""
    card = photos.card(slug)
    return (*_rendition_assets(slug, photos.published(slug)),
            *((_card_asset(card),) if card else ()))


def _card_asset(card: Card) -> GeneratedAsset:
    return GeneratedAsset(card.path, source=card.source)


def _rendition_assets(slug: str, items: Sequence[PublishedPhoto]) -> list[GeneratedAsset]:
    return [GeneratedAsset(f"{PROFILES_DIR}/{slug}/{p.page_url(r)}", source=p.entry / r.filename)
            for p in items for r in p.renditions]
