"""The propagation calendar: key dates, the column items around each, and propagation events.

Plan V.4-V.6 ask the media to mark the great anniversaries of the country and the province
with exemplary models. Each occurrence of a key date collects the column items within its
window; an upcoming date with nothing scheduled is flagged so that editors can fill it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.core.catalog import Catalog
from generator.core.columns import ColumnItem
from generator.core.media_model import EVENT_KIND_LABELS, Event, KeyDate, MediaRegistries
from generator.core.model import Profile

CALENDAR_PAGE = "lich-tuyen-truyen/index.md"
HORIZON_DAYS = 365  # how far ahead the calendar looks


@dataclass(frozen=True)
class CalendarDay:
    key_date: KeyDate
    date: dt.date
    items: tuple[ColumnItem, ...]  # shown: scheduled ones only in a preview
    events: tuple[Event, ...]
    needs_items: bool  # upcoming, and nothing at all (not even scheduled) runs around it

    @property
    def anniversary(self) -> int | None:
        return self.key_date.anniversary(self.date.year)


@dataclass(frozen=True)
class CalendarYear:
    year: int
    days: tuple[CalendarDay, ...]
    events: tuple[Event, ...]


def build_calendar(media: MediaRegistries, items: tuple[ColumnItem, ...] | list[ColumnItem],
                   today: dt.date, include_scheduled: bool) -> tuple[CalendarYear, ...]:
    """Years from the first item, event or milestone to a year ahead, newest year first.

    ``items`` are every column item, scheduled ones included: they decide the flags even
    when a public build does not show them.
    """
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    years = _years(media, items, today, horizon)
    result = []
    for year in sorted(years, reverse=True):
        days = [_day(k, date, items, media.events, today, horizon, include_scheduled)
                for k in media.key_dates if (date := k.occurrence(year)) and date <= horizon]
        events = tuple(e for e in media.events if e.date.year == year)
        result.append(CalendarYear(year, tuple(sorted(days, key=lambda d: (d.date, d.key_date.code))), events))
    return tuple(result)


def _years(media: MediaRegistries, items, today: dt.date, horizon: dt.date) -> set[int]:
    dated = [it.date.year for it in items] + [e.date.year for e in media.events]
    dated += [k.year for k in media.key_dates if k.year]
    first = min(dated, default=today.year)
    return set(range(min(first, today.year), horizon.year + 1))


def _day(key: KeyDate, date: dt.date, items, events, today: dt.date, horizon: dt.date,
         include_scheduled: bool) -> CalendarDay:
    start, end = date - dt.timedelta(days=key.window), date + dt.timedelta(days=key.window)
    around = [it for it in items if start <= it.date <= end]
    near_events = tuple(e for e in events if e.date <= end and e.last_day >= start)
    shown = tuple(it for it in around if include_scheduled or not it.scheduled)
    needs = today <= date <= horizon and not around and not near_events
    return CalendarDay(key, date, tuple(sorted(shown, key=lambda it: (it.date, it.column.code))), near_events, needs)


@dataclass(frozen=True)
class EventView:
    """An event as pages show it: labelled, organiser named, only published profiles."""

    event: Event
    kind_label: str
    organiser: str
    place: str
    profiles: tuple[Profile, ...]

    @property
    def anchor(self) -> str:
        return f"su-kien-{self.event.code}"


def event_view(event: Event, catalog: Catalog) -> EventView:
    published = {p.slug: p for p in catalog.profiles}
    agency = catalog.agencies.get(event.organiser)
    place = event.place
    if event.locality and event.locality in catalog.localities:
        loc = catalog.unit(event.locality, event.date)  # after a comma, as on that day: "Hội trường, xã Tà Lu"
        same = place.casefold() in (loc.name.casefold(), loc.short_name.casefold())
        place = loc.name_in_phrase if same else f"{place}, {loc.name_in_phrase}"
    return EventView(event, EVENT_KIND_LABELS[event.kind], agency.name if agency else event.organiser, place,
                     tuple(published[slug] for slug in event.profiles if slug in published))


def profile_events(media: MediaRegistries, catalog: Catalog, profile: Profile) -> tuple[EventView, ...]:
    """The events a profile takes part in, for its page (oldest first)."""
    return tuple(event_view(e, catalog) for e in media.events_of(profile.slug))
