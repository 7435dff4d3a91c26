"""Vietnamese collation as ICU's Vietnamese collator orders text, and the roster order of names.

One string: letters a ă â b c d đ e ê ... y first (separators before letters, numbers before
both, compared by value), then the tones ngang < huyền < hỏi < ngã < sắc < nặng left to right,
then case, lower before upper. This is ICU's "vi" collation with numeric ordering on; the
tests hold it to PyICU over thousands of generated names. Written here rather than taken from
PyICU at build time because ICU needs a compiled extension and system headers on every
editor's machine; the rules are small and fixed.

Old and new tone placement ("hoà" and "hòa") are the same name: both sort as the new placement.

A roster compares names word by word in the order of ``roster_words``: for a person the given
name completely (letters, then tones, then case), then the family name, then the middle names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from generator.core.model import PERSONAL_KINDS, RosterRules

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET, start=20)}
# Combining marks that make a new letter (breve, circumflex, horn) vs. the five tones.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_SEPARATOR = 0  # spaces and punctuation, so "An" < "An Bình" < "Anh"
_NUMBER = 1  # a run of digits: this, its length, then its digits (so "2" < "10")
_OTHER = 200  # letters of other alphabets, after ours, by code point

_TONES = "".join(_TONE_RANK)
# A tone on the first vowel of an open "oa", "oe", "uy" (the older placement): "hòa", "khỏe", "thủy".
_OLD_PLACEMENT = re.compile(rf"([oOuU])([{_TONES}])((?<=[oO].)[aAeE]|(?<=[uU].)[yY])(?![^\W\d_]|[\u0300-\u036f])")


def new_tone_placement(text: str) -> str:
    """``text`` in NFC with tones where the new placement puts them: "hòa" → "hoà", "thủy" → "thuỷ"."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _OLD_PLACEMENT.sub(r"\1\3\2", decomposed))


def sort_key(text: str) -> tuple:
    """A key for ``sorted`` that orders Vietnamese text as ICU's Vietnamese collator does."""
    primary: list[int] = []
    tones: list[int] = []
    case: list[int] = []
    for run in re.finditer(r"\d+|\D", new_tone_placement(text.strip())):
        chunk = run.group(0)
        if chunk.isdigit() and chunk.isascii():
            digits = chunk.lstrip("0") or "0"
            primary += [_NUMBER, len(digits), *(int(d) for d in digits)]
            continue
        letter, tone, upper = _letter(chunk)
        primary.append(_rank(letter))
        tones.append(tone)
        case.append(1 if upper else 0)
    return (tuple(primary), tuple(tones), tuple(case))


def _letter(char: str) -> tuple[str, int, bool]:
    """(base letter with its letter marks, tone rank, is upper case)."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    tone = max((_TONE_RANK[m] for m in marks if m in _TONE_RANK), default=0)
    letter = unicodedata.normalize("NFC", base.lower() + "".join(m for m in marks if m in _LETTER_MARKS))
    return letter, tone, base.isupper()


def _rank(letter: str) -> int:
    if letter in _LETTER_RANK:
        return _LETTER_RANK[letter]
    if letter.isspace() or not letter.isalnum():
        return _SEPARATOR
    return _OTHER + ord(letter)


def roster_rules(prefixes: Mapping[str, Iterable[str]]) -> RosterRules:
    """RosterRules from data/roster.yml's lists: folded words, longest prefix first."""
    folded = {kind: sorted({tuple(same_name(w) for w in p.split()) for p in items if p.split()},
                           key=lambda p: (-len(p), p))
              for kind, items in prefixes.items()}
    return RosterRules(tuple((kind, tuple(items)) for kind, items in sorted(folded.items())))


def _prefix_length(rules: RosterRules, kind: str, words: Sequence[str]) -> int:
    folded = tuple(same_name(w) for w in words)
    known = next((items for k, items in rules.prefixes if k == kind), ())
    return next((len(p) for p in known if folded[: len(p)] == p), 0)


def roster_words(name: str, kind: str, rules: RosterRules) -> tuple[str, ...]:
    """The words of ``name`` in the order a roster compares them: the prefix of a household or a
    collective dropped ("Hộ gia đình ông", "Hợp tác xã"), then for people the given name, the
    family name and the middle names."""
    words = name.split()
    words = words[_prefix_length(rules, kind, words):] or words
    if kind in PERSONAL_KINDS and len(words) > 1:
        return (words[-1], words[0], *words[1:-1])
    return (" ".join(words),)


def roster_key(words: Iterable[str]) -> tuple:
    """Word by word: every "Anh" before every "Ánh", whatever their family names."""
    return tuple(sort_key(word) for word in words)


def same_name(text: str) -> str:
    """The key under which spellings of one name meet: any case, either tone placement."""
    return new_tone_placement(text.strip()).casefold()


def fold(text: str) -> str:
    """NFC, lower case, tones and letter marks stripped, đ -> d: "Điện Bàn" -> "dien ban"."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).lower())
    stripped = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return unicodedata.normalize("NFC", stripped).replace("đ", "d")
