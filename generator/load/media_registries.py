"""Load data/key_dates.yml, data/events.yml and data/editions.yml into ``MediaRegistries``.

In the style of ``registries``: each bad record becomes a ``Problem`` naming the file and
line, the valid records are kept. The three files are optional (a project without a
publication has none). References to profiles are checked later, by ``check_media``,
once every profile is known.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from generator.core.editions import matches_selection
from generator.core.labels import vn_date
from generator.core.lookup import Lookup
from generator.core.media_model import (
    EVENT_KINDS,
    KEY_DATE_KINDS,
    Edition,
    Event,
    KeyDate,
    MediaRegistries,
    Selection,
)
from generator.core.model import STAGES, Problem, Profile, Registries
from generator.load import schema as s
from generator.load.encodings import EncodingProblem, decode_source
from generator.load.registries import AWARD_LEVELS, _display, _Reader

MEDIA_FILES = ("key_dates.yml", "events.yml", "editions.yml")
FOREWORDS_DIR = "forewords"

KEY_DATE_FIELDS = (
    s.FieldSpec("code", True, "Mã ngày, không dấu, nối bằng “-”."),
    s.FieldSpec("name", True, "Tên ngày kỷ niệm, sự kiện."),
    s.FieldSpec("date", True, "“dd/mm” cho ngày hằng năm (ví dụ \"11/06\"), hoặc YYYY-MM-DD cho mốc một lần."),
    s.FieldSpec("kind", True, "quoc-gia, tinh, nganh (ngày truyền thống ngành, đoàn thể) hoặc ke-hoach."),
    s.FieldSpec("since", False, "Năm diễn ra sự kiện gốc, để ghi “kỷ niệm N năm”."),
    s.FieldSpec("until", False, "Năm cuối cùng đánh dấu ngày hằng năm này (bỏ trống: mãi mãi)."),
    s.FieldSpec("movements", False, "Mã các phong trào gắn với ngày này (data/movements.yml)."),
    s.FieldSpec("window", False, "Số ngày trước và sau ngày này tính là “quanh ngày” (mặc định 10)."),
    s.FieldSpec("note", False, "Ghi chú cho biên tập viên."),
)
EVENT_FIELDS = (
    s.FieldSpec("code", True, "Mã sự kiện."),
    s.FieldSpec("name", True, "Tên sự kiện."),
    s.FieldSpec("kind", True, "toa-dam, giao-luu, tham-quan, cuoc-thi-viet, bieu-duong, van-nghe-co-dong."),
    s.FieldSpec("date", True, "Ngày diễn ra (ngày bắt đầu)."),
    s.FieldSpec("end_date", False, "Ngày kết thúc (cuộc thi, chuỗi hoạt động)."),
    s.FieldSpec("place", True, "Địa điểm."),
    s.FieldSpec("locality", False, "Mã địa phương nơi tổ chức (data/localities.yml)."),
    s.FieldSpec("organiser", True, "Mã cơ quan tổ chức (data/agencies.yml) hoặc tên cơ quan."),
    s.FieldSpec("profiles", False, "Tên thư mục các hồ sơ điển hình tham gia."),
    s.FieldSpec("description", False, "Mô tả ngắn."),
)
EDITION_FIELDS = (
    s.FieldSpec("code", True, "Mã ấn phẩm, dùng trong địa chỉ trang và tên tệp tải về."),
    s.FieldSpec("title", True, "Tên ấn phẩm."),
    s.FieldSpec("subtitle", False, "Dòng phụ đề trên bìa."),
    s.FieldSpec("year", True, "Năm của ấn phẩm."),
    s.FieldSpec("publisher", False, "Cơ quan phát hành."),
    s.FieldSpec("place", False, "Nơi phát hành (in trên bìa)."),
    s.FieldSpec("published_on", False, "Ngày phát hành; mặc định 31/12 của năm ấn phẩm."),
    s.FieldSpec("basis", False, "Căn cứ phát hành (quyết định, kế hoạch), in ở trang thông tin xuất bản."),
    s.FieldSpec("foreword", True, "Tên tệp lời nói đầu trong data/forewords/."),
    s.FieldSpec("select", False, "Cách chọn hồ sơ (để trống: mọi hồ sơ đã công bố)."),
)
SELECTION_FIELDS = (
    s.FieldSpec("years", False, "Năm giới thiệu của hồ sơ."),
    s.FieldSpec("stages", False, "Giai đoạn: phat-hien, boi-duong, gioi-thieu, nhan-rong, ton-vinh."),
    s.FieldSpec("movements", False, "Mã phong trào."),
    s.FieldSpec("award_levels", False, "Cấp khen thưởng: co-so, tinh, toan-quoc, nha-nuoc."),
    s.FieldSpec("award_from", False, "Chỉ tính khen thưởng từ năm này."),
    s.FieldSpec("award_to", False, "Chỉ tính khen thưởng đến năm này."),
    s.FieldSpec("profiles", False, "Tên thư mục các hồ sơ luôn được đưa vào."),
)
_DAY_MONTH = re.compile(r"^(\d{1,2})/(\d{1,2})$")
_CODE_LIKE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def load_media_registries(data_dir: Path, root: Path | None, registries: Registries
                          ) -> tuple[MediaRegistries, list[Problem]]:
    root = root or data_dir.parent
    readers = {name: _Reader(data_dir / name, _display(data_dir / name, root))
               for name in MEDIA_FILES if (data_dir / name).is_file()}
    key_dates = _records(readers.get("key_dates.yml"), "key_dates", KEY_DATE_FIELDS, _key_date)
    events = _records(readers.get("events.yml"), "events", EVENT_FIELDS, _event)
    editions = _records(readers.get("editions.yml"), "editions", EDITION_FIELDS,
                        partial(_edition, forewords=data_dir / FOREWORDS_DIR))
    media = MediaRegistries(tuple(sorted(key_dates, key=lambda k: (k.month, k.day, k.year or 0, k.code))),
                            tuple(sorted(events, key=lambda e: (e.date, e.code))), tuple(editions))
    problems = [p for reader in readers.values() for p in reader.problems]
    problems += _cross_references(media, registries, readers, data_dir / FOREWORDS_DIR, root)
    return media, problems


def _records(reader: _Reader | None, key: str, specs: tuple[s.FieldSpec, ...], make) -> list:
    if reader is None:
        return []
    items = []
    for path, record in reader.records(key):
        line = reader.parsed.line_of(path)
        _unknown_keys(reader, record, specs, line)
        if isinstance(record.get("select"), dict):
            _unknown_keys(reader, record["select"], SELECTION_FIELDS, reader.parsed.line_of(path + ("select",)))
        item = reader.build(path, record, partial(make, line=line))
        if item is not None:
            items.append(item)
    return reader.unique(items, "code", key)


def _unknown_keys(reader: _Reader, record: dict, specs: tuple[s.FieldSpec, ...], line: int | None) -> None:
    names = [spec.name for spec in specs]
    for key in s.unknown_keys(record, specs):
        hint = Lookup.closest(str(key), names)
        reader.problem("DH097", f"Trường “{key}” không có trong mẫu danh mục"
                       + (f"; có phải ý bạn là “{hint}”?" if hint else "."), line, str(key))


def _key_date(r: dict, line: int | None) -> KeyDate:
    year, month, day = _day_month_or_date(r["date"])
    window = s.to_int(r.get("window", 10))
    if not 0 <= window <= 60:
        raise s.BadValue(f"“window” phải từ 0 đến 60 ngày, nhưng là {window}.", "DH022")
    return KeyDate(code=s.to_text(r["code"]), name=s.to_text(r["name"]), month=month, day=day,
                   kind=s.one_of(KEY_DATE_KINDS)(r["kind"]), year=year, since=_since(r.get("since")),
                   until=s.to_optional_year(r.get("until")),
                   movements=s.to_text_list(r.get("movements")), window=window,
                   note=s.to_optional_text(r.get("note")))


def _since(value: Any) -> int | None:
    """The commemorated year: may be long before 1945 (19/05/1890), never in the future's future."""
    if value is None or value == "":
        return None
    year = s.to_int(value)
    if not 1000 <= year <= 2100:
        raise s.BadValue(f"“since”: năm {year} không hợp lệ.", "DH022")
    return year


