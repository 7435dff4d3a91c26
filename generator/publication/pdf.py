"""The PDF of an edition, laid out by WeasyPrint: A4, embedded Be Vietnam Pro (real text that
copies out with its diacritics), bookmarks, page numbers in the table of contents and indexes.

WeasyPrint fetches nothing here: photos are the prepared images, served by ``_fetcher``;
fonts are data URLs; any other URL (an editor's link to a remote image) is refused and
left out of the PDF.
"""

from __future__ import annotations

import base64

from markupsafe import Markup

from generator.core.catalog import Catalog
from generator.core.editions import Book
from generator.publication.book import BookView, PublicationError, environment, print_css, stamp
from generator.publication.fonts import BookFont
from generator.publication.images import BookImage

BASE_URL = "file:///dienhinh-an-pham/"  # a namespace for the prepared images, never read from disk


def render_pdf(book: Book, catalog: Catalog, fonts: tuple[BookFont, ...],
               images: dict[tuple[str, str], BookImage], licence: tuple[str, str] = ("", "")) -> bytes:
    """``licence``: the reuse licence in words and its address, for the imprint page."""
    from weasyprint import HTML  # imported here: only a build that makes PDFs pays for it

    view = BookView(book, catalog, base=1, image_url=lambda p, file: images[(p.slug, file)].name,
                    page_numbers=True, licence=licence[0], licence_url=licence[1])
    by_url = {BASE_URL + image.name: image for image in images.values()}
    try:
        document = HTML(string=pdf_html(view, fonts), base_url=BASE_URL, url_fetcher=_fetcher(by_url))
        return document.write_pdf()
    except Exception as error:  # WeasyPrint, Pango, Pillow: anything that stops the layout
        raise PublicationError(f"Không tạo được bản PDF của ấn phẩm “{book.edition.code}”: {error}") from error


def pdf_html(view: BookView, fonts: tuple[BookFont, ...]) -> str:
    env = environment()
    faces = [(f.weight, f.style, "data:font/ttf;base64," + base64.b64encode(f.data).decode("ascii")) for f in fonts]
    font_css = env.get_template("publication_fonts.css.j2").render(fonts=faces)
    return env.get_template("publication_pdf.html.j2").render(
        view=view, font_css=Markup(font_css), print_css=Markup(print_css()),
        stamp=stamp(view.book.edition.fixed_date).isoformat())


def _fetcher(images: dict[str, BookImage]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class BookFetcher(URLFetcher):
        """Prepared images and data URLs; everything else refused."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            image = images.get(url)
            if image is None:
                raise ValueError(f"URL không được phép trong ấn phẩm: {url}")
            return URLFetcherResponse(url, image.data, {"Content-Type": image.media_type})

    return BookFetcher(allowed_protocols=("data", "file"))
