"""One immutable catalogue of the published profiles, with every cross-index renderers need.

"First gather all data, so that it is consistent across pages": every renderer reads this
and nothing else, so two pages can never disagree about order, counts or membership.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import TypeVar

from generator.core.collation import roster_key, roster_words
from generator.core.model import (
    PERSONAL_KINDS,
    Agency,
    Locality,
    Movement,
    Profile,
    Registries,
    Replication,
    RosterRules,
    Subject,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Catalog:
    registries: Registries
    today: dt.date
    profiles: tuple[Profile, ...]  # published, in canonical order (movement, district, commune, name)
    by_movement: Mapping[str, tuple[Profile, ...]]
    by_locality: Mapping[str, tuple[Profile, ...]]  # a district's entry includes its communes' profiles
    came_from: Mapping[str, tuple[Locality, ...]]  # a unit that exists today -> former units it carries on
    replicated_into: Mapping[str, tuple[tuple[Profile, Replication], ...]]
    movements: Mapping[str, Movement]
    localities: Mapping[str, Locality]
    agencies: Mapping[str, Agency]
    # slug -> its index in by_movement[p.movement] and in by_locality[p.locality] (None when it is
    # listed under its unit of another day instead): related() looks a profile up here, not by
    # scanning a movement's thousands of profiles for each one
    positions: Mapping[str, tuple[int, int | None]]

    def unit(self, locality_id: str, on: dt.date | None = None) -> Locality:
        """The unit as it was on ``on`` (its dated changes applied); without a day, as it is now or
        was when it ended."""
        return unit_on(self.localities, locality_id, on)

    def district_of(self, locality_id: str, on: dt.date | None = None) -> Locality:
        return above_on(self.localities, locality_id, on)

    def place_label(self, locality_id: str, on: dt.date | None = None) -> str:
        """Where a model is, as a label that starts a line: "Xã Điện Phước, thị xã Điện Bàn" for a
        commune, the district's name for a district."""
        loc, district = self.unit(locality_id, on), self.district_of(locality_id, on)
        return loc.name if district.id == loc.id else f"{loc.name}, {district.name_in_phrase}"

    def place_in_phrase(self, locality_id: str, on: dt.date | None = None) -> str:
        """The same inside a sentence: "ở xã Điện Phước, thị xã Điện Bàn"."""
        loc, district = self.unit(locality_id, on), self.district_of(locality_id, on)
        return loc.name_in_phrase if district.id == loc.id else f"{loc.name_in_phrase}, {district.name_in_phrase}"

    # A model is placed as its unit was on the model's day (place_date): a 2024 model of Xã Quế
    # Trung is in huyện Nông Sơn, a 2025 one in thị trấn Trung Phước, huyện Quế Sơn.
    def profile_unit(self, profile: Profile) -> Locality:
        return self.unit(profile.locality, place_date(profile))

    def profile_district(self, profile: Profile) -> Locality:
        return self.district_of(profile.locality, place_date(profile))

    def profile_place(self, profile: Profile) -> str:
        return self.place_label(profile.locality, place_date(profile))

    def nominator_name(self, profile: Profile) -> str:
        """Who nominated the profile, by name (its code if the registry no longer has it)."""
        agency = self.agencies.get(profile.nominated_by)
        return agency.name if agency else profile.nominated_by

    def profile_place_in_phrase(self, profile: Profile) -> str:
        return self.place_in_phrase(profile.locality, place_date(profile))

    def successors_now(self, locality_id: str) -> tuple[Locality, ...]:
        """The units that carry on ``locality_id`` today ("nay là ..."); empty if it still exists."""
        return current_units(self.localities, locality_id, self.today)

    def former_profiles(self, locality_id: str) -> tuple[tuple[Locality, tuple[Profile, ...]], ...]:
        """("trước đây thuộc ...") each former unit this unit carries on, with its models: a former
        commune's, and a former district's own (Thành phố Tam Kỳ's, on each of its four wards); a
        district's communes' models are on their own successors' pages."""
        result = []
        for former in self.came_from.get(locality_id, ()):
            models = tuple(p for p in self.by_locality.get(former.id, ()) if p.locality == former.id)
            if models:
                result.append((former, models))
        return tuple(result)

    def related(self, profile: Profile, limit: int = 4) -> tuple[Profile, ...]:
        """Neighbours in the same movement, then in the same locality, without duplicates."""
        seen = {profile.slug}
        result = []
        positions = self.positions.get(profile.slug, (None, None))
        for group, index in ((self.by_movement.get(profile.movement, ()), positions[0]),
                             (self.by_locality.get(profile.locality, ()), positions[1])):
            for other in _neighbours(group, profile, index, limit):
                if other.slug not in seen:
                    seen.add(other.slug)
                    result.append(other)
        return tuple(result[: limit * 2])

    def newest(self, count: int) -> tuple[Profile, ...]:
        ordered = sorted(self.profiles, key=lambda p: (publication_date(p), p.slug), reverse=True)
        return tuple(ordered[:count])

    def localities_in_district(self, district_id: str) -> tuple[Locality, ...]:
        """Every commune that belonged to the district at some time (Nông Sơn's are in both)."""
        return tuple(loc for loc in self.localities.values() if not loc.is_district and _ever_under(loc, district_id))