def _day_month_or_date(value: Any) -> tuple[int | None, int, int]:
    """"11/06" is every year; a full date (2025-06-11 or 11/06/2025) happens once."""
    match = _DAY_MONTH.match(value.strip()) if isinstance(value, str) else None
    if not match:
        date = s.to_date(value)
        return date.year, date.month, date.day
    day, month = (int(g) for g in match.groups())
    s.to_date(f"{day}/{month}/2000")  # a leap year, so 29/02 is accepted
    return None, month, day


def _event(r: dict, line: int | None) -> Event:
    date, end = s.to_date(r["date"]), s.to_optional_date(r.get("end_date"))
    if end and end < date:
        raise s.BadValue(f"Ngày kết thúc {vn_date(end)} trước ngày bắt đầu {vn_date(date)}.", "DH022")
    return Event(code=s.to_text(r["code"]), name=s.to_text(r["name"]), kind=s.one_of(EVENT_KINDS)(r["kind"]),
                 date=date, end_date=end, place=s.to_text(r["place"]), organiser=s.to_text(r["organiser"]),
                 locality=s.to_optional_text(r.get("locality")) or None, profiles=s.to_text_list(r.get("profiles")),
                 description=s.to_optional_text(r.get("description")), line=line)


def _edition(r: dict, line: int | None, forewords: Path) -> Edition:
    file = s.to_text(r["foreword"])
    return Edition(code=s.to_text(r["code"]), title=s.to_text(r["title"]), year=s.to_year(r["year"]),
                   selection=_selection(s.to_mapping(r.get("select") or {})), foreword_file=file,
                   foreword=_read_foreword(forewords, file), subtitle=s.to_optional_text(r.get("subtitle")),
                   publisher=s.to_optional_text(r.get("publisher")), place=s.to_optional_text(r.get("place")),
                   published_on=s.to_optional_date(r.get("published_on")), basis=s.LABEL(r.get("basis")), line=line)


