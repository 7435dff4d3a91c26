"""A scratch project for the media tests: the mini registries with dated columns, state-level
awards, key dates, events, editions with a foreword, and profiles whose names test Vietnamese
order ("Nguyễn Văn Anh" < "Nguyễn Văn Ánh", "Phạm Dũng" < "Lê Đức")."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml
from PIL import Image

from conftest import MINI, ScratchProject

TODAY = dt.date(2026, 1, 15)

COLUMNS = {
    "outlets": [{"code": "bao-quang-nam", "name": "Báo Quảng Nam"}],
    "columns": [
        {"code": "guong-nguoi-tot-viec-tot", "name": "Gương người tốt, việc tốt", "outlets": ["bao-quang-nam"],
         "cadence": "Hằng tuần", "description": "Những tấm gương bình dị.", "active_from": "2024-01-01"},
        {"code": "nhan-to-moi", "name": "Nhân tố mới", "outlets": ["bao-quang-nam"],
         "active_from": "2024-01-01", "active_to": "2025-12-31"},
    ],
}
STATE_AWARDS = [
    {"code": "bang-khen-thu-tuong", "name": "Bằng khen của Thủ tướng Chính phủ", "form": "khen-thuong",
     "level": "nha-nuoc", "for": ["ca-nhan", "tap-the", "ho-gia-dinh"], "order": 30},
    {"code": "huan-chuong-lao-dong-hang-ba", "name": "Huân chương Lao động hạng Ba", "form": "khen-thuong",
     "level": "nha-nuoc", "for": ["ca-nhan", "tap-the"], "order": 40},
]
KEY_DATES = [
    {"code": "tai-lap-tinh", "name": "Ngày tái lập tỉnh Quảng Nam", "date": "01/01", "kind": "tinh",
     "since": 1997, "until": 2025},
    {"code": "bien-phong", "name": "Ngày Biên phòng toàn dân", "date": "03/03", "kind": "nganh", "window": 5},
    {"code": "loi-keu-goi-thi-dua", "name": "Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc",
     "date": "11/06", "kind": "quoc-gia", "since": 1948},
    {"code": "tong-ket-nong-thon-moi", "name": "Tổng kết phong trào nông thôn mới", "date": "2025-12-22",
     "kind": "ke-hoach", "movements": ["nong-thon-moi"]},
]
EVENTS = [
    {"code": "toa-dam-2025", "name": "Tọa đàm “Nông thôn mới”", "kind": "toa-dam", "date": "2025-06-10",
     "place": "Hội trường thị xã", "locality": "dien-ban", "organiser": "so-nnptnt",
     "profiles": ["nguyen-van-anh", "chua-dong-y"]},
    {"code": "thi-viet-2025", "name": "Cuộc thi viết về gương người tốt", "kind": "cuoc-thi-viet",
     "date": "2025-05-19", "end_date": "2025-09-02", "place": "Toàn tỉnh", "organiser": "Ban Tuyên giáo Tỉnh ủy"},
]
EDITIONS = [
    {"code": "nam-2024", "title": "Điển hình tiên tiến năm 2024", "year": 2024, "foreword": "loi-noi-dau.md",
     "publisher": "Sở Nội vụ tỉnh Quảng Nam", "select": {"years": [2024]},
     "basis": "Kế hoạch ban hành kèm theo Quyết định số 658/QĐ-UBND ngày 03 tháng 4 năm 2023"},
    {"code": "ky-yeu", "title": "Kỷ yếu khen thưởng cấp Nhà nước 2020 - 2025", "year": 2025,
     "foreword": "loi-noi-dau.md", "select": {"award_levels": ["nha-nuoc"], "award_from": 2020, "award_to": 2025}},
]
FOREWORD = "Ấn phẩm giới thiệu những tấm gương tiêu biểu.\n\n## Cách đọc\n\nXếp theo phong trào, địa phương.\n"
BODY = ("## Thành tích nổi bật\n\nNội dung về thành tích, có dấu: Quảng Nam, Điện Bàn, ươm mầm.\n\n"
        "## Cách làm hay\n\nMô tả cách làm.\n")
# slug -> changes to conftest.VALID_PROFILE (Nguyễn Văn An, Điện Phước, nông thôn mới, 2024)
PROFILES = {
    "nguyen-van-anh": {"subject": {"kind": "ca-nhan", "name": "Nguyễn Văn Ánh"},
        "columns": [{"column": "guong-nguoi-tot-viec-tot", "date": "2025-06-05"}],
        "awards": [{"code": "bang-khen-thu-tuong", "year": 2021}],
        "photos": [{"file": "anh.jpg", "alt": "Ông Ánh bên vườn quế", "credit": "Báo Quảng Nam"}]},
    "nguyen-van-anh-thon-hai": {"subject": {"kind": "ca-nhan", "name": "Nguyễn Văn Anh"},
        "columns": [{"column": "guong-nguoi-tot-viec-tot", "date": "2026-03-01"}]},
    "le-duc": {"subject": {"kind": "ca-nhan", "name": "Lê Đức"}, "stage": "ton-vinh",
        "columns": [{"column": "nhan-to-moi", "date": "2025-03-20"}]},
    "pham-dung": {"subject": {"kind": "ca-nhan", "name": "Phạm Dũng"}},
    "vo-thi-be": {"subject": {"kind": "ca-nhan", "name": "Võ Thị Bé"}, "locality": "an-phu",
        "columns": [{"column": "guong-nguoi-tot-viec-tot", "date": "2025-06-05"}]},
    "htx-dien-ban": {"subject": {"kind": "tap-the", "name": "Hợp tác xã Điện Bàn"}, "consent": None,
        "locality": "dien-ban", "nominated_by": "so-nnptnt",
        "awards": [{"code": "bang-khen-thu-tuong", "year": 2019}]},
    "do-van-on": {"subject": {"kind": "ca-nhan", "name": "Đỗ Văn Ơn"}, "locality": "tam-ky",
        "nominated_by": "ubnd-tam-ky",
        "columns": [{"column": "guong-nguoi-tot-viec-tot", "date": "2025-12-20"}]},
    "ho-thi-ut": {"subject": {"kind": "ca-nhan", "name": "Hồ Thị Út"}, "locality": "an-phu-tam-ky", "year": 2025,
        "movement": "dan-van-kheo", "nominated_by": "ban-dan-van",
        "awards": [{"code": "huan-chuong-lao-dong-hang-ba", "year": 2024}]},
    "chua-dong-y": {"subject": {"kind": "ca-nhan", "name": "Người Chưa Đồng Ý"}, "consent": {"obtained": False}},
}
# The book order: movement, district (district-level first), commune, then roster order of names.
BOOK_ORDER = ["Hợp tác xã Điện Bàn", "Nguyễn Văn Anh", "Nguyễn Văn Ánh", "Phạm Dũng", "Lê Đức", "Võ Thị Bé",
              "Đỗ Văn Ơn", "Hồ Thị Út"]


def write_yaml(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_photo(path: Path, size=(1200, 800), colour=(180, 40, 40)) -> None:
    Image.new("RGB", size, colour).save(path, "JPEG", quality=80)


def make_media_project(root: Path, editions=EDITIONS) -> ScratchProject:
    shutil.copytree(MINI, root, dirs_exist_ok=True)
    project = ScratchProject(root)
    data = root / "data"
    write_yaml(data / "columns.yml", COLUMNS)
    awards = yaml.safe_load((data / "awards.yml").read_text(encoding="utf-8"))
    write_yaml(data / "awards.yml", {"awards": awards["awards"] + STATE_AWARDS})
    write_yaml(data / "key_dates.yml", {"key_dates": KEY_DATES})
    write_yaml(data / "events.yml", {"events": EVENTS})
    write_yaml(data / "editions.yml", {"editions": editions})
    (data / "forewords").mkdir(exist_ok=True)
    (data / "forewords" / "loi-noi-dau.md").write_text(FOREWORD, encoding="utf-8")
    for slug, changes in PROFILES.items():
        path = project.write_profile(slug, body=BODY, **changes)
        for photo in changes.get("photos", []):
            write_photo(path.parent / photo["file"])
    return project
