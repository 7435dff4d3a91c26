"""The EPUB 3 of an edition, assembled by EbookLib and made byte-for-byte reproducible.

EbookLib writes the package (OPF, navigation document, NCX) and turns our HTML fragments
into XHTML. It stamps every zip entry with the current time, so the archive is rewritten
with the edition's fixed moment (SOURCE_DATE_EPOCH when set); ids are stable, and the
mimetype entry stays first and uncompressed.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from importlib import resources
from typing import Any

from ebooklib import epub

from generator.core.catalog import Catalog
from generator.core.editions import Book
from generator.publication.book import BookView, PublicationError, environment, stamp
from generator.publication.cover import cover_image
from generator.publication.fonts import BookFont
from generator.publication.images import BookImage

CSS_NAME = "style/book.css"
COVER_NAME = "images/bia.jpg"


def render_epub(book: Book, catalog: Catalog, fonts: tuple[BookFont, ...],
                images: dict[tuple[str, str], BookImage], licence: tuple[str, str] = ("", "")) -> bytes:
    """``licence``: the reuse licence in words and its address, for the imprint page."""
    moment = stamp(book.edition.fixed_date)
    files = _anchor_files(book)
    view = BookView(book, catalog, base=1, image_url=lambda p, file: images[(p.slug, file)].name,
                    href=lambda anchor: f"{files.get(anchor, '')}#{anchor}", licence=licence[0],
                    licence_url=licence[1])
    try:
        package = _package(view, fonts, images, moment)
        buffer = io.BytesIO()
        epub.write_epub(buffer, package, {"mtime": moment.astimezone(dt.UTC).replace(tzinfo=None),
                                          "epub2_guide": False, "epub3_landmark": False})
        return normalized_zip(buffer.getvalue(), moment)
    except Exception as error:  # EbookLib and lxml raise many kinds
        raise PublicationError(f"Không tạo được bản EPUB của ấn phẩm “{book.edition.code}”: {error}") from error


def _anchor_files(book: Book) -> dict[str, str]:
    files = {"loi-noi-dau": "loi-noi-dau.xhtml", "muc-luc-title": "muc-luc.xhtml",
             "bang-tra-ten": "bang-tra.xhtml", "bang-tra-dia-phuong": "bang-tra.xhtml"}
    for chapter in book.chapters:
        name = f"{chapter.anchor}.xhtml"
        files[chapter.anchor] = name
        files.update({section.anchor: name for section in chapter.sections})
        files.update({entry.anchor: name for entry in chapter.entries})
    return files


def _package(view: BookView, fonts: tuple[BookFont, ...], images: dict[tuple[str, str], BookImage],
             moment: dt.datetime) -> epub.EpubBook:
    edition = view.book.edition
    package = epub.EpubBook()
    package.set_identifier(f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'dienhinh:an-pham:{edition.code}')}")
    package.set_title(edition.title)
    package.set_language("vi")
    package.add_author(edition.publisher or view.catalog.registries.province_name or "dienhinh")
    package.add_metadata("DC", "date", moment.date().isoformat())
    if edition.publisher:
        package.add_metadata("DC", "publisher", edition.publisher)
    css = epub.EpubItem(uid="css", file_name=CSS_NAME, media_type="text/css", content=_css(fonts))
    package.add_item(css)
    for font in fonts:
        package.add_item(epub.EpubItem(uid=f"font-{font.weight}-{font.style}", file_name=f"fonts/{font.file_name}",
                                       media_type="font/ttf", content=font.data))
    for index, image in enumerate(sorted(images.values(), key=lambda i: i.name), start=1):
        package.add_item(epub.EpubImage(uid=f"image-{index}", file_name=image.name, media_type=image.media_type,
                                        content=image.data))
    parts: Any = environment().get_template("publication_parts.j2").module  # the template's macros
    package.set_cover(COVER_NAME, cover_image(view.book, images), create_page=False)  # what a library shelf shows
    docs = [_doc("cover", "Bìa", parts.cover(view), css),
            _doc("thong-tin-xuat-ban", "Thông tin xuất bản", parts.imprint(view), css),
            _doc("loi-noi-dau", "Lời nói đầu", parts.foreword(view), css),
            _doc("muc-luc", "Mục lục", parts.contents(view), css)]
    docs += [_doc(c.anchor, f"Chương {c.number}. {c.movement.name}", parts.chapter(view, c), css)
             for c in view.book.chapters]
    docs.append(_doc("bang-tra", "Bảng tra", parts.names_index(view) + parts.places_index(view), css))
    for doc in docs:
        package.add_item(doc)
    package.toc = _toc(view)
    package.add_item(epub.EpubNcx())
    package.add_item(epub.EpubNav(uid="nav", file_name="nav.xhtml"))
    package.spine = docs
    return package


def _doc(name: str, title: str, body: str, css: epub.EpubItem) -> epub.EpubHtml:
    doc = epub.EpubHtml(uid=name, title=title, file_name=f"{name}.xhtml", lang="vi")
    doc.content = str(body)
    doc.add_item(css)
    return doc


def _toc(view: BookView) -> list:
    toc: list = [epub.Link("loi-noi-dau.xhtml", "Lời nói đầu", "toc-loi-noi-dau"),
                 epub.Link("muc-luc.xhtml", "Mục lục", "toc-muc-luc")]
    for c in view.book.chapters:
        links = [epub.Link(view.href(s.anchor), s.district.name, f"toc-{s.anchor}") for s in c.sections]
        toc.append((epub.Section(f"Chương {c.number}. {c.movement.name}", href=view.href(c.anchor)), links))
    toc += [epub.Link(view.href("bang-tra-ten"), "Bảng tra tên", "toc-bang-tra-ten"),
            epub.Link(view.href("bang-tra-dia-phuong"), "Bảng tra địa phương", "toc-bang-tra-dia-phuong")]
    return toc


def _css(fonts: tuple[BookFont, ...]) -> bytes:
    env = environment()
    faces = env.get_template("publication_fonts.css.j2").render(
        fonts=[(f.weight, f.style, f"../fonts/{f.file_name}") for f in fonts])
    base = (resources.files("generator") / "templates" / "publication_epub.css").read_text(encoding="utf-8")
    return (faces + base).encode("utf-8")


def normalized_zip(data: bytes, moment: dt.datetime) -> bytes:
    """The same archive with every entry stamped ``moment``, in the same order and compression."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            fixed.compress_type = info.compress_type
            fixed.create_system = 3  # Unix, whatever the building machine
            fixed.external_attr = 0o100644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
