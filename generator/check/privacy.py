"""Find personal data that must not be published (Law on Personal Data Protection 2025).

Identifiers (citizen ID, phone, e-mail, exact birth date, house-number address) are never
published; sensitive categories (health, religion, ethnicity) only when the person's consent
scope names them. Every finding names the line and shows the match masked, so the report
itself does not spread the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from generator.core.model import PERSONAL_KINDS, Problem, Profile
from generator.load.profiles import RawProfile
from generator.load.yamlsafe import YamlProblem, parse_yaml

_IDENTIFIERS: tuple[tuple[str, str, re.Pattern], ...] = (
    ("DH080", "số CCCD/CMND", re.compile(
        r"(?i)(?:cccd|cmnd|căn cước|chứng minh(?: nhân dân)?|định danh)\D{0,20}(\d{9}|\d{12})(?!\d)"
        r"|(?<![\d.,])(0[0-9]{2}[0-3][0-9]{8})(?![\d.,])")),
    ("DH081", "số điện thoại", re.compile(
        r"(?<![\d.,])((?:\+84|0)[35789](?:[ .\-]?\d){8}|02\d{2}(?:[ .\-]?\d){7})(?![\d])")),
    ("DH082", "địa chỉ thư điện tử", re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")),
    ("DH083", "ngày sinh đầy đủ", re.compile(
        r"(?i)sinh(?: ngày| ngày sinh|:)?\s*(\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}"
        r"|\d{1,2} tháng \d{1,2} năm \d{4})")),
    ("DH084", "địa chỉ số nhà", re.compile(
        r"(?i)\b(?:số nhà|nhà số|số)\s+\d+[a-z]?(?:/\d+)*\s*,?\s*(?:đường|phố|kiệt|hẻm|ngõ)\b"
        r"|\b(?:kiệt|hẻm|ngõ|ngách)\s+\d+(?:/\d+)*\b")),
)


# Cheap tests that rule most texts out before the full patterns run (check speed at 10,000).
_NINE_DIGITS = re.compile(r"\d(?:[ .\-]?\d){8}")
_MAY_CONTAIN = {
    "DH080": lambda text, folded: _NINE_DIGITS.search(text) is not None,
    "DH081": lambda text, folded: _NINE_DIGITS.search(text) is not None,
    "DH082": lambda text, folded: "@" in text,
    "DH083": lambda text, folded: "sinh" in folded,
    "DH084": lambda text, folded: any(w in folded for w in ("số", "kiệt", "hẻm", "ngõ", "ngách")),
}


@dataclass(frozen=True)
class SensitiveCategory:
    label: str
    scope_keyword: str
    terms: tuple[str, ...]
    pattern: re.Pattern

    def may_match(self, folded: str) -> bool:
        return any(term in folded for term in self.terms)


@dataclass(frozen=True)
class PrivacyRules:
    """data/privacy.yml: sensitive categories, and the words a stated consent.scope needs for photos."""

    sensitive: tuple[SensitiveCategory, ...] = ()
    photo_words: tuple[str, ...] = ()


NO_PRIVACY_RULES = PrivacyRules()


def load_privacy_rules(data_dir: Path) -> PrivacyRules:
    path = data_dir / "privacy.yml"
    if not path.is_file():
        return NO_PRIVACY_RULES
    try:
        data = parse_yaml(path.read_text(encoding="utf-8")).data or {}
    except (YamlProblem, UnicodeDecodeError):
        return NO_PRIVACY_RULES
    categories = []
    for item in data.get("sensitive") or []:
        terms = sorted((str(t) for t in item.get("terms") or []), key=len, reverse=True)
        if terms:
            words = "|".join(re.escape(t) for t in terms)
            categories.append(SensitiveCategory(str(item.get("label", "")), str(item.get("scope_keyword", "")),
                                                tuple(t.casefold() for t in terms),
                                                re.compile(rf"(?i)(?<!\w)({words})(?!\w)")))
    photo_words = tuple(str(w).casefold() for w in (data.get("photos") or {}).get("scope_keywords") or [])
    return PrivacyRules(tuple(categories), photo_words)


def withhold_photos(raw: RawProfile, profile: Profile, rules: PrivacyRules) -> tuple[Profile, list[Problem]]:
    """A person's photos need consent too: a stated consent.scope that names no photo word keeps
    them off the site (a warning; the profile is published without them). No scope: full consent."""
    stated = profile.consent.scope if profile.consent else ""
    scope = stated.casefold()
    if (not profile.photos or profile.subject.kind not in PERSONAL_KINDS or not scope or not rules.photo_words
            or any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", scope) for word in rules.photo_words)):
        return profile, []
    problem = Problem("DH058", raw.display, f"consent.scope (“{stated}”) không nêu "
                      f"“{rules.photo_words[0]}”: ảnh của hồ sơ chưa được đăng. Hãy ghi “{rules.photo_words[0]}” vào "
                      "consent.scope khi người được giới thiệu đã đồng ý công bố ảnh.",
                      raw.line_of(("consent", "scope")), "consent.scope", severity="warning")
    return replace(profile, photos=()), [problem]


def mask(text: str) -> str:
    """Keep the first two and last two characters: enough to find it, not enough to reuse it."""
    if len(text) <= 4:
        return "•" * len(text)
    return text[:2] + "•" * (len(text) - 4) + text[-2:]


def line_at(first_line: int | None, text: str, match: re.Match) -> int | None:
    return None if first_line is None else first_line + text.count("\n", 0, match.start())


def scan_personal_data(raw: RawProfile, profile: Profile,
                       categories: tuple[SensitiveCategory, ...]) -> list[Problem]:
    """Identifiers everywhere; sensitive categories for persons and households, unless in scope."""
    problems = []
    scope = (profile.consent.scope if profile.consent else "").casefold()
    personal = profile.subject.kind in PERSONAL_KINDS
    for line, field, text in raw.texts():
        if field.startswith("sources.") and field.endswith(".url"):
            continue
        folded = text.casefold()
        for code, label, pattern in _IDENTIFIERS:
            if not _MAY_CONTAIN[code](text, folded):
                continue
            for match in pattern.finditer(text):
                found = next((g for g in match.groups() if g), match.group(0))
                problems.append(Problem(code, raw.display, f"Có {label} không được công bố: “{mask(found)}”. "
                                        "Hãy xóa thông tin này khỏi hồ sơ.", line_at(line, text, match), field))
        if not personal:
            continue
        for category in categories:
            if category.scope_keyword.casefold() in scope or not category.may_match(folded):
                continue
            for match in category.pattern.finditer(text):
                problems.append(Problem("DH085", raw.display, f"Có thông tin nhạy cảm về {category.label} "
                                        f"(“{match.group(1)}”) nhưng consent.scope không cho phép; hãy bỏ đi hoặc "
                                        f"ghi “{category.scope_keyword}” vào consent.scope khi người được giới "
                                        "thiệu đã đồng ý.", line_at(line, text, match), field))
    return problems
