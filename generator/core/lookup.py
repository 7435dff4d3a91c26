"""Resolve what editors type (codes, official codes, Vietnamese names) against the registries.

Built once per run from ``Registries``; answers with suggestions for near misses so that
"Dien Ban" points the editor at ``dien-ban``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cached_property

from generator.core.collation import same_name
from generator.core.labels import vn_date
from generator.core.model import AwardTitle, Locality, Movement, Registries
from generator.core.slugs import make_slug


@dataclass(frozen=True)
class LocalityMatch:
    id: str | None
    problem: tuple[str, str] | None = None  # (code, Vietnamese message)
    suggestion: str = ""




class Lookup:
    def __init__(self, registries: Registries):
        self.registries = registries

    @staticmethod
    def closest(word: str, candidates: list[str]) -> str:
        matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
        return matches[0] if matches else ""

    def _suggest(self, value: str, codes_by_key: dict[str, str]) -> str:
        """Match the value, or its slug, against codes and slugs of names."""
        for key in (value, make_slug(value)):
            if key in codes_by_key:
                return codes_by_key[key]
        return codes_by_key.get(self.closest(make_slug(value), list(codes_by_key)), "")

    @cached_property
    def _movements(self) -> dict[str, str]:
        keys = {m.code: m.code for m in self.registries.movements}
        keys.update({make_slug(m.label): m.code for m in self.registries.movements})
        return keys

    def has_movement(self, code: str) -> bool:
        return code in self.registries.movement_by_code()

    def movement(self, code: str) -> Movement:
        return self.registries.movement_by_code()[code]

    def suggest_movement(self, value: str) -> str:
        return self._suggest(value, self._movements)

    @cached_property
    def _agencies(self) -> dict[str, str]:
        keys = {a.code: a.code for a in self.registries.agencies}
        keys.update({make_slug(a.name): a.code for a in self.registries.agencies})
        return keys

    def has_agency(self, code: str) -> bool:
        return code in self._agency_codes

    @cached_property
    def _agency_codes(self) -> frozenset[str]:
        return frozenset(a.code for a in self.registries.agencies)

    def suggest_agency(self, value: str) -> str:
        return self._suggest(value, self._agencies)

    def has_column(self, code: str) -> bool:
        return code in self.registries.column_by_code()

    def suggest_column(self, value: str) -> str:
        return self._suggest(value, {c.code: c.code for c in self.registries.columns})

    @cached_property
    def _awards(self) -> dict[str, AwardTitle]:
        keys = {a.code: a for a in self.registries.awards}
        keys.update({_award_key(alias): a for a in self.registries.awards for alias in a.aliases})
        keys.update({_award_key(a.name): a for a in self.registries.awards})
        return keys

    def find_award(self, code_or_title: str) -> AwardTitle | None:
        """The registry title an editor meant, by code, name or alias: a title typed as free text
        that names a registry title counts as that title (its level puts it in the Kỷ yếu)."""
        return self._awards.get(code_or_title) or self._awards.get(_award_key(code_or_title))

    def suggest_award(self, value: str) -> str:
        return self._suggest(value, {a.code: a.code for a in self.registries.awards})

    # --- localities ----------------------------------------------------------------------

    @cached_property
    def _localities_by_id(self) -> dict[str, Locality]:
        return self.registries.locality_by_id()

    @cached_property
    def _localities_by_key(self) -> dict[str, list[Locality]]:
        """Official code, full name and short name (case-folded) -> candidate units."""
        index: dict[str, list[Locality]] = {}
        for loc in self.registries.localities:
            names = {name for _, state in loc.states() for name in (state.name, state.short_name)}
            for key in {loc.code} | {same_name(name) for name in names}:
                index.setdefault(key, []).append(loc)
        return index

    def resolve_locality(self, value: str, year: int | None) -> LocalityMatch:
        by_id = self._localities_by_id.get(value)
        candidates = [by_id] if by_id else self._localities_by_key.get(same_name(value), [])
        if not candidates:
            suggestion = self._suggest(value, {loc_id: loc_id for loc_id in self._localities_by_id})
            return LocalityMatch(None, ("DH031", f"Không có địa phương “{value}” trong danh mục."), suggestion)
        valid = [loc for loc in candidates if year is None or loc.is_valid_in_year(year)]
        if not valid:
            names = ", ".join(f"{loc.name} ({_period(loc)})" for loc in candidates)
            return LocalityMatch(None, ("DH033", f"Địa phương “{value}” không tồn tại vào năm {year}: {names}."))
        if len(valid) > 1:
            options = ", ".join(f"{loc.id} ({loc.name}{self._parent_label(loc)})" for loc in valid)
            return LocalityMatch(None, ("DH032", f"Tên “{value}” trùng nhiều địa phương; hãy ghi mã: {options}."))
        return LocalityMatch(valid[0].id)

    def _parent_label(self, loc: Locality) -> str:
        parent = self._localities_by_id.get(loc.parent or "")
        return f", {parent.name}" if parent else ""


_QUOTES_AND_END = re.compile(r"[\"“”„‘’'«»]|[.;,\s]+$")


def _award_key(title: str) -> str:
    """Titles meet under any case, tone placement, spacing and quotes: the law writes
    “Huân chương Lao động” hạng Ba, editors write it without quotes."""
    return same_name(" ".join(_QUOTES_AND_END.sub("", title).split()))


def _period(loc: Locality) -> str:
    start = vn_date(loc.valid_from) if loc.valid_from else "…"
    end = vn_date(loc.valid_to) if loc.valid_to else "nay"
    return f"{start} - {end}"