def group_by_place(catalog: Catalog, items: Sequence[T], profile_of: Callable[[T], Profile]
                   ) -> list[tuple[Locality, list[tuple[Locality | None, list[T]]]]]:
    """[(district or city, [(commune, or None for the district itself, items)])], keeping the given
    order; each model under its units as they were on its day (a commune that changed type heads two
    groups, each with its own anchor)."""
    groups: dict[Locality, dict[Locality | None, list[T]]] = {}
    for item in items:
        p = profile_of(item)
        unit, above = catalog.profile_unit(p), catalog.profile_district(p)
        groups.setdefault(above, {}).setdefault(None if unit.id == above.id else unit, []).append(item)
    return [(district, list(communes.items())) for district, communes in groups.items()]


def stated_publication_date(profile: Profile) -> dt.date | None:
    """The day a profile names for its publication (publish_on, else nominated_on), if any."""
    return profile.publish_on or profile.nominated_on


def publication_date(profile: Profile) -> dt.date:
    """The day to sort and date it by: the stated day, else 1 January of its year."""
    return stated_publication_date(profile) or dt.date(profile.year, 1, 1)


def unit_on(localities: Mapping[str, Locality], locality_id: str, on: dt.date | None) -> Locality:
    loc = localities[locality_id]
    return loc.as_of(on) if on else loc.latest


def above_on(localities: Mapping[str, Locality], locality_id: str, on: dt.date | None) -> Locality:
    """The unit a commune belonged to on ``on``: its district, or from 2025-07-01 the city; a
    district or the city is its own."""
    loc = unit_on(localities, locality_id, on)
    if loc.parent and not loc.holds_communes:
        return unit_on(localities, loc.parent, on)
    return loc


def place_date(profile: Profile) -> dt.date:
    """The day on which a model's unit is read: the day it was put forward, else 1 January of its
    year (the changes of 2025-01-01 apply to every model of 2025)."""
    return profile.nominated_on or dt.date(profile.year, 1, 1)


def _ever_under(loc: Locality, parent_id: str) -> bool:
    return any(state.parent == parent_id for _, state in loc.states())


def sort_words(profile: Profile, rules: RosterRules) -> tuple[str, ...]:
    """What a roster compares, in order (collation.roster_words), or ``sort_name`` as the editor
    wrote it: a person's words in the order compared (given name first), a collective's as one."""
    return _subject_words(profile.subject, rules)


def _subject_words(subject: Subject, rules: RosterRules) -> tuple[str, ...]:
    if not subject.sort_name.strip():
        return roster_words(subject.name, subject.kind, rules)
    words = tuple(subject.sort_name.split())
    return words if subject.kind in PERSONAL_KINDS else (" ".join(words),)


def subject_sort_key(profile: Profile, rules: RosterRules) -> tuple:
    """Where ``profile`` goes on a roster: the one name order of every list, page, book and file."""
    return _subject_key(profile.subject, rules)


@lru_cache(maxsize=1 << 16)  # a key is asked for each time a list is sorted: the catalogue, browse, books
def _subject_key(subject: Subject, rules: RosterRules) -> tuple:
    return roster_key(_subject_words(subject, rules))


