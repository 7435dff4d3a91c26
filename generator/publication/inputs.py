"""What an edition's PDF and EPUB are made from, digested into the key of their cache entry.

Rendering a book (WeasyPrint lays out every page) is the longest step of a build that has
editions, and its files change only when one of these does: the book itself (its edition, the
profiles it selects in their order, its indexes), the facts each entry prints as the registries
name them today, the prepared photos, the licence, the date stamped into the files, the fonts
and the code and library versions (``code_fingerprint``).
"""

from __future__ import annotations

import os

from generator.core.catalog import Catalog
from generator.core.editions import Book
from generator.core.facts import FactsLayout, profile_facts
from generator.infra.output_cache import code_fingerprint, digest_bytes, digest_parts, folder_digest
from generator.infra.records import key_bytes
from generator.publication.fonts import default_fonts_dir
from generator.publication.images import BookImage


def book_files_key(book: Book, catalog: Catalog, images: dict[tuple[str, str], BookImage],
                   licence: tuple[str, str]) -> str:
    facts = tuple(profile_facts(entry.profile, catalog, FactsLayout.BOOK) for entry in book.entries)
    photos = [f"{slug}\0{file}\0{image.name}\0{image.media_type}\0{digest_bytes(image.data)}"
              for (slug, file), image in sorted(images.items())]
    return digest_parts([code_fingerprint(), key_bytes(book), key_bytes(facts),
                         catalog.registries.province_name or "", key_bytes(licence),
                         os.environ.get("SOURCE_DATE_EPOCH", ""), folder_digest(default_fonts_dir()), *photos])
