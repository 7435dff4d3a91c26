"""The search page ("Tìm kiếm"), its entity index, and the browse section ("Tra cứu").

``render_search`` is one section renderer composed by ``site.render_site``. The full-text index
is Pagefind's, built over the finished HTML by ``pagefind_index.index_site``; this module writes
what Pagefind lacks: the index of names (``tim-kiem/entities.json`` and its shards) and the
browse pages, which work without JavaScript and are enhanced from ``tra-cuu/ho-so.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from generator.core.catalog import Catalog
from generator.core.urls import file_url, locality_page_path, movement_page_path, relative_url
from generator.infra.output import GeneratedAsset, GeneratedPage, SiteOutput
from generator.render.browse import BROWSE_DIR, Facet, Listing, browse_data, facets, listings, pager
from generator.render.context import SiteContext
from generator.render.pagefind import ENGINE_JS, PARTS_FILE
from generator.render.pages import SiteRenderer
from generator.render.search import COLUMN, LOCALITY, MOVEMENT, catalog_entities, encode_index

SEARCH_PAGE = "tim-kiem/index.md"
ENTITIES = "tim-kiem/entities.json"
SHARDS_DIR = "tim-kiem/ten"
BROWSE_PAGE = f"{BROWSE_DIR}/index.md"
BROWSE_DATA = f"{BROWSE_DIR}/ho-so.json"


@dataclass(frozen=True)
class FacetLink:
    label: str
    page: str  # docs path of the page the link leads to
    count: int
    current: bool = False


@dataclass(frozen=True)
class FacetLinks:
    label: str
    links: tuple[FacetLink, ...]

    @property
    def open(self) -> bool:
        return any(link.current for link in self.links)


def render_search(ctx: SiteContext) -> SiteOutput:
    """The search and browse pages and their data files; the same in a preview, since the
    catalogue already is."""
    catalog = ctx.catalog
    renderer = SiteRenderer.of(ctx)
    places = renderer.localities_with_pages()
    page_counts = {LOCALITY: len(places), MOVEMENT: len(catalog.movements), COLUMN: len(catalog.registries.columns)}
    manifest, shards = encode_index(catalog_entities(catalog, places))
    profile_facets = facets(catalog)
    pages = [search_page(renderer, facets(catalog, page_counts))]
    all_listings = listings(catalog)
    for listing in all_listings:
        pages += browse_pages(renderer, listing, all_listings, profile_facets)
    assets = [GeneratedAsset(ENTITIES, content=to_json(manifest)),
              *(GeneratedAsset(f"{SHARDS_DIR}/{key}.json", content=to_json(rows)) for key, rows in shards.items()),
              GeneratedAsset(BROWSE_DATA, content=to_json(browse_data(catalog, profile_facets, ctx.photos)))]
    return SiteOutput(tuple(pages), tuple(assets))


def to_json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def search_page(renderer: SiteRenderer, facet_list: tuple[Facet, ...]) -> GeneratedPage:
    return renderer.page(SEARCH_PAGE, "search_page.md.j2",
                         {"title": "Tìm kiếm", "description": "Tìm điển hình tiên tiến theo tên người, tập thể, "
                                                               "địa phương, phong trào và nội dung"},
                         facets=facet_list, browse_page=BROWSE_PAGE, root_url=relative_url(SEARCH_PAGE, "index.md"),
                         pagefind_url=file_url(SEARCH_PAGE, ENGINE_JS), parts_url=file_url(SEARCH_PAGE, PARTS_FILE),
                         entities_url=file_url(SEARCH_PAGE, ENTITIES))


def browse_pages(renderer: SiteRenderer, listing: Listing, all_listings: tuple[Listing, ...],
                 facet_list: tuple[Facet, ...]) -> list[GeneratedPage]:
    pages = []
    for number in range(1, listing.page_count + 1):
        path = listing.page_path(number)
        title = listing.title if number == 1 else f"{listing.title} (trang {number})"
        profiles = listing.page(number)
        pages.append(
            renderer.kept_page(
                path,
                "search_browse.md.j2",
                {"title": title, "description": listing.lead},
                profiles,
                listing=listing.heading,
                number=number,
                profiles=profiles,
                pages=pager(number, listing.page_count),
                first=listing.first_number(number),
                facets=facet_list if path == BROWSE_PAGE else (),
                facet_links=facet_links(renderer.catalog, all_listings, listing),
                search_page=SEARCH_PAGE,
                data_url=file_url(path, BROWSE_DATA),
                root_url=relative_url(path, "index.md"),
            )
        )
    return pages


def facet_links(catalog: Catalog, all_listings: tuple[Listing, ...], current: Listing) -> tuple[FacetLinks, ...]:
    """The filters that work without JavaScript: the browse lists by kind, stage, year and column,
    and the movement and district pages, which already list their profiles."""
    groups: dict[str, list[FacetLink]] = {}
    for listing in all_listings:
        if listing.group and listing.profiles:
            groups.setdefault(listing.group, []).append(
                FacetLink(listing.label, listing.page_path(1), len(listing.profiles), listing is current)
            )
    groups["Phong trào"] = [
        FacetLink(m.label, movement_page_path(code), len(catalog.by_movement[code]))
        for code, m in catalog.movements.items()
        if code in catalog.by_movement
    ]
    groups["Huyện, thị xã, thành phố"] = [
        FacetLink(d.name, locality_page_path(d.id), len(catalog.by_locality[d.id]))
        for d in catalog.localities.values()
        if d.is_district and d.id in catalog.by_locality
    ]
    return tuple(FacetLinks(label, tuple(links)) for label, links in groups.items())
