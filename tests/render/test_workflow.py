"""The plan's workflow: quotas, the 15/02 list, statistics, replication, lifecycle, bad input.

A fixture set built to hit every quota bound (below, at min, at max, above) for every class,
nominations on 15/02 and 16/02, a district selection with a foreign profile, an agency with
no quota class, unpublished profiles that count for quotas but not for public statistics.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from dataclasses import replace

import openpyxl
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from conftest import MINI, ScratchProject
from generator.adapters.report import report
from generator.check.project import ProjectPaths, check_project
from generator.check.workflow import check_workflow
from generator.core.catalog import build_catalog
from generator.core.model import STAGES, HistoryEntry
from generator.core.quotas import OVER, UNDER, WITHIN, evaluate_quotas, is_late
from generator.render.context import SiteContext
from generator.render.nomination_list import HEADERS, in_site_order, list_rows, list_title, write_csv, write_xlsx
from generator.render.options import RenderOptions
from generator.render.pages import SiteRenderer
from generator.render.workflow import REPORT_PAGE, STATISTICS_CSV, STATISTICS_PAGE, render_workflow

TODAY = dt.date(2026, 1, 15)
SVG = "{http://www.w3.org/2000/svg}"

AGENCIES = """\
quota_classes:
  - {code: chu-tri-phong-trao, name: "Cơ quan chủ trì phong trào", min: 2, max: 5, for_lead_bodies: true}
  - {code: khoi-thi-dua, name: "Khối thi đua", min: 1, max: 2}
  - {code: khoi-thi-dua-dac-thu, name: "Khối thi đua (Công an, Quân sự, Y tế...)", min: 3, max: 5}
  - {code: ubnd-huyen, name: "UBND cấp huyện", min: 5, max: 10}
  - {code: ubnd-xa, name: "UBND cấp xã", min: 2, max: 3}
agencies:
  - {code: so-nnptnt, name: "Sở Nông nghiệp và Phát triển nông thôn", kind: so-nganh, quota_class: khoi-thi-dua-dac-thu}
  - {code: ban-dan-van, name: "Ban Dân vận Tỉnh ủy", kind: ban-dang, quota_class: khoi-thi-dua}
  - {code: so-tai-chinh, name: "Sở Tài chính", kind: so-nganh, quota_class: khoi-thi-dua}
  - {code: so-tu-phap, name: "Sở Tư pháp", kind: so-nganh, quota_class: khoi-thi-dua}
  - {code: so-xay-dung, name: "Sở Xây dựng", kind: so-nganh, quota_class: khoi-thi-dua}
  - {code: so-gtvt, name: "Sở Giao thông vận tải", kind: so-nganh, quota_class: khoi-thi-dua}
  - {code: so-y-te, name: "Sở Y tế", kind: so-nganh, quota_class: khoi-thi-dua-dac-thu}
  - {code: cong-an, name: "Công an tỉnh", kind: luc-luong-vu-trang, quota_class: khoi-thi-dua-dac-thu}
  - {code: quan-su, name: "Bộ Chỉ huy Quân sự tỉnh", kind: luc-luong-vu-trang, quota_class: khoi-thi-dua-dac-thu}
  - {code: bao-quang-nam, name: "Báo Quảng Nam", kind: bao-chi, quota_class: null}
  - {code: hoi-dong, name: "Hội đồng Thi đua - Khen thưởng tỉnh", kind: khac, quota_class: null}
people_committees:
  district: {code_prefix: "ubnd-", name_prefix: "UBND ", quota_class: ubnd-huyen}
  commune: {code_prefix: "ubnd-", name_prefix: "UBND ", quota_class: ubnd-xa}
"""

MOVEMENTS = """\
movements:
  - {code: nong-thon-moi, name: "Quảng Nam chung sức xây dựng nông thôn mới", short_name: "Nông thôn mới", group: "A", period: "", lead_agencies: [so-nnptnt], lead_mandate: giao, order: 10}
  - {code: dan-van-kheo, name: "Dân vận khéo", group: "A", period: "", lead_agencies: [ban-dan-van], lead_mandate: de-nghi, order: 20}
  - {code: phong-trao-a, name: "Phong trào A", group: "B", period: "", lead_agencies: [so-tai-chinh], lead_mandate: giao, order: 30}
  - {code: phong-trao-b, name: "Phong trào B", group: "B", period: "", lead_agencies: [so-tai-chinh], lead_mandate: giao, order: 40}
  - {code: phong-trao-rieng, name: "Phong trào riêng của cơ quan, địa phương", group: "C", period: "", lead_agencies: [], order: 50}
