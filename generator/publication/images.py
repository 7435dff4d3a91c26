"""Photos for the PDF and the EPUB: decoded once, resized to print size, re-encoded by Pillow.

Re-encoding also drops camera metadata (EXIF with GPS positions, serial numbers) that a
downloadable book must not carry, and turns any format Pillow reads into JPEG or PNG,
which every EPUB reading system shows.
"""

from __future__ import annotations

import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import PurePosixPath

from PIL import Image, ImageOps, UnidentifiedImageError

from generator.core.editions import Book
from generator.publication.book import PublicationError

MAX_SIDE = 1400  # pixels: 200 dpi across the 170 mm text block of an A4 page
JPEG_QUALITY = 85


@dataclass(frozen=True)
class BookImage:
    name: str  # path inside the book, e.g. "images/nguyen-van-an/1.jpg"
    data: bytes
    media_type: str


def prepare_photos(book: Book) -> dict[tuple[str, str], BookImage]:
    """Every declared photo of the book's profiles, keyed by (slug, file as written).

    Pillow releases the GIL while it decodes, resizes and encodes, so threads use every core.
    """
    jobs = {(p.slug, photo.file): (p.bundle_dir / photo.file, f"images/{p.slug}/{index}", p.source_path.as_posix())
            for p in (entry.profile for entry in book.entries) for index, photo in enumerate(p.photos, start=1)}
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        prepared = pool.map(lambda job: prepare_image(*job), jobs.values())
        return dict(zip(jobs, prepared))


def prepare_image(path, stem: str, owner: str) -> BookImage:
    try:
        with Image.open(path) as image:
            ratio = min(1.0, MAX_SIDE / max(image.size))
            image.draft("RGB", (round(image.width * ratio), round(image.height * ratio)))  # JPEG: decode smaller
            upright = ImageOps.exif_transpose(image)  # phone photos carry their rotation in EXIF
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
            converted = upright.convert("RGBA" if has_alpha else "RGB")
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise PublicationError(f"{owner}: không đọc được ảnh “{PurePosixPath(path).name}” để đưa vào ấn phẩm "
                               f"({error}).") from error
    buffer = io.BytesIO()
    if has_alpha:
        converted.save(buffer, "PNG", optimize=False)
        return BookImage(f"{stem}.png", buffer.getvalue(), "image/png")
    converted.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return BookImage(f"{stem}.jpg", buffer.getvalue(), "image/jpeg")
