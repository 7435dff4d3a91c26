"""Share cards (Open Graph images, 1200x630): photo, name, locality, movement and site name.

Drawn with Pillow in Be Vietnam Pro, the site's font, from the static TTFs in ``fonts/`` (the
theme's woff2 files are split by Unicode range, so no single one has every Vietnamese letter).
Long names wrap and shrink to fit; ``card_layout`` is pure, so tests can redraw any line.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from bisect import bisect_right
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import cast

from PIL import Image, ImageDraw, ImageFont, ImageOps, ImageText

from generator.photos.planning import CARD_SIZE as SIZE

CARD_VERSION = 1
PHOTO_WIDTH = 560
MARGIN = 56
FONTS = Path(__file__).parents[1] / "fonts"
REGULAR = FONTS / "BeVietnamPro-Regular.ttf"
BOLD = FONTS / "BeVietnamPro-Bold.ttf"
RED, INK, MUTED, WHITE = "#b71c1c", "#1a1a1a", "#555555", "#ffffff"
WORDMARK = "ĐIỂN HÌNH\nTIÊN TIẾN"  # on the red panel of a card without a photo


@dataclass(frozen=True)
class CardText:
    title: str  # the exemplar's name, or the site's name on the site card
    details: tuple[str, ...] = ()  # locality, movement
    kicker: str = ""  # the site's name above the title
    credit: str = ""  # "Ảnh: ..." under the details when the card shows a photo


@dataclass(frozen=True)
class Block:
    """One run of (possibly wrapped) text, drawn with its top-left at (x, y)."""

    x: int
    y: int
    text: str  # lines joined by "\n"
    font: Path
    size: int
    fill: str
    spacing: int


def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def fit(text: str, path: Path, size: int, min_size: int, box: tuple[int, int]) -> tuple[str, int]:
    """Wrap ``text`` into ``box`` (width, height), shrinking down to ``min_size``; "…" if it still overflows."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))[:MAX_DRAWN_CHARS]
    wrapped = ImageText.Text(text, font(path, size), spacing=_spacing(size))
    try:
        wrapped.wrap(box[0], box[1], scaling=("shrink", min_size))
    except ValueError:  # too long even at min_size, or a word wider than a line: keep what fits
        face = font(path, min_size)
        wrapped = ImageText.Text(_breakable(text, face, box[0]), face, spacing=_spacing(min_size))
        if wrapped.wrap(box[0], box[1]) is not None:
            wrapped.text = _with_ellipsis(wrapped.text, face, box[0])
    return wrapped.text, int(cast(ImageFont.FreeTypeFont, wrapped.font).size)


# More than the largest box of a card holds at its smallest size (about 340 letters): a longer
# text is cut before Pillow measures it, so any length draws in the same time.
MAX_DRAWN_CHARS = 600


def _breakable(text: str, face: ImageFont.FreeTypeFont, width: int) -> str:
    """``text`` with each word wider than a line cut into pieces that fit: Pillow wraps only at
    spaces, and refuses a word it cannot place."""
    words = []
    for word in text.split(" "):
        while face.getlength(word) > width:
            fits = max(1, bisect_right(range(1, len(word) + 1), float(width),
                                        key=lambda n: face.getlength(word[:n])))
            words.append(word[:fits])
            word = word[fits:]
        words.append(word)
    return " ".join(words)


def _with_ellipsis(lines: str, face: ImageFont.FreeTypeFont, width: int) -> str:
    """The wrapped lines with "…" closing the last, shortened until it fits the line."""
    *head, last = lines.split("\n")
    last = last.rstrip(" ,.;:")
    while last and face.getlength(last + "…") > width:
        last = last[:-1].rstrip(" ,.;:")
    return "\n".join([*head, last + "…"])


def _spacing(size: int) -> int:
    return round(size * 0.22)


def _height(block: Block) -> int:
    return int(ImageText.Text(block.text, font(block.font, block.size), spacing=block.spacing).get_bbox()[3])


