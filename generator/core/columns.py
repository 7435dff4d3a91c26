"""Media columns (chuyên mục): which profile runs in which column on which date.

A slot dated after ``catalog.today`` is *scheduled*: a public build leaves it out entirely,
a preview shows it marked. Pure functions over the catalogue; no markup here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.core.catalog import Catalog
from generator.core.labels import vn_date
from generator.core.model import Column, Problem, Profile, Registries

COLUMNS_DIR = "chuyen-muc"


@dataclass(frozen=True)
class ColumnItem:
    column: Column
    date: dt.date
    profile: Profile
    scheduled: bool  # dated after the build date; only ever present in a preview


@dataclass(frozen=True)
class Issue:
    """One issue date of a column, with the items that ran (or will run) that day."""

    column: Column
    date: dt.date
    items: tuple[ColumnItem, ...]

    @property
    def scheduled(self) -> bool:
        return all(item.scheduled for item in self.items)


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    issues: tuple[Issue, ...]

    @property
    def label(self) -> str:
        return f"Tháng {self.month}/{self.year}"


def is_scheduled(date: dt.date, today: dt.date) -> bool:
    return date > today


def column_items(catalog: Catalog, include_scheduled: bool) -> dict[str, tuple[ColumnItem, ...]]:
    """Every column's items, newest first (then catalogue order); every column has an entry."""
    items: dict[str, list[ColumnItem]] = {c.code: [] for c in catalog.registries.columns}
    columns = catalog.registries.column_by_code()
    for p in catalog.profiles:
        for slot in p.columns:
            scheduled = is_scheduled(slot.date, catalog.today)
            if slot.column in columns and (include_scheduled or not scheduled):
                items[slot.column].append(ColumnItem(columns[slot.column], slot.date, p, scheduled))
    order = {p.slug: i for i, p in enumerate(catalog.profiles)}
    return {code: tuple(sorted(found, key=lambda it: (-it.date.toordinal(), order[it.profile.slug])))
            for code, found in items.items()}


def issues(items: tuple[ColumnItem, ...]) -> tuple[Issue, ...]:
    """Items grouped by date, keeping their (newest first) order."""
    by_date: dict[dt.date, list[ColumnItem]] = {}
    for item in items:
        by_date.setdefault(item.date, []).append(item)
    return tuple(Issue(group[0].column, date, tuple(group)) for date, group in by_date.items())


def months(column_issues: tuple[Issue, ...]) -> tuple[Month, ...]:
    by_month: dict[tuple[int, int], list[Issue]] = {}
    for issue in column_issues:
        by_month.setdefault((issue.date.year, issue.date.month), []).append(issue)
    return tuple(Month(y, m, tuple(group)) for (y, m), group in by_month.items())


def column_page_path(code: str) -> str:
    return f"{COLUMNS_DIR}/{code}/index.md"


def issue_page_path(code: str, date: dt.date) -> str:
    return f"{COLUMNS_DIR}/{code}/{date.isoformat()}/index.md"


def check_column_slots(registries: Registries, profiles: tuple[Profile, ...] | list[Profile]) -> list[Problem]:
    """DH038: a profile scheduled into a column on a date outside the column's active period.

    Unknown column codes are reported by the profile validator (DH036) and skipped here.
    """
    columns = registries.column_by_code()
    problems = []
    for p in profiles:
        for index, slot in enumerate(p.columns):
            column = columns.get(slot.column)
            if column and not _is_active(column, slot.date):
                problems.append(Problem("DH038", p.source_path.as_posix(),
                                        f"Ngày đăng {vn_date(slot.date)} nằm ngoài thời gian hoạt động của chuyên mục "
                                        f"“{column.name}” ({_period(column)}); hãy sửa ngày hoặc chọn chuyên mục khác.",
                                        field=f"columns.{index}.date"))
    return problems


def _is_active(column: Column, date: dt.date) -> bool:
    return (column.active_from is None or column.active_from <= date) and \
        (column.active_to is None or date <= column.active_to)


def _period(column: Column) -> str:
    start = f"từ {vn_date(column.active_from)}" if column.active_from else ""
    end = f"đến {vn_date(column.active_to)}" if column.active_to else "đến nay"
    return " ".join(part for part in (start, end) if part)
