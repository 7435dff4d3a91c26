"""The entity index for search: people, collectives, households, localities, movements and columns
by name, with folded keys, and the ranking the search page applies to them.

Pagefind answers full-text queries but cannot rank names as phrases, and does not fold "đ"; this
small index, loaded separately, answers names as the reader types. ``theme/assets/search-index.js``
implements the same folding and ranking in the browser; ``tests/render/test_search.py`` keeps the two
in step. Everything here is pure: catalogue in, plain data out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from generator.core.catalog import Catalog
from generator.core.collation import fold
from generator.core.labels import KIND_LABELS
from generator.core.model import Locality

LOCALITY, MOVEMENT, COLUMN = "dia-phuong", "phong-trao", "chuyen-muc"
ENTITY_KIND_LABELS = {**KIND_LABELS, LOCALITY: "Địa phương", MOVEMENT: "Phong trào", COLUMN: "Chuyên mục"}
# Tie-breaker between equally good matches: places first, then movements, columns, then profiles.
KIND_RANK = {LOCALITY: 0, MOVEMENT: 1, COLUMN: 2, "tap-the": 3, "ho-gia-dinh": 4, "ca-nhan": 5}
COLUMNS_DIR = "tra-cuu/chuyen-muc"
URL_PREFIX = {"ca-nhan": "ho-so/", "tap-the": "ho-so/", "ho-gia-dinh": "ho-so/", LOCALITY: "dia-phuong/",
              MOVEMENT: "phong-trao/", COLUMN: COLUMNS_DIR + "/"}

_WORD = re.compile(r"[^\W_]+")
# "hoà" (old tone placement) and "hòa" are one spelling: a tone on the last of two vowels that end
# a word moves to the first. Not in "quý" (qu- is a consonant), nor "thuận" (â has a mark of its own).
_OLD_TONE_PLACEMENT = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![\w\u0300-\u036f])")


def exact_form(text: str) -> str:
    """NFC, lower case, new-style tone placement: what "the reader's exact diacritics" compares."""
    text = _OLD_TONE_PLACEMENT.sub(r"\1\3\2", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", text).lower()


def words(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of ``text`` twice, aligned: in exact form and folded."""
    exact = tuple(_WORD.findall(exact_form(text)))
    return exact, tuple(fold(w) for w in exact)


def shard_key(folded_word: str) -> str:
    """Which shard of the profile index holds names with this word: its first two letters."""
    return re.sub(r"[^a-z0-9]", "_", folded_word[:2])


@dataclass(frozen=True)
class Entity:
    kind: str  # a profile kind (ca-nhan, tap-the, ho-gia-dinh), or LOCALITY, MOVEMENT, COLUMN
    id: str  # slug, locality id, movement or column code: the URL is URL_PREFIX[kind] + id + "/"
    name: str
    alias: str = ""  # a shorter name that also counts as the whole name ("Điện Bàn")
    place: str = ""  # locality id: where a profile is, the district of a commune
    weight: int = 0  # number of profiles: breaks ties between equally named places

    @property
    def url(self) -> str:
        return f"{URL_PREFIX[self.kind]}{self.id}/"

    @property
    def is_profile(self) -> bool:
        return self.kind in KIND_LABELS


def catalog_entities(catalog: Catalog, localities: Iterable[Locality]) -> tuple[Entity, ...]:
    """Every page a name can lead to: ``localities`` are those that have a page."""
    columns: dict[str, int] = {}
    for p in catalog.profiles:
        for code in {slot.column for slot in p.columns}:
            columns[code] = columns.get(code, 0) + 1
    places = [
        Entity(LOCALITY, loc.id, loc.name, loc.short_name, loc.parent or "", len(catalog.by_locality.get(loc.id, ())))
        for loc in localities
    ]
    movements = [
        Entity(MOVEMENT, m.code, m.name, m.short_name, "", len(catalog.by_movement.get(m.code, ())))
        for m in catalog.movements.values()
    ]
    column_entities = [
        Entity(COLUMN, c.code, c.name, "", "", columns.get(c.code, 0)) for c in catalog.registries.columns
    ]
    profiles = [Entity(p.subject.kind, p.slug, p.subject.name, "", p.locality) for p in catalog.profiles]
    return tuple(places + movements + column_entities + profiles)