def card_layout(text: CardText, with_photo: bool) -> tuple[Block, ...]:
    """Where each text goes: kicker, title, details, credit, stacked top to bottom in the panel."""
    left = PHOTO_WIDTH + MARGIN
    width, bottom = SIZE[0] - left - MARGIN, SIZE[1] - MARGIN
    blocks: list[Block] = []
    y = MARGIN
    if text.kicker:
        lines, size = fit(text.kicker, REGULAR, 24, 20, (width, 70))
        blocks.append(Block(left, y, lines, REGULAR, size, RED, _spacing(size)))
        y += _height(blocks[-1]) + 64  # room for the accent bar
    lines, size = fit(text.title, BOLD, 60, 32, (width, 250))
    blocks.append(Block(left, y, lines, BOLD, size, INK, _spacing(size)))
    y += _height(blocks[-1]) + 28
    for detail, start, fill in zip(text.details, (30, 26, 26), (INK, MUTED, MUTED)):
        if detail:
            lines, size = fit(detail, REGULAR, start, 20, (width, max(40, min(90, bottom - y - 40))))
            blocks.append(Block(left, y, lines, REGULAR, size, fill, _spacing(size)))
            y += _height(blocks[-1]) + 18
    if text.credit and with_photo:
        lines, size = fit(f"Ảnh: {text.credit}", REGULAR, 18, 14, (width, 30))
        blocks.append(Block(left, bottom - 24, lines, REGULAR, size, MUTED, _spacing(size)))
    return tuple(blocks)


def render_card(text: CardText, photo: Path | None) -> Image.Image:
    card = Image.new("RGB", SIZE, WHITE)
    draw = ImageDraw.Draw(card)
    if photo is not None:
        with Image.open(photo) as source:
            card.paste(ImageOps.fit(source.convert("RGB"), (PHOTO_WIDTH, SIZE[1]), centering=(0.5, 0.4)))
    else:
        draw.rectangle((0, 0, PHOTO_WIDTH - 1, SIZE[1]), fill=RED)
        mark = ImageText.Text(WORDMARK, font(BOLD, 64), spacing=18)
        draw.text((PHOTO_WIDTH // 2, SIZE[1] // 2), mark, fill=WHITE, anchor="mm", align="center")
    blocks = card_layout(text, photo is not None)
    for block in blocks:
        draw.text((block.x, block.y), ImageText.Text(block.text, font(block.font, block.size),
                                                     spacing=block.spacing), fill=block.fill)
    if text.kicker:
        kicker = blocks[0]
        top = kicker.y + _height(kicker) + 26
        draw.rectangle((kicker.x, top, kicker.x + 72, top + 6), fill=RED)
    return card


def missing_glyphs(path: Path, text: str) -> set[str]:
    """Letters of ``text`` the font has no glyph for (drawn as its "missing" box, .notdef).

    Basic layout maps each character straight through the font's cmap; text shaping would
    instead decompose a missing "ể" into "e" and marks and hide the gap.
    """
    face = ImageFont.truetype(str(path), 40, layout_engine=ImageFont.Layout.BASIC)
    notdef = _glyph(face, "\U0010fffd")  # a private-use code point no font maps
    return {ch for ch in set(unicodedata.normalize("NFC", text)) if not ch.isspace() and _glyph(face, ch) == notdef}


def _glyph(face: ImageFont.FreeTypeFont, ch: str) -> bytes:
    image = Image.new("L", (80, 80))
    ImageDraw.Draw(image).text((10, 10), ch, font=face, fill=255)
    return image.tobytes()


def fonts_digest() -> str:
    """Part of every card's cache key: new font files draw new cards."""
    return hashlib.sha256(REGULAR.read_bytes() + BOLD.read_bytes()).hexdigest()


def card_key(text: CardText, photo_key: str | None, fonts: str) -> str:
    data = json.dumps([CARD_VERSION, fonts, asdict(text), photo_key], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()
