"""Turn raw front matter into a typed ``Profile``, or into precise problems; never raise.

Every problem names the file, the line the YAML gives, the field, a Vietnamese message and
a stable code; near misses on codes get a suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.check.paths import inside_bundle
from generator.check.photos import file_problem
from generator.check.sanitize import safe_markdown
from generator.core.lookup import Lookup
from generator.core.model import (
    KINDS,
    PERSONAL_KINDS,
    STAGES,
    Award,
    ColumnSlot,
    Consent,
    HistoryEntry,
    Photo,
    Problem,
    Profile,
    Replication,
    Source,
    Subject,
)
from generator.load import schema as s
from generator.load.profiles import RawProfile

MAX_SUMMARY_CHARS = 400

# How long each text may be: room for any real title, name or caption, and a bound that every
# layout (headline, share card, press kit, spreadsheet cell) can hold.
TITLE = s.text_field(200)
NAME = s.text_field(150)
SHORT_TEXT = s.text_field(200, optional=True)  # position, organization, sort name
LABEL = s.text_field(300, optional=True)  # consent scope, award title, caption, source title
DECISION = s.text_field(100, optional=True)
CREDIT = s.text_field(150, optional=True)
ALT = s.text_field(300)
NOTE = s.text_field(1000, one_line=False, optional=True)
URL = s.text_field(2000, optional=True)
TAG = s.text_field(50)
SOURCE_TITLE = s.text_field(300)
SUMMARY = s.text_field(None, one_line=False)  # its length has its own rule and code (DH023)
_SENTENCE_END = re.compile(r"[.!?…](?:\s|$)")


class _ProfileChecker:
    def __init__(self, raw: RawProfile, lookup: Lookup):
        self.raw = raw
        self.lookup = lookup
        self.problems: list[Problem] = []

    def problem(self, code: str, message: str, path: tuple = (), suggestion: str = "",
                severity: str = "error") -> None:
        field = ".".join(str(part) for part in path)
        self.problems.append(Problem(code, self.raw.display, message, self.raw.line_of(path), field,
                                     suggestion, severity))

    def value(self, path: tuple, convert: Callable[[Any], Any], required: bool = False, default: Any = None) -> Any:
        data: Any = self.raw.meta.data
        for part in path:
            if isinstance(part, int):
                data = data[part] if isinstance(data, list) and part < len(data) else None
            else:
                data = data.get(part) if isinstance(data, dict) else None
        if data is None:
            if required:
                self.problem("DH020", f"Thiếu trường bắt buộc “{path[-1]}”.", path[:-1])
            return default
        try:
            return convert(data)
        except s.BadValue as error:
            self.problem(error.code, f"Trường “{path[-1]}”: {error.message}", path)
            return default

    def unknown_keys(self, record: dict, specs: tuple[s.FieldSpec, ...], path: tuple) -> None:
        names = [spec.name for spec in specs]
        for key in s.unknown_keys(record, specs):
            hint = Lookup.closest(str(key), names)
            self.problem("DH016", f"Trường “{key}” không có trong mẫu hồ sơ.", path + (key,), hint)

    def records(self, key: str, specs: tuple[s.FieldSpec, ...]) -> list[tuple[tuple, dict]]:
        items = self.value((key,), s.to_list, default=[])
        result = []
        for index, item in enumerate(items):
            path = (key, index)
            if not isinstance(item, dict):
                self.problem("DH021", f"Mỗi mục của “{key}” phải là một nhóm trường (khóa: giá trị).", path)
                continue
            self.unknown_keys(item, specs, path)
            result.append((path, item))
        return result


def validate_profile(raw: RawProfile, lookup: Lookup, slug: str) -> tuple[Profile | None, list[Problem]]:
    c = _ProfileChecker(raw, lookup)
    meta = raw.meta.data
    c.unknown_keys(meta, s.PROFILE_FIELDS, ())

    title = c.value(("title",), TITLE, required=True)
    summary = c.value(("summary",), _summary, required=True)
    subject = _subject(c)
    year = c.value(("year",), s.to_year, required=True)
    stage = c.value(("stage",), s.one_of(STAGES), required=True)
    movement = c.value(("movement",), s.to_text, required=True)
    if movement is not None and not lookup.has_movement(movement):
        c.problem("DH030", f"Không có phong trào mã “{movement}”.", ("movement",), lookup.suggest_movement(movement))
    if movement is not None and year is not None and lookup.has_movement(movement):
        found = lookup.movement(movement)
        if not found.runs_in(year):
            c.problem("DH039", f"Hồ sơ năm {year} nằm ngoài giai đoạn {found.period} của phong trào “{found.name}”; "
                      "kiểm tra lại năm (year) hoặc phong trào.", ("year",), severity="warning")
    locality = _locality(c, ("locality",), year, required=True)
    nominated_by = c.value(("nominated_by",), s.to_text, required=True)
    if nominated_by is not None and not lookup.has_agency(nominated_by):
        c.problem("DH034", f"Không có cơ quan, đơn vị mã “{nominated_by}”.", ("nominated_by",),
                  lookup.suggest_agency(nominated_by))
    consent = _consent(c, subject)
    photos = _photos(c)
    profile_fields = dict(
        consent=consent, nominated_on=c.value(("nominated_on",), s.to_optional_date),
        history=_history(c), awards=_awards(c, subject), replicated_in=_replications(c), photos=photos,
        columns=_column_slots(c), publish_on=c.value(("publish_on",), s.to_optional_date),
        tags=c.value(("tags",), _tags, default=()), sources=_sources(c),
        sample=c.value(("sample",), s.to_bool, default=False))
    if not raw.body.strip():
        c.problem("DH025", "Hồ sơ chưa có nội dung bài viết.", (), severity="warning")
    if summary is not None and summary.strip() == s.PLACEHOLDER_SUMMARY:
        c.problem("DH071", "Tóm tắt vẫn là câu mẫu của “dienhinh new”; hãy viết 1-3 câu về thành tích nổi bật.",
                  ("summary",))
    c.problems += _empty_customary_sections(raw)

    if (any(p.severity == "error" for p in c.problems) or title is None or summary is None or subject is None
            or year is None or stage is None or movement is None or locality is None or nominated_by is None):
        return None, c.problems
    # The story as any Markdown engine may read it: every output takes the body from here.
    return Profile(slug=slug, source_path=Path(raw.display), bundle_dir=raw.bundle_dir, title=title,
                   summary=summary, subject=subject, movement=movement, locality=locality,
                   nominated_by=nominated_by, year=year, stage=stage, body=safe_markdown(raw.body),
                   body_line=raw.body_line,
                   **profile_fields), c.problems


def _tags(value: Any) -> tuple[str, ...]:
    return tuple(TAG(item) for item in s.to_list(value))


_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_ATTRIBUTE_LIST = re.compile(r"\s*\{:?[^}]*\}$")


def _empty_customary_sections(raw: RawProfile) -> list[Problem]:
    """A customary section ("## Thành tích nổi bật") with nothing under it before the next
    heading of its level or above: left as `dienhinh new` wrote it."""
    customary = {name.casefold() for name in s.CUSTOMARY_SECTIONS}
    lines = raw.body.split("\n")
    headings = [(number, len(m.group(1)), _ATTRIBUTE_LIST.sub("", m.group(2)).strip())
                for number, line in enumerate(lines) if (m := _HEADING.match(line))]
    problems = []
    for index, (number, level, name) in enumerate(headings):
        if name.casefold() not in customary:
            continue
        end = next((n for n, lvl, _ in headings[index + 1:] if lvl <= level), len(lines))
        if not "".join(lines[number + 1:end]).strip():
            problems.append(Problem("DH072", raw.display, f"Mục “{name}” còn trống; hãy viết nội dung cho mục này "
                                    "hoặc xóa tiêu đề mục.", raw.body_line + number))
    return problems


def _summary(value: Any) -> str:
    text = SUMMARY(value)
    if len(text) > MAX_SUMMARY_CHARS:
        raise s.BadValue(f"dài {len(text)} ký tự; tối đa {MAX_SUMMARY_CHARS}.", "DH023")
    if len(_SENTENCE_END.findall(text)) > 3:
        raise s.BadValue("tóm tắt chỉ gồm 1-3 câu.", "DH023")
    return text


def _subject(c: _ProfileChecker) -> Subject | None:
    raw = c.value(("subject",), s.to_mapping, required=True)
    if raw is None:
        return None
    c.unknown_keys(raw, s.SUBJECT_FIELDS, ("subject",))
    kind = c.value(("subject", "kind"), s.one_of(KINDS), required=True)
    name = c.value(("subject", "name"), NAME, required=True)
    if kind is None or name is None:
        return None
    return Subject(kind=kind, name=name, position=c.value(("subject", "position"), SHORT_TEXT, default=""),
                   organization=c.value(("subject", "organization"), SHORT_TEXT, default=""),
                   sort_name=c.value(("subject", "sort_name"), SHORT_TEXT, default=""))


def _locality(c: _ProfileChecker, path: tuple, year: int | None, required: bool) -> str | None:
    value = c.value(path, s.to_text, required=required)
    if value is None:
        return None
    found = c.lookup.resolve_locality(value, year)
    if found.problem:
        code, message = found.problem
        c.problem(code, message, path, found.suggestion)
    return found.id


def _consent(c: _ProfileChecker, subject: Subject | None) -> Consent | None:
    raw = c.value(("consent",), s.to_mapping)
    if raw is None:
        if subject and subject.kind in PERSONAL_KINDS:
            c.problem("DH040", "Hồ sơ cá nhân, hộ gia đình phải có “consent” (sự đồng ý công bố); "
                      "chưa có thì hồ sơ không được công bố.", ("subject", "kind"))
        return None
    c.unknown_keys(raw, s.CONSENT_FIELDS, ("consent",))
    consent = Consent(obtained=c.value(("consent", "obtained"), s.to_bool, required=True, default=False),
                      date=c.value(("consent", "date"), s.to_optional_date),
                      scope=c.value(("consent", "scope"), LABEL, default=""),
                      withdrawn=c.value(("consent", "withdrawn"), s.to_bool, default=False))
    if subject and subject.kind in PERSONAL_KINDS:
        if consent.withdrawn:
            c.problem("DH042", "Sự đồng ý đã bị rút lại: hồ sơ được gỡ khỏi mọi trang ở lần dựng sau.",
                      ("consent", "withdrawn"), severity="warning")
        elif not consent.obtained:
            c.problem("DH041", "Chưa có sự đồng ý công bố (consent.obtained: false): hồ sơ không được công bố.",
                      ("consent", "obtained"), severity="warning")
    return consent


def _history(c: _ProfileChecker) -> tuple[HistoryEntry, ...]:
    entries = []
    for path, _ in c.records("history", s.HISTORY_FIELDS):
        date = c.value(path + ("date",), s.to_date, required=True)
        stage = c.value(path + ("stage",), s.one_of(STAGES), required=True)
        if date and stage:
            entries.append(HistoryEntry(date, stage, c.value(path + ("note",), NOTE, default="")))
    return tuple(sorted(entries, key=lambda e: e.date))


def _awards(c: _ProfileChecker, subject: Subject | None) -> tuple[Award, ...]:
    awards = []
    for path, _ in c.records("awards", s.AWARD_FIELDS):
        code = c.value(path + ("code",), s.to_optional_text, default="")
        title = c.value(path + ("title",), LABEL, default="")
        year = c.value(path + ("year",), s.to_optional_year)
        decision = c.value(path + ("decision",), DECISION, default="")
        found = c.lookup.find_award(code or title)
        if code and not found:
            c.problem("DH035", f"Không có danh hiệu, hình thức khen thưởng mã “{code}”.", path + ("code",),
                      c.lookup.suggest_award(code))
        elif not (code or title):
            c.problem("DH020", "Mỗi khen thưởng cần “title” hoặc “code”.", path)
        elif found:
            if subject and found.eligible and subject.kind not in found.eligible:
                c.problem("DH037", f"“{found.name}” không dành cho đối tượng loại “{subject.kind}” "
                          f"(chỉ dành cho: {', '.join(found.eligible)}).", path, severity="warning")
            awards.append(Award(found.name, found.code, year, decision, found.level))
        else:
            awards.append(Award(title, None, year, decision))
    return tuple(awards)


def _replications(c: _ProfileChecker) -> tuple[Replication, ...]:
    result = []
    for path, _ in c.records("replicated_in", s.REPLICATION_FIELDS):
        year = c.value(path + ("year",), s.to_year, required=True)
        locality = _locality(c, path + ("locality",), year, required=True)
        if locality and year:
            result.append(Replication(locality, year, c.value(path + ("note",), NOTE, default="")))
    return tuple(result)


def _photos(c: _ProfileChecker) -> tuple[Photo, ...]:
    """Photos that can be published. A bad one is a warning: the profile goes out without it."""
    photos = []
    for path, item in c.records("photos", s.PHOTO_FIELDS):
        file = c.value(path + ("file",), s.to_text, required=True)
        alt = c.value(path + ("alt",), ALT)
        if item.get("alt") is None:
            c.problem("DH052", "Ảnh thiếu “alt” (mô tả ảnh cho người khiếm thị); ảnh chưa được đăng.", path,
                      severity="warning")
        if file is None or alt is None:
            continue
        problem = inside_bundle(c.raw.bundle_dir, file) or file_problem(c.raw.bundle_dir / file, file)
        if problem:
            c.problem(problem[0], problem[1], path + ("file",), severity="warning")
            continue
        photos.append(Photo(file, alt, c.value(path + ("caption",), LABEL, default=""),
                            c.value(path + ("credit",), CREDIT, default="")))
    return tuple(photos)


def _column_slots(c: _ProfileChecker) -> tuple[ColumnSlot, ...]:
    slots = []
    for path, _ in c.records("columns", s.COLUMN_SLOT_FIELDS):
        code = c.value(path + ("column",), s.to_text, required=True)
        date = c.value(path + ("date",), s.to_date, required=True)
        if code and not c.lookup.has_column(code):
            c.problem("DH036", f"Không có chuyên mục mã “{code}”.", path + ("column",), c.lookup.suggest_column(code))
        elif code and date:
            slots.append(ColumnSlot(code, date))
    return tuple(slots)


def _sources(c: _ProfileChecker) -> tuple[Source, ...]:
    result = []
    for path, _ in c.records("sources", s.SOURCE_FIELDS):
        title = c.value(path + ("title",), SOURCE_TITLE, required=True)
        url = c.value(path + ("url",), URL, default="")
        if url and not re.match(r"^https?://", url):
            c.problem("DH026", "Địa chỉ nguồn phải bắt đầu bằng http:// hoặc https://.", path + ("url",))
        elif title:
            result.append(Source(title, url))
    return tuple(result)

