"""The EPUB's cover image: the edition's title, subtitle and publisher on the site's red, under
the first photo of the book, in Be Vietnam Pro (the share cards' fonts and wrapping).

Reading apps and shops show this image on their shelves; the book's own first page stays the
text cover (``publication_parts.j2``). Drawn the same from the same book, so EPUBs stay
reproducible.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageOps

from generator.core.editions import Book
from generator.photos.share_card import BOLD, RED, REGULAR, WHITE, fit, font
from generator.publication.images import BookImage

SIZE = (1600, 2400)  # 2:3, the shape reading apps expect
PHOTO_HEIGHT = 1300
MARGIN = 110
JPEG_QUALITY = 85


def cover_image(book: Book, images: dict[tuple[str, str], BookImage]) -> bytes:
    canvas = Image.new("RGB", SIZE, RED)
    photo = next(((entry.profile.slug, entry.profile.photos[0].file) for entry in book.entries
                  if entry.profile.photos and (entry.profile.slug, entry.profile.photos[0].file) in images), None)
    top = MARGIN
    if photo:
        with Image.open(io.BytesIO(images[photo].data)) as image:
            canvas.paste(ImageOps.fit(image.convert("RGB"), (SIZE[0], PHOTO_HEIGHT)), (0, 0))
        top = PHOTO_HEIGHT + 80
    draw = ImageDraw.Draw(canvas)
    width = SIZE[0] - 2 * MARGIN
    edition = book.edition
    y = top
    for text, path, size, smallest, height, gap in (
            ("ẤN PHẨM ĐIỆN TỬ", REGULAR, 44, 36, 70, 40),
            (edition.title, BOLD, 96, 52, 430 if photo else 900, 40),
            (edition.subtitle, REGULAR, 46, 32, 220, 0)):
        if not text:
            continue
        lines, fitted = fit(text, path, size, smallest, (width, height))
        draw.multiline_text((MARGIN, y), lines, font=font(path, fitted), fill=WHITE, spacing=round(fitted * 0.22))
        y = int(draw.multiline_textbbox((MARGIN, y), lines, font=font(path, fitted),
                                        spacing=round(fitted * 0.22))[3]) + gap
    foot = ", ".join(part for part in (edition.publisher, edition.place, str(edition.year)) if part)
    lines, fitted = fit(foot, REGULAR, 40, 30, (width, 120))
    draw.multiline_text((MARGIN, SIZE[1] - MARGIN - 120), lines, font=font(REGULAR, fitted), fill=WHITE,
                        spacing=round(fitted * 0.22))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()
