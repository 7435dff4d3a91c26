"""The propagation calendar as iCalendar files, one per year, for calendar apps: each key date
and each propagation event an all-day entry (dates only, so no app shifts them across midnight),
the calendar named as in Asia/Ho_Chi_Minh. Written with the icalendar library (RFC 5545)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event

from generator.core.media_model import KEY_DATE_KIND_LABELS
from generator.core.propagation import CalendarYear, EventView

TIMEZONE = "Asia/Ho_Chi_Minh"
PRODUCT = "-//Dien hinh tien tien//Lich tuyen truyen//VI"


def calendar_file_name(year: int) -> str:
    return f"lich-tuyen-truyen-{year}.ics"


def calendar_ics(year: CalendarYear, events: Iterable[EventView], site_name: str, host: str, page_url: str,
                 stamp: dt.datetime) -> bytes:
    """``year``'s key dates and ``events`` (their views); ``host`` makes the UIDs unique, ``page_url``
    (the calendar page, absolute or "") links each entry back; ``stamp`` (UTC) is DTSTAMP."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = f"Lịch tuyên truyền {year.year}" + (f": {site_name}" if site_name else "")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TIMEZONE)
    for day in year.days:
        key = day.key_date
        summary = key.name + (f" (kỷ niệm {day.anniversary} năm)" if day.anniversary else "")
        calendar.add_component(_entry(f"ngay-{key.code}-{day.date.isoformat()}@{host}", summary, day.date,
                                      day.date, KEY_DATE_KIND_LABELS[key.kind], "", page_url, stamp))
    for view in events:
        event = view.event
        about = "; ".join(part for part in (view.kind_label, f"tổ chức: {view.organiser}", event.description) if part)
        link = f"{page_url}#{view.anchor}" if page_url else ""
        calendar.add_component(_entry(f"su-kien-{event.code}@{host}", event.name, event.date, event.last_day,
                                      about, view.place, link, stamp))
    return calendar.to_ical()


def _entry(uid: str, summary: str, first: dt.date, last: dt.date, description: str, location: str, url: str,
           stamp: dt.datetime) -> Event:
    entry = Event()
    entry.add("uid", uid)
    entry.add("dtstamp", stamp)
    entry.add("dtstart", first)
    entry.add("dtend", last + dt.timedelta(days=1))  # an all-day DTEND is the day after (RFC 5545 3.6.1)
    entry.add("summary", summary)
    entry.add("transp", "TRANSPARENT")  # a day to mark, not time taken
    if description:
        entry.add("description", description)
    if location:
        entry.add("location", location)
    if url:
        entry.add("url", url)
    return entry
