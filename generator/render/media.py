"""The media section of the site: columns (archive, column and issue pages), the propagation
calendar, and the publications (web edition, PDF, EPUB). A column's feeds are the press feeds
(``render_press``); its page links to them when they exist.

``render_media`` is one section renderer composed by ``site.render_site``. A public build
leaves scheduled column items out entirely; a preview (``mkdocs serve``) shows them marked
and skips the PDF and EPUB, which take seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache as cache_result
from functools import partial
from urllib.parse import urlsplit

from generator.core.catalog import Catalog
from generator.core.columns import (
    COLUMNS_DIR,
    ColumnItem,
    column_items,
    column_page_path,
    issue_page_path,
    issues,
    months,
)
from generator.core.editions import Book, build_book
from generator.core.labels import vn_date
from generator.core.media_model import KEY_DATE_KIND_LABELS, MediaRegistries
from generator.core.model import Column
from generator.core.options import VIETNAM_TZ
from generator.core.propagation import (
    CALENDAR_PAGE,
    CalendarDay,
    CalendarYear,
    EventView,
    build_calendar,
    event_view,
)
from generator.core.urls import file_url
from generator.infra.output import GeneratedAsset, GeneratedPage, SiteOutput
from generator.infra.output_cache import OutputCache
from generator.press.feed_formats import feed_links
from generator.press.ics import calendar_file_name, calendar_ics
from generator.press.site import column_feed_dir
from generator.publication.book import BookView, file_size_label
from generator.publication.epub import render_epub
from generator.publication.fonts import BookFont, book_fonts
from generator.publication.images import prepare_photos
from generator.publication.inputs import book_files_key
from generator.publication.pdf import render_pdf
from generator.render.context import SiteContext
from generator.render.metadata import absolute
from generator.render.options import RenderOptions
from generator.render.pages import SiteRenderer

PUBLICATIONS_DIR = "an-pham"


@dataclass(frozen=True)
class Download:
    label: str  # "PDF", "EPUB"
    path: str  # docs-relative
    size: str


def edition_page_path(code: str) -> str:
    return f"{PUBLICATIONS_DIR}/{code}/index.md"


def render_media(ctx: SiteContext) -> SiteOutput:
    """Columns, the propagation calendar and the publications."""
    catalog, media, options = ctx.catalog, ctx.media, ctx.options
    renderer = SiteRenderer.of(ctx)
    every_item = column_items(catalog, include_scheduled=True)
    shown = {code: tuple(it for it in items if options.preview or not it.scheduled)
             for code, items in every_item.items()}
    has_feeds = bool(options.site_url)  # render_press writes the column feeds only with a site_url
    pages = column_pages(renderer, shown, has_feeds)
    calendar, calendar_files = calendar_page(renderer, media, [it for items in every_item.values() for it in items],
                                             options)
    more_pages, assets = publication_pages(renderer, media, options, ctx.editions)
    return SiteOutput((*pages, calendar, *more_pages), tuple(calendar_files + assets))


# --- columns ---------------------------------------------------------------------------------

def column_pages(renderer: SiteRenderer, shown: dict[str, tuple[ColumnItem, ...]],
                 has_feeds: bool) -> list[GeneratedPage]:
    """The archive, each column's page (linking to its press feeds if ``has_feeds``) and issues."""
    columns = renderer.catalog.registries.columns
    outlets = {o.code: o.name for o in renderer.catalog.registries.outlets}
    names = partial(_outlet_names, outlets)
    pages = [renderer.page(f"{COLUMNS_DIR}/index.md", "media_columns.md.j2",
                           {"title": "Chuyên mục", "description": "Chuyên mục tuyên truyền điển hình tiên tiến "
                                                                  "trên báo, đài, cổng thông tin điện tử"},
                           columns=[(c, shown[c.code]) for c in columns], outlet_names=names,
                           column_page_path=column_page_path)]
    for column in columns:
        path = column_page_path(column.code)
        column_issues = issues(shown[column.code])
        pages.append(renderer.page(path, "media_column.md.j2",
                                   {"title": column.name, "description": column.description or column.name},
                                   column=column, months=months(column_issues), outlet_names=names,
                                   issue_page_path=issue_page_path,
                                   feeds=feed_links(path, column.name, column_feed_dir(column.code))
                                   if has_feeds else None))
        pages += [renderer.page(issue_page_path(column.code, issue.date), "media_issue.md.j2",
                                {"title": f"{column.name}, số ngày {vn_date(issue.date)}",
                                 "description": f"Các bài đăng chuyên mục “{column.name}” ngày {vn_date(issue.date)}"},
                                column=column, issue=issue, outlet_names=names, column_page_path=column_page_path)
                  for issue in column_issues]
    return pages


def _outlet_names(outlets: dict[str, str], column: Column) -> list[str]:
    return [outlets.get(code, code) for code in column.outlets]


# --- calendar --------------------------------------------------------------------------------

@dataclass(frozen=True)
class CalendarMonth:
    """A month of the calendar page: folded, but for the month a reader most likely wants."""

    year: int
    number: int
    days: tuple[CalendarDay, ...]
    events: tuple[EventView, ...]
    open: bool = False

    @property
    def anchor(self) -> str:
        return f"thang-{self.number:02d}-{self.year}"


