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


def text_field(limit: int | None, one_line: bool = True, optional: bool = False) -> Callable[[Any], str]:
    """Text of at most ``limit`` characters (None: any length), with no invisible control character; ``one_line``:
    no line break either (a line break in a title would forge a line of the press kit's text)."""
    allowed = frozenset() if one_line else frozenset("\n")

    def convert(value: Any) -> str:
        if optional and (value is None or value == ""):
            return ""
        text = to_text(value)
        for char in text:
            if char in BIDI_CONTROLS:
                raise BadValue(f"có ký tự ẩn U+{ord(char):04X} đảo chiều hiển thị chữ; hãy xóa ký tự này.", "DH029")
            if unicodedata.category(char) == "Cc" and char not in allowed:
                raise BadValue(_control_message(char), "DH028")
        if limit is not None and len(text) > limit:
            raise BadValue(f"dài {len(text):,} ký tự; tối đa {limit:,} ký tự.".replace(",", "."), "DH027")
        return text

    return convert


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


def to_year(value: Any) -> int:
    year = to_int(value)
    if not 1945 <= year <= 2100:
        raise BadValue(f"năm {year} nằm ngoài khoảng hợp lệ 1945-2100.", "DH022")
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


@dataclass(frozen=True)
class FieldSpec:
    """One documented key of a YAML record."""

    name: str
    required: bool
    doc: str  # Vietnamese, shown in the editors' guide


def unknown_keys(record: dict, specs: tuple[FieldSpec, ...]) -> list[str]:
    known = {spec.name for spec in specs}
    return [key for key in record if key not in known]


# --- profile front matter --------------------------------------------------------------------
PROFILE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", True, "Tiêu đề bài giới thiệu."),
    FieldSpec("summary", True, "Tóm tắt 1-3 câu, tối đa 400 ký tự."),
    FieldSpec("subject", True, "Đối tượng: kind, name, position, organization, sort_name."),
    FieldSpec("movement", True, "Mã phong trào thi đua (data/movements.yml)."),
    FieldSpec("locality", True, "Mã địa phương, mã số hành chính hoặc đúng tên tiếng Việt."),
    FieldSpec("nominated_by", True, "Mã cơ quan, đơn vị giới thiệu (data/agencies.yml)."),
    FieldSpec("year", True, "Năm giới thiệu."),
    FieldSpec("stage", True, "Giai đoạn: phat-hien, boi-duong, gioi-thieu, nhan-rong, ton-vinh."),
    FieldSpec("consent", False, "Sự đồng ý của người được giới thiệu: obtained, date, scope, withdrawn."),
    FieldSpec("nominated_on", False, "Ngày giới thiệu."),
    FieldSpec("history", False, "Các mốc: date, stage, note."),
    FieldSpec("awards", False, "Khen thưởng: title (hoặc code), year, decision."),
    FieldSpec("replicated_in", False, "Nơi nhân rộng: locality, year, note."),
    FieldSpec("photos", False, "Ảnh: file, alt (bắt buộc), caption, credit."),
    FieldSpec("columns", False, "Lịch đăng chuyên mục: column, date."),
    FieldSpec("publish_on", False, "Ngày được công bố (trước ngày này không công khai)."),
    FieldSpec("tags", False, "Từ khóa."),
    FieldSpec("sources", False, "Nguồn tư liệu: title, url."),
    FieldSpec("sample", False, "true nếu là dữ liệu minh họa (hư cấu)."),
)

SUBJECT_FIELDS = (
    FieldSpec("kind", True, "ca-nhan (cá nhân), tap-the (tập thể), ho-gia-dinh (hộ gia đình)."),
    FieldSpec("name", True, "Họ tên hoặc tên tập thể, hộ gia đình."),
    FieldSpec("position", False, "Chức vụ, nghề nghiệp."),
    FieldSpec("organization", False, "Cơ quan, đơn vị công tác."),
    FieldSpec("sort_name", False, "Tên dùng để xếp thứ tự: với người, các từ theo thứ tự được so (tên trước)."),
)
CONSENT_FIELDS = (
    FieldSpec("obtained", True, "true khi đã có sự đồng ý bằng văn bản."),
    FieldSpec("date", False, "Ngày đồng ý."),
    FieldSpec("scope", False, "Phạm vi đồng ý (ví dụ: ảnh, sức khỏe, tôn giáo, dân tộc)."),
    FieldSpec("withdrawn", False, "true khi người được giới thiệu rút lại sự đồng ý: hồ sơ bị gỡ."),
)
HISTORY_FIELDS = (FieldSpec("date", True, "Ngày."), FieldSpec("stage", True, "Giai đoạn."),
                  FieldSpec("note", False, "Ghi chú."))
AWARD_FIELDS = (FieldSpec("title", False, "Tên danh hiệu, hình thức khen thưởng."),
                FieldSpec("code", False, "Mã trong data/awards.yml."),
                FieldSpec("year", False, "Năm."), FieldSpec("decision", False, "Số quyết định."))
REPLICATION_FIELDS = (FieldSpec("locality", True, "Địa phương nhân rộng."),
                      FieldSpec("year", True, "Năm."), FieldSpec("note", False, "Ghi chú."))
PHOTO_FIELDS = (FieldSpec("file", True, "Tên tệp ảnh trong cùng thư mục."),
                FieldSpec("alt", True, "Mô tả ảnh cho người khiếm thị."),
                FieldSpec("caption", False, "Chú thích."), FieldSpec("credit", False, "Tác giả ảnh."))
COLUMN_SLOT_FIELDS = (FieldSpec("column", True, "Mã chuyên mục (data/columns.yml)."),
                      FieldSpec("date", True, "Ngày đăng."))
SOURCE_FIELDS = (FieldSpec("title", True, "Tên nguồn."), FieldSpec("url", False, "Địa chỉ."))

NESTED_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "subject": SUBJECT_FIELDS, "consent": CONSENT_FIELDS, "history": HISTORY_FIELDS,
    "awards": AWARD_FIELDS, "replicated_in": REPLICATION_FIELDS, "photos": PHOTO_FIELDS,
    "columns": COLUMN_SLOT_FIELDS, "sources": SOURCE_FIELDS,
}


# The Markdown a profile's body is written in, the same for the site, the press and the book:
# tables, and "sane" lists (a "-" list after a "1." list is a new list, as editors expect, not
# more numbered items). Each output adds only what it needs (heading ids, image sources).
BODY_MARKDOWN_EXTENSIONS = ("tables", "sane_lists")


# What `dienhinh new` writes for the editor to replace (templates/new_profile.md.j2 takes them from
# here): check refuses a bundle that still holds the summary or leaves a customary section empty.
PLACEHOLDER_SUMMARY = "Tóm tắt 1-3 câu về thành tích nổi bật (tối đa 400 ký tự)."
CUSTOMARY_SECTIONS = ("Thành tích nổi bật", "Cách làm hay, sáng tạo", "Hiệu quả và sức lan tỏa")
