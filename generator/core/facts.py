"""A profile's facts box, for every output that shows one: the profile page, the press kit and
the publication. What each row says is decided here once; the outputs only lay the rows out
(``templates/_facts.j2`` for HTML, ``Fact.text`` for plain text).

The layouts differ on purpose. The press kit adds the sources a journalist may want to check
and the nominating body's public contact.
The publication records the year as it was: the place then (no "nay là"), the stage beside the
year, and no movement row, since the chapter it sits in is the movement.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from generator.core.catalog import Catalog
from generator.core.labels import KIND_LABELS, STAGE_LABELS
from generator.core.model import Profile
from generator.core.urls import locality_page_path, movement_page_path


class FactsLayout(Enum):
    PAGE = "page"
    PRESS = "press"
    BOOK = "book"


@dataclass(frozen=True)
class Part:
    """A piece of a value; ``page`` is the docs-relative page it names, which an output that
    links (the site) links where that page exists."""

    text: str
    page: str = ""


@dataclass(frozen=True)
class Fact:
    label: str
    value: tuple[Part, ...] = ()
    now: tuple[Part, ...] = ()  # a place that has since changed: the units that carry it on today
    items: tuple[tuple[Part, ...], ...] = ()  # a list value (awards): a list in HTML, "; " in text

    @property
    def text(self) -> str:
        """The row's value as plain text (press kits, feeds)."""
        now = f" (nay là {', '.join(part.text for part in self.now)})" if self.now else ""
        items = "; ".join("".join(part.text for part in item) for item in self.items)
        return "".join(part.text for part in self.value) + now + items


def _plain(text: str) -> tuple[Part, ...]:
    return (Part(text),)


def profile_facts(profile: Profile, catalog: Catalog, layout: FactsLayout) -> tuple[Fact, ...]:
    p = profile
    unit, district = catalog.profile_unit(p), catalog.profile_district(p)
    agency = catalog.agencies.get(p.nominated_by)
    movement = catalog.movements[p.movement]
    if layout is FactsLayout.BOOK:
        place = Fact("Địa phương", _plain(catalog.profile_place(p)))
    else:
        in_district = (Part(", "), Part(district.name_in_phrase, locality_page_path(district.id))) \
            if district.id != unit.id else ()
        place = Fact("Địa phương", (Part(unit.name, locality_page_path(unit.id)), *in_district),
                     now=tuple(Part(s.name_in_phrase, locality_page_path(s.id))
                               for s in catalog.successors_now(p.locality)))
    facts = [Fact(KIND_LABELS[p.subject.kind], _plain(p.subject.line)), place]
    if layout is not FactsLayout.BOOK:
        facts.append(Fact("Phong trào", (Part(movement.name, movement_page_path(movement.code)),)))
    facts.append(Fact("Cơ quan giới thiệu", _plain(catalog.nominator_name(p))))
    if layout is FactsLayout.PRESS and agency and agency.contact:
        facts.append(Fact("Liên hệ báo chí", _plain(agency.contact)))
    if layout is FactsLayout.BOOK:
        facts.append(Fact("Năm", _plain(f"{p.year} ({STAGE_LABELS[p.stage].lower()})")))
    else:
        facts += [Fact("Giai đoạn", _plain(STAGE_LABELS[p.stage])), Fact("Năm", _plain(str(p.year)))]
    if p.awards:
        facts.append(Fact("Khen thưởng", items=tuple(_plain(a.text) for a in p.awards)))
    if layout is FactsLayout.PRESS and p.sources:
        facts.append(Fact("Nguồn tư liệu", items=tuple(
            _plain(f"{s.title} ({s.url})" if s.url else s.title) for s in p.sources)))
    return tuple(facts)
