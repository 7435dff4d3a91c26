"""Finding a registry entry from what an editor types: a code, a name with or without
diacritics, with "đ" typed as "d", old or new tone placement, or with a typo.

Matches come in three tiers: the code itself; entries whose folded code or name contains the
folded words typed; then near misses ranked by RapidFuzz's weighted ratio (typos, words swapped).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from generator.core.collation import fold

NEAR_MISS_SCORE = 70  # out of 100: below it a candidate is noise, not a typo


@dataclass(frozen=True)
class Choice:
    code: str
    label: str  # the Vietnamese name shown beside the code


def search_key(text: str) -> str:
    """Folded (collation.fold), one space between words."""
    return re.sub(r"[\s\-_]+", " ", fold(text)).strip()


def find_choices(typed: str, choices: Sequence[Choice], limit: int = 10) -> list[Choice]:
    """The choices that answer ``typed``, best first: the exact code alone, else containment
    matches, else near misses."""
    exact = [c for c in choices if c.code == typed.strip()]
    if exact:
        return exact
    query = search_key(typed)
    if not query:
        return []
    keys = [f"{search_key(c.code)} {search_key(c.label)}" for c in choices]
    words = query.split()
    containing = [c for c, key in zip(choices, keys, strict=True) if all(w in key for w in words)]
    if containing:
        return containing[:limit]
    scored = process.extract(query, keys, scorer=fuzz.WRatio, limit=limit, score_cutoff=NEAR_MISS_SCORE)
    return [choices[index] for _, _, index in scored]