def current_units(localities: Mapping[str, Locality], locality_id: str, today: dt.date) -> tuple[Locality, ...]:
    """Follow successor links until units valid on ``today`` (a merged commune may be merged again).

    A former district is carried on by the units that cover its communes, not by the district it
    merged into: Nông Sơn is now Xã Nông Sơn and Xã Quế Phước, not all five units of Quế Sơn."""
    start = localities[locality_id]
    if start.is_district and not _exists_after(start, today):
        communes = [loc.id for loc in localities.values() if not loc.is_district and _ever_under(loc, start.id)]
        if communes:
            found = {u.id: u for c in communes for u in (current_units(localities, c, today) or (localities[c],))
                     if u.id != start.id}
            return tuple(sorted(found.values(), key=lambda loc: loc.order))
    result: list[Locality] = []
    pending, seen = [locality_id], set()
    while pending:
        loc = localities[pending.pop(0)]
        if loc.id in seen:
            continue
        seen.add(loc.id)
        if loc.valid_to is None or loc.valid_to >= today:
            if loc.id != locality_id:
                result.append(loc)
        else:
            pending.extend(s for s in loc.successors if s in localities)
    return tuple(sorted(result, key=lambda loc: loc.order))


def _exists_after(loc: Locality, today: dt.date) -> bool:
    return loc.valid_to is None or loc.valid_to >= today


def former_units(localities: Mapping[str, Locality], today: dt.date) -> dict[str, tuple[Locality, ...]]:
    """Unit existing today -> the former units it carries on (successor links followed backwards),
    districts first, then communes, in registry order."""
    result: dict[str, list[Locality]] = {}
    for loc in localities.values():
        if _exists_after(loc, today):
            continue
        for unit in current_units(localities, loc.id, today):
            result.setdefault(unit.id, []).append(loc)
    return {k: tuple(sorted(v, key=lambda loc: (not loc.is_district, loc.order))) for k, v in result.items()}


def site_order_key(registries: Registries) -> Callable[[Profile], tuple]:
    """The one canonical order of models, published or not: movement (registry order), district or
    city, then commune (as on the model's day, registry order), then name on the roster."""
    movements, localities = registries.movement_by_code(), registries.locality_by_id()

    def key(p: Profile) -> tuple:
        day = place_date(p)
        loc, above = unit_on(localities, p.locality, day), above_on(localities, p.locality, day)
        return (movements[p.movement].order, above.order, -1 if loc.id == above.id else loc.order,
                subject_sort_key(p, registries.roster), p.slug)

    return key


def build_catalog(registries: Registries, profiles: tuple[Profile, ...] | list[Profile], today: dt.date) -> Catalog:
    movements = registries.movement_by_code()
    localities = registries.locality_by_id()
    published = [p for p in profiles if p.is_published(today)]

    def home(p: Profile) -> tuple[Locality, Locality]:
        day = place_date(p)
        return unit_on(localities, p.locality, day), above_on(localities, p.locality, day)

    ordered = tuple(sorted(published, key=site_order_key(registries)))
    by_movement: dict[str, list[Profile]] = {}
    by_locality: dict[str, list[Profile]] = {}
    replicated: dict[str, list[tuple[Profile, Replication]]] = {}
    for p in ordered:
        by_movement.setdefault(p.movement, []).append(p)
        loc, above = home(p)
        by_locality.setdefault(loc.id, []).append(p)
        if above.id != loc.id:
            by_locality.setdefault(above.id, []).append(p)
        for rep in p.replicated_in:
            replicated.setdefault(rep.locality, []).append((p, rep))

    freeze = lambda d: MappingProxyType({k: tuple(v) for k, v in d.items()})  # noqa: E731
    in_movement = {p.slug: index for group in by_movement.values() for index, p in enumerate(group)}
    in_locality = {p.slug: index for loc_id, group in by_locality.items()
                   for index, p in enumerate(group) if p.locality == loc_id}
    positions = {p.slug: (in_movement[p.slug], in_locality.get(p.slug)) for p in ordered}
    return Catalog(registries=registries, today=today, profiles=ordered, by_movement=freeze(by_movement),
                   by_locality=freeze(by_locality), came_from=MappingProxyType(former_units(localities, today)),
                   replicated_into=freeze(replicated),
                   movements=MappingProxyType(movements), localities=MappingProxyType(localities),
                   agencies=MappingProxyType(registries.agency_by_code()), positions=MappingProxyType(positions))


def _neighbours(group: tuple[Profile, ...], profile: Profile, index: int | None, limit: int) -> list[Profile]:
    """Up to ``limit`` profiles around ``profile`` in ``group``, where ``index`` says it is (a
    profile not in the group, or another version of it, has the group's first ones)."""
    if index is None or index >= len(group) or group[index].slug != profile.slug:
        return list(group[:limit])
    half = max(1, limit // 2)
    start = max(0, index - half)
    return [p for p in group[start: start + limit + 1] if p.slug != profile.slug][:limit]
