"""Load the editable registries (data/*.yml) into one typed, frozen ``Registries``.

Every bad record becomes a ``Problem`` naming the file and line; a registry with errors
still yields the records that were valid, so one typo does not hide every other message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from generator.core.collation import roster_rules
from generator.core.labels import LEAD_MANDATE_WORDS
from generator.core.model import (
    KINDS,
    Agency,
    AwardTitle,
    Column,
    Locality,
    LocalityChange,
    Movement,
    Outlet,
    Problem,
    QuotaClass,
    Registries,
    RosterRules,
)
from generator.infra.icons import emblem_svg
from generator.load import schema as s
from generator.load.encodings import EncodingProblem, decode_source
from generator.load.yamlsafe import ParsedYaml, YamlProblem, parse_yaml

REGISTRY_FILES = ("movements.yml", "localities.yml", "agencies.yml", "awards.yml", "columns.yml")
LEVELS = ("tinh", "huyen", "xa")
AWARD_FORMS = ("danh-hieu", "khen-thuong")
AWARD_LEVELS = ("co-so", "tinh", "toan-quoc", "nha-nuoc")


class _Reader:
    """Reads one registry file, collecting problems with file and line."""

    def __init__(self, path: Path, display: str):
        self.display = display
        self.problems: list[Problem] = []
        self.parsed = ParsedYaml({}, {})
        try:
            self.parsed = parse_yaml(decode_source(path.read_bytes()).text)
        except FileNotFoundError:
            self.problem("DH090", "Không tìm thấy tệp danh mục.")
        except (YamlProblem, EncodingProblem) as error:
            self.problem(error.code, error.message, line=error.line)

    def problem(self, code: str, message: str, line: int | None = None, field: str = "") -> None:
        self.problems.append(Problem(code, self.display, message, line, field))

    def records(self, key: str) -> list[tuple[tuple, dict]]:
        data = self.parsed.data if isinstance(self.parsed.data, dict) else {}
        items = data.get(key) or []
        if not isinstance(items, list):
            self.problem("DH090", f"Khóa “{key}” phải là một danh sách.", self.parsed.line_of((key,)))
            return []
        return [((key, i), item) for i, item in enumerate(items) if self._is_mapping((key, i), item)]

    def _is_mapping(self, path: tuple, item: Any) -> bool:
        if isinstance(item, dict):
            return True
        self.problem("DH090", "Mỗi mục phải là một nhóm trường (khóa: giá trị).", self.parsed.line_of(path))
        return False

    def build(self, path: tuple, record: dict, make: Callable[[dict], Any]) -> Any | None:
        try:
            return make(record)
        except s.BadValue as error:
            self.problem(error.code, error.message, self.parsed.line_of(path))
        except KeyError as missing:
            self.problem("DH020", f"Thiếu trường bắt buộc “{missing.args[0]}”.", self.parsed.line_of(path))
        return None

    def unique(self, items: list, key: str, path_key: str) -> list:
        seen: set[str] = set()
        kept = []
        for item in items:
            value = getattr(item, key)
            if value in seen:
                self.problem("DH092", f"Mã “{value}” bị trùng trong {path_key}.")
                continue
            seen.add(value)
            kept.append(item)
        return kept


def _movement(r: dict) -> Movement:
    lead_agencies = s.to_text_list(r.get("lead_agencies"))
    return Movement(code=s.to_text(r["code"]), name=s.to_text(r["name"]), group=s.to_optional_text(r.get("group")),
                    period=_period(r.get("period")), lead_agencies=lead_agencies,
                    order=s.to_int(r["order"]), short_name=s.to_optional_text(r.get("short_name")),
                    description=s.to_optional_text(r.get("description")),
                    lead_mandate=s.one_of(tuple(LEAD_MANDATE_WORDS))(r["lead_mandate"]) if lead_agencies else "",
                    **_looks(r))


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _looks(r: dict) -> dict[str, str]:
    """A movement's colour and emblem, where the registry gives them (defaults: Movement's)."""
    looks = {}
    if r.get("colour"):
        colour = s.to_text(r["colour"]).strip()
        if not _COLOUR.fullmatch(colour):
            raise s.BadValue(f"màu “{colour}” không hợp lệ; ghi dạng “#rrggbb”, ví dụ “#2e7d32”.", "DH024")
        looks["colour"] = colour.lower()
    if r.get("emblem"):
        emblem = s.to_text(r["emblem"]).strip()
        if emblem_svg(emblem) is None:
            raise s.BadValue(f"không có biểu tượng “{emblem}” trong bộ Material Design Icons; xem tên tại "
                             "https://pictogrammers.com/library/mdi/ (ví dụ “sprout”).", "DH024")
        looks["emblem"] = emblem
    return looks


_PERIOD = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")


def _period(value: Any) -> str:
    """A movement's period as "2021-2025" (the plan writes "2021 - 2025"), or "" when it names none."""
    text = s.to_optional_text(value).strip()
    if not text:
        return ""
    found = _PERIOD.fullmatch(text)
    if not found or int(found.group(1)) > int(found.group(2)):
        raise s.BadValue(f"giai đoạn “{text}” không hợp lệ; ghi năm đầu và năm cuối, ví dụ “2021-2025”.", "DH024")
    return f"{found.group(1)}-{found.group(2)}"


