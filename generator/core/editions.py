"""Which profiles an edition holds, and in what order: the structure of the publication.

Pure functions over the catalogue. The book is one chapter per movement (registry order),
inside it the district and commune (registry order), then names in Vietnamese roster order:
exactly the catalogue's canonical order, so the book never disagrees with the site.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from generator.core.catalog import Catalog, group_by_place, sort_words, subject_sort_key
from generator.core.collation import sort_key
from generator.core.media_model import Edition, Selection
from generator.core.model import Locality, Movement, Profile


@dataclass(frozen=True)
class Entry:
    profile: Profile
    number: int  # 1-based, in book order

    @property
    def anchor(self) -> str:
        return f"dh-{self.profile.slug}"


@dataclass(frozen=True)
class Group:
    """The entries of one commune, or of the district itself (``commune`` None)."""

    commune: Locality | None
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Section:
    district: Locality
    groups: tuple[Group, ...]
    anchor: str


@dataclass(frozen=True)
class Chapter:
    number: int
    movement: Movement
    sections: tuple[Section, ...]

    @property
    def anchor(self) -> str:
        return f"chuong-{self.number}"

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for s in self.sections for g in s.groups for e in g.entries)


@dataclass(frozen=True)
class IndexTerm:
    label: str
    detail: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class IndexLetter:
    letter: str
    terms: tuple[IndexTerm, ...]


@dataclass(frozen=True)
class Book:
    edition: Edition
    chapters: tuple[Chapter, ...]
    names: tuple[IndexLetter, ...]
    places: tuple[IndexLetter, ...]

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for c in self.chapters for e in c.entries)


def matches_selection(selection: Selection, profile: Profile) -> bool:
    if profile.slug in selection.profiles:
        return True
    if not selection.has_criteria:
        return not selection.profiles  # an empty selection is every profile
    return ((not selection.years or profile.year in selection.years)
            and (not selection.stages or profile.stage in selection.stages)
            and (not selection.movements or profile.movement in selection.movements)
            and (not selection.award_levels or _has_award(selection, profile)))


def _has_award(selection: Selection, profile: Profile) -> bool:
    def in_period(year: int | None) -> bool:
        if selection.award_from is None and selection.award_to is None:
            return True
        return year is not None and (selection.award_from or year) <= year <= (selection.award_to or year)

    return any(a.level in selection.award_levels and in_period(a.year) for a in profile.awards)


def select_profiles(edition: Edition, catalog: Catalog) -> tuple[Profile, ...]:
    """The published profiles of ``edition``, in catalogue order."""
    return tuple(p for p in catalog.profiles if matches_selection(edition.selection, p))


def build_book(edition: Edition, catalog: Catalog) -> Book:
    profiles = select_profiles(edition, catalog)
    entries = [Entry(p, i) for i, p in enumerate(profiles, start=1)]
    chapters: list[Chapter] = []
    for movement in catalog.movements.values():
        chosen = [e for e in entries if e.profile.movement == movement.code]
        if chosen:
            number = len(chapters) + 1
            chapters.append(Chapter(number, movement, _sections(catalog, chosen, number)))
    return Book(edition, tuple(chapters), _names_index(catalog, entries), _places_index(catalog, entries))


def _sections(catalog: Catalog, entries: list[Entry], chapter: int) -> tuple[Section, ...]:
    return tuple(Section(district, tuple(Group(commune, tuple(es)) for commune, es in groups),
                         f"chuong-{chapter}-{district.id}")
                 for district, groups in group_by_place(catalog, entries, lambda e: e.profile))


def _names_index(catalog: Catalog, entries: list[Entry]) -> tuple[IndexLetter, ...]:
    rules = catalog.registries.roster
    ordered = sorted(entries, key=lambda e: (subject_sort_key(e.profile, rules), e.number))
    terms = [IndexTerm(e.profile.subject.name, "", (e,)) for e in ordered]
    return _by_letter(terms, lambda t: sort_words(t.entries[0].profile, rules)[0])


def _places_index(catalog: Catalog, entries: list[Entry]) -> tuple[IndexLetter, ...]:
    """Every commune and district named in the book; a district lists its communes' entries too."""
    places: dict[str, list[Entry]] = {}
    for e in entries:
        places.setdefault(e.profile.locality, []).append(e)
        district = catalog.profile_district(e.profile)
        if district.id != e.profile.locality:
            places.setdefault(district.id, []).append(e)
    locs = sorted((catalog.localities[i] for i in places), key=lambda loc: (sort_key(loc.short_name),
                                                                             sort_key(loc.name), loc.id))
    terms = [IndexTerm(loc.short_name, catalog.place_label(loc.id), tuple(places[loc.id])) for loc in locs]
    return _by_letter(terms, lambda t: t.label)



def _by_letter(terms: list[IndexTerm], text_of) -> tuple[IndexLetter, ...]:
    letters: dict[str, list[IndexTerm]] = {}
    for term in terms:
        letters.setdefault(initial(text_of(term)), []).append(term)
    return tuple(IndexLetter(letter, tuple(ts)) for letter, ts in letters.items())


def initial(text: str) -> str:
    """The index letter of ``text``: "Ánh" -> "A", "Ông" -> "Ô", "Đức" -> "Đ" (tones dropped)."""
    first = unicodedata.normalize("NFD", text.strip()[:1] or "#")
    kept = first[0] + "".join(m for m in first[1:] if m in "\u0306\u0302\u031b")
    return unicodedata.normalize("NFC", kept).upper()
