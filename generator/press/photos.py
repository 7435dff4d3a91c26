"""The photos press outputs use: the photo pipeline's published JPEGs, never the originals.

Originals may carry EXIF and GPS data and are never published; the pipeline's derivatives are
stripped and carry our credit. A kit holds the largest JPEG of each photo, a feed or an embed a
smaller one. ``photos`` is the pipeline's ``PhotoSet`` (``photos.py``); when the pipeline has
not run (no PhotoSet, or no cache), the press outputs simply carry no photo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from generator.core.labels import credited
from generator.core.model import Profile
from generator.core.urls import PROFILES_DIR
from generator.press.site import PressSite

JPEG = "image/jpeg"


class PublishedPhotos(Protocol):  # photos.PhotoSet; read, never built, here
    def published(self, slug: str) -> tuple[Any, ...]: ...  # photos.PublishedPhoto


@dataclass(frozen=True)
class KitPhoto:
    name: str  # inside the kit, e.g. "anh/01-ruong-que-1600.jpg"
    source: Path  # the processed file, stripped of camera metadata
    url: str  # absolute, on the public site
    width: int
    height: int
    alt: str
    caption: str = ""
    credit: str = ""
    type: str = JPEG

    @property
    def credited_caption(self) -> str:
        """The caption with the photographer, as the kit's HTML and Markdown print it."""
        return credited(self.caption, self.credit)

    @property
    def description(self) -> str:
        """One line for the kit's plain text: the caption, or the description when there is none."""
        return credited(self.caption or self.alt, self.credit)


@dataclass(frozen=True)
class PressImage:
    url: str  # absolute
    width: int
    height: int
    alt: str
    type: str = JPEG
    size: int = 0  # bytes: what a feed's enclosure states


def _published(profile: Profile, photos: PublishedPhotos | None) -> tuple[Any, ...]:
    return photos.published(profile.slug) if photos is not None else ()


def _jpegs(published) -> list:
    return sorted((r for r in published.renditions if r.format == "jpg"), key=lambda r: r.width)


def _url(site: PressSite, profile: Profile, published, rendition) -> str:
    return site.absolute(f"{PROFILES_DIR}/{profile.slug}/{published.page_url(rendition)}")


def kit_photos(profile: Profile, site: PressSite, photos: PublishedPhotos | None) -> tuple[KitPhoto, ...]:
    """Each published photo at the source's own resolution (``PublishedPhoto.original``), in the
    profile's order."""
    result = []
    for number, published in enumerate(_published(profile, photos), start=1):
        largest = published.original()
        photo = published.photo
        result.append(KitPhoto(name=f"anh/{number:02d}-{published.stem}-{largest.width}.jpg",
                               source=published.entry / largest.filename, url=_url(site, profile, published, largest),
                               width=largest.width, height=largest.height, alt=photo.alt, caption=photo.caption,
                               credit=photo.credit))
    return tuple(result)


def lead_image(profile: Profile, site: PressSite, photos: PublishedPhotos | None, width: int) -> PressImage | None:
    """The first photo, in the JPEG closest to ``width`` pixels: what a feed or an embed shows."""
    published = _published(profile, photos)
    if not published:
        return None
    rendition = min(_jpegs(published[0]), key=lambda r: (abs(r.width - width), r.width))
    return PressImage(_url(site, profile, published[0], rendition), rendition.width, rendition.height,
                      published[0].photo.alt, size=(published[0].entry / rendition.filename).stat().st_size)
