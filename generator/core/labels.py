"""Vietnamese labels for the fixed vocabularies of the profile schema (kinds, stages), and the
one way numbers and dates are written."""

from __future__ import annotations

import datetime as dt

# The plan's own verbs: it assigns ("Giao") the provincial departments and requests ("Đề nghị") the
# Party bodies and mass organisations, which the People's Committee cannot order.
LEAD_MANDATE_WORDS = {"giao": "Giao", "de-nghi": "Đề nghị"}
KIND_LABELS = {"ca-nhan": "Cá nhân", "tap-the": "Tập thể", "ho-gia-dinh": "Hộ gia đình"}
STAGE_LABELS = {
    "phat-hien": "Phát hiện, xây dựng",
    "boi-duong": "Bồi dưỡng, bình chọn",
    "gioi-thieu": "Giới thiệu",
    "nhan-rong": "Nhân rộng",
    "ton-vinh": "Biểu dương, tôn vinh",
}
LEVEL_LABELS = {"co-so": "cấp cơ sở", "tinh": "cấp tỉnh", "toan-quoc": "toàn quốc", "nha-nuoc": "cấp Nhà nước"}


# --- numbers and dates, one style everywhere ------------------------------------------------------


def vn_number(value: int | float) -> str:
    """Vietnamese digits: a dot between thousands, a comma before decimals ("1.100", "2,5")."""
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def vn_date(day: dt.date | None) -> str:
    """dd/mm/yyyy, day and month on two digits ("01/07/2025")."""
    return f"{day:%d/%m/%Y}" if day else ""



# --- captions -------------------------------------------------------------------------------------

SENTENCE_END = ".!?…"


def credited(text: str, credit: str) -> str:
    """A caption and its photographer as press captions write them, one full stop between and
    never two: "Chị An bên vườn quế. Ảnh: Minh Tâm" (the caption may end with its own stop)."""
    text = text.strip()
    if not credit:
        return text
    if not text:
        return f"Ảnh: {credit}"
    return f"{text}{'' if text[-1] in SENTENCE_END else '.'} Ảnh: {credit}"
