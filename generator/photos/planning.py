"""Photo planning, pure: which derived files a source photo gets, their names and cache keys.

Nothing here opens an image. ``imaging`` does the Pillow work, ``photo_cache`` keeps the
results, ``render_photos`` publishes them; the profile template reads ``PhotoView``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from generator.core.model import Photo
from generator.core.slugs import make_slug

PIPELINE_VERSION = 2  # bump when the output of the same source would change
WIDTHS = (480, 960, 1600)  # responsive widths; never wider than the source
# A source wider than the largest width also keeps its own size, as a JPEG for the press kit
# (newspapers print): published, never in a page's srcset, so no phone downloads it.
FORMATS = ("webp", "jpg")  # JPEG last: the fallback <img src> and the file that carries the credit
JPEG_QUALITY = 82
WEBP_QUALITY = 80
WEBP_METHOD = 2  # libwebp effort 0-6: 2 is twice as fast as the default 4 for ~3% larger files
SIZES = "(min-width: 76.25em) 760px, 100vw"  # Material's content column at most ~760 px wide
CARD_SIZES = "(min-width: 45em) 10rem, 7.5rem"  # a list's thumbnail (dienhinh.css .dh-card__media)
PHOTO_DIR = "anh"  # derived photos live in ho-so/<slug>/anh/
CARD_NAME = "the-chia-se.jpg"  # the share card beside each profile page (and the site's at the root)
CARD_SIZE = (1200, 630)  # Open Graph's recommended 1.91:1
SUPPORTED_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff")
MAX_PHOTO_BYTES = 40 * 1024 * 1024


@dataclass(frozen=True)
class Credits:
    """What travels inside every published file (XMP), so a reused photo keeps its credit."""

    alt: str
    caption: str
    credit: str
    licence: str
    licence_url: str


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    format: str  # one of FORMATS

    @property
    def filename(self) -> str:
        return f"{self.width}.{self.format}"


@dataclass(frozen=True)
class PublishedPhoto:
    """One profile photo that made it through processing: its cached files and published names."""

    photo: Photo
    stem: str  # unique in its profile: ho-so/<slug>/anh/<stem>-<width>.<format>
    entry: Path  # cache folder holding the renditions
    renditions: tuple[Rendition, ...]

    def page_url(self, rendition: Rendition) -> str:
        """URL relative to the profile page (ho-so/<slug>/)."""
        return f"{PHOTO_DIR}/{self.stem}-{rendition.width}.{rendition.format}"

    def largest(self, fmt: str = "jpg") -> Rendition:
        """The largest rendition pages show."""
        return max((r for r in self.renditions if r.format == fmt and r.width <= WIDTHS[-1]), key=lambda r: r.width)

    def original(self) -> Rendition:
        """The photo at the source's own size (or the largest page size, if the source is no wider):
        what the press kit hands out."""
        return max((r for r in self.renditions if r.format == "jpg"), key=lambda r: r.width)


@dataclass(frozen=True)
class PhotoView:
    """Everything ``_photo.j2`` needs for one <picture>; URLs relative to the profile page."""

    src: str
    srcsets: Mapping[str, str]  # format -> "anh/x-480.webp 480w, ..."
    sizes: str
    width: int
    height: int
    alt: str
    caption: str
    credit: str


@dataclass(frozen=True)
class Card:
    path: str  # docs-relative published path
    source: Path  # the cached file


@dataclass(frozen=True)
class PhotoSet:
    """The gathered result of photo processing, read by every renderer that shows a photo."""

    by_profile: Mapping[str, tuple[PublishedPhoto, ...]] = field(default_factory=lambda: MappingProxyType({}))
    cards: Mapping[str, Card] = field(default_factory=lambda: MappingProxyType({}))  # slug, "" for the site

    def published(self, slug: str) -> tuple[PublishedPhoto, ...]:
        return self.by_profile.get(slug, ())

    def views(self, slug: str) -> tuple[PhotoView, ...]:
        return tuple(photo_view(p) for p in self.published(slug))

    def first_view(self, slug: str, base: str, sizes: str) -> PhotoView | None:
        """A profile's first photo as another page shows it (a list's card, the home page's lead):
        ``base`` leads from that page to the profile's; the browser picks a rendition by ``sizes``."""
        published = self.published(slug)
        return photo_view(published[0], base, sizes) if published else None

    def card(self, slug: str) -> Card | None:
        return self.cards.get(slug)

    def cache_entries(self) -> tuple[Path, ...]:
        """The cache folders and files this set was made from (photo_cache.prune_cache keeps them)."""
        return tuple({p.entry for items in self.by_profile.values() for p in items}) + tuple(
            card.source for card in self.cards.values())


NO_PHOTOS = PhotoSet()  # a bare render (tests, goldens): no photo processed


def rendition_widths(source_width: int) -> tuple[int, ...]:
    """The standard widths, never upscaled: a narrower source keeps its own width as the largest
    (and drops a standard width within 15% of it, which would be the same picture again)."""
    if source_width >= WIDTHS[-1]:
        return WIDTHS
    return tuple(w for w in WIDTHS if w < source_width * 0.85) + (source_width,)


def plan_renditions(size: tuple[int, int]) -> tuple[Rendition, ...]:
    """Every output for an (upright) source of ``size``, largest first, formats interleaved."""
    width, height = size
    result = [Rendition(width, height, "jpg")] if width > WIDTHS[-1] else []
    for w in sorted(rendition_widths(width), reverse=True):
        h = max(1, round(height * w / width))
        result += [Rendition(w, h, fmt) for fmt in FORMATS]
    return tuple(result)


def job_key(source_digest: str, credits: Credits) -> str:
    """Cache key: the source bytes, the pipeline and the embedded texts (a new caption re-encodes)."""
    settings = (PIPELINE_VERSION, WIDTHS, FORMATS, JPEG_QUALITY, WEBP_QUALITY, WEBP_METHOD)
    text = json.dumps([source_digest, settings, asdict(credits)], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def output_stems(photos: tuple[Photo, ...]) -> tuple[str, ...]:
    """URL-safe, unique names for a profile's photos: "Ảnh ruộng 1.JPG" -> "anh-ruong-1"."""
    stems: list[str] = []
    for photo in photos:
        base = make_slug(PurePosixPath(photo.file.replace("\\", "/")).stem) or "anh"
        stem, n = base, 2
        while stem in stems:
            stem, n = f"{base}-{n}", n + 1
        stems.append(stem)
    return tuple(stems)


def photo_view(published: PublishedPhoto, base: str = "", sizes: str = SIZES) -> PhotoView:
    """``base``: from the page that shows it to the profile page ("" on the profile page)."""
    srcsets = {fmt: ", ".join(f"{base}{published.page_url(r)} {r.width}w"
                              for r in sorted(published.renditions, key=lambda r: r.width)
                              if r.format == fmt and r.width <= WIDTHS[-1])
               for fmt in FORMATS}
    fallback = published.largest("jpg")
    middle = min((r for r in published.renditions if r.format == "jpg"), key=lambda r: abs(r.width - 960))
    photo = published.photo
    return PhotoView(src=base + published.page_url(middle), srcsets=MappingProxyType(srcsets), sizes=sizes,
                     width=fallback.width, height=fallback.height, alt=photo.alt, caption=photo.caption,
                     credit=photo.credit)