def _locality(r: dict, order: int) -> Locality:
    return Locality(id=s.to_text(r["id"]), code=str(s.to_text(r["code"])), name=s.to_text(r["name"]),
                    short_name=s.to_text(r.get("short_name") or r["name"]), type=s.to_text(r["type"]),
                    level=s.one_of(LEVELS)(r["level"]), parent=r.get("parent") or None,
                    valid_from=s.to_optional_date(r.get("valid_from")), valid_to=s.to_optional_date(r.get("valid_to")),
                    successors=s.to_text_list(r.get("successors")), order=order, note=s.to_optional_text(r.get("note")),
                    changes=tuple(sorted((_change(c) for c in s.to_list(r.get("changes"))), key=lambda c: c.on)))


def _change(r: Any) -> LocalityChange:
    if not isinstance(r, dict):
        raise s.BadValue("mỗi mục của “changes” phải là một nhóm trường (date, parent, type, name).", "DH090")
    name = s.to_optional_text(r.get("name")) or None
    return LocalityChange(on=s.to_date(r["date"]), parent=s.to_optional_text(r.get("parent")) or None,
                          type=s.to_optional_text(r.get("type")) or None, name=name,
                          short_name=s.to_optional_text(r.get("short_name")) or None)


def _quota_class(r: dict) -> QuotaClass:
    return QuotaClass(code=s.to_text(r["code"]), name=s.to_text(r["name"]), min=s.to_int(r["min"]),
                      max=s.to_int(r["max"]), for_lead_bodies=bool(r.get("for_lead_bodies", False)),
                      basis=s.to_optional_text(r.get("basis")))


def _agency(r: dict) -> Agency:
    return Agency(code=s.to_text(r["code"]), name=s.to_text(r["name"]), kind=s.to_text(r["kind"]),
                  quota_class=r.get("quota_class") or None, short_name=s.to_optional_text(r.get("short_name")),
                  contact=s.LABEL(r.get("contact")))


def _award(r: dict) -> AwardTitle:
    eligible = s.to_text_list(r.get("for"))
    for kind in eligible:
        s.one_of(KINDS)(kind)
    return AwardTitle(code=s.to_text(r["code"]), name=s.to_text(r["name"]), form=s.one_of(AWARD_FORMS)(r["form"]),
                      level=s.one_of(AWARD_LEVELS)(r["level"]), eligible=eligible, order=s.to_int(r.get("order", 0)),
                      aliases=s.to_text_list(r.get("aliases")))


def _outlet(r: dict) -> Outlet:
    return Outlet(code=s.to_text(r["code"]), name=s.to_text(r["name"]), url=s.to_optional_text(r.get("url")))


def _column(r: dict) -> Column:
    return Column(code=s.to_text(r["code"]), name=s.to_text(r["name"]), outlets=s.to_text_list(r.get("outlets")),
                  cadence=s.to_optional_text(r.get("cadence")), description=s.to_optional_text(r.get("description")),
                  active_from=s.to_optional_date(r.get("active_from")),
                  active_to=s.to_optional_date(r.get("active_to")))


def _people_committees(rule: dict, localities: list[Locality]) -> list[Agency]:
    """UBND of every district and commune, derived from the localities registry."""
    agencies = []
    for loc in localities:
        spec = rule.get("province" if loc.is_province else "district" if loc.is_district else "commune")
        if isinstance(spec, dict):
            agencies.append(
                Agency(
                    code=f"{spec.get('code_prefix', 'ubnd-')}{loc.id}",
                    name=f"{spec.get('name_prefix', 'UBND ')}{_running_text(loc.name)}",
                    kind="ubnd",
                    quota_class=spec.get("quota_class"),
                    locality=loc.id,
                )
            )
    return agencies


def _running_text(name: str) -> str:
    """ "Thị xã Điện Bàn" -> "thị xã Điện Bàn": the unit type is lower-case inside a phrase."""
    return name[:1].lower() + name[1:]


