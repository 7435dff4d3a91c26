"""The Pillow work on one photo: open safely, inspect, and write the stripped renditions.

Opening is limited to four formats and to ``MAX_PIXELS`` (Pillow's decompression-bomb guard,
set here explicitly). JPEGs are decoded at a reduced scale (libjpeg's DCT scaling, "draft")
just large enough for the largest output, turned upright from their EXIF orientation, converted
to sRGB RGB (CMYK, 16-bit, palette and alpha included), then resized from the largest output
down. Published files carry no EXIF, GPS, ICC or comment: only our XMP credit packet.
"""

from __future__ import annotations

import io
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from generator.photos import planning as plan

MAX_PIXELS = 80_000_000  # a 50-megapixel phone photo passes; a crafted 30000x30000 image does not
READ_FORMATS = ("JPEG", "PNG", "WEBP", "TIFF")
_ROTATED = (5, 6, 7, 8)  # EXIF orientations that swap width and height
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError,
                  Image.DecompressionBombWarning, ImageCms.PyCMSError)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class PhotoError(Exception):
    """A photo that cannot be published: ``message`` is Vietnamese, with ``{name}`` for the file."""

    def __init__(self, code: str, message: str):
        super().__init__(code, message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class SourceInfo:
    width: int  # upright, after the EXIF orientation
    height: int
    format: str


@contextmanager
def _strict_pillow():
    """Our limits for the duration of one call, whatever another library set process-wide.

    WeasyPrint (the publication's PDF) sets ``ImageFile.LOAD_TRUNCATED_IMAGES = True`` when
    imported, which would let a half-copied photo through with a grey lower half.
    """
    saved = Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES
    Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = MAX_PIXELS, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = saved


def open_image(path: Path) -> Image.Image:
    """Open (header only) with the format allow-list and the pixel limit; PhotoError otherwise."""
    try:
        with _strict_pillow():
            image = Image.open(path, formats=READ_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError("DH057", f"Ảnh “{{name}}” quá lớn (trên {MAX_PIXELS // 1_000_000} triệu điểm ảnh); "
                                  "hãy thu nhỏ ảnh trước khi đưa vào.") from None
    except UnidentifiedImageError:
        raise _unsupported_or_unreadable(path) from None
    except _DECODE_ERRORS:
        raise PhotoError("DH055", "Không đọc được ảnh “{name}”: tệp hỏng hoặc không phải ảnh.") from None
    return image


def _unsupported_or_unreadable(path: Path) -> PhotoError:
    """A real image of a format we do not take (HEIC, GIF, ...) or no image at all."""
    try:
        with Image.open(path) as other:
            found = other.format
    except Exception:
        found = None
    if found:
        return PhotoError("DH053", f"Ảnh “{{name}}” có định dạng {found}, không được hỗ trợ; "
                                   "hãy lưu lại dưới dạng JPEG hoặc PNG.")
    return PhotoError("DH055", "Không đọc được ảnh “{name}”: tệp hỏng hoặc không phải ảnh.")


def upright_size(image: Image.Image) -> tuple[int, int]:
    """Width and height as shown; reading a PNG's EXIF decodes it, so call inside ``_decoding``."""
    orientation = image.getexif().get(0x0112, 1)
    return (image.height, image.width) if orientation in _ROTATED else image.size


def inspect_photo(path: Path) -> SourceInfo:
    """Cheap full check: header, limits, and a 1/8-scale decode that reads every byte (truncation)."""
    with open_image(path) as image, _decoding():
        info = SourceInfo(*upright_size(image), image.format or "")
        if image.format == "JPEG":
            image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
        image.load()
    return info


@contextmanager
def _decoding():
    """Decode strictly, and turn Pillow's decoding failures into the editor's message."""
    try:
        with _strict_pillow():
            yield
    except _DECODE_ERRORS as error:
        if "truncated" in str(error) or isinstance(error, EOFError):
            raise PhotoError("DH056", "Ảnh “{name}” bị cắt cụt (tệp chép hoặc tải về chưa hết); "
                                      "hãy chép lại tệp gốc.") from None
        raise PhotoError("DH055", "Không đọc được ảnh “{name}”: tệp hỏng hoặc không phải ảnh.") from None


def decode_upright(image: Image.Image, target: tuple[int, int]) -> Image.Image:
    """Decoded at the smallest scale still covering ``target`` (upright), upright, sRGB RGB, no metadata."""
    if image.format == "JPEG":
        swapped = upright_size(image) != image.size
        image.draft("RGB", target[::-1] if swapped else target)
    image.load()
    result = to_srgb(ImageOps.exif_transpose(image))
    result.info.clear()  # resize() copies info; JPEG save would carry a comment over from it
    return result


def to_srgb(image: Image.Image) -> Image.Image:
    """RGB in sRGB: ICC-managed where the file has a profile, alpha flattened onto white."""
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        image = image.convert("I").point(lambda v: v * (1 / 257)).convert("L")  # 16-bit: scale, never clip
    elif image.mode == "F":
        image = image.convert("L")
    elif image.mode in ("P", "PA"):
        image = image.convert("RGBA" if "transparency" in image.info or image.mode == "PA" else "RGB")
    elif image.mode == "1":
        image = image.convert("L")
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            mode = "RGBA" if image.mode == "RGBA" else "RGB"
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode) or image
        except ImageCms.PyCMSError:
            pass  # a broken profile: fall back to the plain conversion below
    if image.mode in ("RGBA", "LA", "La", "RGBa"):
        background = Image.new("RGB", image.size, "white")
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def write_renditions(path: Path, folder: Path, xmp: bytes) -> tuple[SourceInfo, tuple[plan.Rendition, ...]]:
    """Every rendition of ``path`` into ``folder`` (named ``Rendition.filename``), largest first."""
    with open_image(path) as image, _decoding():
        size, fmt = upright_size(image), image.format
        renditions = plan.plan_renditions(size)
        current = decode_upright(image, (renditions[0].width, renditions[0].height))
    for rendition in renditions:
        if current.size != (rendition.width, rendition.height):
            # From the press kit's full size, halve first (as the JPEG decoder's draft mode did when
            # the largest output was the page's): LANCZOS over every source pixel doubles the time.
            factor = current.width // rendition.width
            if factor >= 2:
                current = current.reduce(factor)
            current = current.resize((rendition.width, rendition.height), Image.Resampling.LANCZOS,
                                     reducing_gap=3.0)
        save(current, folder / rendition.filename, rendition.format, xmp)
    return SourceInfo(*size, fmt or ""), renditions


def save(image: Image.Image, path: Path | BinaryIO, fmt: str, xmp: bytes) -> None:
    """Encode with nothing but our XMP: no EXIF, GPS, ICC profile or comment is passed on."""
    image.info.clear()
    if fmt == "jpg" and image.width > plan.WIDTHS[-1]:
        # The press kit's full size: downloaded once by a newsroom, never by a page, so the
        # encoder's extra passes (progressive, optimised Huffman tables) are not worth their time here.
        image.save(path, "JPEG", quality=plan.JPEG_QUALITY, xmp=xmp)
    elif fmt == "jpg":
        image.save(path, "JPEG", quality=plan.JPEG_QUALITY, optimize=True, progressive=True, xmp=xmp)
    elif fmt == "webp":
        image.save(path, "WEBP", quality=plan.WEBP_QUALITY, method=plan.WEBP_METHOD, xmp=xmp)
    else:
        raise ValueError(f"unknown output format {fmt!r}")
