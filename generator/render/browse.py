"""Facets of the published profiles (movement, district, commune, kind, stage, year), the profiles
in Vietnamese name order, and the pages of the browse section ("Tra cứu").

Filter values are codes and ids from the registries, never page text, so the search filters,
the browse pages and the counts beside them all agree. Pure: catalogue in, plain data out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from generator.core.catalog import Catalog, subject_sort_key
from generator.core.labels import KIND_LABELS, STAGE_LABELS
from generator.core.model import KINDS, STAGES, Profile
from generator.core.urls import emblem_path
from generator.photos.planning import NO_PHOTOS, PhotoSet
from generator.render.search import COLUMN, COLUMNS_DIR, LOCALITY, MOVEMENT, URL_PREFIX

BROWSE_DIR = "tra-cuu"
PAGE_SIZE = 50
# (key, label): the key is the Pagefind filter name, the URL parameter and the key in ho-so.json.
FACETS = (("phong-trao", "Phong trào"), ("huyen", "Huyện, thị xã, thành phố"), ("xa", "Xã, phường, thị trấn"),
          ("loai", "Loại"), ("giai-doan", "Giai đoạn"), ("nam", "Năm"))
PAGE_KIND_LABELS = {LOCALITY: "Trang địa phương", MOVEMENT: "Trang phong trào", COLUMN: "Chuyên mục"}


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    group: str = ""  # the district (id) of a commune: an <optgroup>


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    options: tuple[Option, ...]


def profile_facets(catalog: Catalog, p: Profile) -> dict[str, str]:
    """The facet values of one profile; a profile filed under a district has no commune, and a
    commune of the city (from 2025-07-01) no district: the city is not one."""
    above = catalog.profile_district(p)
    return {"phong-trao": p.movement, "huyen": above.id if above.is_district else "",
            "xa": "" if p.locality == above.id else p.locality,
            "loai": p.subject.kind, "giai-doan": p.stage, "nam": str(p.year)}


def facets(catalog: Catalog, page_counts: dict[str, int] | None = None) -> tuple[Facet, ...]:
    """Every facet with the values that occur and how many profiles have each, in registry order.

    ``page_counts`` adds kinds of page other than profiles (localities, movements, columns) to
    the "loai" facet, for the search page, where those pages are results too.
    """
    counts: dict[str, dict[str, int]] = {key: {} for key, _ in FACETS}
    for p in catalog.profiles:
        for key, value in profile_facets(catalog, p).items():
            if value:
                counts[key][value] = counts[key].get(value, 0) + 1
    loc = catalog.localities
    ordered = {
        "phong-trao": [(code, m.label, "") for code, m in catalog.movements.items()],
        "huyen": sorted(((i, loc[i].name, "") for i in counts["huyen"]), key=lambda o: loc[o[0]].order),
        "xa": sorted(((i, loc[i].name, catalog.district_of(i).id) for i in counts["xa"]),
                     key=lambda o: (catalog.district_of(o[0]).order, loc[o[0]].order)),
        "loai": [(k, KIND_LABELS[k], "") for k in KINDS],
        "giai-doan": [(s, STAGE_LABELS[s], "") for s in STAGES],
        "nam": sorted(((y, y, "") for y in counts["nam"]), reverse=True),
    }
    result = []
    for key, label in FACETS:
        options = [Option(v, text, counts[key][v], group) for v, text, group in ordered[key] if counts[key].get(v)]
        if key == "loai" and page_counts:
            options += [Option(k, PAGE_KIND_LABELS[k], n) for k, n in page_counts.items() if n]
        result.append(Facet(key, label, tuple(options)))
    return tuple(result)


def name_order(catalog: Catalog) -> tuple[Profile, ...]:
    """Every published profile in the roster order of names (people by given name), then slug."""
    return tuple(sorted(catalog.profiles, key=lambda p: (subject_sort_key(p, catalog.registries.roster), p.slug)))


# --- pages of the browse section ------------------------------------------------------------------


@dataclass(frozen=True)
class ListingHeading:
    """What each page of a browse list shows of the whole list (its own rows aside): the page is
    kept between builds by this, not by every profile of the list."""

    folder: str
    title: str
    lead: str
    description: str
    count: int  # profiles in the whole list

    def page_path(self, number: int) -> str:
        return f"{self.folder}/index.md" if number == 1 else f"{self.folder}/trang-{number}/index.md"

    @property
    def page_count(self) -> int:
        return max(1, -(-self.count // PAGE_SIZE))


@dataclass(frozen=True)
class Listing:
    """One browse list: all profiles, or those of one kind, stage, year or column."""

    folder: str  # docs path of its first page, without index.md: "tra-cuu/nam/2024"
    group: str  # the facet it belongs to ("Năm"), "" for the list of all profiles
    label: str  # its value in that facet ("2024")
    title: str
    lead: str
    profiles: tuple[Profile, ...]
    description: str = ""  # a column's own description, shown and indexed for search

    @cached_property
    def heading(self) -> ListingHeading:
        return ListingHeading(self.folder, self.title, self.lead, self.description, len(self.profiles))

    def page_path(self, number: int) -> str:
        return self.heading.page_path(number)

    @property
    def page_count(self) -> int:
        return self.heading.page_count

    def page(self, number: int) -> tuple[Profile, ...]:
        return self.profiles[(number - 1) * PAGE_SIZE: number * PAGE_SIZE]

    def first_number(self, page: int) -> int:
        """The rank of the first profile on ``page``, as the list numbers it."""
        return (page - 1) * PAGE_SIZE + 1


def listings(catalog: Catalog) -> tuple[Listing, ...]:
    ordered = name_order(catalog)
    result = [Listing(BROWSE_DIR, "", "", "Tra cứu điển hình tiên tiến", "Tất cả điển hình tiên tiến", ordered)]
    for kind in KINDS:
        result.append(Listing(f"{BROWSE_DIR}/loai/{kind}", "Loại", KIND_LABELS[kind], f"Tra cứu: {KIND_LABELS[kind]}",
                              f"Điển hình là {KIND_LABELS[kind].lower()}",
                              tuple(p for p in ordered if p.subject.kind == kind)))
    for stage in STAGES:
        result.append(Listing(f"{BROWSE_DIR}/giai-doan/{stage}", "Giai đoạn", STAGE_LABELS[stage],
                              f"Tra cứu: {STAGE_LABELS[stage]}", f"Điển hình ở giai đoạn “{STAGE_LABELS[stage]}”",
                              tuple(p for p in ordered if p.stage == stage)))
    for year in sorted({p.year for p in ordered}, reverse=True):
        result.append(Listing(f"{BROWSE_DIR}/nam/{year}", "Năm", str(year), f"Tra cứu: năm {year}",
                              f"Điển hình giới thiệu năm {year}", tuple(p for p in ordered if p.year == year)))
    for column in catalog.registries.columns:
        result.append(Listing(f"{COLUMNS_DIR}/{column.code}", "Chuyên mục", column.name, f"Chuyên mục “{column.name}”",
                              f"Điển hình đăng trong chuyên mục “{column.name}”",
                              tuple(p for p in ordered if any(s.column == column.code for s in p.columns)),
                              column.description or column.name))
    return tuple(result)


def pager(current: int, last: int, around: int = 2) -> list[int | None]:
    """Page numbers to link: the first, the last, and ``around`` either side; None for a gap."""
    shown = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    result: list[int | None] = []
    for number in shown:
        if result and number - (result[-1] or 0) > 1:
            result.append(None)
        result.append(number)
    return result


def browse_data(catalog: Catalog, facet_list: Sequence[Facet], photos: PhotoSet = NO_PHOTOS) -> dict:
    """What the browse page's script filters: every profile in name order, facets as row numbers.

    ``{"facets": {key: [[value, label, group], ...]}, "rows": [[slug, name, f1, f2, ..., photo]],
    "looks": {movement: [colour, emblem file]}}``, one number per facet in ``FACETS`` order (-1
    where the profile has no value, e.g. no commune); ``photo``: the first photo's smallest
    rendition, as [its path from the profile page without the extension, width, height, [format,
    ...]], or 0 (the card then shows its movement's colour and emblem).
    """
    index = {f.key: {o.value: i for i, o in enumerate(f.options)} for f in facet_list}
    rows = []
    for p in name_order(catalog):
        values = profile_facets(catalog, p)
        rows.append([p.slug, p.subject.name, *(index[key].get(values[key], -1) for key, _ in FACETS),
                     _thumbnail(photos, p)])
    return {"v": 2, "prefix": URL_PREFIX["ca-nhan"], "page_size": PAGE_SIZE, "keys": [key for key, _ in FACETS],
            "facets": {f.key: [[o.value, o.label, o.group] for o in f.options] for f in facet_list},
            "looks": {m.code: [m.colour, emblem_path(m.emblem)] for m in catalog.movements.values()},
            "rows": rows}


def _thumbnail(photos: PhotoSet, profile: Profile) -> list | int:
    published = photos.published(profile.slug)
    if not published:
        return 0
    smallest = min(published[0].renditions, key=lambda r: r.width)
    formats = [r.format for r in published[0].renditions if r.width == smallest.width]
    return [published[0].page_url(smallest).rsplit(".", 1)[0], smallest.width, smallest.height, formats]