# --- ranking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    exact: tuple[str, ...]
    folded: tuple[str, ...]
    last_is_prefix: bool  # the reader may still be typing the last word

    @classmethod
    def parse(cls, text: str) -> Query:
        exact, folded = words(text)
        return cls(exact, folded, bool(exact) and not text[-1:].isspace())


def _word_matches(query_word: str, word: str, prefix: bool) -> bool:
    return word.startswith(query_word) if prefix else word == query_word


def name_match(query: Query, name: str) -> tuple | None:
    """How well ``name`` answers ``query``, as a sort key (smaller is better), or None.

    Groups: 0 a phrase with the reader's exact diacritics, 1 a folded phrase, 2 every word
    somewhere. Then: the whole name before part of it, a finished last word before a prefix,
    more words with exact diacritics, fewer words left over.
    """
    n = len(query.folded)
    if not n:
        return None
    exact, folded = words(name)
    best = None
    for start in range(len(folded) - n + 1):
        last = start + n - 1
        if folded[start:last] != query.folded[:-1] or not _word_matches(
            query.folded[-1], folded[last], query.last_is_prefix
        ):
            continue
        exact_hits = sum(exact[start + i] == query.exact[i] for i in range(n - 1))
        exact_hits += _word_matches(query.exact[-1], exact[last], query.last_is_prefix)
        prefix_only = folded[last] != query.folded[-1]
        key = (0 if exact_hits == n else 1, n != len(folded) or prefix_only, prefix_only, -exact_hits, len(folded) - n)
        best = key if best is None or key < best else best
    if best is not None:
        return best
    if _every_word_somewhere(query, folded):
        return (2, True, True, 0, len(folded) - n)
    return None


def _every_word_somewhere(query: Query, folded: Sequence[str]) -> bool:
    remaining = list(folded)
    for i, q in enumerate(query.folded):
        prefix = query.last_is_prefix and i == len(query.folded) - 1
        hit = next((w for w in remaining if _word_matches(q, w, prefix)), None)
        if hit is None:
            return False
        remaining.remove(hit)
    return True


def entity_match(query: Query, entity: Entity,
                 match: Callable[[Query, str], tuple | None] | None = None) -> tuple | None:
    """The better of ``match`` (``name_match`` unless given) on the entity's name and alias, then
    the entity's own tie-breakers."""
    match = match or name_match
    keys = [k for k in (match(query, entity.name), match(query, entity.alias) if entity.alias else None) if k]
    if not keys:
        return None
    return (*min(keys), KIND_RANK[entity.kind], -entity.weight)


# --- typos -----------------------------------------------------------------------------------------


def typo_budget(letters: int) -> int:
    """How many slips a query of this many letters is forgiven: none under 4 (too many names lie
    one letter from "an"), one up to 6, two beyond."""
    return 0 if letters < 4 else 1 if letters <= 6 else 2


def word_typo_budget(letters: int) -> int:
    """How many of them one word may take: none in a word of one or two letters, one up to six
    ("lna" for "lan"), two beyond."""
    return 0 if letters <= 2 else 1 if letters <= 6 else 2


