"""Typed, frozen objects of the propagation registries: key dates, events and editions.

Loaded from data/key_dates.yml, data/events.yml and data/editions.yml by ``media_registries``;
the column renderers, the propagation calendar and the publication read only these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

KEY_DATE_KIND_LABELS = {
    "quoc-gia": "Ngày lễ, kỷ niệm của đất nước",
    "tinh": "Ngày kỷ niệm của tỉnh",
    "nganh": "Ngày truyền thống ngành, đoàn thể",
    "ke-hoach": "Mốc của Kế hoạch",
}
EVENT_KIND_LABELS = {  # the forms of plan III.2.b, and the meetings of plan V.8
    "toa-dam": "Tọa đàm",
    "giao-luu": "Giao lưu với điển hình tiên tiến",
    "tham-quan": "Tham quan thực tế, học tập kinh nghiệm",
    "cuoc-thi-viet": "Cuộc thi viết",
    "bieu-duong": "Biểu dương, tôn vinh",
    "van-nghe-co-dong": "Văn hóa, văn nghệ, cổ động trực quan",
    # Plan V.8: Sở Nội vụ advises on the provincial congress and guides the grassroots conferences.
    "hoi-nghi-dien-hinh": "Hội nghị điển hình tiên tiến",
    "dai-hoi-thi-dua": "Đại hội thi đua yêu nước",
}
KEY_DATE_KINDS = tuple(KEY_DATE_KIND_LABELS)
EVENT_KINDS = tuple(EVENT_KIND_LABELS)


@dataclass(frozen=True)
class KeyDate:
    """A date the plan asks the media to mark: yearly (``year`` None) or once."""

    code: str
    name: str
    month: int
    day: int
    kind: str
    year: int | None = None  # set for a one-off milestone
    since: int | None = None  # the year being commemorated, for "kỷ niệm N năm"
    until: int | None = None  # last year a yearly date is marked (the province merged in 2025)
    movements: tuple[str, ...] = ()
    window: int = 10  # days either side in which column items count as "around" the date
    note: str = ""

    @property
    def is_yearly(self) -> bool:
        return self.year is None

    def occurrence(self, year: int) -> dt.date | None:
        """The date in ``year``; None for a one-off date of another year or 29/2 outside leap years."""
        if (self.year is not None and self.year != year) or (self.until is not None and year > self.until):
            return None
        try:
            return dt.date(year, self.month, self.day)
        except ValueError:
            return None

    def anniversary(self, year: int) -> int | None:
        return year - self.since if self.since and year > self.since else None


@dataclass(frozen=True)
class Event:
    """A propagation activity of plan III.2.b: tọa đàm, giao lưu, tham quan, cuộc thi viết ..."""

    code: str
    name: str
    kind: str
    date: dt.date
    place: str
    organiser: str  # an agency code, or the organiser's name as written
    end_date: dt.date | None = None
    locality: str | None = None
    profiles: tuple[str, ...] = ()  # profile slugs (bundle folder names)
    description: str = ""
    line: int | None = field(default=None, compare=False)  # in data/events.yml, for messages

    @property
    def last_day(self) -> dt.date:
        return self.end_date or self.date


@dataclass(frozen=True)
class Selection:
    """Which profiles an edition holds. Every criterion given must match (empty = any);
    ``profiles`` names bundles that are included whatever the criteria say."""

    years: tuple[int, ...] = ()
    stages: tuple[str, ...] = ()
    movements: tuple[str, ...] = ()
    award_levels: tuple[str, ...] = ()
    award_from: int | None = None  # award years, inclusive; only with award_levels
    award_to: int | None = None
    profiles: tuple[str, ...] = ()

    @property
    def has_criteria(self) -> bool:
        return bool(self.years or self.stages or self.movements or self.award_levels)


@dataclass(frozen=True)
class Edition:
    """One issue of the electronic publication "Điển hình tiên tiến"."""

    code: str
    title: str
    year: int
    selection: Selection
    foreword_file: str  # as written in the registry, under data/forewords/
    foreword: str  # its Markdown text; "" when missing (reported as DH095)
    subtitle: str = ""
    publisher: str = ""
    place: str = ""
    published_on: dt.date | None = None
    basis: str = ""  # the decision or plan the edition is published under, printed on its imprint page
    line: int | None = field(default=None, compare=False)  # in data/editions.yml, for messages

    @property
    def fixed_date(self) -> dt.date:
        """The date stamped into the files when SOURCE_DATE_EPOCH is not set."""
        return self.published_on or dt.date(self.year, 12, 31)


@dataclass(frozen=True)
class MediaRegistries:
    key_dates: tuple[KeyDate, ...] = ()
    events: tuple[Event, ...] = ()
    editions: tuple[Edition, ...] = ()

    def events_of(self, slug: str) -> tuple[Event, ...]:
        return tuple(e for e in self.events if slug in e.profiles)


EMPTY_MEDIA = MediaRegistries()
