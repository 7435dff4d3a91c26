"""Quotas of Plan 658 section III.3: who must nominate how many exemplars each year.

Pure: ``evaluate_quotas`` reads the registries and the validated profiles (published or not,
the report is internal) and returns frozen figures; the CLI, the report page and the checks
all read the same ``QuotaReport``.

Counting rules (also stated on the report page):

* a profile counts for its ``year`` and for the body in its ``nominated_by``, exactly once;
* a lead agency (``lead_agencies`` of a movement) has ONE line under the class marked
  ``for_lead_bodies`` (2-5), whatever the number of movements it leads: the plan asks "các cơ quan,
  đơn vị chủ trì các phong trào thi đua" to put forward 02 to 05, per body; that line counts its
  nominations in every movement it leads, and its nominations in any other movement count against
  its own ``quota_class`` (a Khối class), which is a separate line;
* a People's Committee has a line for a year if its unit exists on that year's deadline (15/02),
  when the lists are due (in 2025: the units before the 2025-07-01 reorganisation, not both old
  and new), or if it nominated anyway; Đà Nẵng, a province-level city, has no quota of the plan;
* "late" means ``nominated_on`` after 15/02 of the year; 15/02 itself is on time;
* a district UBND's selection is every profile it nominates; those whose locality is neither the
  district nor one of its communes on the profile's day (catalog.place_date) are flagged as foreign.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.core.catalog import above_on, place_date
from generator.core.model import Agency, Locality, Movement, Profile, QuotaClass, Registries

UNDER, WITHIN, OVER = "under", "within", "over"
STATUS_LABELS = {UNDER: "Thiếu", WITHIN: "Đạt", OVER: "Vượt"}


def deadline(year: int) -> dt.date:
    """Lists reach Sở Nội vụ "trước ngày 15/02 hằng năm"; we count 15/02 itself as on time."""
    return dt.date(year, 2, 15)


def is_late(profile: Profile) -> bool:
    return profile.nominated_on is not None and profile.nominated_on > deadline(profile.year)


def quota_status(count: int, quota: QuotaClass) -> str:
    if count < quota.min:
        return UNDER
    return OVER if count > quota.max else WITHIN


@dataclass(frozen=True)
class QuotaLine:
    """One obligation: a body against a class; a lead body's line names the movements it leads."""

    agency: Agency
    quota: QuotaClass
    profiles: tuple[Profile, ...]
    movements: tuple[Movement, ...] = ()

    @property
    def count(self) -> int:
        return len(self.profiles)

    @property
    def status(self) -> str:
        return quota_status(self.count, self.quota)

    @property
    def late(self) -> tuple[Profile, ...]:
        return tuple(p for p in self.profiles if is_late(p))


@dataclass(frozen=True)
class Unclassified:
    """Nominations by a body that has no quota class covering them (DH093)."""

    agency: Agency
    profiles: tuple[Profile, ...]


@dataclass(frozen=True)
class ForeignSelection:
    """A district UBND's selection that includes profiles from outside the district."""

    district: Locality
    agency: Agency
    profiles: tuple[Profile, ...]


@dataclass(frozen=True)
class QuotaReport:
    year: int
    profiles: tuple[Profile, ...]  # every validated profile of the year, in the order given
    lines: tuple[QuotaLine, ...]
    unclassified: tuple[Unclassified, ...]
    foreign: tuple[ForeignSelection, ...]

    @property
    def deadline(self) -> dt.date:
        return deadline(self.year)

    @property
    def late(self) -> tuple[Profile, ...]:
        return tuple(p for p in self.profiles if is_late(p))

    @property
    def undated(self) -> tuple[Profile, ...]:
        return tuple(p for p in self.profiles if p.nominated_on is None)

    def lines_with(self, status: str) -> tuple[QuotaLine, ...]:
        return tuple(line for line in self.lines if line.status == status)

    @property
    def silent(self) -> tuple[Agency, ...]:
        """Bodies with a quota that nominated nothing at all this year."""
        totals: dict[str, int] = {}
        agencies: dict[str, Agency] = {}
        for line in self.lines:
            totals[line.agency.code] = totals.get(line.agency.code, 0) + line.count
            agencies[line.agency.code] = line.agency
        return tuple(agencies[code] for code, total in totals.items() if total == 0)

    def sections(self) -> tuple[tuple[QuotaClass, tuple[QuotaLine, ...]], ...]:
        """Lines grouped by quota class, classes in first-seen (registry) order."""
        groups: dict[str, list[QuotaLine]] = {}
        classes: dict[str, QuotaClass] = {}
        for line in self.lines:
            groups.setdefault(line.quota.code, []).append(line)
            classes[line.quota.code] = line.quota
        return tuple((classes[code], tuple(lines)) for code, lines in groups.items())


def lead_quota_class(registries: Registries) -> QuotaClass | None:
    return next((q for q in registries.quota_classes if q.for_lead_bodies), None)


def movements_led(registries: Registries, agency_code: str) -> tuple[Movement, ...]:
    return tuple(m for m in registries.movements if agency_code in m.lead_agencies)


def evaluate_quotas(registries: Registries, profiles: tuple[Profile, ...] | list[Profile], year: int) -> QuotaReport:
    of_year = tuple(p for p in profiles if p.year == year)
    by_body: dict[str, list[Profile]] = {}
    for p in of_year:
        by_body.setdefault(p.nominated_by, []).append(p)
    classes = {q.code: q for q in registries.quota_classes}
    class_order = {q.code: i for i, q in enumerate(registries.quota_classes)}
    lead_class = lead_quota_class(registries)
    localities = registries.locality_by_id()

    lines: list[QuotaLine] = []
    unclassified: list[Unclassified] = []
    for agency in registries.agencies:
        nominated = by_body.get(agency.code, [])
        loc = localities.get(agency.locality or "")
        if loc and not loc.exists_on(deadline(year)) and not nominated:
            continue
        led = movements_led(registries, agency.code) if lead_class else ()
        led_codes = {m.code for m in led}
        if led and lead_class:
            in_led = tuple(p for p in nominated if p.movement in led_codes)
            lines.append(QuotaLine(agency, lead_class, in_led, led))
        rest = tuple(p for p in nominated if p.movement not in led_codes)
        if agency.quota_class in classes:
            lines.append(QuotaLine(agency, classes[agency.quota_class], rest))
        elif rest:
            unclassified.append(Unclassified(agency, rest))

    lines.sort(key=lambda line: class_order[line.quota.code])  # stable: registry order within a class
    return QuotaReport(year, of_year, tuple(lines), tuple(unclassified),
                       foreign_selections(registries, of_year))


def foreign_selections(registries: Registries, profiles: tuple[Profile, ...]) -> tuple[ForeignSelection, ...]:
    localities = registries.locality_by_id()
    result = []
    for agency in registries.agencies:
        district = localities.get(agency.locality or "")
        if not district or not district.is_district:
            continue
        foreign = tuple(p for p in profiles if p.nominated_by == agency.code
                        and above_on(localities, p.locality, place_date(p)).id != district.id)
        if foreign:
            result.append(ForeignSelection(district, agency, foreign))
    return tuple(result)

