"""Vietnamese labels for the fixed vocabularies of the profile schema (kinds, stages)."""

KIND_LABELS = {"ca-nhan": "Cá nhân", "tap-the": "Tập thể", "ho-gia-dinh": "Hộ gia đình"}
STAGE_LABELS = {
    "phat-hien": "Phát hiện, xây dựng",
    "boi-duong": "Bồi dưỡng, bình chọn",
    "gioi-thieu": "Giới thiệu",
    "nhan-rong": "Nhân rộng",
    "ton-vinh": "Biểu dương, tôn vinh",
}
LEVEL_LABELS = {"co-so": "cấp cơ sở", "tinh": "cấp tỉnh", "toan-quoc": "toàn quốc", "nha-nuoc": "cấp Nhà nước"}