def calendar_months(years: tuple[CalendarYear, ...], views: dict[int, list[EventView]],
                    today: dt.date) -> dict[int, tuple[CalendarMonth, ...]]:
    """Each year's months that hold a key date or an event (``views``: each year's events); the
    first of them from this month on is the one shown open."""
    months = {}
    for year in years:
        numbers = sorted({d.date.month for d in year.days} | {v.event.date.month for v in views[year.year]})
        months[year.year] = [CalendarMonth(year.year, n, tuple(d for d in year.days if d.date.month == n),
                                           tuple(v for v in views[year.year] if v.event.date.month == n))
                             for n in numbers]
    upcoming = sorted((m.year, m.number) for ms in months.values() for m in ms
                      if (m.year, m.number) >= (today.year, today.month))
    shown = upcoming[0] if upcoming else None
    return {year: tuple(replace(m, open=(m.year, m.number) == shown) for m in ms) for year, ms in months.items()}


def calendar_page(renderer: SiteRenderer, media: MediaRegistries, items: list[ColumnItem],
                  options: RenderOptions) -> tuple[GeneratedPage, list[GeneratedAsset]]:
    """The calendar page, folded by month, and an .ics file per year for calendar apps."""
    catalog = renderer.catalog
    years = build_calendar(media, items, catalog.today, include_scheduled=options.preview)
    views = {year.year: [event_view(e, catalog) for e in year.events] for year in years}
    months = calendar_months(years, views, catalog.today)
    folder = CALENDAR_PAGE.rsplit("/", 1)[0]
    host = urlsplit(options.site_url).hostname or "localhost"
    stamp = dt.datetime.combine(catalog.today, dt.time(), VIETNAM_TZ).astimezone(dt.UTC)
    assets = [GeneratedAsset(f"{folder}/{calendar_file_name(year.year)}", content=calendar_ics(
        year, views[year.year], options.site_name, host, absolute(options, folder + "/"), stamp)) for year in years]
    page = renderer.page(CALENDAR_PAGE, "media_calendar.md.j2",
                         {"title": "Lịch tuyên truyền", "description": "Ngày lễ lớn, sự kiện lịch sử, ngày truyền "
                                                                       "thống và hoạt động tuyên truyền điển hình"},
                         years=years, months=months,
                         opened=next((m for ms in months.values() for m in ms if m.open), None),
                         show_flags=options.preview or options.internal,
                         ics_url=lambda year: file_url(CALENDAR_PAGE, f"{folder}/{calendar_file_name(year)}"),
                         KEY_DATE_KIND_LABELS=KEY_DATE_KIND_LABELS)
    return page, assets


# --- publications ----------------------------------------------------------------------------

def publication_pages(renderer: SiteRenderer, media: MediaRegistries, options: RenderOptions,
                      cache: OutputCache | None = None) -> tuple[list[GeneratedPage], list[GeneratedAsset]]:
    """Each edition's web page, with its photos; the PDF and EPUB too, except in a preview.
    ``cache``: PDF and EPUB files kept by earlier builds, by what they are made from."""
    catalog = renderer.catalog
    books = [build_book(edition, catalog) for edition in media.editions]
    fonts = cache_result(book_fonts)  # merged only if a book is rendered
    pages, assets, listed, photos = [], [], [], {}
    for book in books:
        images = prepare_photos(book)
        photos.update({image.name: image for image in images.values()})
        files = _book_files(book, catalog, fonts, images, (options.licence, options.licence_url), cache) \
            if not options.preview and book.entries else []
        downloads = [Download(label, path, file_size_label(len(data))) for label, path, data in files]
        assets += [GeneratedAsset(path, content=data) for _, path, data in files]
        pages.append(edition_page(renderer, book, images, downloads))
        listed.append((book, downloads))
    assets += [GeneratedAsset(f"{PUBLICATIONS_DIR}/{name}", content=image.data)
               for name, image in sorted(photos.items())]
    index = f"{PUBLICATIONS_DIR}/index.md"
    pages.append(
        renderer.page(
            index,
            "media_editions.md.j2",
            {"title": "Ấn phẩm", "description": "Ấn phẩm điện tử Điển hình tiên tiến"},
            books=listed,
            edition_page_path=edition_page_path,
            asset_url=partial(file_url, index),
        )
    )
    return pages, assets


def _book_files(book: Book, catalog: Catalog, fonts: Callable[[], tuple[BookFont, ...]], images,
                licence: tuple[str, str], cache: OutputCache | None) -> list[tuple[str, str, bytes]]:
    """The PDF and the EPUB, each from ``cache`` if it keeps them for what the book is made from."""
    folder = f"{PUBLICATIONS_DIR}/{book.edition.code}"
    key = book_files_key(book, catalog, images, licence) if cache else ""
    files = []
    for label, render in (("PDF", render_pdf), ("EPUB", render_epub)):
        data = cache.read(f"{key}.{label}") if cache else None
        if data is None:
            data = render(book, catalog, fonts(), images, licence)
            if cache:
                cache.put(f"{key}.{label}", data)
        files.append((label, f"{folder}/{book.edition.code}.{label.lower()}", data))
    return files


def edition_page(renderer: SiteRenderer, book: Book, images: dict, downloads: list[Download]) -> GeneratedPage:
    """The web edition: photos are the book's own stripped copies under an-pham/images/."""
    path = edition_page_path(book.edition.code)
    view = BookView(
        book,
        renderer.catalog,
        base=2,
        image_url=lambda p, file: file_url(path, f"{PUBLICATIONS_DIR}/{images[(p.slug, file)].name}"),
    )
    return renderer.page(
        path,
        "publication_web.md.j2",
        {"title": book.edition.title, "description": book.edition.subtitle or book.edition.title},
        view=view,
        downloads=downloads,
        asset_url=partial(file_url, path),
    )
