"""Typed, frozen domain objects shared by every stage of the pipeline.

Raw YAML becomes these objects in exactly one place (``registries`` for reference data,
``validate`` for profiles); renderers only ever see these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

KINDS = ("ca-nhan", "tap-the", "ho-gia-dinh")
PERSONAL_KINDS = ("ca-nhan", "ho-gia-dinh")  # named after a person; published only with their consent
STAGES = ("phat-hien", "boi-duong", "gioi-thieu", "nhan-rong", "ton-vinh")


@dataclass(frozen=True)
class RosterRules:
    """data/roster.yml: per kind of subject, the name prefixes a roster skips ("Hộ gia đình ông",
    "Hợp tác xã"), as folded words, longest first (core/collation.py builds and applies them)."""

    prefixes: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()


@dataclass(frozen=True)
class Movement:
    code: str
    name: str
    group: str
    period: str
    lead_agencies: tuple[str, ...]
    order: int
    short_name: str = ""
    description: str = ""
    lead_mandate: str = ""  # how the plan words the lead: "giao" (assigned) or "de-nghi" (requested)
    colour: str = "#546e7a"  # "#rrggbb": the placeholder of its profiles without a photo
    emblem: str = "star-circle"  # a Material Design Icon drawn on that placeholder

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def years(self) -> tuple[int, int] | None:
        """The first and last year of ``period`` ("2021-2025"), which the registry loader has
        checked; None when the plan names no period."""
        if not self.period:
            return None
        first, last = self.period.split("-")
        return int(first), int(last)

    def runs_in(self, year: int) -> bool:
        return self.years is None or self.years[0] <= year <= self.years[1]


@dataclass(frozen=True)
class QuotaClass:
    code: str
    name: str
    min: int
    max: int
    for_lead_bodies: bool = False
    basis: str = ""


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    kind: str
    quota_class: str | None
    short_name: str = ""
    locality: str | None = None  # set for People's Committees derived from localities
    contact: str = ""  # the office's public contact for the press (never a person's own)


@dataclass(frozen=True)
class LocalityChange:
    """What changed for a unit that kept its code, from a day on: its parent (Nông Sơn's communes
    joined Quế Sơn on 2025-01-01), its type and name (Xã Điện Minh became Phường Điện Minh)."""

    on: dt.date
    parent: str | None = None  # None: unchanged
    type: str | None = None
    name: str | None = None
    short_name: str | None = None


@dataclass(frozen=True)
class Locality:
    id: str
    code: str
    name: str
    short_name: str
    type: str
    level: str  # "huyen" (district level) or "xa" (commune level)
    parent: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    successors: tuple[str, ...]
    order: int
    note: str = ""
    changes: tuple[LocalityChange, ...] = ()  # in date order
    since: dt.date | None = None  # set by as_of: the day of the last change applied

    @property
    def is_district(self) -> bool:
        return self.level == "huyen"

    @property
    def is_province(self) -> bool:
        """A province-level unit (Đà Nẵng from 2025-07-01): neither a district nor counted as one."""
        return self.level == "tinh"

    @property
    def holds_communes(self) -> bool:
        """A district, or the city: a unit communes belong to, with its own page, feed and embeds."""
        return self.is_district or self.is_province

    def exists_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def as_of(self, day: dt.date) -> Locality:
        """The unit as it was on ``day``: its changes up to that day applied (after its end, as it
        ended). Every listing, page and report that places a model reads the unit this way."""
        state = self
        for change in self.changes:
            if change.on > day:
                break
            state = replace(state, parent=change.parent or state.parent, type=change.type or state.type,
                            name=change.name or state.name, short_name=change.short_name or state.short_name,
                            since=change.on)
        return state

    def states(self) -> tuple[tuple[dt.date | None, Locality], ...]:
        """(from which day, the unit as it was) for each period of its life, first to last."""
        return ((self.valid_from, self.as_of(self.valid_from or dt.date.min)),
                *((change.on, self.as_of(change.on)) for change in self.changes))

    @property
    def latest(self) -> Locality:
        """The unit as it is today, or as it was when it ended."""
        return self.as_of(dt.date.max)

    @property
    def code_order(self) -> tuple[int, str]:
        """The official order of administrative units, by code (Đà Nẵng's 48 before Quảng Nam's 498-519)."""
        return (int(self.code) if self.code.isdigit() else 10**9, self.id)

    @property
    def anchor(self) -> str:
        """The heading anchor of the unit on list pages: its official code, with the year it took
        effect when it has one (2025 units reuse old codes), so the anchor never depends on which
        other units a page lists (heading text that folds alike would get "_1" suffixes); a unit as
        it was after a dated change adds that day (Phường Điện Minh from 2025-01-01)."""
        return (f"dv-{self.code}" + (f"-{self.valid_from.year}" if self.valid_from else "")
                + (f"-{self.since:%Y%m%d}" if self.since else ""))

    @property
    def name_in_phrase(self) -> str:
        """The name inside a sentence or after a comma, its administrative prefix in lower case:
        "xã Tam Hải", "thành phố Đà Nẵng" (capitalised only where a heading or sentence starts)."""
        if self.short_name and self.name.endswith(self.short_name) and self.name != self.short_name:
            prefix = self.name[: -len(self.short_name)]
            return prefix.lower() + self.short_name
        return self.name

    def is_valid_in_year(self, year: int) -> bool:
        starts = self.valid_from is None or self.valid_from.year <= year
        ends = self.valid_to is None or self.valid_to.year >= year
        return starts and ends


@dataclass(frozen=True)
class AwardTitle:
    code: str
    name: str
    form: str
    level: str
    eligible: tuple[str, ...]
    order: int
    aliases: tuple[str, ...] = ()  # other common spellings ("Bằng khen của Chủ tịch UBND tỉnh")


@dataclass(frozen=True)
class Outlet:
    code: str
    name: str
    url: str = ""


@dataclass(frozen=True)
class Column:
    code: str
    name: str
    outlets: tuple[str, ...]
    cadence: str = ""
    description: str = ""
    active_from: dt.date | None = None
    active_to: dt.date | None = None


@dataclass(frozen=True)
class Registries:
    movements: tuple[Movement, ...]
    localities: tuple[Locality, ...]
    agencies: tuple[Agency, ...]
    quota_classes: tuple[QuotaClass, ...]
    awards: tuple[AwardTitle, ...]
    outlets: tuple[Outlet, ...]
    columns: tuple[Column, ...]
    province_name: str = ""
    roster: RosterRules = RosterRules()  # data/roster.yml; optional

    # Lookup tables are derived, never stored twice; dicts are cheap to build once per run.
    def movement_by_code(self) -> dict[str, Movement]:
        return {m.code: m for m in self.movements}

    def locality_by_id(self) -> dict[str, Locality]:
        return {loc.id: loc for loc in self.localities}

    def agency_by_code(self) -> dict[str, Agency]:
        return {a.code: a for a in self.agencies}

    def award_by_code(self) -> dict[str, AwardTitle]:
        return {a.code: a for a in self.awards}

    def column_by_code(self) -> dict[str, Column]:
        return {c.code: c for c in self.columns}


# --- profiles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    kind: str
    name: str
    position: str = ""
    organization: str = ""
    sort_name: str = ""

    @property
    def role(self) -> str:
        """Position and organization as one phrase ("Chủ tịch UBND xã, Ủy ban MTTQ"), or ""."""
        return ", ".join(x for x in (self.position, self.organization) if x)

    @property
    def line(self) -> str:
        """Who, as every facts box, press kit and book writes it: name, position, organization."""
        return ", ".join(x for x in (self.name, self.role) if x)


@dataclass(frozen=True)
class Consent:
    obtained: bool
    date: dt.date | None = None
    scope: str = ""
    withdrawn: bool = False


@dataclass(frozen=True)
class HistoryEntry:
    date: dt.date
    stage: str
    note: str = ""


@dataclass(frozen=True)
class Award:
    title: str  # display name: from the registry when `code` is set, else free text
    code: str | None = None
    year: int | None = None
    decision: str = ""
    level: str = ""

    @property
    def text(self) -> str:
        """As every output writes it: "Bằng khen của Thủ tướng Chính phủ (2021), QĐ 123/QĐ-TTg"."""
        return self.title + (f" ({self.year})" if self.year else "") + (f", {self.decision}" if self.decision else "")


@dataclass(frozen=True)
class Replication:
    locality: str  # locality id
    year: int
    note: str = ""

    @property
    def on(self) -> dt.date:
        """The day its place is read on (see catalog.place_date)."""
        return dt.date(self.year, 1, 1)


@dataclass(frozen=True)
class Photo:
    file: str
    alt: str
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True)
class ColumnSlot:
    column: str
    date: dt.date


@dataclass(frozen=True)
class Source:
    title: str
    url: str = ""


@dataclass(frozen=True)
class Profile:
    """One exemplary model: a validated page bundle ``profiles/<year>/<slug>/index.md``."""

    slug: str
    source_path: Path  # relative to the project root, for messages
    bundle_dir: Path  # absolute
    title: str
    summary: str
    subject: Subject
    movement: str
    locality: str
    nominated_by: str
    year: int
    stage: str
    body: str
    body_line: int  # 1-based line of the first body line in the source file
    consent: Consent | None = None
    nominated_on: dt.date | None = None
    history: tuple[HistoryEntry, ...] = ()
    awards: tuple[Award, ...] = ()
    replicated_in: tuple[Replication, ...] = ()
    photos: tuple[Photo, ...] = ()
    columns: tuple[ColumnSlot, ...] = ()
    publish_on: dt.date | None = None
    tags: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    sample: bool = False

    @property
    def needs_consent(self) -> bool:
        return self.subject.kind in PERSONAL_KINDS

    def is_published(self, today: dt.date) -> bool:
        """Public on ``today``: consent in force where needed, embargo passed."""
        if self.needs_consent and not (
            self.consent and self.consent.obtained and not self.consent.withdrawn
        ):
            return False
        return self.publish_on is None or self.publish_on <= today


@dataclass(frozen=True)
class Problem:
    """One validation finding, reported to the editor in Vietnamese."""

    code: str
    path: str
    message: str
    line: int | None = None
    field: str = ""
    suggestion: str = ""
    severity: str = "error"  # "error" fails check/build; "warning" is reported only
    follows: str = ""  # the file whose problem this one follows from: reported right after it

    def sort_key(self) -> tuple:
        """By file and line; a consequence right after the problems of the file it follows from."""
        return (self.follows or self.path, bool(self.follows), self.path, self.line or 0, self.code, self.field)

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "lỗi" if self.severity == "error" else "cảnh báo"
        text = f"{where}: {label} {self.code}"
        if self.field:
            text += f" [{self.field}]"
        text += f": {self.message}"
        if self.suggestion:
            text += f" Có phải ý bạn là “{self.suggestion}”?"
        return text


@dataclass(frozen=True)
class LoadResult:
    profiles: tuple[Profile, ...]
    problems: tuple[Problem, ...] = field(default=())

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)