"""

EXTRA_LOCALITIES = """\
  - {id: duy-xuyen, code: "509", name: "Huyện Duy Xuyên", short_name: "Duy Xuyên", type: huyen, level: huyen, parent: null, valid_from: null, valid_to: 2025-06-30, successors: []}
  - {id: que-son, code: "511", name: "Huyện Quế Sơn", short_name: "Quế Sơn", type: huyen, level: huyen, parent: null, valid_from: null, valid_to: 2025-06-30, successors: []}
  - {id: xa-cu, code: "20799", name: "Xã Cũ", short_name: "Cũ", type: xa, level: xa, parent: dien-ban, valid_from: null, valid_to: 2019-12-31, successors: [dien-phuoc]}
"""

# (nominating body, movement, how many, locality) -> one line of the report each.
NOMINATIONS = [
    ("so-nnptnt", "nong-thon-moi", 1, "dien-phuoc"),  # lead 2-5: below
    ("ban-dan-van", "dan-van-kheo", 2, "dien-phuoc"),  # lead: at min
    ("so-tai-chinh", "phong-trao-a", 3, "an-phu"),  # one lead body, two movements: 3 + 3 = 6,
    ("so-tai-chinh", "phong-trao-b", 3, "an-phu"),  # above 2-5 as a body (each within if per movement)
    ("so-tu-phap", "phong-trao-rieng", 1, "tam-ky"),  # khối 1-2: at min
    ("so-xay-dung", "phong-trao-rieng", 2, "tam-ky"),  # khối: at max
    ("so-tai-chinh", "phong-trao-rieng", 3, "tam-ky"),  # khối: above (its own class, outside led movements)
    ("so-nnptnt", "phong-trao-rieng", 2, "dien-an"),  # đặc thù 3-5: below
    ("so-y-te", "phong-trao-rieng", 3, "dien-an"),  # đặc thù: at min
    ("cong-an", "phong-trao-rieng", 5, "dien-an"),  # đặc thù: at max
    ("quan-su", "phong-trao-rieng", 6, "dien-an"),  # đặc thù: above
    ("ubnd-dien-phuoc", "nong-thon-moi", 1, "dien-phuoc"),  # xã 2-3: below
    ("ubnd-dien-an", "nong-thon-moi", 2, "dien-an"),  # xã: at min
    ("ubnd-an-phu", "nong-thon-moi", 3, "an-phu"),  # xã: at max
    ("ubnd-an-phu-tam-ky", "nong-thon-moi", 4, "an-phu-tam-ky"),  # xã: above
    ("ubnd-dien-ban", "phong-trao-rieng", 4, "dien-ban"),  # huyện 5-10: below
    ("ubnd-tam-ky", "phong-trao-rieng", 5, "an-phu-tam-ky"),  # huyện: at min (one foreign, below)
    ("ubnd-duy-xuyen", "phong-trao-rieng", 10, "duy-xuyen"),  # huyện: at max
    ("ubnd-que-son", "phong-trao-rieng", 11, "que-son"),  # huyện: above
    ("bao-quang-nam", "phong-trao-rieng", 1, "tam-ky"),  # no quota class
]
# (body, None for its own class or LEAD for its one lead-body line) -> (count, status, late)
LEAD = "chu-tri-phong-trao"
EXPECTED = {
    ("so-nnptnt", LEAD): (1, UNDER, 0),
    ("ban-dan-van", LEAD): (2, WITHIN, 0),
    ("so-tai-chinh", LEAD): (6, OVER, 0),
    ("so-nnptnt", None): (2, UNDER, 0),
    ("ban-dan-van", None): (0, UNDER, 0),
    ("so-tai-chinh", None): (3, OVER, 0),
    ("so-tu-phap", None): (1, WITHIN, 0),
    ("so-xay-dung", None): (2, WITHIN, 0),
    ("so-gtvt", None): (0, UNDER, 0),
    ("so-y-te", None): (3, WITHIN, 1),
    ("cong-an", None): (5, WITHIN, 0),
    ("quan-su", None): (6, OVER, 0),
    ("ubnd-dien-ban", None): (4, UNDER, 0),
    ("ubnd-tam-ky", None): (5, WITHIN, 0),
    ("ubnd-duy-xuyen", None): (10, WITHIN, 0),
    ("ubnd-que-son", None): (11, OVER, 0),
    ("ubnd-dien-phuoc", None): (1, UNDER, 0),
    ("ubnd-dien-an", None): (2, WITHIN, 1),
    ("ubnd-an-phu", None): (3, WITHIN, 0),
    ("ubnd-an-phu-tam-ky", None): (4, OVER, 0),
}
KIND_CYCLE = ("tap-the", "ca-nhan", "ho-gia-dinh")


def write_registries(project: ScratchProject) -> None:
    data = project.root / "data"
    (data / "agencies.yml").write_text(AGENCIES, encoding="utf-8")
    (data / "movements.yml").write_text(MOVEMENTS, encoding="utf-8")
    localities = (data / "localities.yml").read_text(encoding="utf-8")
    (data / "localities.yml").write_text(localities.rstrip("\n") + "\n" + EXTRA_LOCALITIES, encoding="utf-8")


def write_fixture_set(project: ScratchProject) -> None:
    write_registries(project)
    n = 0
    for body, movement, count, locality in NOMINATIONS:
        for i in range(1, count + 1):
            n += 1
            kind = KIND_CYCLE[n % 3]
            project.write_profile(
                f"{body}-{movement}-{i}",
                title=f"Mô hình {n} của {body}",
                nominated_by=body,
                movement=movement,
                locality=locality,
                nominated_on="2024-02-01",
                stage=STAGES[n % 5],
                subject={"kind": kind, "name": f"Điển hình số {n:03d}"},
            )
    edit = project.write_profile  # special cases overwrite some bundles
    edit(
        "so-y-te-phong-trao-rieng-1",
        title="Đúng hạn 15/02",
        nominated_by="so-y-te",
        movement="phong-trao-rieng",
        locality="dien-an",
        nominated_on="2024-02-15",
        subject={"kind": "tap-the", "name": "Y tế đúng hạn"},
    )
    edit(
        "so-y-te-phong-trao-rieng-2",
        title="Sau hạn 16/02",
        nominated_by="so-y-te",
        movement="phong-trao-rieng",
        locality="dien-an",
        nominated_on="2024-02-16",
        subject={"kind": "tap-the", "name": "Y tế sau hạn"},
    )
    edit(
        "ubnd-dien-an-nong-thon-moi-2",
        title="Gửi tháng Ba",
        nominated_by="ubnd-dien-an",
        movement="nong-thon-moi",
        locality="dien-an",
        nominated_on="2024-03-01",
        subject={"kind": "tap-the", "name": "Gửi tháng Ba"},
    )
    edit(
        "ubnd-tam-ky-phong-trao-rieng-1",
        title="Ngoài địa bàn",
        nominated_by="ubnd-tam-ky",
        movement="phong-trao-rieng",
        locality="dien-phuoc",
        nominated_on="2024-02-01",
        subject={"kind": "tap-the", "name": "Ngoài địa bàn"},
    )
    edit(
        "ubnd-que-son-phong-trao-rieng-1",
        title="Không ghi ngày",
        nominated_by="ubnd-que-son",
        movement="phong-trao-rieng",
        locality="que-son",
        subject={"kind": "tap-the", "name": "Không ghi ngày"},
    )
    # Unpublished: counted for quotas, not for public statistics.
    edit(
        "cong-an-phong-trao-rieng-2",
        title="Chưa đồng ý",
        nominated_by="cong-an",
        movement="phong-trao-rieng",
        locality="dien-an",
        nominated_on="2024-02-01",
        consent={"obtained": False},
        subject={"kind": "ca-nhan", "name": "Chưa Đồng Ý"},
    )
    edit(
        "quan-su-phong-trao-rieng-2",
        title="Chưa đến ngày",
        nominated_by="quan-su",
        movement="phong-trao-rieng",
        locality="dien-an",
        nominated_on="2024-02-01",
        publish_on="2027-01-01",
        subject={"kind": "tap-the", "name": "Chưa đến ngày"},
    )
    # Replications: the first spreads to two districts, the second to one commune.
    edit(
        "so-tai-chinh-phong-trao-a-1",
        title="Mô hình lan tỏa",
        nominated_by="so-tai-chinh",
        movement="phong-trao-a",
        locality="an-phu",
        nominated_on="2024-02-01",
        subject={"kind": "tap-the", "name": "Lan tỏa"},
        replicated_in=[
            {"locality": "tam-ky", "year": 2024},
            {"locality": "an-phu-tam-ky", "year": 2024},
            {"locality": "duy-xuyen", "year": 2025, "note": "Toàn huyện"},
        ],
    )
    edit(
        "cong-an-phong-trao-rieng-1",
        title="Mô hình an ninh",
        nominated_by="cong-an",
        movement="phong-trao-rieng",
        locality="dien-an",
        nominated_on="2024-02-01",
        subject={"kind": "tap-the", "name": "An ninh"},
        replicated_in=[{"locality": "dien-phuoc", "year": 2024}],
    )
    # Another year: does not count for 2024.
    edit(
        "so-gtvt-2023",
        title="Năm trước",
        nominated_by="so-gtvt",
        movement="phong-trao-rieng",
        locality="tam-ky",
        year=2023,
        nominated_on="2023-02-01",
        subject={"kind": "tap-the", "name": "Năm trước"},
    )


@pytest.fixture(scope="module")
def workflow(tmp_path_factory):
    root = tmp_path_factory.mktemp("workflow")
    shutil.copytree(MINI, root, dirs_exist_ok=True)
    project = ScratchProject(root)
    write_fixture_set(project)
    result = check_project(ProjectPaths.at(root))
    assert result.errors == (), [p.format() for p in result.errors]
    return project, result


@pytest.fixture(scope="module")
def quota_report(workflow):
    _, result = workflow
    return evaluate_quotas(result.registries, in_site_order(result.registries, result.profiles), 2024)


# --- quotas ---------------------------------------------------------------------------------


def test_every_quota_bound(quota_report):
    found = {
        (line.agency.code, LEAD if line.movements else None): (line.count, line.status, len(line.late))
        for line in quota_report.lines
    }
    assert found == EXPECTED


def test_quota_sections_follow_the_registry(quota_report):
    assert [q.code for q, _ in quota_report.sections()] == [
        "chu-tri-phong-trao",
        "khoi-thi-dua",
        "khoi-thi-dua-dac-thu",
        "ubnd-huyen",
        "ubnd-xa",
    ]


def test_communes_that_did_not_exist_that_year_have_no_line(quota_report):
    bodies = {line.agency.code for line in quota_report.lines}
    assert "ubnd-xa-cu" not in bodies and "ubnd-dien-ban-dong" not in bodies and "ubnd-da-nang" not in bodies


def test_unpublished_profiles_count_for_quotas(quota_report):
    assert len(quota_report.profiles) == sum(count for _, _, count, _ in NOMINATIONS)


def test_fifteenth_of_february_is_on_time(quota_report):
    by_title = {p.title: p for p in quota_report.profiles}
    assert not is_late(by_title["Đúng hạn 15/02"])
    assert is_late(by_title["Sau hạn 16/02"])
    assert {p.title for p in quota_report.late} == {"Sau hạn 16/02", "Gửi tháng Ba"}
    assert [p.title for p in quota_report.undated] == ["Không ghi ngày"]


def test_silent_bodies_and_unclassified(quota_report):
    assert [a.code for a in quota_report.silent] == ["so-gtvt"]  # ban-dan-van nominated in its movement
    [unclassified] = quota_report.unclassified
    assert unclassified.agency.code == "bao-quang-nam" and len(unclassified.profiles) == 1


def test_district_selection_with_a_foreign_profile(quota_report):
    [foreign] = quota_report.foreign
    assert foreign.agency.code == "ubnd-tam-ky"
    assert [p.title for p in foreign.profiles] == ["Ngoài địa bàn"]


# --- the list for Sở Nội vụ -----------------------------------------------------------------


def test_site_order_matches_the_catalogue(workflow):
    _, result = workflow
    catalog = build_catalog(result.registries, result.profiles, TODAY)
    published = [p for p in result.profiles if p.is_published(TODAY)]
    assert [p.slug for p in in_site_order(result.registries, published)] == [p.slug for p in catalog.profiles]


def test_xlsx_reads_back(workflow, tmp_path):
    _, result = workflow
    rows = list_rows(result.registries, result.profiles, 2024)
    target = tmp_path / "ds.xlsx"
    write_xlsx(rows, target, 2024)
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A1"].value == list_title(2024) == "Danh sách mô hình, điển hình tiên tiến tiêu biểu năm 2024"
    assert [c.value for c in sheet[2]] == list(HEADERS)
    assert sheet["A2"].font.bold and sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["B"].width == 34
    data = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(data) == len(rows) == 72
    assert [r[0] for r in data] == list(range(1, 73))
    expected_order = [p.title for p in in_site_order(result.registries, [p for p in result.profiles if p.year == 2024])]
    assert [r[4] for r in data] == expected_order
    late = next(r for r in data if r[4] == "Sau hạn 16/02")
    assert late[9].date() == dt.date(2024, 2, 16) and late[12] == "Gửi sau hạn 15/02/2024"
    assert next(r for r in data if r[4] == "Đúng hạn 15/02")[12] is None
    assert data[0][1] == "Quảng Nam chung sức xây dựng nông thôn mới"  # movements first, Vietnamese intact


def test_xlsx_with_a_stamp_is_reproducible(workflow):
    _, result = workflow
    rows = list_rows(result.registries, result.profiles, 2024)
    first, second = io.BytesIO(), io.BytesIO()
    write_xlsx(rows, first, 2024, stamp=TODAY)
    write_xlsx(rows, second, 2024, stamp=TODAY)
    assert first.getvalue() == second.getvalue()
    assert openpyxl.load_workbook(io.BytesIO(first.getvalue())).properties.modified.date() == TODAY


def test_csv_has_a_bom_and_the_same_rows(workflow):
    _, result = workflow
    rows = list_rows(result.registries, result.profiles, 2024)
    buffer = io.BytesIO()
    write_csv(rows, buffer)
    data = buffer.getvalue()
    assert data.startswith(b"\xef\xbb\xbf") and not data.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert records[0] == list(HEADERS)
    assert [r[4] for r in records[1:]] == [row.title for row in rows]
    assert next(r for r in records if r[4] == "Sau hạn 16/02")[9] == "16/02/2024"


# --- the command ----------------------------------------------------------------------------


def test_report_command_json(workflow):
    project, _ = workflow
    out = CliRunner().invoke(report, ["--year", "2024", "--format", "json"], obj=str(project.root))
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["profiles"] == 72 and data["validation_errors"] == 0
    lines = {(x["agency"], LEAD if x["movements"] else None): (x["count"], x["status"], len(x["late"]))
             for x in data["lines"]}
    assert lines == EXPECTED
    assert data["silent"] == ["so-gtvt"]
    assert data["foreign"] == [
        {
            "agency": "ubnd-tam-ky",
            "district": "tam-ky",
            "profiles": ["profiles/2024/ubnd-tam-ky-phong-trao-rieng-1/index.md"],
        }
    ]
    assert data["summary"] == {"under": 6, "within": 9, "over": 5}


def test_report_command_text_and_files(workflow, tmp_path):
    project, result = workflow
    xlsx, csv_file = tmp_path / "out" / "ds.xlsx", tmp_path / "ds.csv"
    out = CliRunner().invoke(
        report, ["--year", "2024", "--xlsx", str(xlsx), "--csv", str(csv_file)], obj=str(project.root)
    )
    assert out.exit_code == 0, out.output
    assert "đến hết ngày 15/02/2024 được tính là đúng hạn" in out.stdout
    names = result.registries.agency_by_code()
    assert f"[Vượt] {names['ubnd-que-son'].name}: 11" in out.stdout
    assert "[Thiếu] Sở Nông nghiệp và Phát triển nông thôn / Nông thôn mới: 1" in out.stdout
    assert "[Vượt] Sở Tài chính / Phong trào A; Phong trào B: 6" in out.stdout  # one line per lead body
    assert "Tổng hợp: 9 đạt, 6 thiếu, 5 vượt chỉ tiêu." in out.stdout
    assert openpyxl.load_workbook(xlsx).active.max_row == 74
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    assert not list(tmp_path.rglob("*.tmp"))


def test_report_command_refuses_source_folders_and_notes_errors(workflow, project):
    write_registries(project)
    project.write_profile("loi", nominated_by="khong-co")
    out = CliRunner().invoke(
        report, ["--year", "2024", "--csv", str(project.root / "profiles" / "x.csv")], obj=str(project.root)
    )
    assert out.exit_code == 2 and "thư mục nguồn" in out.output
    out = CliRunner().invoke(report, ["--year", "2024"], obj=str(project.root))
    assert out.exit_code == 0
    assert "Ghi chú: có 1 lỗi kiểm tra hồ sơ" in out.stdout


# --- pages ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages(workflow):
    _, result = workflow
    catalog = build_catalog(result.registries, result.profiles, TODAY)
    public = render_workflow(SiteContext(catalog, RenderOptions()))
    internal = render_workflow(SiteContext(catalog, RenderOptions(internal=True), all_profiles=result.profiles))
    return catalog, public, internal


def page_soup(output, path) -> BeautifulSoup:
    [page] = [p for p in output.pages if p.path == path]
    return BeautifulSoup(page.markdown.split("---\n", 2)[2], "html.parser")


def independent_counts(result) -> dict[str, Counter]:
    """Straight from the validated profiles, without the catalogue or the statistics module."""
    localities = result.registries.locality_by_id()
    movements = result.registries.movement_by_code()
    published = [p for p in result.profiles if p.is_published(TODAY)]

    def district(p):
        loc = localities[p.locality]
        return localities[loc.parent].name if loc.level == "xa" else loc.name

    return {
        "movement": Counter(movements[p.movement].label for p in published),
        "district": Counter(district(p) for p in published),
        "kind": Counter(
            {"tap-the": "Tập thể", "ca-nhan": "Cá nhân", "ho-gia-dinh": "Hộ gia đình"}[p.subject.kind]
            for p in published
        ),
        "stage": Counter(p.stage for p in published),
        "year": Counter(str(p.year) for p in published),
    }


def test_statistics_equal_independent_counts(workflow, pages):
    _, result = workflow
    _, public, _ = pages
    soup = page_soup(public, STATISTICS_PAGE)
    expected = independent_counts(result)
    stage_labels = {
        "phat-hien": "Phát hiện, xây dựng",
        "boi-duong": "Bồi dưỡng, bình chọn",
        "gioi-thieu": "Giới thiệu",
        "nhan-rong": "Nhân rộng",
        "ton-vinh": "Biểu dương, tôn vinh",
    }
    expected["stage"] = Counter({stage_labels[k]: v for k, v in expected["stage"].items()})
    total = sum(1 for p in result.profiles if p.is_published(TODAY))
    assert total == 71
    for dimension, counts in expected.items():
        table = soup.select_one(f"#dh-chart-{dimension} table")
        figures = {tr.th.get_text(): int(tr.td.get_text()) for tr in table.select("tbody tr")}
        assert {k: v for k, v in figures.items() if v} == dict(counts), dimension
        assert int(table.select_one("tfoot td").get_text()) == total


def test_statistics_svg_is_accessible_xml(pages):
    _, public, _ = pages
    soup = page_soup(public, STATISTICS_PAGE)
    figures = soup.select("div.dh-chart")
    assert len(figures) == 5
    ids = []
    for figure in figures:
        drawings = figure.find_all("svg")  # wide and narrow (a phone's)
        assert [d["class"][-1] for d in drawings] == ["dh-chart__svg--wide", "dh-chart__svg--narrow"]
        for drawing in drawings:
            svg = ET.fromstring(str(drawing))
            assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
            title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
            assert title.text and desc.text
            assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
            ids += [title.get("id"), desc.get("id")]
        assert figure.find("table").caption is not None
    assert len(ids) == len(set(ids))
    assert not soup.find("script")


def test_statistics_csv_asset(workflow, pages):
    _, result = workflow
    _, public, _ = pages
    [asset] = [a for a in public.assets if a.path == STATISTICS_CSV]
    assert asset.content.startswith(b"\xef\xbb\xbf")
    records = list(csv.reader(io.StringIO(asset.content.decode("utf-8-sig"), newline="")))
    assert records[0] == ["Tiêu chí", "Mã", "Tên", "Số điển hình"]
    by_year = {r[1]: int(r[3]) for r in records[1:] if r[0] == "Năm"}
    assert by_year == dict(independent_counts(result)["year"])
    assert page_soup(public, STATISTICS_PAGE).find("a", href="thong-ke.csv") is not None


def test_internal_report_only_when_asked(pages):
    _, public, internal = pages
    assert not any(p.path.startswith("noi-bo/") for p in public.pages)
    assert not any(a.path.startswith("noi-bo/") for a in public.assets)
    soup = page_soup(internal, REPORT_PAGE)
    assert "Báo cáo chỉ tiêu giới thiệu điển hình năm 2024" in soup.get_text()
    assert "cho mỗi cơ quan, tính chung mọi phong trào cơ quan chủ trì" in soup.get_text()
    assert "đến hết ngày 15/02/2024 được tính là đúng hạn" in soup.get_text()
    assert len(soup.select(".dh-status--over")) == 5 and len(soup.select(".dh-status--under")) == 6
    assert soup.find("a", href="danh-sach-2024.xlsx") and soup.find("a", href="danh-sach-2024.csv")
    assert "72 (đã công bố: 70)" in soup.select_one(".dh-report__summary").get_text()
    paths = {a.path for a in internal.assets}
    assert {"noi-bo/bao-cao-chi-tieu/danh-sach-2024.xlsx", "noi-bo/bao-cao-chi-tieu/danh-sach-2024.csv"} <= paths


def test_replication_page_ranks_by_reach(pages):
    _, public, _ = pages
    soup = page_soup(public, "nhan-rong/index.md")
    items = soup.select("li.dh-spread__item")
    assert [li.select_one("a.dh-item__name").get_text() for li in items] == ["Mô hình lan tỏa", "Mô hình an ninh"]
    first = items[0].get_text(" ", strip=True)
    assert "3 địa phương, thuộc 2 huyện" in first
    years = [li.get_text(" ", strip=True) for li in items[0].select("ul.dh-spread__years > li")]
    assert years[0] == "Năm 2024: thành phố Tam Kỳ ; phường An Phú, thành phố Tam Kỳ"  # places mid-phrase
    assert years[1].startswith("Năm 2025:") and "Toàn huyện" in years[1]
    assert items[0].find("a", href="../dia-phuong/duy-xuyen/") is not None
    rows = soup.select(".dh-replication tbody tr")
    per_year = {tr.th.get_text(): tr.find_all("td")[0].get_text() for tr in rows}
    assert per_year == {"2024": "3", "2025": "1"}


def test_built_site_keeps_charts_and_links(workflow, tmp_path, monkeypatch):
    """A real strict MkDocs build."""
    from generator.adapters.build import build_site

    project, _ = workflow
    project.write_mkdocs_yml()
    monkeypatch.setenv("DIENHINH_TODAY", TODAY.isoformat())
    site = build_site(project.root / "mkdocs.yml", tmp_path / "site", strict=True)
    page = BeautifulSoup((site / "thong-ke/index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(page.select("article div.dh-chart svg title")) == 10  # a wide and a narrow drawing each
    assert (site / "thong-ke/thong-ke.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (site / "nhan-rong/index.html").is_file() and not (site / "noi-bo").exists()
    for html in (site / "thong-ke/index.html", site / "nhan-rong/index.html"):
        for a in BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select("article a[href]"):
            target = (html.parent / a["href"].split("#")[0]).resolve()
            assert (target / "index.html" if target.is_dir() else target).exists(), a["href"]


# --- lifecycle ------------------------------------------------------------------------------


def test_timeline_marks_stages_and_history(workflow):
    _, result = workflow
    profile = next(p for p in result.profiles if p.stage == "nhan-rong")
    profile = replace(
        profile,
        history=(
            HistoryEntry(dt.date(2023, 5, 2), "phat-hien", "Phát hiện qua phong trào"),
            HistoryEntry(dt.date(2024, 9, 9), "nhan-rong", ""),
        ),
    )
    env = SiteRenderer(build_catalog(result.registries, result.profiles, TODAY)).env
    html = env.from_string('{% from "_timeline.j2" import timeline %}{{ timeline(p) }}').render(p=profile)
    soup = BeautifulSoup(html, "html.parser")
    steps = soup.select("ol.dh-timeline > li")
    assert [s["class"][1] for s in steps] == ["dh-timeline__step--done"] * 3 + [
        "dh-timeline__step--current",
        "dh-timeline__step--todo",
    ]
    assert [s.get("aria-current") for s in steps] == [None, None, None, "step", None]
    assert steps[0].find("time")["datetime"] == "2023-05-02"
    assert "02/05/2023: Phát hiện qua phong trào" in steps[0].get_text()
    assert steps[4].find("time") is None


# --- bad input ------------------------------------------------------------------------------


def run(project):
    return check_project(ProjectPaths.at(project.root))


def test_nominated_after_publication(project):
    project.write_profile("som", nominated_on="2024-03-01", publish_on="2024-02-20")
    result = run(project)
    [problem] = check_workflow(result.registries, result.profiles)
    assert (problem.code, problem.path, problem.severity) == ("DH043", "profiles/2024/som/index.md", "error")
    assert "01/03/2024" in problem.message and "20/02/2024" in problem.message


def test_agency_without_quota_class(project):
    write_registries(project)
    project.write_profile("bao", nominated_by="bao-quang-nam", subject={"kind": "tap-the", "name": "Báo"})
    project.write_profile("hd", nominated_by="hoi-dong", movement="dan-van-kheo")
    result = run(project)
    problems = check_workflow(result.registries, result.profiles)
    assert [(p.code, p.path) for p in problems] == [("DH093", "data/agencies.yml")] * 2
    assert "bao-quang-nam" in problems[0].message and "profiles/2024/bao/index.md" in problems[0].message


def test_lead_agency_without_a_quota_class_of_its_own_is_covered(project):
    (project.root / "data" / "agencies.yml").write_text(
        AGENCIES.replace("kind: ban-dang, quota_class: khoi-thi-dua", "kind: ban-dang, quota_class: null"),
        encoding="utf-8",
    )
    (project.root / "data" / "movements.yml").write_text(MOVEMENTS, encoding="utf-8")
    project.write_profile("dv", nominated_by="ban-dan-van", movement="dan-van-kheo")
    result = run(project)
    assert check_workflow(result.registries, result.profiles) == []
    project.write_profile("dv2", nominated_by="ban-dan-van", movement="nong-thon-moi")
    [problem] = check_workflow(result.registries, run(project).profiles)
    assert problem.code == "DH093" and "ban-dan-van" in problem.message


def test_missing_lead_quota_class(project):
    (project.root / "data" / "agencies.yml").write_text(
        AGENCIES.replace("for_lead_bodies: true", "for_lead_bodies: false"), encoding="utf-8"
    )
    result = run(project)
    [problem] = check_workflow(result.registries, result.profiles)
    assert problem.code == "DH093" and "for_lead_bodies" in problem.message


def test_nomination_by_unknown_body_names_the_file(project):
    project.write_profile("x", nominated_by="so-khong-co")
    [problem] = run(project).problems
    assert (problem.code, problem.path, problem.field) == ("DH034", "profiles/2024/x/index.md", "nominated_by")


def test_replication_to_a_locality_that_did_not_exist_that_year(project):
    project.write_profile("x", replicated_in=[{"locality": "dien-ban-dong", "year": 2024}])
    [problem] = run(project).problems
    assert (problem.code, problem.path, problem.field) == (
        "DH033",
        "profiles/2024/x/index.md",
        "replicated_in.0.locality",
    )
    assert "không tồn tại vào năm 2024" in problem.message


# --- formula injection (OWASP CSV injection) --------------------------------------------------

HOSTILE_CELLS = {
    "title": '=HYPERLINK("http://example.test/x","Bấm vào đây")',
    "summary": "-1+1 hộ thoát nghèo nhờ mô hình",
    "subject": "@SUM(1+1) Nguyễn Văn An",
    "position": "+84 cán bộ",
}


@pytest.fixture
def hostile(project):
    project.write_profile("cong-thuc", title=HOSTILE_CELLS["title"], summary=HOSTILE_CELLS["summary"],
                          subject={"kind": "ca-nhan", "name": HOSTILE_CELLS["subject"],
                                   "position": HOSTILE_CELLS["position"]},
                          nominated_on="2024-02-01")
    result = check_project(ProjectPaths.at(project.root))
    assert result.errors == (), [p.format() for p in result.errors]
    return project


def _sheet_xml(xlsx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_report_writes_formula_leading_text_as_text(hostile, tmp_path):
    xlsx, csv_file = tmp_path / "ds.xlsx", tmp_path / "ds.csv"
    out = CliRunner().invoke(report, ["--year", "2024", "--xlsx", str(xlsx), "--csv", str(csv_file)],
                             obj=str(hostile.root))
    assert out.exit_code == 0, out.output
    assert "<f>" not in _sheet_xml(xlsx.read_bytes())  # no formula anywhere in the sheet
    sheet = openpyxl.load_workbook(xlsx).active
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=3) for cell in row if isinstance(cell.value, str)}
    position = next(v for v in cells if HOSTILE_CELLS["position"] in v)
    for text in (HOSTILE_CELLS["title"], HOSTILE_CELLS["summary"], HOSTILE_CELLS["subject"]):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text  # shown as typed, kept as text
    assert cells[position].data_type == "s"
    assert sheet["A3"].value == 1 and sheet["A3"].data_type == "n"  # numbers stay numbers
    records = list(csv.reader(io.StringIO(csv_file.read_bytes().decode("utf-8-sig"), newline="")))
    fields = [field for record in records[1:] for field in record]
    assert not [f for f in fields if f[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'" + HOSTILE_CELLS["title"] in fields and "'" + HOSTILE_CELLS["subject"] in fields
    assert records[1][0] == "1"


def test_the_site_download_uses_the_same_writer(hostile):
    result = check_project(ProjectPaths.at(hostile.root))
    catalog = build_catalog(result.registries, result.profiles, TODAY)
    output = render_workflow(SiteContext(catalog, RenderOptions(internal=True), all_profiles=result.profiles))
    xlsx = next(a for a in output.assets if a.path.endswith(".xlsx"))
    assert "<f>" not in _sheet_xml(xlsx.content)
    csv_asset = next(a for a in output.assets if a.path.endswith(".csv") and "danh-sach" in a.path)
    records = list(csv.reader(io.StringIO(csv_asset.content.decode("utf-8-sig"), newline="")))
    assert "'" + HOSTILE_CELLS["title"] in records[1]