def _selection(r: dict) -> Selection:
    award_from, award_to = s.to_optional_year(r.get("award_from")), s.to_optional_year(r.get("award_to"))
    if award_from and award_to and award_from > award_to:
        raise s.BadValue(f"“award_from” ({award_from}) sau “award_to” ({award_to}).", "DH022")
    return Selection(years=tuple(s.to_year(y) for y in s.to_list(r.get("years"))),
                     stages=tuple(s.one_of(STAGES)(x) for x in s.to_list(r.get("stages"))),
                     movements=s.to_text_list(r.get("movements")),
                     award_levels=tuple(s.one_of(AWARD_LEVELS)(x) for x in s.to_list(r.get("award_levels"))),
                     award_from=award_from, award_to=award_to, profiles=s.to_text_list(r.get("profiles")))


def _read_foreword(folder: Path, name: str) -> str:
    """The foreword's Markdown, or "" when it cannot be read (reported by ``_cross_references``)."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        return ""
    try:
        return decode_source(path.read_bytes()).text
    except EncodingProblem:
        return ""


def _cross_references(media: MediaRegistries, reg: Registries, readers: dict[str, _Reader],
                      forewords: Path, root: Path) -> list[Problem]:
    problems: list[Problem] = []
    movements, localities, agencies = reg.movement_by_code(), reg.locality_by_id(), reg.agency_by_code()

    def missing(reader: str, kind: str, value: str, owner: str, line: int | None = None) -> None:
        codes: dict[str, list[str]] = {"phong trào": list(movements), "địa phương": list(localities),
                                       "cơ quan": list(agencies)}
        hint = Lookup.closest(value, codes.get(kind, []))
        problems.append(Problem("DH091", readers[reader].display, f"{owner} tham chiếu {kind} “{value}” không có "
                                "trong danh mục.", line, suggestion=hint))

    for k in media.key_dates:
        for code in k.movements:
            if code not in movements:
                missing("key_dates.yml", "phong trào", code, f"Ngày “{k.code}”")
    for e in media.events:
        if e.locality and e.locality not in localities:
            missing("events.yml", "địa phương", e.locality, f"Sự kiện “{e.code}”", e.line)
        if _CODE_LIKE.match(e.organiser) and e.organiser not in agencies:
            missing("events.yml", "cơ quan", e.organiser, f"Sự kiện “{e.code}”", e.line)
    for ed in media.editions:
        for code in ed.selection.movements:
            if code not in movements:
                missing("editions.yml", "phong trào", code, f"Ấn phẩm “{ed.code}”", ed.line)
        if not ed.foreword.strip():
            where = _display(forewords / ed.foreword_file, root)
            problems.append(Problem("DH095", readers["editions.yml"].display,
                                    f"Ấn phẩm “{ed.code}”: không đọc được lời nói đầu “{where}” (tệp không có, "
                                    "rỗng, nằm ngoài data/forewords/ hoặc không phải UTF-8).", ed.line, "foreword"))
    return problems


def check_media(media: MediaRegistries, profiles: tuple[Profile, ...] | list[Profile],
                data_display: str = "data", refused: Mapping[str, str] | None = None) -> list[Problem]:
    """Cross-checks with every validated profile: named bundles exist, each edition selects some.
    ``refused``: folder name -> file of bundles that exist but check refused; naming one is a
    consequence of that bundle's error, said so and reported after it.

    Run only on a full check; a preview narrowed to some bundles would see false alarms.
    """
    slugs = {p.slug for p in profiles}
    refused = refused or {}

    def missing(file: str, owner: str, slug: str, line: int | None, field: str) -> Problem:
        if slug in refused:
            return Problem("DH096", file, f"{owner} nêu hồ sơ “{slug}”, hồ sơ này chưa dùng được vì có lỗi ở "
                           f"“{refused[slug]}” (xem ở trên); sửa lỗi đó là hết.", line, field,
                           severity="warning", follows=refused[slug])
        return Problem("DH096", file, f"{owner} nêu hồ sơ “{slug}” không có trong profiles/.", line, field)

    problems = []
    for e in media.events:
        problems += [missing(f"{data_display}/events.yml", f"Sự kiện “{e.code}”", slug, e.line, "profiles")
                     for slug in e.profiles if slug not in slugs]
    for ed in media.editions:
        problems += [missing(f"{data_display}/editions.yml", f"Ấn phẩm “{ed.code}”", slug, ed.line, "select.profiles")
                     for slug in ed.selection.profiles if slug not in slugs]
        if not any(matches_selection(ed.selection, p) for p in profiles):
            problems.append(
                Problem(
                    "DH094",
                    f"{data_display}/editions.yml",
                    f"Ấn phẩm “{ed.code}” không chọn được hồ sơ nào; hãy xem lại mục “select”.",
                    ed.line,
                    "select",
                )
            )
    return problems
