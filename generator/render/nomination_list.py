"""The yearly list for Sở Nội vụ: "Danh sách mô hình, điển hình tiên tiến tiêu biểu năm YYYY".

Rows in the site's order (movement, district, commune, name), written as XLSX by openpyxl and
as CSV (UTF-8 with a BOM, so that Excel reads the Vietnamese text correctly).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.xml.constants import ARC_CORE
from openpyxl.xml.functions import tostring

from generator.core.catalog import above_on, place_date, site_order_key, unit_on
from generator.core.labels import KIND_LABELS, STAGE_LABELS, vn_date
from generator.core.model import Profile, Registries
from generator.core.quotas import deadline, is_late

# (header, column width in characters); the CSV uses the same headers.
COLUMNS = (
    ("STT", 6), ("Phong trào thi đua", 34), ("Huyện, thị xã, thành phố", 22), ("Xã, phường, thị trấn", 22),
    ("Tên mô hình, điển hình", 40), ("Cá nhân, tập thể", 28), ("Loại", 12), ("Chức vụ, đơn vị", 28),
    ("Cơ quan giới thiệu", 30), ("Ngày giới thiệu", 14), ("Giai đoạn", 18), ("Tóm tắt thành tích", 60),
    ("Ghi chú", 24),
)
HEADERS = tuple(name for name, _ in COLUMNS)
DATE_COLUMN = HEADERS.index("Ngày giới thiệu")


def list_title(year: int) -> str:
    return f"Danh sách mô hình, điển hình tiên tiến tiêu biểu năm {year}"


@dataclass(frozen=True)
class ListRow:
    number: int
    movement: str
    district: str
    commune: str
    title: str
    subject: str
    kind: str
    position: str
    nominated_by: str
    nominated_on: dt.date | None
    stage: str
    summary: str
    note: str

    def values(self) -> tuple:
        return (self.number, self.movement, self.district, self.commune, self.title, self.subject, self.kind,
                self.position, self.nominated_by, self.nominated_on, self.stage, self.summary, self.note)


def in_site_order(registries: Registries, profiles: Iterable[Profile]) -> tuple[Profile, ...]:
    """The catalogue's canonical order, for published and unpublished profiles alike."""
    return tuple(sorted(profiles, key=site_order_key(registries)))


def list_rows(registries: Registries, profiles: Iterable[Profile], year: int) -> tuple[ListRow, ...]:
    movements, localities = registries.movement_by_code(), registries.locality_by_id()
    agencies = registries.agency_by_code()
    rows = []
    for number, p in enumerate(in_site_order(registries, (p for p in profiles if p.year == year)), start=1):
        loc, district = unit_on(localities, p.locality, place_date(p)), above_on(localities, p.locality, place_date(p))
        agency = agencies.get(p.nominated_by)
        rows.append(ListRow(
            number=number, movement=movements[p.movement].name, district=district.name,
            commune="" if district.id == loc.id else loc.name, title=p.title, subject=p.subject.name,
            kind=KIND_LABELS[p.subject.kind],
            position=p.subject.role,
            nominated_by=agency.name if agency else p.nominated_by, nominated_on=p.nominated_on,
            stage=STAGE_LABELS[p.stage], summary=p.summary, note=_note(p)))
    return tuple(rows)


def _note(p: Profile) -> str:
    if p.nominated_on is None:
        return "Chưa ghi ngày giới thiệu"
    if is_late(p):
        return f"Gửi sau hạn {vn_date(deadline(p.year))}"
    return ""


# --- text a spreadsheet would run -----------------------------------------------------------

# OWASP's CSV-injection guidance: Excel, LibreOffice and Google Sheets read a cell that starts
# with one of these as a formula (or a DDE command), so a title such as =HYPERLINK(...) would
# run on the desk of whoever opens the list.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def runs_as_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_LEADS)


def csv_field(value: object) -> object:
    """A CSV field as OWASP advises: formula-leading text behind an apostrophe; numbers unchanged."""
    return "'" + value if runs_as_formula(value) else value  # type: ignore[operator]


# --- CSV ------------------------------------------------------------------------------------


def write_table_csv(header: Iterable[str], records: Iterable[Iterable], stream: BinaryIO) -> None:
    """UTF-8 with a BOM and CRLF line ends: what Excel expects of a CSV file."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow([csv_field(value) for value in header])
        writer.writerows([csv_field(value) for value in record] for record in records)
        text.flush()
    finally:
        text.detach()


def write_csv(rows: Iterable[ListRow], stream: BinaryIO) -> None:
    records = ([_date_text(v) if i == DATE_COLUMN else v for i, v in enumerate(row.values())] for row in rows)
    write_table_csv(HEADERS, records, stream)


def _date_text(value: dt.date | None) -> str:
    return vn_date(value)


# --- XLSX -----------------------------------------------------------------------------------

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def write_xlsx(rows: Iterable[ListRow], target, year: int, stamp: dt.date | None = None) -> None:
    """Write the list to a path or a binary stream: a title row, then a frozen, filtered header row.

    With ``stamp`` the file is byte-for-byte reproducible (document dates and zip times fixed).
    """
    workbook = _workbook(tuple(rows), year)
    if stamp is None:
        workbook.save(target)
        return
    when = dt.datetime(stamp.year, stamp.month, stamp.day)
    workbook.properties.created = when
    buffer = io.BytesIO()
    workbook.save(buffer)
    workbook.properties.modified = when  # save() stamps "now"; the core part is rewritten below
    data = _reproducible_zip(buffer.getvalue(), tostring(workbook.properties.to_tree()), when)
    if hasattr(target, "write"):
        target.write(data)
    else:
        with open(target, "wb") as handle:
            handle.write(data)


def _workbook(rows: tuple[ListRow, ...], year: int) -> Workbook:
    workbook = Workbook()
    sheet = workbook.worksheets[0]  # a new workbook has one, the active one
    sheet.title = f"Danh sách {year}"
    sheet.append([list_title(year)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        sheet.append(list(row.values()))
    for cells in sheet.iter_rows(min_row=3):
        for cell in cells:
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if runs_as_formula(cell.value):
                # openpyxl made it a formula; a text cell with Excel's quote prefix shows it as typed
                # and keeps it text when edited (OWASP), with no apostrophe in the value itself.
                cell.data_type, cell.quotePrefix = "s", True
        cells[DATE_COLUMN].number_format = "DD/MM/YYYY"
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(COLUMNS))}{max(2, len(rows) + 2)}"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    workbook.properties.title = list_title(year)
    workbook.properties.creator = "dienhinh"
    return workbook


def _reproducible_zip(data: bytes, core_xml: bytes, when: dt.datetime) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            content = core_xml if info.filename == ARC_CORE else source.read(info.filename)
            copy.writestr(zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6]), content,
                          compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
