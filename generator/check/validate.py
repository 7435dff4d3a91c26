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
    PERSONAL_KINDS,
    Award,
    ColumnSlot,
    Consent,
    HistoryEntry,
    Photo,
    Problem,
    Profile,
    Replication,
    Subject,
)
from generator.load import schema as s
from generator.load.profiles import RawProfile


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

    def records(self, spec: s.FieldSpec) -> list[tuple[tuple, dict]]:
        """The items of a top-level list of records, each with its path; unknown keys reported."""
        items = self.value((spec.name,), s.to_list, default=[])
        result = []
        for index, item in enumerate(items):
            path = (spec.name, index)
            if not isinstance(item, dict):
                self.problem("DH021", f"Mỗi mục của “{spec.name}” phải là một nhóm trường (khóa: giá trị).", path)
                continue
            self.unknown_keys(item, spec.fields, path)
            result.append((path, item))
        return result

    def values_of(self, path: tuple, specs: tuple[s.FieldSpec, ...]) -> dict[str, Any]:
        """Each key of the record at ``path`` converted by its spec, in the specs' order."""
        return {spec.name: self.value(path + (spec.name,), spec.convert or s.to_text, spec.required, spec.default)
                for spec in specs}

    def record(self, path: tuple, spec: s.FieldSpec) -> Any:
        """The record at ``path`` built by ``spec.record``, or None when a required key has no value."""
        values = self.values_of(path, spec.fields)
        if spec.record is None or any(values[child.name] is None for child in spec.fields if child.required):
            return None
        return spec.record(**values)

    def field(self, spec: s.FieldSpec) -> Any:
        """A top-level key read from its declaration alone (see ``FieldSpec``)."""
        if spec.many:
            return tuple(record for path, _ in self.records(spec) if (record := self.record(path, spec)) is not None)
        if spec.fields:
            mapping = self.value((spec.name,), s.to_mapping, spec.required)
            if mapping is None:
                return None
            self.unknown_keys(mapping, spec.fields, (spec.name,))
            return self.record((spec.name,), spec)
        if spec.convert is None:
            raise TypeError(f"front-matter key {spec.name!r} has neither a converter nor its own reader")
        return self.value((spec.name,), spec.convert, spec.required, spec.default)


def validate_profile(raw: RawProfile, lookup: Lookup, slug: str) -> tuple[Profile | None, list[Problem]]:
    c = _ProfileChecker(raw, lookup)
    c.unknown_keys(raw.meta.data, s.PROFILE_FIELDS, ())
    values: dict[str, Any] = {}
    for spec in s.PROFILE_FIELDS:
        own_reader = _OWN_READERS.get(spec.name)
        values[spec.name] = own_reader(c, spec, values) if own_reader else c.field(spec)
    if not raw.body.strip():
        c.problem("DH025", "Hồ sơ chưa có nội dung bài viết.", (), severity="warning")
    if values["summary"] is not None and values["summary"].strip() == s.PLACEHOLDER_SUMMARY:
        c.problem("DH071", "Tóm tắt vẫn là câu mẫu của “dienhinh new”; hãy viết 1-3 câu về thành tích nổi bật.",
                  ("summary",))
    c.problems += _empty_customary_sections(raw)

    if (any(p.severity == "error" for p in c.problems)
            or any(values[spec.name] is None for spec in s.PROFILE_FIELDS if spec.required)):
        return None, c.problems
    # The story as any Markdown engine may read it: every output takes the body from here.
    return Profile(slug=slug, source_path=Path(raw.display), bundle_dir=raw.bundle_dir,
                   body=safe_markdown(raw.body), body_line=raw.body_line, **values), c.problems


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


def _movement(c: _ProfileChecker, spec: s.FieldSpec, values: dict[str, Any]) -> str | None:
    movement = c.value(("movement",), s.to_text, required=True)
    if movement is None:
        return None
    if not c.lookup.has_movement(movement):
        c.problem("DH030", f"Không có phong trào mã “{movement}”.", ("movement",), c.lookup.suggest_movement(movement))
    elif values["year"] is not None and not (found := c.lookup.movement(movement)).runs_in(values["year"]):
        c.problem("DH039", f"Hồ sơ năm {values['year']} nằm ngoài giai đoạn {found.period} của phong trào "
                  f"“{found.name}”; kiểm tra lại năm (year) hoặc phong trào.", ("year",), severity="warning")
    return movement


def _nominated_by(c: _ProfileChecker, spec: s.FieldSpec, values: dict[str, Any]) -> str | None:
    nominated_by = c.value(("nominated_by",), s.to_text, required=True)
    if nominated_by is not None and not c.lookup.has_agency(nominated_by):
        c.problem("DH034", f"Không có cơ quan, đơn vị mã “{nominated_by}”.", ("nominated_by",),
                  c.lookup.suggest_agency(nominated_by))
    return nominated_by


