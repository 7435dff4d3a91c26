"""Field types: each turns a raw YAML value into a typed value or a precise Vietnamese message.

One small converter per kind of value (in the manner of Lektor's field types). The registry
and profile schemas below are declared once, with the documentation an editor reads; the
editors' guide is checked against them by a test.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.core.model import KINDS, STAGES, Consent, HistoryEntry, Source, Subject


class BadValue(Exception):
    """A value that cannot be converted; ``code`` is a stable DHxxx code."""

    def __init__(self, message: str, code: str = "DH021"):
        super().__init__(message)
        self.code = code
        self.message = message


def _type_name(value: Any) -> str:
    names = {str: "chuỗi văn bản", int: "số nguyên", float: "số thực", bool: "đúng/sai",
             list: "danh sách", dict: "nhóm trường", dt.date: "ngày", dt.datetime: "ngày giờ"}
    return names.get(type(value), "giá trị rỗng" if value is None else type(value).__name__)


def to_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise BadValue(f"cần một chuỗi văn bản, nhưng nhận được {_type_name(value)}.")
    text = str(value).strip()
    if not text:
        raise BadValue("không được để trống.", "DH020")
    return text


def to_optional_text(value: Any) -> str:
    return "" if value is None or value == "" else to_text(value)


# Unicode's bidirectional embedding, override and isolate controls: invisible, they reorder what
# a reader sees (U+202E turns "gpj.exe" into "exe.jpg"), and Vietnamese text never needs them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class TextRule:
    """Text of at most ``limit`` characters (None: any length), with no invisible control character;
    ``one_line``: no line break either (a line break in a title would forge a line of the press
    kit's text). A value, not a closure, so that the web editor's form states the same limits."""

    limit: int | None
    one_line: bool = True
    optional: bool = False

    def __call__(self, value: Any) -> str:
        if self.optional and (value is None or value == ""):
            return ""
        text = to_text(value)
        allowed = frozenset() if self.one_line else frozenset("\n")
        for char in text:
            if char in BIDI_CONTROLS:
                raise BadValue(f"có ký tự ẩn U+{ord(char):04X} đảo chiều hiển thị chữ; hãy xóa ký tự này.", "DH029")
            if unicodedata.category(char) == "Cc" and char not in allowed:
                raise BadValue(_control_message(char), "DH028")
        if self.limit is not None and len(text) > self.limit:
            raise BadValue(f"dài {len(text):,} ký tự; tối đa {self.limit:,} ký tự.".replace(",", "."), "DH027")
        return text


def _control_message(char: str) -> str:
    if char in "\r\n":
        return "chỉ được viết trên một dòng (có ký tự xuống dòng)."
    return f"có ký tự điều khiển ẩn U+{ord(char):04X}; hãy xóa ký tự này."


def to_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        raise BadValue(f"cần một số nguyên, nhưng nhận được {_type_name(value)}.")
    return value


YEARS = (1945, 2100)  # the years a profile, an award or a replication may name (the web form states them too)


def to_year(value: Any) -> int:
    year = to_int(value)
    first, last = YEARS
    if not first <= year <= last:
        raise BadValue(f"năm {year} nằm ngoài khoảng hợp lệ {first}-{last}.", "DH022")
    return year


def to_optional_year(value: Any) -> int | None:
    return None if value is None or value == "" else to_year(value)


_DATE_VN = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def to_date(value: Any) -> dt.date:
    """YAML dates (2024-02-15) and the Vietnamese dd/mm/yyyy form are both accepted."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        match = _DATE_VN.match(text)
        try:
            if match:
                day, month, year = (int(g) for g in match.groups())
                return dt.date(year, month, day)
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        raise BadValue(f"“{text}” không phải ngày hợp lệ (viết YYYY-MM-DD, ví dụ 2024-02-15).", "DH022")
    raise BadValue(f"cần một ngày (YYYY-MM-DD), nhưng nhận được {_type_name(value)}.", "DH022")


def to_optional_date(value: Any) -> dt.date | None:
    return None if value is None or value == "" else to_date(value)


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise BadValue(f"cần true hoặc false, nhưng nhận được {_type_name(value)}.")


def to_list(value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadValue(f"cần một danh sách (mỗi mục bắt đầu bằng “- ”), nhưng nhận được {_type_name(value)}.")
    return value


def to_text_list(value: Any) -> tuple[str, ...]:
    return tuple(to_text(item) for item in to_list(value))


def to_mapping(value: Any) -> dict:
    if not isinstance(value, dict):
        raise BadValue(f"cần một nhóm trường (khóa: giá trị), nhưng nhận được {_type_name(value)}.")
    return value


def one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        text = to_text(value)
        if text not in choices:
            raise BadValue(f"“{text}” không hợp lệ; chỉ nhận: {', '.join(choices)}.", "DH024")
        return text

    return convert


def web_address(value: Any) -> str:
    text = URL(value)
    if text and not re.match(r"^https?://", text):
        raise BadValue("địa chỉ phải bắt đầu bằng http:// hoặc https://.", "DH026")
    return text


def text_list(item: Callable[[Any], str]) -> Callable[[Any], tuple[str, ...]]:
    def convert(value: Any) -> tuple[str, ...]:
        return tuple(item(entry) for entry in to_list(value))

    return convert


MAX_SUMMARY_CHARS = 400
_SENTENCE_END = re.compile(r"[.!?…](?:\s|$)")


def summary_text(value: Any) -> str:
    text = SUMMARY(value)
    if len(text) > MAX_SUMMARY_CHARS:
        raise BadValue(f"dài {len(text)} ký tự; tối đa {MAX_SUMMARY_CHARS}.", "DH023")
    if len(_SENTENCE_END.findall(text)) > 3:
        raise BadValue("tóm tắt chỉ gồm 1-3 câu.", "DH023")
    return text


# How long each text may be: room for any real title, name or caption, and a bound that every
# layout (headline, share card, press kit, spreadsheet cell) can hold.
TITLE = TextRule(200)
NAME = TextRule(150)
SHORT_TEXT = TextRule(200, optional=True)  # position, organization, sort name
LABEL = TextRule(300, optional=True)  # consent scope, award title, caption
DECISION = TextRule(100, optional=True)
CREDIT = TextRule(150, optional=True)
ALT = TextRule(300)
NOTE = TextRule(1000, one_line=False, optional=True)
URL = TextRule(2000, optional=True)
TAG = TextRule(50)
SOURCE_TITLE = TextRule(300)
SUMMARY = TextRule(None, one_line=False)  # its length has its own rule and code (DH023)


@dataclass(frozen=True)
class FieldSpec:
    """One documented key of a YAML record, and how its value is read.

    A key with a ``convert`` (or with ``fields`` and a ``record``) is read by the validator from
    this declaration alone: adding such a field to a profile takes this line, the model's
    attribute of the same name, the template that shows it and the guide, and no validator code.
    A key without them needs the registries or other keys, and has its own code in
    ``check/validate.py``.
    """

    name: str
    required: bool
    doc: str  # Vietnamese, shown in the editors' guide
    convert: Callable[[Any], Any] | None = None
    default: Any = None  # the value when the key is absent (or refused, with a problem)
    fields: tuple[FieldSpec, ...] = ()  # the keys of a nested record
    record: Callable[..., Any] | None = None  # builds one record from its converted ``fields``
    many: bool = False  # a list of records rather than one


def unknown_keys(record: dict, specs: tuple[FieldSpec, ...]) -> list[str]:
    known = {spec.name for spec in specs}
    return [key for key in record if key not in known]


# --- profile front matter --------------------------------------------------------------------
SUBJECT_FIELDS = (
    FieldSpec("kind", True, "ca-nhan (cá nhân), tap-the (tập thể), ho-gia-dinh (hộ gia đình).", one_of(KINDS)),
    FieldSpec("name", True, "Họ tên hoặc tên tập thể, hộ gia đình.", NAME),
    FieldSpec("position", False, "Chức vụ, nghề nghiệp.", SHORT_TEXT, ""),
    FieldSpec("organization", False, "Cơ quan, đơn vị công tác.", SHORT_TEXT, ""),
    FieldSpec("sort_name", False, "Tên dùng để xếp thứ tự: với người, các từ theo thứ tự được so (tên trước).",
              SHORT_TEXT, ""),
)
CONSENT_FIELDS = (
    FieldSpec("obtained", True, "true khi đã có sự đồng ý bằng văn bản.", to_bool, False),
    FieldSpec("date", False, "Ngày đồng ý.", to_optional_date),
    FieldSpec("scope", False, "Phạm vi đồng ý (ví dụ: ảnh, sức khỏe, tôn giáo, dân tộc).", LABEL, ""),
    FieldSpec("withdrawn", False, "true khi người được giới thiệu rút lại sự đồng ý: hồ sơ bị gỡ.", to_bool, False),
)
HISTORY_FIELDS = (FieldSpec("date", True, "Ngày.", to_date), FieldSpec("stage", True, "Giai đoạn.", one_of(STAGES)),
                  FieldSpec("note", False, "Ghi chú.", NOTE, ""))
AWARD_FIELDS = (FieldSpec("code", False, "Mã trong data/awards.yml.", to_optional_text, ""),
                FieldSpec("title", False, "Tên danh hiệu, hình thức khen thưởng.", LABEL, ""),
                FieldSpec("year", False, "Năm.", to_optional_year),
                FieldSpec("decision", False, "Số quyết định.", DECISION, ""))
REPLICATION_FIELDS = (FieldSpec("year", True, "Năm.", to_year),
                      FieldSpec("locality", True, "Địa phương nhân rộng.", to_text),
                      FieldSpec("note", False, "Ghi chú.", NOTE, ""))
PHOTO_FIELDS = (FieldSpec("file", True, "Tên tệp ảnh trong cùng thư mục.", to_text),
                FieldSpec("alt", True, "Mô tả ảnh cho người khiếm thị.", ALT),
                FieldSpec("caption", False, "Chú thích.", LABEL, ""),
                FieldSpec("credit", False, "Tác giả ảnh.", CREDIT, ""))
COLUMN_SLOT_FIELDS = (FieldSpec("column", True, "Mã chuyên mục (data/columns.yml).", to_text),
                      FieldSpec("date", True, "Ngày đăng.", to_date))
SOURCE_FIELDS = (FieldSpec("title", True, "Tên nguồn.", SOURCE_TITLE),
                 FieldSpec("url", False, "Địa chỉ.", web_address, ""))

# In the order the validator reads them: a key that needs another (the locality needs the year)
# comes after it, and problems are listed in this order.
PROFILE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", True, "Tiêu đề bài giới thiệu.", TITLE),
    FieldSpec("summary", True, "Tóm tắt 1-3 câu, tối đa 400 ký tự.", summary_text),
    FieldSpec("subject", True, "Đối tượng: kind, name, position, organization, sort_name.",
              fields=SUBJECT_FIELDS, record=Subject),
    FieldSpec("year", True, "Năm giới thiệu.", to_year),
    FieldSpec("stage", True, "Giai đoạn: phat-hien, boi-duong, gioi-thieu, nhan-rong, ton-vinh.", one_of(STAGES)),
    FieldSpec("movement", True, "Mã phong trào thi đua (data/movements.yml)."),
    FieldSpec("locality", True, "Mã địa phương, mã số hành chính hoặc đúng tên tiếng Việt."),
    FieldSpec("nominated_by", True, "Mã cơ quan, đơn vị giới thiệu (data/agencies.yml)."),
    FieldSpec("consent", False, "Sự đồng ý của người được giới thiệu: obtained, date, scope, withdrawn.",
              fields=CONSENT_FIELDS, record=Consent),
    FieldSpec("nominated_on", False, "Ngày giới thiệu.", to_optional_date),
    FieldSpec("history", False, "Các mốc: date, stage, note.", fields=HISTORY_FIELDS, record=HistoryEntry, many=True),
    FieldSpec("awards", False, "Khen thưởng: title (hoặc code), year, decision.", fields=AWARD_FIELDS, many=True),
    FieldSpec("replicated_in", False, "Nơi nhân rộng: locality, year, note.", fields=REPLICATION_FIELDS, many=True),
    FieldSpec("photos", False, "Ảnh: file, alt (bắt buộc), caption, credit.", fields=PHOTO_FIELDS, many=True),
    FieldSpec("columns", False, "Lịch đăng chuyên mục: column, date.", fields=COLUMN_SLOT_FIELDS, many=True),
    FieldSpec("publish_on", False, "Ngày được công bố (trước ngày này không công khai).", to_optional_date),
    FieldSpec("tags", False, "Từ khóa.", text_list(TAG), ()),
    FieldSpec("sources", False, "Nguồn tư liệu: title, url.", fields=SOURCE_FIELDS, record=Source, many=True),
    FieldSpec("sample", False, "true nếu là dữ liệu minh họa (hư cấu).", to_bool, False),
)

NESTED_FIELDS: dict[str, tuple[FieldSpec, ...]] = {spec.name: spec.fields for spec in PROFILE_FIELDS if spec.fields}


# The Markdown a profile's body is written in, the same for the site, the press and the book:
# tables, and "sane" lists (a "-" list after a "1." list is a new list, as editors expect, not
# more numbered items). Each output adds only what it needs (heading ids, image sources).
BODY_MARKDOWN_EXTENSIONS = ("tables", "sane_lists")


# What `dienhinh new` writes for the editor to replace (templates/new_profile.md.j2 takes them from
# here): check refuses a bundle that still holds the summary or leaves a customary section empty.
PLACEHOLDER_SUMMARY = "Tóm tắt 1-3 câu về thành tích nổi bật (tối đa 400 ký tự)."
CUSTOMARY_SECTIONS = ("Thành tích nổi bật", "Cách làm hay, sáng tạo", "Hiệu quả và sức lan tỏa")
