"""Helpers for the photo and metadata tests: phone-like JPEGs, odd images, and the photo wiring."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
GPS = {1: "N", 2: (15.0, 52.0, 43.2), 3: "E", 4: (108.0, 19.0, 57.6)}


def phone_jpeg(path: Path, size=(2400, 1600), orientation: int = 1, color=(70, 130, 60),
               marker: tuple[int, int, int] | None = None) -> Path:
    """A JPEG with what a phone leaves in it: make, model, GPS, a comment and an ICC profile.

    ``marker`` paints the top-left corner of the *upright* picture, then stores the pixels
    sideways when ``orientation`` is 6, as a phone held upright does.
    """
    from PIL import ImageCms

    image = Image.new("RGB", size, color)
    if marker:
        image.paste(marker, (0, 0, size[0] // 4, size[1] // 4))
    if orientation == 6:
        image = image.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "samsung", "Galaxy A54 5G", orientation
    exif[0x8769] = {0x9003: "2024:03:12 08:41:27", 0xA434: "back camera 5.4mm f/1.8"}
    exif[0x8825] = GPS
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=85, exif=exif, comment=b"Galaxy A54 5G", icc_profile=srgb)
    return path


def png_rgb48(path: Path, size: tuple[int, int], rgb16: tuple[int, int, int]) -> Path:
    """A 16-bit-per-channel RGB PNG (Pillow cannot write one), written chunk by chunk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\x00" + struct.pack(">HHH", *rgb16) * size[0]
    header = struct.pack(">IIBBBBB", size[0], size[1], 16, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * size[1]))
                     + chunk(b"IEND", b""))
    return path


@dataclass(frozen=True)
class TestOptions:
    """Stands in for site.RenderOptions, whatever fields the lead has wired in yet."""

    cache_dir: Path | None
    site_url: str = "https://example.test/"
    site_name: str = "Điển hình tiên tiến tỉnh Quảng Nam"
    licence: str = "Được phép sử dụng lại, ghi rõ nguồn (CC BY 4.0)."
    licence_url: str = "https://creativecommons.org/licenses/by/4.0/deed.vi"
    preview: bool = False
    internal: bool = False

    __test__ = False  # not a test class, despite the name


MKDOCS_YML = """\
site_name: Thử nghiệm
site_url: https://example.test/
docs_dir: content
site_dir: site
theme:
  name: material
  custom_dir: {theme}
  language: vi
  font: false
plugins:
  - dienhinh
extra:
  licence: "Thử nghiệm: được phép sử dụng lại, ghi rõ nguồn."
  licence_url: https://creativecommons.org/licenses/by/4.0/deed.vi
markdown_extensions:
  - toc:
      permalink: true
      slugify: !!python/name:generator.core.slugs.heading_slug
"""


def write_themed_mkdocs_yml(root: Path) -> Path:
    """The scratch project's mkdocs.yml, with our theme (theme/main.html) as custom_dir."""
    path = root / "mkdocs.yml"
    path.write_text(MKDOCS_YML.format(theme=REPO / "theme"), encoding="utf-8")
    return path
