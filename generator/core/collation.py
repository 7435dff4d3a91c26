"""Vietnamese collation: a ă â b c d đ e ê ... y, tones ngang < huyền < hỏi < ngã < sắc < nặng.

Written here rather than taken from PyICU because ICU needs a compiled extension and system
headers; the Vietnamese rules are small, fixed and fully covered by tests.
"""

from __future__ import annotations

import unicodedata

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET, start=20)}
# Combining marks that make a new letter (breve, circumflex, horn) vs. the five tones.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str) -> list[tuple[str, int, bool]]:
    """Split text into (base letter, tone rank, is_upper) triples, marks folded in."""
    result: list[tuple[str, int, bool]] = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        tone = 0
        letter_marks = ""
        for mark in marks:
            if mark in _TONE_RANK:
                tone = _TONE_RANK[mark]
            elif mark in _LETTER_MARKS:
                letter_marks += mark
        letter = unicodedata.normalize("NFC", base.lower() + letter_marks)
        result.append((letter, tone, base.isupper()))
    return result


def _primary_rank(letter: str) -> int:
    if letter in _LETTER_RANK:
        return _LETTER_RANK[letter]
    if letter.isspace() or letter in "-–,.;:/()'\"“”":
        return 0  # separators sort first, so "An" < "An Bình" < "Anh"
    if letter.isdigit():
        return 1 + int(letter) if letter.isascii() else 11
    return 100 + ord(letter)


def sort_key(text: str) -> tuple:
    """A key for ``sorted`` that orders Vietnamese text as a dictionary does."""
    letters = _letters(text.strip())
    primary = tuple(_primary_rank(letter) for letter, _, _ in letters)
    tones = tuple(tone for _, tone, _ in letters)
    case = tuple(0 if upper else 1 for _, _, upper in letters)
    return (primary, tones, case, text)


def person_sort_text(full_name: str) -> str:
    """The roster convention: given name first, then family name, then middle names."""
    words = full_name.split()
    if len(words) < 2:
        return full_name
    return " ".join([words[-1], words[0], *words[1:-1]])
