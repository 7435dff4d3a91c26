"""What the three outputs of a publication share: the stories as sanitised HTML, the fonts,
the print stylesheet and one Jinja environment for the book's templates.

Editors write Markdown; here it becomes HTML with Python-Markdown, is cleaned by the same
allow-list as the profile pages, and has its headings moved below the entry's heading.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from importlib.resources import files

import markdown
from jinja2 import Environment
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from generator.check.sanitize import sanitize_profile_html
from generator.core.catalog import Catalog
from generator.core.editions import Book, Entry
from generator.core.facts import Fact, FactsLayout, profile_facts
from generator.core.model import Photo, Profile
from generator.core.options import VIETNAM_TZ
from generator.core.slugs import heading_slug
from generator.infra.templates import new_environment
from generator.load.schema import BODY_MARKDOWN_EXTENSIONS

ImageResolver = Callable[[Profile, str], "str | None"]  # (profile, src as written) -> URL, or None to drop


class PublicationError(Exception):
    """A publication output could not be produced; the message is for the editor, in Vietnamese."""


class _ImageSources(Treeprocessor):
    """Point relative image sources at where the output keeps the bundle's files."""

    def __init__(self, md, resolve: Callable[[str], str | None]):
        super().__init__(md)
        self.resolve = resolve

    def run(self, root):
        for parent in list(root.iter()):
            for img in [child for child in parent if child.tag == "img"]:
                src = img.get("src", "")
                if "://" in src or src.startswith(("/", "data:", "#")):
                    continue
                target = self.resolve(src)
                if target is None:
                    parent.remove(img)
                else:
                    img.set("src", target)


class _ImageSourcesExtension(Extension):
    def __init__(self, resolve: Callable[[str], str | None]):
        super().__init__()
        self.resolve = resolve

    def extendMarkdown(self, md):
        md.treeprocessors.register(_ImageSources(md, self.resolve), "dienhinh_images", 5)


def markdown_html(text: str, heading_level: int, id_prefix: str,
                  resolve_image: Callable[[str], str | None] = lambda src: None) -> Markup:
    """Editor's Markdown as clean HTML whose "##" headings become ``heading_level + 1``."""
    toc = TocExtension(baselevel=heading_level, slugify=lambda value, sep: f"{id_prefix}-{heading_slug(value, sep)}")
    html = markdown.markdown(text, extensions=[*BODY_MARKDOWN_EXTENSIONS, toc, _ImageSourcesExtension(resolve_image)])
    return Markup(sanitize_profile_html(html))


def story_html(profile: Profile, heading_level: int, resolve_image: ImageResolver) -> Markup:
    return markdown_html(profile.body, heading_level, f"dh-{profile.slug}", partial(resolve_image, profile))


def bundle_image(profile: Profile, src: str) -> str | None:
    """``src`` if it names one of the profile's declared photos (the files the site copies), else None."""
    return src if src in {photo.file for photo in profile.photos} else None


@dataclass(frozen=True)
class BookView:
    """One output's way of showing a book: heading levels, links, image URLs, page numbers."""

    book: Book
    catalog: Catalog
    base: int  # heading level of a chapter title
    image_url: Callable[[Profile, str], str]  # (profile, declared photo file) -> URL in this output
    href: Callable[[str], str] = lambda anchor: f"#{anchor}"
    page_numbers: bool = False  # PDF: references show page numbers (CSS target-counter)
    licence: str = ""  # the reuse licence in words and its address, on the imprint page
    licence_url: str = ""

    def image(self, profile: Profile, src: str) -> str | None:
        found = bundle_image(profile, src)
        return self.image_url(profile, found) if found else None

    def photo(self, entry: Entry) -> tuple[Photo, str] | None:
        photos = entry.profile.photos
        return (photos[0], self.image_url(entry.profile, photos[0].file)) if photos else None

    def story(self, entry: Entry, level: int) -> Markup:
        return story_html(entry.profile, level, self.image)

    def foreword(self) -> Markup:
        return markdown_html(self.book.edition.foreword, self.base, "loi-noi-dau")

    def facts(self, profile: Profile) -> tuple[Fact, ...]:
        return profile_facts(profile, self.catalog, FactsLayout.BOOK)


def stamp(fixed: dt.date) -> dt.datetime:
    """The moment written into the files: SOURCE_DATE_EPOCH if set, else the edition's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime(fixed.year, fixed.month, fixed.day, tzinfo=VIETNAM_TZ)


def print_css() -> str:
    return files("generator").joinpath("templates/publication_print.css").read_text(encoding="utf-8")


@cache
def environment() -> Environment:
    """The book's templates, one environment per process."""
    return new_environment()


def file_size_label(size: int) -> str:
    """Vietnamese size with a decimal comma: "850 KB", "1,2 MB"."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
