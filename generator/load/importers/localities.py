"""Generate data/localities.yml from data/sources/*.csv (python -m generator.load.importers.localities).

Timeline: 18 districts / 241 communes until 2024-12-31; on 2025-01-01 Nông Sơn joined Quế Sơn and
eight communes were merged (NQ 1241/NQ-UBTVQH15); from 2025-07-01 the former province is 78 communes
and wards of Đà Nẵng (NQ 202/2025/QH15), a province-level city.

What changed on 2025-01-01 for a unit that kept its code is data (``changes``), not a note: Nông
Sơn's communes changed parent, and the communes whose mid-2025 name has another type (Xã Điện Minh
-> Phường Điện Minh, Xã Quế Trung -> Thị trấn Trung Phước) changed type and name.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.core.slugs import make_slug

DATA = Path(__file__).resolve().parents[3] / "data"
COMMUNES_CSV = DATA / "sources" / "quang-nam-communes-2020-2024.csv"
DANANG_CSV = DATA / "sources" / "da-nang-2025-units-from-quang-nam.csv"

BEFORE_MERGE, MERGE_DAY = dt.date(2024, 12, 31), dt.date(2025, 1, 1)
PROVINCE_END, DA_NANG_START = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
PROVINCE = {"code": "49", "name": "Tỉnh Quảng Nam", "valid_to": PROVINCE_END}
# Communes merged away on 2025-01-01 (reference README, NQ 1241): code -> code merged into.
MERGED_INTO = {"20338": "20347", "20383": "20364", "20602": "20608", "20672": "20671",
               "20761": "20758", "20822": "20821", "20830": "20827", "20863": "20857"}
NONG_SON, QUE_SON = "519", "509"
TYPE_WORDS = {"thanh-pho": "Thành phố", "thi-xa": "Thị xã", "huyen": "Huyện",
              "thi-tran": "Thị trấn", "phuong": "Phường", "xa": "Xã"}

NQ_1241 = "theo Nghị quyết 1241/NQ-UBTVQH15"
NOTES = {
    "merged": "Sáp nhập vào {into} từ ngày 01/01/2025 " + NQ_1241 + ".",
    "renamed": "Từ ngày 01/01/2025 hợp nhất với {others} thành {into} " + NQ_1241 + ".",
    "received": "Từ ngày 01/01/2025 được nhập thêm {others} " + NQ_1241 + ".",
    "nong_son": "Nhập vào huyện Quế Sơn từ ngày 01/01/2025 " + NQ_1241 + ".",
    "que_son": "Từ ngày 01/01/2025 được nhập thêm huyện Nông Sơn " + NQ_1241 + ".",
    "founded_2025_01": "Thành lập ngày 01/01/2025 trên cơ sở {sources} " + NQ_1241 + ".",
    "founded_2025_07": "Thành lập ngày 01/07/2025 trên cơ sở {sources}.",
    "da_nang": "Từ ngày 01/07/2025, địa bàn tỉnh Quảng Nam thuộc thành phố Đà Nẵng theo Nghị quyết "
               "202/2025/QH15; danh mục chỉ gồm các xã, phường trên địa bàn tỉnh Quảng Nam cũ.",
}
HEADER = """\
# TỆP SINH TỰ ĐỘNG, KHÔNG SỬA TAY: mọi thay đổi sẽ mất khi tạo lại.
# Nguồn: data/sources/quang-nam-communes-2020-2024.csv và da-nang-2025-units-from-quang-nam.csv
# Tạo lại: .venv/bin/python -m generator.load.importers.localities --out data/localities.yml
# Quy tắc id: tên ngắn viết thường, không dấu (đ -> d), nối bằng "-". Khi nhiều đơn vị trùng nhau:
#   - đơn vị cấp huyện giữ id gốc;
#   - đơn vị cấp xã thêm "-<id huyện>" (tam-thanh-nui-thanh), hoặc "-<mã số>" nếu đơn vị trùng
#     cùng huyện hoặc trùng tên chính huyện của mình (tra-don-20938, nui-thanh-20965);
#   - đơn vị từ 01/07/2025 trùng id hoặc tên với một đơn vị cũ thêm "-2025" (que-son-2025).
# level: tinh (thành phố Đà Nẵng từ 01/07/2025, không phải đơn vị cấp huyện), huyen, xa.
# changes: thay đổi của đơn vị giữ nguyên mã số, có hiệu lực từ ngày "date": parent (chuyển sang
#   đơn vị cấp trên khác), type, name, short_name (đổi loại, đổi tên). Mọi danh sách, trang, báo cáo
#   ghi đơn vị như vào ngày của hồ sơ (ngày giới thiệu, hoặc 01/01 của năm hồ sơ).
"""


@dataclass
class Unit:
    key: str  # internal: d502 district, c20335 commune, c20758+ (2025-01-01), n20335 (2025-07-01)
    code: str
    name: str
    type: str
    level: str
    parent: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    successors: list[str] = field(default_factory=list)
    note: str = ""
    short_name: str = ""
    changes: list[dict] = field(default_factory=list)  # {date, parent (a key), type, name, short_name}

    def __post_init__(self) -> None:
        self.short_name = self.short_name or split_name(self.name)[1]


def read_reference(communes_csv: Path, danang_csv: Path) -> tuple[list[dict], list[dict]]:
    """Rows of both CSVs, every cell NFC-normalised with runs of spaces collapsed."""
    def rows(path: Path) -> list[dict]:
        with path.open(encoding="utf-8", newline="") as handle:
            return [{k: " ".join(unicodedata.normalize("NFC", v).split()) for k, v in row.items()}
                    for row in csv.DictReader(handle)]
    return rows(communes_csv), rows(danang_csv)


def split_name(full: str) -> tuple[str, str, str]:
    """'Thị Trấn Ái Nghĩa' -> ('Thị trấn Ái Nghĩa', 'Ái Nghĩa', 'thi-tran')."""
    for kind, word in TYPE_WORDS.items():
        if full.casefold().startswith(word.casefold() + " "):
            short = full[len(word) + 1:]
            return f"{word} {short}", short, kind
    raise ValueError(f"unknown unit type in name {full!r}")


def in_prose(names: list[str]) -> str:
    """['Xã A', 'Phường B'] -> 'xã A và phường B' (type words lower-case inside a sentence)."""
    words = [split_name(name)[0] for name in names]
    words = [word[0].lower() + word[1:] for word in words]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " và " + words[-1]


def build_localities(communes: list[dict], danang: list[dict]) -> dict:
    """The whole localities document as plain data, ready for YAML."""
    by_code = {row["code"]: row for row in communes}
    taken_over = _taken_over(danang, by_code)
    units = _districts(communes, danang)
    units += [_old_commune(row, by_code, taken_over) for row in communes]
    units += _renamed_on_merge_day(by_code, taken_over) + _da_nang(danang)
    ids = assign_ids(units)
    return {"province": dict(PROVINCE), "localities": [_record(u, ids) for u in _in_order(units)]}


def _taken_over(danang: list[dict], by_code: dict) -> dict[str, list[str]]:
    """Old commune code -> keys of the 2025 units that took it over, in code order."""
    result: dict[str, list[str]] = {}
    for row in sorted(danang, key=lambda r: int(r["new_code"])):
        for old in row["old_codes"].split(";"):
            if old not in by_code:
                raise ValueError(f"{row['new_name']}: unknown old code {old}")
            result.setdefault(old, []).append("n" + row["new_code"])
    if missing := [c for c in by_code if c not in result and c not in MERGED_INTO]:
        raise ValueError(f"communes without a 2025-07-01 successor: {missing}")
    return result


def _districts(communes: list[dict], danang: list[dict]) -> list[Unit]:
    successors: dict[str, list[str]] = defaultdict(list)
    for row in sorted(danang, key=lambda r: int(r["new_code"])):
        for code in re.findall(r"\d+", row["old_district_codes"]):
            successors[code].append("n" + row["new_code"])
    units = []
    for code, full in sorted({(r["district_code"], r["district"]) for r in communes}):
        name, _, kind = split_name(full)
        units.append(Unit("d" + code, code, name, kind, "huyen", None, None, PROVINCE_END,
                          successors[code], NOTES["que_son"] if code == QUE_SON else ""))
        if code == NONG_SON:
            units[-1].valid_to, units[-1].successors = BEFORE_MERGE, ["d" + QUE_SON]
            units[-1].note = NOTES["nong_son"]
    return units


def _is_renamed_target(row: dict) -> bool:
    """A commune merged into on 2025-01-01 whose merged unit got a new name."""
    return (row["code"] in MERGED_INTO.values()
            and split_name(row["name_in_mid2025_snapshot"])[0] != split_name(row["name"])[0])


def _merged_names(code: str, by_code: dict) -> list[str]:
    return [by_code[old]["name"] for old, into in MERGED_INTO.items() if into == code]


def _old_commune(row: dict, by_code: dict, taken_over: dict) -> Unit:
    code, (name, _, kind) = row["code"], split_name(row["name"])
    if kind != row["type"]:
        raise ValueError(f"{code}: type {row['type']!r} does not match name {name!r}")
    unit = Unit("c" + code, code, name, kind, "xa", "d" + row["district_code"], None, PROVINCE_END,
                taken_over.get(code, []))
    notes = []
    if code in MERGED_INTO:
        target = by_code[MERGED_INTO[code]]
        renamed = _is_renamed_target(target)
        into_key = "c" + target["code"] + ("+" if renamed else "")
        unit.valid_to, unit.successors = BEFORE_MERGE, [into_key]
        into = target["name_in_mid2025_snapshot"] if renamed else target["name"]
        notes.append(NOTES["merged"].format(into=in_prose([into])))
    elif _is_renamed_target(row):
        unit.valid_to, unit.successors = BEFORE_MERGE, ["c" + code + "+"]
        notes.append(NOTES["renamed"].format(others=in_prose(_merged_names(code, by_code)),
                                             into=in_prose([row["name_in_mid2025_snapshot"]])))
    elif merged := _merged_names(code, by_code):
        notes.append(NOTES["received"].format(others=in_prose(merged)))
    if unit.valid_to != BEFORE_MERGE:
        change: dict = {"date": MERGE_DAY}
        if row["district_code"] == NONG_SON:
            change["parent"] = "d" + QUE_SON
        new_name, new_short, new_type = split_name(row["name_in_mid2025_snapshot"])
        if new_name != name:
            change.update(type=new_type, name=new_name, short_name=new_short)
        if len(change) > 1:
            unit.changes.append(change)
    unit.note = " ".join(notes)
    return unit


def _renamed_on_merge_day(by_code: dict, taken_over: dict) -> list[Unit]:
    """Commune-level units founded on 2025-01-01 under a new name (e.g. Xã Quế Tân)."""
    units = []
    for row in (by_code[code] for code in sorted(set(MERGED_INTO.values()))):
        if _is_renamed_target(row):
            name, _, kind = split_name(row["name_in_mid2025_snapshot"])
            district = QUE_SON if row["district_code"] == NONG_SON else row["district_code"]
            sources = in_prose([row["name"]] + _merged_names(row["code"], by_code))
            units.append(Unit("c" + row["code"] + "+", row["code"], name, kind, "xa",
                              "d" + district, MERGE_DAY, PROVINCE_END, taken_over[row["code"]],
                              NOTES["founded_2025_01"].format(sources=sources)))
    return units


def _da_nang(danang: list[dict]) -> list[Unit]:
    units = [Unit("dn", "48", "Thành phố Đà Nẵng", "thanh-pho-truc-thuoc-tw", "tinh", None,
                  DA_NANG_START, None, note=NOTES["da_nang"], short_name="Đà Nẵng")]
    for row in danang:
        name, _, kind = split_name(row["new_name"])
        note = NOTES["founded_2025_07"].format(sources=in_prose(row["old_names"].split(";")))
        units.append(Unit("n" + row["new_code"], row["new_code"], name, kind, "xa", "dn",
                          DA_NANG_START, None, note=note))
    return units


def assign_ids(units: list[Unit]) -> dict[str, str]:
    """Unit key -> globally unique id, by the rule stated in HEADER."""
    old = [u for u in units if u.valid_from != DA_NANG_START]
    ids = _ids_within(old)
    taken = set(ids.values()) | {make_slug(u.short_name) for u in old}
    for key, slug in _ids_within([u for u in units if u.valid_from == DA_NANG_START]).items():
        ids[key] = f"{slug}-2025" if slug in taken else slug
    if len(set(ids.values())) != len(ids):
        raise ValueError("locality ids are not unique; extend the collision rule")
    return ids


def _ids_within(units: list[Unit]) -> dict[str, str]:
    """Bare slug unless shared; then district-level units keep it and the others get a suffix."""
    by_key = {u.key: u for u in units}
    groups: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        groups[make_slug(unit.short_name)].append(unit)
    ids = {}
    for slug, group in groups.items():
        for unit in group:
            if len(group) == 1 or unit.level in ("tinh", "huyen"):
                ids[unit.key] = slug
            elif unit.parent is None or len([u for u in group if unit.parent in (u.parent, u.key)]) > 1:
                ids[unit.key] = f"{slug}-{unit.code}"  # same parent, or the parent itself collides
            else:
                ids[unit.key] = f"{slug}-{make_slug(by_key[unit.parent].short_name)}"
    return ids


def _in_order(units: list[Unit]) -> list[Unit]:
    """Each district then its communes, in code order; then Đà Nẵng and its 2025 units."""
    children: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        if unit.parent:
            children[unit.parent].append(unit)
    ordered = []
    for root in sorted((u for u in units if u.parent is None),
                       key=lambda u: (u.valid_from is not None, int(u.code))):
        ordered.append(root)
        ordered += sorted(children[root.key],
                          key=lambda u: (int(u.code), u.valid_from or dt.date.min))
    return ordered


def _record(unit: Unit, ids: dict[str, str]) -> dict:
    return {"id": ids[unit.key], "code": unit.code, "name": unit.name,
            "short_name": unit.short_name, "type": unit.type, "level": unit.level,
            "parent": ids[unit.parent] if unit.parent else None,
            "valid_from": unit.valid_from, "valid_to": unit.valid_to,
            "successors": [ids[key] for key in unit.successors], "note": unit.note,
            **({"changes": [{**c, "parent": ids[c["parent"]]} if "parent" in c else c for c in unit.changes]}
               if unit.changes else {})}


class _IndentedDumper(yaml.SafeDumper):
    """SafeDumper that indents list items under their key and never writes anchors/aliases."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data) -> bool:
        return True


def render_localities_yaml(doc: dict) -> str:
    return HEADER + yaml.dump(doc, Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False,
                              default_flow_style=False, width=4096)


def write_localities_yaml(doc: dict, path: Path) -> None:
    path.write_text(render_localities_yaml(doc), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate data/localities.yml from the CSVs.")
    parser.add_argument("--out", type=Path, default=DATA / "localities.yml")
    parser.add_argument("--communes", type=Path, default=COMMUNES_CSV)
    parser.add_argument("--danang", type=Path, default=DANANG_CSV)
    args = parser.parse_args(argv)
    doc = build_localities(*read_reference(args.communes, args.danang))
    write_localities_yaml(doc, args.out)
    print(f"{args.out}: {len(doc['localities'])} localities")


if __name__ == "__main__":
    main()