def _locality(c: _ProfileChecker, spec: s.FieldSpec, values: dict[str, Any]) -> str | None:
    return _resolved_locality(c, ("locality",), c.value(("locality",), s.to_text, required=True), values["year"])


def _resolved_locality(c: _ProfileChecker, path: tuple, text: str | None, year: int | None) -> str | None:
    """The locality's id for a code, administrative number or Vietnamese name valid in ``year``."""
    if text is None:
        return None
    found = c.lookup.resolve_locality(text, year)
    if found.problem:
        code, message = found.problem
        c.problem(code, message, path, found.suggestion)
    return found.id


def _consent(c: _ProfileChecker, spec: s.FieldSpec, values: dict[str, Any]) -> Consent | None:
    subject: Subject | None = values["subject"]
    personal = subject is not None and subject.kind in PERSONAL_KINDS
    consent: Consent | None = c.field(spec)
    if consent is None and personal:
        c.problem("DH040", "Hồ sơ cá nhân, hộ gia đình phải có “consent” (sự đồng ý công bố); "
                  "chưa có thì hồ sơ không được công bố.", ("subject", "kind"))
    elif consent is not None and personal:
        if consent.withdrawn:
            c.problem("DH042", "Sự đồng ý đã bị rút lại: hồ sơ được gỡ khỏi mọi trang ở lần dựng sau.",
                      ("consent", "withdrawn"), severity="warning")
        elif not consent.obtained:
            c.problem("DH041", "Chưa có sự đồng ý công bố (consent.obtained: false): hồ sơ không được công bố.",
                      ("consent", "obtained"), severity="warning")
    return consent


def _history(c: _ProfileChecker, spec: s.FieldSpec, values: dict[str, Any]) -> tuple[HistoryEntry, ...]:
    entries: tuple[HistoryEntry, ...] = c.field(spec)
    return tuple(sorted(entries, key=lambda entry: entry.date))


def _awards(c: _ProfileChecker, spec: s.FieldSpec, values: dict[str, Any]) -> tuple[Award, ...]:
    subject: Subject | None = values["subject"]
    awards = []
    for path, _ in c.records(spec):
        award = c.values_of(path, spec.fields)
        code, title = award["code"], award["title"]
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
            awards.append(Award(found.name, found.code, award["year"], award["decision"], found.level))
        else:
            awards.append(Award(title, None, award["year"], award["decision"]))
    return tuple(awards)


def _replications(c: _ProfileChecker, spec: s.FieldSpec, values: dict[str, Any]) -> tuple[Replication, ...]:
    result = []
    for path, _ in c.records(spec):
        place = c.values_of(path, spec.fields)
        locality = _resolved_locality(c, path + ("locality",), place["locality"], place["year"])
        if locality and place["year"]:
            result.append(Replication(locality, place["year"], place["note"]))
    return tuple(result)


def _photos(c: _ProfileChecker, spec: s.FieldSpec, values: dict[str, Any]) -> tuple[Photo, ...]:
    """Photos that can be published. A bad one is a warning: the profile goes out without it."""
    photos = []
    for path, item in c.records(spec):
        # The guide asks for "alt", but a photo without it is a warning (DH052), not a missing key's error.
        photo = c.values_of(path, tuple(child for child in spec.fields if child.name != "alt"))
        photo["alt"] = c.value(path + ("alt",), s.ALT)
        if item.get("alt") is None:
            c.problem("DH052", "Ảnh thiếu “alt” (mô tả ảnh cho người khiếm thị); ảnh chưa được đăng.", path,
                      severity="warning")
        if photo["file"] is None or photo["alt"] is None:
            continue
        problem = inside_bundle(c.raw.bundle_dir, photo["file"]) or file_problem(c.raw.bundle_dir / photo["file"],
                                                                                 photo["file"])
        if problem:
            c.problem(problem[0], problem[1], path + ("file",), severity="warning")
            continue
        photos.append(Photo(**photo))
    return tuple(photos)


def _column_slots(c: _ProfileChecker, spec: s.FieldSpec, values: dict[str, Any]) -> tuple[ColumnSlot, ...]:
    slots = []
    for path, _ in c.records(spec):
        slot = c.values_of(path, spec.fields)
        if slot["column"] and not c.lookup.has_column(slot["column"]):
            c.problem("DH036", f"Không có chuyên mục mã “{slot['column']}”.", path + ("column",),
                      c.lookup.suggest_column(slot["column"]))
        elif slot["column"] and slot["date"]:
            slots.append(ColumnSlot(slot["column"], slot["date"]))
    return tuple(slots)


# Keys that need the registries or another key: each has its own reader; every other key is read
# from its FieldSpec alone.
_OWN_READERS: dict[str, Callable[[_ProfileChecker, s.FieldSpec, dict[str, Any]], Any]] = {
    "movement": _movement, "locality": _locality, "nominated_by": _nominated_by, "consent": _consent,
    "history": _history, "awards": _awards, "replicated_in": _replications, "photos": _photos,
    "columns": _column_slots,
}
