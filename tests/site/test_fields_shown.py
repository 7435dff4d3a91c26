"""Every front-matter field is read by some output: a field declared, validated and filled in,
but shown nowhere (as `sources` once was), fails here.

For each field of the schema (each nested key on its own) the same small site is rendered in
process twice, with and without a change to that field alone; some page or file must differ.
A new field needs a line in CHANGES, and the line must change what a reader, a journalist or
the Sở Nội vụ receives.

The consent record is the exception: it is the editors' proof, kept in git and read by check,
and never published. For its keys the test asserts the opposite: no output changes.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import MINI, ScratchProject
from generator.adapters.run import Run, SiteSettings
from generator.check.project import ProjectPaths
from generator.load import schema
from media_support import write_photo, write_yaml

TODAY = dt.date(2026, 1, 15)
BASE = {
    "title": "Người nông dân làm giàu từ cây quế",
    "summary": "Ông An trồng quế hữu cơ và giúp nhiều hộ thoát nghèo.",
    "subject": {"kind": "ca-nhan", "name": "Nguyễn Văn An", "position": "Nông dân",
                "organization": "Hội Nông dân xã", "sort_name": "An Nguyễn Văn"},
    "movement": "nong-thon-moi",
    "locality": "dien-phuoc",
    "nominated_by": "ubnd-dien-ban",
    "year": 2024,
    "stage": "gioi-thieu",
    "consent": {"obtained": True, "date": "2024-01-10", "scope": "ảnh"},
    "nominated_on": "2024-01-20",
    "history": [{"date": "2023-11-02", "stage": "phat-hien", "note": "Được xã phát hiện."}],
    "awards": [{"title": "Bằng khen của Chủ tịch UBND tỉnh", "year": 2023, "decision": "123/QĐ-UBND"}],
    "replicated_in": [{"locality": "an-phu", "year": 2024, "note": "Mười hộ làm theo."}],
    "photos": [{"file": "vuon-que.jpg", "alt": "Vườn quế", "caption": "Vườn quế của ông An", "credit": "Lê Bình"}],
    "columns": [{"column": "guong-nguoi-tot-viec-tot", "date": "2024-06-05"}],
    "publish_on": "2024-02-01",
    "tags": ["quế"],
    "sources": [{"title": "Báo Quảng Nam", "url": "https://example.org/bai"}],
    "sample": False,
}
# Beside it, a neighbour that sorts after it in every list, so that order is an output too.
NEIGHBOUR = {**copy.deepcopy(BASE), "title": "Hợp tác xã quế", "subject": {"kind": "tap-the", "name": "Hợp tác xã Quế"},
             "photos": [], "columns": [], "sources": [], "tags": [], "replicated_in": [], "history": []}
NEIGHBOUR.pop("consent")

SECOND_COLUMN = {"code": "nguoi-tot", "name": "Người tốt quanh ta", "outlets": ["bao-quang-nam"]}

# One change per field: (front-matter key path, new value). A list's key changes its first record.
CHANGES: dict[str, object] = {
    "title": "Tiêu đề đã đổi",
    "summary": "Tóm tắt đã đổi.",
    "subject.kind": "ho-gia-dinh",
    "subject.name": "Nguyễn Văn Ân",
    "subject.position": "Kỹ sư",
    "subject.organization": "Hợp tác xã Điện Phước",
    "subject.sort_name": "Zô Nguyễn Văn",
    "movement": "dan-van-kheo",
    "locality": "an-phu",
    "nominated_by": "so-nnptnt",
    "year": 2025,
    "stage": "ton-vinh",
    "consent.obtained": False,
    "consent.withdrawn": True,
    "nominated_on": "2024-01-21",
    "history.date": "2023-11-03",
    "history.stage": "boi-duong",
    "history.note": "Ghi chú đã đổi.",
    "awards.title": "Bằng khen đã đổi",
    "awards.code": "cstd-co-so",
    "awards.year": 2022,
    "awards.decision": "456/QĐ-UBND",
    "replicated_in.locality": "dien-an",
    "replicated_in.year": 2023,
    "replicated_in.note": "Ghi chú nhân rộng đã đổi.",
    "photos.file": "vuon-que-2.jpg",
    "photos.alt": "Mô tả ảnh đã đổi",
    "photos.caption": "Chú thích đã đổi",
    "photos.credit": "Trần Cường",
    "columns.column": SECOND_COLUMN["code"],
    "columns.date": "2024-06-12",
    "publish_on": "2026-03-01",
    "tags": ["quế", "hữu cơ"],
    "sources.title": "Đài Quảng Nam",
    "sources.url": "https://example.org/bai-khac",
    "sample": True,
}

# Read by check only, never published: (a change no output may show, a value check must refuse
# or warn about).
NOT_PUBLISHED: dict[str, tuple[object, object]] = {
    "consent.date": ("2024-01-11", "32/13/2024"),
    "consent.scope": ("ảnh, sức khỏe", "sức khỏe"),  # photos published, but no photo word: DH058
}


def _field_paths() -> list[str]:
    paths = []
    for spec in schema.PROFILE_FIELDS:
        nested = schema.NESTED_FIELDS.get(spec.name)
        paths += [f"{spec.name}.{child.name}" for child in nested] if nested else [spec.name]
    return paths


def _changed(meta: dict, field: str, value: object) -> dict:
    meta = copy.deepcopy(meta)
    key, _, child = field.partition(".")
    if not child:
        meta[key] = value
    elif isinstance(meta[key], list):
        meta[key][0][child] = value
    else:
        meta[key][child] = value
    return meta


def _project(root: Path, meta: dict) -> ProjectPaths:
    shutil.copytree(MINI, root, dirs_exist_ok=True)
    columns = yaml.safe_load((root / "data" / "columns.yml").read_text(encoding="utf-8"))
    columns["columns"].append(SECOND_COLUMN)
    write_yaml(root / "data" / "columns.yml", columns)
    project = ScratchProject(root)
    folder = project.write_profile("an", meta=meta).parent
    project.write_profile("hop-tac-xa", meta=NEIGHBOUR)
    for name in ("vuon-que.jpg", "vuon-que-2.jpg"):
        write_photo(folder / name)
    return ProjectPaths.at(root)


def _run(paths: ProjectPaths) -> Run:
    return Run.make(paths, SiteSettings("https://example.test/", "Thử nghiệm"), TODAY, internal=True)


def _outputs(root: Path, meta: dict) -> dict[str, bytes]:
    """Every page and file the site hands out (internal pages and lists included)."""
    run = _run(_project(root, meta))
    result = run.check()
    assert not result.errors, [p.format() for p in result.errors]
    output = run.render(result)
    files = {page.path: page.markdown.encode("utf-8") for page in output.pages}
    for asset in output.assets:
        files[asset.path] = asset.content if asset.content is not None else Path(asset.source).read_bytes()
    return files


def _differing(one: dict[str, bytes], other: dict[str, bytes]) -> list[str]:
    return sorted(path for path in one.keys() | other.keys() if one.get(path) != other.get(path))


@pytest.fixture(scope="module")
def base_outputs(tmp_path_factory) -> dict[str, bytes]:
    return _outputs(tmp_path_factory.mktemp("base"), BASE)


def test_every_field_of_the_schema_has_a_change_here():
    assert sorted(_field_paths()) == sorted([*CHANGES, *NOT_PUBLISHED])


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_changing_a_field_changes_an_output(field, base_outputs, tmp_path):
    changed = _outputs(tmp_path, _changed(BASE, field, CHANGES[field]))
    assert _differing(base_outputs, changed), f"“{field}” is read by no output"


@pytest.mark.parametrize("field", sorted(NOT_PUBLISHED))
def test_the_consent_record_is_read_by_check_and_published_nowhere(field, base_outputs, tmp_path):
    unpublished, refused = NOT_PUBLISHED[field]
    assert _differing(base_outputs, _outputs(tmp_path / "other", _changed(BASE, field, unpublished))) == []
    problems = _run(_project(tmp_path / "refused", _changed(BASE, field, refused))).check().problems
    assert [p.field for p in problems] == [field]


def test_the_same_profile_renders_the_same_anywhere(base_outputs, tmp_path):
    """The control: without it, a field could seem read only because two renders differ anyway."""
    assert _outputs(tmp_path, BASE) == base_outputs