def edit_distance(typed: str, target: str, shortest: int | None = None) -> int:
    """Letters inserted, deleted, replaced or two neighbours swapped ("lna" for "lan") to turn
    ``typed`` into ``target`` (optimal string alignment). ``shortest``: into the closest prefix of
    ``target`` at least that long, for a word the reader is still typing."""
    rows = [list(range(len(target) + 1))]
    for i in range(1, len(typed) + 1):
        row = [i] + [0] * len(target)
        for j in range(1, len(target) + 1):
            cost = typed[i - 1] != target[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and typed[i - 1] == target[j - 2] and typed[i - 2] == target[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    last = rows[-1]
    return min(last[shortest:]) if shortest is not None else last[-1]


def typo_match(query: Query, name: str) -> tuple | None:
    """How well ``name`` answers a query with slips in it (group 3, below every match of
    ``name_match``), or None: some run of the name's words, as many as the query has, is within
    the query's budget of edits and each word within its own, and one of its words starts with
    the same two letters as the query's word in that place (the browser has that word's shard)."""
    n = len(query.folded)
    budget = typo_budget(sum(len(w) for w in query.folded))
    if not budget:
        return None
    folded = words(name)[1]
    best = None
    for start in range(len(folded) - n + 1):
        window = folded[start:start + n]
        if not any(len(q) >= 2 and shard_key(q) == shard_key(w) for q, w in zip(query.folded, window, strict=True)):
            continue
        distance = 0
        for i, (typed, word) in enumerate(zip(query.folded, window, strict=True)):
            # a word still being typed may be the start of a longer one, never shorter than typed
            still_typing = query.last_is_prefix and i == n - 1
            slips = edit_distance(typed, word, min(len(typed), len(word)) if still_typing else None)
            if slips > word_typo_budget(len(typed)):
                break
            distance += slips
        else:
            if distance <= budget:
                key = (3, distance, n != len(folded), 0, len(folded) - n)
                best = key if best is None or key < best else best
    return best


def rank_entities(entities: Iterable[Entity], text: str, limit: int = 6) -> list[Entity]:
    """The entities that answer ``text``, best first (ties keep the catalogue's order). When no
    name holds the query as a phrase, names within a slip or two of it follow (ties by name, then
    address: the browser has them from several shards, out of the catalogue's order)."""
    query = Query.parse(text)
    entities = list(entities)
    scored = sorted(((key, i, e) for i, e in enumerate(entities) if (key := entity_match(query, e)) is not None),
                    key=lambda item: item[:2])
    found = [e for _, _, e in scored[:limit]]
    if len(found) == limit or any(key[0] < 2 for key, _, _ in scored):
        return found
    matched = {e.url for _, _, e in scored}
    typos = sorted((key, exact_form(e.name), e.url, e) for e in entities
                   if e.url not in matched and (key := entity_match(query, e, typo_match)) is not None)
    return found + [e for *_, e in typos[:limit - len(found)]]


# --- the files the browser loads --------------------------------------------------------------

INDEX_VERSION = 1


def encode_index(entities: Sequence[Entity]) -> tuple[dict, dict[str, list]]:
    """The manifest (kinds, every non-profile entity, shard sizes) and the profile shards.

    Rows are arrays: ``[kind, id, name, alias, place, weight]`` in the manifest, where ``place``
    is the row number of a locality in the manifest (or -1); ``[kind, id, name, place]`` in a
    shard. A profile sits in the shard of each of its words' first two letters, so a query needs
    only the smallest shard among its words.
    """
    kinds = list(ENTITY_KIND_LABELS)
    core = [e for e in entities if not e.is_profile]
    row_of = {e.id: i for i, e in enumerate(core) if e.kind == LOCALITY}
    manifest_rows = [[kinds.index(e.kind), e.id, e.name, e.alias, row_of.get(e.place, -1), e.weight] for e in core]
    shards: dict[str, list] = {}
    for e in entities:
        if e.is_profile:
            row = [kinds.index(e.kind), e.id, e.name, row_of.get(e.place, -1)]
            for key in dict.fromkeys(shard_key(w) for w in words(e.name)[1]):
                shards.setdefault(key, []).append(row)
    manifest = {
        "v": INDEX_VERSION,
        "kinds": kinds,
        "labels": [ENTITY_KIND_LABELS[k] for k in kinds],
        "ranks": [KIND_RANK[k] for k in kinds],
        "prefixes": [URL_PREFIX[k] for k in kinds],
        "core": manifest_rows,
        "shards": {key: len(rows) for key, rows in sorted(shards.items())},
    }
    return manifest, dict(sorted(shards.items()))
