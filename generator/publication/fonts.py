"""Be Vietnam Pro for the PDF and the EPUB, one complete font per style.

The theme ships the web subsets (latin, latin-ext, vietnamese) split by unicode-range. A
PDF engine given the three files of one family under one name mixes up their glyph ids
(WeasyPrint 70 embeds them as one font, so "Trần" copies out as "Tỹần"); fontTools merges
them into one font whose text copies out correctly.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from fontTools.merge import Merger
from fontTools.ttLib import TTFont

from generator.publication.book import PublicationError

STYLES = ((400, "normal"), (400, "italic"), (700, "normal"))
SUBSETS = ("latin", "latin-ext", "vietnamese")
FAMILY_FILE = "be-vietnam-pro"


@dataclass(frozen=True)
class BookFont:
    weight: int
    style: str
    data: bytes  # TrueType

    @property
    def file_name(self) -> str:
        return f"{FAMILY_FILE}-{self.weight}-{self.style}.ttf"


def default_fonts_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "theme" / "assets" / "fonts"


def book_fonts(fonts_dir: Path | None = None) -> tuple[BookFont, ...]:
    folder = fonts_dir or default_fonts_dir()
    return tuple(BookFont(weight, style, _merge(folder, weight, style)) for weight, style in STYLES)


def _merge(folder: Path, weight: int, style: str) -> bytes:
    parts, created, modified = [], [], []
    for subset in SUBSETS:
        path = folder / f"{FAMILY_FILE}-{subset}-{weight}-{style}.woff2"
        if not path.is_file():
            raise PublicationError(f"Không tìm thấy phông chữ “{path}” để tạo ấn phẩm PDF, EPUB.")
        font = TTFont(path, recalcTimestamp=False)
        font.flavor = None  # WOFF2 -> plain TrueType, which the merger reads
        created.append(font["head"].created)
        modified.append(font["head"].modified)
        buffer = io.BytesIO()
        font.save(buffer)
        parts.append(io.BytesIO(buffer.getvalue()))
    try:
        merged = Merger().merge(parts)
    except Exception as error:  # fontTools raises many kinds; all mean "cannot merge"
        raise PublicationError(f"Không ghép được phông chữ Be Vietnam Pro ({weight} {style}): {error}") from error
    # The merger stamps "now" into head; the same fonts must give the same bytes.
    merged["head"].created, merged["head"].modified = min(created), max(modified)
    merged.recalcTimestamp = False
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()
