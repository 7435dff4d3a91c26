"""One immutable catalogue of the published profiles, with every cross-index renderers need.

"First gather all data, so that it is consistent across pages": every renderer reads this
and nothing else, so two pages can never disagree about order, counts or membership.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

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
)


@dataclass(frozen=True)
class Catalog:
    registries: Registries
    today: dt.date
    profiles: tuple[Profile, ...]  # published, in canonical order (movement, district, commune, name)
    by_movement: Mapping[str, tuple[Profile, ...]]
    by_locality: Mapping[str, tuple[Profile, ...]]  # a district's entry includes its communes' profiles
    replicated_into: Mapping[str, tuple[tuple[Profile, Replication], ...]]
    movements: Mapping[str, Movement]
    localities: Mapping[str, Locality]
    agencies: Mapping[str, Agency]

    def district_of(self, locality_id: str) -> Locality:
        loc = self.localities[locality_id]
        return self.localities[loc.parent] if loc.parent and not loc.is_district else loc

    def place_label(self, locality_id: str) -> str:
        """Where a model is, as a label that starts a line: "Xã Điện Phước, thị xã Điện Bàn" for a
        commune, the district's name for a district."""
        loc, district = self.localities[locality_id], self.district_of(locality_id)
        return loc.name if district.id == loc.id else f"{loc.name}, {district.name_in_phrase}"

    def place_in_phrase(self, locality_id: str) -> str:
        """The same inside a sentence: "ở xã Điện Phước, thị xã Điện Bàn"."""
        loc, district = self.localities[locality_id], self.district_of(locality_id)
        return loc.name_in_phrase if district.id == loc.id else f"{loc.name_in_phrase}, {district.name_in_phrase}"

    def successors_now(self, locality_id: str) -> tuple[Locality, ...]:
        """The units that carry on ``locality_id`` today ("nay là ..."); empty if it still exists."""
        return current_units(self.localities, locality_id, self.today)

    def related(self, profile: Profile, limit: int = 4) -> tuple[Profile, ...]:
        """Neighbours in the same movement, then in the same locality, without duplicates."""
        seen = {profile.slug}
        result = []
        for group in (self.by_movement.get(profile.movement, ()), self.by_locality.get(profile.locality, ())):
            for other in _neighbours(group, profile, limit):
                if other.slug not in seen:
                    seen.add(other.slug)
                    result.append(other)
        return tuple(result[: limit * 2])

    def newest(self, count: int) -> tuple[Profile, ...]:
        ordered = sorted(self.profiles, key=lambda p: (publication_date(p), p.slug), reverse=True)
        return tuple(ordered[:count])

    def localities_in_district(self, district_id: str) -> tuple[Locality, ...]:
        return tuple(loc for loc in self.localities.values() if loc.parent == district_id and not loc.is_district)


def publication_date(profile: Profile) -> dt.date:
    return profile.publish_on or profile.nominated_on or dt.date(profile.year, 1, 1)


def sort_words(profile: Profile, rules: RosterRules) -> tuple[str, ...]:
    """What a roster compares, in order (collation.roster_words), or ``sort_name`` as the editor
    wrote it: a person's words in the order compared (given name first), a collective's as one."""
    subject = profile.subject
    if not subject.sort_name.strip():
        return roster_words(subject.name, subject.kind, rules)
    words = tuple(subject.sort_name.split())
    return words if subject.kind in PERSONAL_KINDS else (" ".join(words),)


def subject_sort_key(profile: Profile, rules: RosterRules) -> tuple:
    """Where ``profile`` goes on a roster: the one name order of every list, page, book and file."""
    return roster_key(sort_words(profile, rules))


def current_units(localities: Mapping[str, Locality], locality_id: str, today: dt.date) -> tuple[Locality, ...]:
    """Follow successor links until units valid on ``today`` (a merged commune may be merged again)."""
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


def build_catalog(registries: Registries, profiles: tuple[Profile, ...] | list[Profile], today: dt.date) -> Catalog:
    movements = registries.movement_by_code()
    localities = registries.locality_by_id()
    published = [p for p in profiles if p.is_published(today)]

    def district_order(p: Profile) -> tuple[int, int]:
        loc = localities[p.locality]
        district = localities[loc.parent] if loc.parent and not loc.is_district else loc
        return (district.order, -1 if loc.is_district else loc.order)

    ordered = tuple(sorted(published, key=lambda p: (movements[p.movement].order, *district_order(p),
                                                     subject_sort_key(p, registries.roster), p.slug)))
    by_movement: dict[str, list[Profile]] = {}
    by_locality: dict[str, list[Profile]] = {}
    replicated: dict[str, list[tuple[Profile, Replication]]] = {}
    for p in ordered:
        by_movement.setdefault(p.movement, []).append(p)
        loc = localities[p.locality]
        by_locality.setdefault(loc.id, []).append(p)
        if loc.parent and not loc.is_district:
            by_locality.setdefault(loc.parent, []).append(p)
        for rep in p.replicated_in:
            replicated.setdefault(rep.locality, []).append((p, rep))

    freeze = lambda d: MappingProxyType({k: tuple(v) for k, v in d.items()})  # noqa: E731
    return Catalog(registries=registries, today=today, profiles=ordered, by_movement=freeze(by_movement),
                   by_locality=freeze(by_locality), replicated_into=freeze(replicated),
                   movements=MappingProxyType(movements), localities=MappingProxyType(localities),
                   agencies=MappingProxyType(registries.agency_by_code()))


def _neighbours(group: tuple[Profile, ...], profile: Profile, limit: int) -> list[Profile]:
    try:
        index = next(i for i, p in enumerate(group) if p.slug == profile.slug)
    except StopIteration:
        return list(group[:limit])
    half = max(1, limit // 2)
    start = max(0, index - half)
    return [p for p in group[start: start + limit + 1] if p.slug != profile.slug][:limit]
