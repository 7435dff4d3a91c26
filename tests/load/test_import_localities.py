"""The locality importer (data/localities.yml) and the hand-written registries in data/."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
import yaml

from generator.core.slugs import make_slug
from generator.load.importers import localities as importer

DATA = Path(__file__).resolve().parents[2] / "data"
MERGED_ON_2025_01_01 = {  # code -> id of the unit it merged into (reference README)
    "20672": "que-loc", "20761": "que-tan", "20822": "binh-dinh", "20602": "duy-tan",
    "20830": "binh-phu", "20863": "tien-son", "20338": "an-xuan", "20383": "phu-thinh",
}


@pytest.fixture(scope="module")
def doc() -> dict:
    return importer.build_localities(*importer.read_reference(importer.COMMUNES_CSV,
                                                              importer.DANANG_CSV))


@pytest.fixture(scope="module")
def by_id(doc) -> dict[str, dict]:
    return {loc["id"]: loc for loc in doc["localities"]}


def _registry(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def old_communes(doc) -> list[dict]:
    return [loc for loc in doc["localities"]
            if loc["level"] == "xa" and loc["parent"] != "da-nang" and loc["valid_from"] is None]


# --- counts and structure --------------------------------------------------------------------

def test_district_level_units_are_the_18_districts_and_da_nang_is_a_city(doc):
    districts = [loc for loc in doc["localities"] if loc["level"] == "huyen"]
    assert [d["code"] for d in districts] == [str(c) for c in range(502, 520)]
    assert {d["type"] for d in districts} == {"thanh-pho", "thi-xa", "huyen"}
    [city] = [loc for loc in doc["localities"] if loc["level"] == "tinh"]
    assert city | {"note": ""} == {
        "id": "da-nang", "code": "48", "name": "Thành phố Đà Nẵng", "short_name": "Đà Nẵng",
        "type": "thanh-pho-truc-thuoc-tw", "level": "tinh", "parent": None,
        "valid_from": dt.date(2025, 7, 1), "valid_to": None, "successors": [], "note": ""}


def test_241_old_communes_and_78_new_units(doc):
    assert len(old_communes(doc)) == 241
    new = [loc for loc in doc["localities"] if loc["parent"] == "da-nang"]
    assert len(new) == 78
    assert all(u["valid_from"] == dt.date(2025, 7, 1) and u["valid_to"] is None for u in new)
    assert {u["type"] for u in new} == {"phuong", "xa"}


def test_ids_unique_and_references_resolve(doc, by_id):
    ids = [loc["id"] for loc in doc["localities"]]
    assert len(ids) == len(set(ids)) == 18 + 241 + 2 + 1 + 78
    for loc in doc["localities"]:
        assert loc["parent"] is None or by_id[loc["parent"]]["level"] in ("huyen", "tinh")
        assert all(by_id[c["parent"]]["level"] == "huyen" for c in loc.get("changes", []) if "parent" in c)
        assert all(s in by_id for s in loc["successors"]), loc["id"]
        assert loc["id"] == make_slug(loc["id"])  # ASCII kebab-case


def test_every_unit_that_ended_has_a_successor(doc):
    for loc in doc["localities"]:
        assert bool(loc["successors"]) == (loc["valid_to"] is not None), loc["id"]


def test_order_is_district_then_its_communes_by_code(doc):
    current = None
    for loc in doc["localities"]:
        if loc["level"] in ("huyen", "tinh"):
            current, last_code = loc["id"], 0
            continue
        assert loc["parent"] == current
        assert int(loc["code"]) >= last_code
        last_code = int(loc["code"])


def test_text_is_nfc_and_names_are_cleaned(doc, by_id):
    for loc in doc["localities"]:
        for key in ("name", "short_name", "note"):
            assert unicodedata.normalize("NFC", loc[key]) == loc[key]
            assert "  " not in loc[key]
        assert loc["name"].endswith(loc["short_name"])
    assert by_id["ai-nghia"]["name"] == "Thị trấn Ái Nghĩa"  # CSV: "Thị Trấn Ái Nghĩa"
    assert by_id["tu"]["name"] == "Xã Tư"  # CSV: "Xã  Tư"


# --- the 2025 changes ------------------------------------------------------------------------

def test_nong_son_merged_into_que_son(by_id):
    nong_son = by_id["nong-son"]
    assert nong_son["valid_to"] == dt.date(2024, 12, 31)
    assert nong_son["successors"] == ["que-son"]
    que_trung = by_id["que-trung"]
    assert que_trung["parent"] == "nong-son" and que_trung["note"] == ""  # data, not a note
    assert que_trung["changes"] == [{"date": dt.date(2025, 1, 1), "parent": "que-son", "type": "thi-tran",
                                     "name": "Thị trấn Trung Phước", "short_name": "Trung Phước"}]
    assert que_trung["successors"] == ["nong-son-2025"]
    for commune in ("ninh-phuoc", "phuoc-ninh", "que-lam", "que-loc"):
        assert by_id[commune]["changes"] == [{"date": dt.date(2025, 1, 1), "parent": "que-son"}], commune
    assert "changes" not in by_id["son-vien"]  # merged away on that day


def test_eight_communes_merged_on_2025_01_01(doc):
    merged = {loc["code"]: loc for loc in old_communes(doc)
              if loc["valid_to"] == dt.date(2024, 12, 31)}
    for code, into in MERGED_ON_2025_01_01.items():
        assert merged[code]["successors"] == [into]
        assert "1241/NQ-UBTVQH15" in merged[code]["note"]
    # Hiệp Hòa and Bình Định Bắc also ended: their merged units took new names.
    assert set(merged) == set(MERGED_ON_2025_01_01) | {"20758", "20821"}


def test_renamed_merged_units_exist_for_the_first_half_of_2025(by_id):
    for unit_id, code, parent, successor in [("que-tan", "20758", "hiep-duc", "hiep-duc-2025"),
                                             ("binh-dinh", "20821", "thang-binh", "dong-duong")]:
        unit = by_id[unit_id]
        assert (unit["code"], unit["parent"], unit["successors"]) == (code, parent, [successor])
        assert (unit["valid_from"], unit["valid_to"]) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert by_id["hiep-hoa"]["successors"] == ["que-tan"]


def test_successors_on_2025_07_01(by_id):
    assert by_id["tan-thanh"]["successors"] == ["ban-thach"]
    assert by_id["vinh-dien"]["successors"] == ["dien-ban-2025"]
    assert by_id["tam-ky"]["successors"] == ["ban-thach", "tam-ky-2025", "huong-tra", "quang-phu"]
    assert by_id["que-son"]["successors"] == [
        "que-son-2025", "xuan-phu", "nong-son-2025", "que-son-trung", "que-phuoc"]


def test_type_changes_are_dated_data(doc, by_id):
    assert by_id["dien-minh"]["type"] == "xa" and by_id["dien-minh"]["note"] == ""
    assert by_id["dien-minh"]["changes"] == [{"date": dt.date(2025, 1, 1), "type": "phuong",
                                              "name": "Phường Điện Minh", "short_name": "Điện Minh"}]
    typed = sorted(loc["id"] for loc in doc["localities"] if any("type" in c for c in loc.get("changes", [])))
    assert typed == ["dien-minh", "dien-phuong", "dien-thang-bac", "dien-thang-nam", "dien-thang-trung",
                     "que-trung"]


# --- ids ------------------------------------------------------------------------------------

def test_ids_fold_vietnamese_letters(by_id):
    assert by_id["dien-ban"]["name"] == "Thị xã Điện Bàn"
    assert by_id["dai-loc"]["name"] == "Huyện Đại Lộc"
    assert by_id["tam-ky"]["name"] == "Thành phố Tam Kỳ"


def test_collision_rule(by_id):
    # Communes in different districts: suffix with the district id; no bare "tam-thanh".
    assert by_id["tam-thanh-tam-ky"]["name"] == "Xã Tam Thanh"
    assert by_id["tam-thanh-phu-ninh"]["name"] == "Xã Tam Thành"
    assert by_id["tam-thanh-nui-thanh"]["name"] == "Xã Tam Thạnh"
    assert "tam-thanh" not in by_id
    # Same district, or a commune named like its own district: suffix with the code.
    assert by_id["tra-don-20938"]["name"] == "Xã Trà Dơn"
    assert by_id["tra-don-20956"]["name"] == "Xã Trà Don"
    assert by_id["nui-thanh"]["level"] == "huyen"
    assert by_id["nui-thanh-20965"]["name"] == "Thị trấn Núi Thành"
    # 2025 units that collide with an older unit get "-2025".
    assert by_id["que-son-2025"]["parent"] == "da-nang"
    assert by_id["tan-hiep"]["parent"] == "hoi-an"
    assert by_id["tan-hiep-2025"]["parent"] == "da-nang"
    assert by_id["chien-dan"]["parent"] == "da-nang"  # no collision: bare slug


def test_id_rule_on_a_tiny_input():
    def unit(key, name, level, parent=None, code="1", valid_from=None):
        kind = "huyen" if level == "huyen" else "xa"
        return importer.Unit(key, code, name, kind, level, parent, valid_from, None)

    new_day = importer.DA_NANG_START
    ids = importer.assign_ids([
        unit("d1", "Huyện An Đông", "huyen"), unit("d2", "Huyện Bình", "huyen"),
        unit("c1", "Xã An Đông", "xa", "d1", "11"), unit("c2", "Xã Hòa", "xa", "d1", "12"),
        unit("c3", "Xã Hoà", "xa", "d2", "13"), unit("c4", "Xã Hóa", "xa", "d2", "14"),
        unit("n", "Xã Bình", "xa", None, "20", new_day), unit("n2", "Xã Mới", "xa", None, "21", new_day)])
    assert ids == {"d1": "an-dong", "d2": "binh", "c1": "an-dong-11", "c2": "hoa-an-dong",
                   "c3": "hoa-13", "c4": "hoa-14", "n": "binh-2025", "n2": "moi"}


# --- the committed file ----------------------------------------------------------------------

def test_committed_localities_yml_is_what_the_importer_produces(doc):
    committed = (DATA / "localities.yml").read_text(encoding="utf-8")
    assert committed == importer.render_localities_yaml(doc), (
        "data/localities.yml is stale: run .venv/bin/python -m generator.load.importers.localities")


def test_localities_yml_is_plain_yaml(doc):
    text = (DATA / "localities.yml").read_text(encoding="utf-8")
    assert text.startswith("# TỆP SINH TỰ ĐỘNG")
    assert "&id" not in text and "*id" not in text
    assert yaml.safe_load(text) == doc


def test_source_csvs_are_verbatim_copies():
    reference = Path(__file__).resolve().parents[3] / "shared" / "reference"  # shared/ beside the checkout
    if not reference.is_dir():
        pytest.skip("reference folder not available")
    for name in (importer.COMMUNES_CSV.name, importer.DANANG_CSV.name):
        assert (DATA / "sources" / name).read_bytes() == (reference / name).read_bytes()


# --- hand-written registries -----------------------------------------------------------------

REGISTRIES = ["movements.yml", "agencies.yml", "awards.yml", "columns.yml", "localities.yml"]


@pytest.mark.parametrize("name", REGISTRIES)
def test_registry_is_plain_nfc_yaml(name):
    raw = (DATA / name).read_bytes()
    text = raw.decode("utf-8")
    assert not raw.startswith(b"\xef\xbb\xbf") and "\t" not in text and "\r" not in text
    assert unicodedata.normalize("NFC", text) == text
    events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    assert not any(getattr(e, "anchor", None) for e in events), "no anchors/aliases"


def _unique(items: list[dict], key: str) -> list:
    values = [item[key] for item in items]
    assert len(values) == len(set(values)), f"duplicate {key}"
    return values


def test_movements_reference_existing_agencies():
    movements = _registry("movements.yml")["movements"]
    agencies = {a["code"] for a in _registry("agencies.yml")["agencies"]}
    _unique(movements, "code")
    orders = _unique(movements, "order")
    assert orders == sorted(orders)
    for movement in movements:
        assert set(movement) <= {"code", "name", "short_name", "group", "period",
                                 "lead_agencies", "lead_mandate", "order", "description", "colour", "emblem"}
        assert movement["code"] == make_slug(movement["code"])
        assert set(movement["lead_agencies"]) <= agencies, movement["code"]
    by_code = {m["code"]: m for m in movements}
    assert len(by_code["quoc-phong-an-ninh"]["lead_agencies"]) == 3
    assert len(by_code["khoi-nghiep-sang-tao"]["lead_agencies"]) == 2
    assert movements[-1]["code"] == "phong-trao-rieng" and movements[-1]["lead_agencies"] == []
    # The plan's verbs (section II.3): it assigns ("Giao") the departments, the armed forces and the
    # business association, and requests ("Đề nghị") the Party committees and mass organisations.
    mandates = {m["code"]: m.get("lead_mandate") for m in movements}
    assert {mandates[c] for c in ("nong-thon-moi", "van-hoa-cong-so", "quoc-phong-an-ninh")} == {"giao"}
    assert {mandates[c] for c in ("hoc-tap-lam-theo-bac", "dan-van-kheo", "thanh-nien-tinh-nguyen")} == {"de-nghi"}
    assert all(bool(m["lead_agencies"]) == bool(m.get("lead_mandate")) for m in movements)


def test_agencies_and_quota_classes():
    registry = _registry("agencies.yml")
    classes = {q["code"]: q for q in registry["quota_classes"]}
    _unique(registry["quota_classes"], "code")
    assert {c: (q["min"], q["max"]) for c, q in classes.items()} == {
        "chu-tri-phong-trao": (2, 5), "khoi-thi-dua": (1, 2), "khoi-thi-dua-dac-thu": (3, 5),
        "ubnd-xa": (2, 3), "ubnd-huyen": (5, 10)}
    kinds = {"so-nganh", "ban-dang", "mat-tran-doan-the", "luc-luong-vu-trang", "hiep-hoi",
             "bao-chi", "ubnd-tinh", "khac"}
    for agency in registry["agencies"]:
        assert not agency["code"].startswith("ubnd-")
        assert agency["kind"] in kinds
        assert agency["quota_class"] is None or agency["quota_class"] in classes
    _unique(registry["agencies"], "code")
    committees = registry["people_committees"]
    assert committees["province"]["quota_class"] is None  # Đà Nẵng: the plan gives a city no quota
    for level in ("district", "commune"):
        assert committees[level]["quota_class"] in classes


def test_awards_are_valid():
    awards = _registry("awards.yml")["awards"]
    _unique(awards, "code")
    _unique(awards, "order")
    for award in awards:
        assert award["form"] in {"danh-hieu", "khen-thuong"}
        assert award["level"] in {"co-so", "tinh", "toan-quoc", "nha-nuoc"}
        assert award["for"] and set(award["for"]) <= {"ca-nhan", "tap-the", "ho-gia-dinh"}
    levels = {a["code"]: a["level"] for a in awards}
    for code in ("cstd-toan-quoc", "co-thi-dua-chinh-phu", "bang-khen-thu-tuong",
                 "huan-chuong-lao-dong-hang-ba", "anh-hung-lao-dong"):
        assert levels[code] == "nha-nuoc"


def test_columns_reference_existing_outlets():
    registry = _registry("columns.yml")
    outlets = set(_unique(registry["outlets"], "code"))
    _unique(registry["columns"], "code")
    for column in registry["columns"]:
        assert column["outlets"] and set(column["outlets"]) <= outlets
        assert column["active_from"] is None or isinstance(column["active_from"], dt.date)