def load_registries(data_dir: Path, root: Path | None = None) -> tuple[Registries, list[Problem]]:
    root = root or data_dir.parent
    readers = {name: _Reader(data_dir / name, _display(data_dir / name, root)) for name in REGISTRY_FILES}

    mv = readers["movements.yml"]
    movements = mv.unique(
        [m for p, r in mv.records("movements") if (m := mv.build(p, r, _movement))], "code", "movements"
    )
    lc = readers["localities.yml"]
    localities = lc.unique(
        [
            loc
            for i, (p, r) in enumerate(lc.records("localities"))
            if (loc := lc.build(p, r, partial(_locality, order=i)))
        ],
        "id",
        "localities",
    )
    ag = readers["agencies.yml"]
    quota_classes = ag.unique(
        [q for p, r in ag.records("quota_classes") if (q := ag.build(p, r, _quota_class))], "code", "quota_classes"
    )
    agencies = [a for p, r in ag.records("agencies") if (a := ag.build(p, r, _agency))]
    ag_data = ag.parsed.data if isinstance(ag.parsed.data, dict) else {}
    agencies = ag.unique(
        agencies + _people_committees(ag_data.get("people_committees") or {}, localities), "code", "agencies"
    )
    aw = readers["awards.yml"]
    awards = aw.unique([a for p, r in aw.records("awards") if (a := aw.build(p, r, _award))], "code", "awards")
    co = readers["columns.yml"]
    outlets = co.unique([o for p, r in co.records("outlets") if (o := co.build(p, r, _outlet))], "code", "outlets")
    columns = co.unique([c for p, r in co.records("columns") if (c := co.build(p, r, _column))], "code", "columns")

    roster = _roster_rules(data_dir / "roster.yml", root)

    province = (lc.parsed.data or {}).get("province") if isinstance(lc.parsed.data, dict) else None
    registries = Registries(
        movements=tuple(sorted(movements, key=lambda m: (m.order, m.code))),
        localities=tuple(localities),
        agencies=tuple(agencies),
        quota_classes=tuple(quota_classes),
        awards=tuple(sorted(awards, key=lambda a: (a.order, a.code))),
        outlets=tuple(outlets),
        columns=tuple(columns),
        province_name=(province or {}).get("name", "") if isinstance(province, dict) else "",
        roster=roster[0],
    )
    problems = [p for reader in readers.values() for p in reader.problems] + roster[1]
    problems += _cross_references(registries, readers)
    return registries, problems


def _roster_rules(path: Path, root: Path) -> tuple[RosterRules, list[Problem]]:
    """data/roster.yml (optional): per kind of subject, the prefixes a roster skips."""
    if not path.is_file():
        return RosterRules(), []
    reader = _Reader(path, _display(path, root))
    data = reader.parsed.data if isinstance(reader.parsed.data, dict) else {}
    prefixes = data.get("prefixes") or {}
    if not isinstance(prefixes, dict):
        reader.problem("DH090", "Khóa “prefixes” phải gồm các cặp “loại đối tượng: [tiền tố, ...]”.",
                       reader.parsed.line_of(("prefixes",)))
        return RosterRules(), reader.problems
    valid = {}
    for kind, items in prefixes.items():
        line = reader.parsed.line_of(("prefixes", kind))
        if kind not in KINDS:
            reader.problem("DH090", f"Loại đối tượng “{kind}” không có; chỉ nhận {', '.join(KINDS)}.", line)
        elif not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            reader.problem("DH090", f"Tiền tố của “{kind}” phải là một danh sách chữ.", line)
        else:
            valid[kind] = items
    return roster_rules(valid), reader.problems


def _cross_references(reg: Registries, readers: dict[str, _Reader]) -> list[Problem]:
    """References between registries: lead agencies, parents, successors, quota classes, outlets."""
    problems = []
    agencies, localities = reg.agency_by_code(), reg.locality_by_id()
    quota_codes = {q.code for q in reg.quota_classes}
    outlets = {o.code for o in reg.outlets}

    def missing(reader: str, kind: str, value: str, owner: str) -> None:
        problems.append(
            Problem("DH091", readers[reader].display, f"{owner} tham chiếu {kind} “{value}” không có trong danh mục.")
        )

    for m in reg.movements:
        for code in m.lead_agencies:
            if code not in agencies:
                missing("movements.yml", "cơ quan", code, f"Phong trào “{m.code}”")
    for loc in reg.localities:
        parents = [loc.parent] if loc.parent else []
        for ref in parents + [c.parent for c in loc.changes if c.parent] + list(loc.successors):
            if ref not in localities:
                missing("localities.yml", "địa phương", ref, f"Địa phương “{loc.id}”")
    for a in reg.agencies:
        if a.quota_class and a.quota_class not in quota_codes:
            missing("agencies.yml", "nhóm chỉ tiêu", a.quota_class, f"Cơ quan “{a.code}”")
    for c in reg.columns:
        for code in c.outlets:
            if code not in outlets:
                missing("columns.yml", "cơ quan báo chí", code, f"Chuyên mục “{c.code}”")
    return problems


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
