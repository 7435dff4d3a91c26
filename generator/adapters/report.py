"""``dienhinh report``: the yearly quota report and the consolidated list for Sở Nội vụ.

Exit codes: 0 the report was produced (missed quotas are information, not errors), 2 usage
error. Invalid profiles are left out and counted in a note. Output files are written beside
their destination and renamed into place, never into profiles/, data/ or content/.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path

import click

from generator.adapters.messages import VietnameseCommand
from generator.adapters.run import build_today
from generator.check.project import ProjectPaths, check_project
from generator.core.labels import vn_date
from generator.core.model import Profile
from generator.core.quotas import STATUS_LABELS, QuotaReport, evaluate_quotas
from generator.infra.files import write_atomically
from generator.render.nomination_list import in_site_order, list_rows, list_title, write_csv, write_xlsx


@click.command(cls=VietnameseCommand)
@click.option("--year", type=int, default=None, metavar="NĂM",
              help="Năm của danh sách (mặc định: năm gần nhất có hồ sơ).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              help="Định dạng báo cáo in ra (json cho máy đọc).")
@click.option("--xlsx", "xlsx_path", type=click.Path(path_type=Path, dir_okay=False), metavar="TỆP",
              help="Ghi danh sách gửi Sở Nội vụ ra tệp Excel (.xlsx).")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path, dir_okay=False), metavar="TỆP",
              help="Ghi danh sách gửi Sở Nội vụ ra tệp CSV (UTF-8, mở được bằng Excel).")
@click.pass_obj
def report(root: str, year: int | None, output_format: str, xlsx_path: Path | None, csv_path: Path | None) -> None:
    """Báo cáo chỉ tiêu giới thiệu điển hình theo mục III.3 Kế hoạch 658/QĐ-UBND."""
    paths = ProjectPaths.at(Path(root))
    if not paths.data.is_dir():
        raise click.UsageError(f"Không tìm thấy thư mục danh mục “{paths.data}”; hãy chạy lệnh trong thư mục dự án "
                               "hoặc dùng --root.")
    for target in (xlsx_path, csv_path):
        if target:
            refuse_source_folder(target, paths.editors_folders)
    result = check_project(paths)
    profiles = in_site_order(result.registries, result.profiles)
    year = year or max((p.year for p in profiles), default=build_today().year)
    quota_report = evaluate_quotas(result.registries, profiles, year)
    rows = list_rows(result.registries, profiles, year)
    if xlsx_path:
        buffer = io.BytesIO()
        write_xlsx(rows, buffer, year)
        write_atomically(xlsx_path, buffer.getvalue())
    if csv_path:
        buffer = io.BytesIO()
        write_csv(rows, buffer)
        write_atomically(csv_path, buffer.getvalue())
    errors = len(result.errors)
    if output_format == "json":
        click.echo(json.dumps(report_as_dict(quota_report, errors), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(report_as_text(quota_report, errors)))
    for target in (xlsx_path, csv_path):
        if target:
            click.echo(f"Đã ghi {target}.", err=True)


def refuse_source_folder(target: Path, protected: Iterable[Path]) -> None:
    resolved = target.resolve()
    for folder in protected:
        if resolved.is_relative_to(folder.resolve()):
            raise click.UsageError(f"Không ghi “{target}” vào thư mục nguồn “{folder}”; hãy chọn nơi khác.")


def _who(p: Profile) -> str:
    return f"{p.source_path.as_posix()} ({p.subject.name}, {p.nominated_by})"


def report_as_text(r: QuotaReport, errors: int = 0) -> list[str]:
    lines = [f"Báo cáo chỉ tiêu giới thiệu điển hình tiên tiến năm {r.year}",
             f"(mục III.3 Kế hoạch 658/QĐ-UBND; hạn gửi Sở Nội vụ trước ngày 15/02: hồ sơ giới thiệu đến hết ngày "
             f"{vn_date(r.deadline)} được tính là đúng hạn)",
             f"Số hồ sơ hợp lệ năm {r.year}: {len(r.profiles)} (kể cả hồ sơ chưa công bố).", ""]
    for quota, quota_lines in r.sections():
        per = " mỗi cơ quan, chung các phong trào chủ trì" if quota.for_lead_bodies else ""
        lines.append(f"{quota.name} (chỉ tiêu {quota.min:02d}-{quota.max:02d}{per}):")
        for line in quota_lines:
            movement = f" / {'; '.join(m.label for m in line.movements)}" if line.movements else ""
            late = f", {len(line.late)} sau hạn" if line.late else ""
            lines.append(f"  [{STATUS_LABELS[line.status]}] {line.agency.name}{movement}: {line.count}{late}")
        lines.append("")
    lines.append(f"Hồ sơ gửi sau hạn {vn_date(r.deadline)}: {len(r.late)}")
    lines += [f"  {_who(p)}: giới thiệu ngày {vn_date(p.nominated_on)}" for p in r.late]
    if r.undated:
        lines.append(f"Hồ sơ chưa ghi ngày giới thiệu (nominated_on): {len(r.undated)}")
        lines += [f"  {_who(p)}" for p in r.undated]
    lines.append(f"UBND cấp huyện chọn hồ sơ ngoài địa bàn: {len(r.foreign)}")
    for f in r.foreign:
        lines.append(f"  {f.agency.name}: " + "; ".join(f"{p.source_path.as_posix()} ({p.locality})"
                                                        for p in f.profiles))
    lines.append(f"Cơ quan, địa phương chưa giới thiệu hồ sơ nào: {len(r.silent)}")
    lines += [f"  {agency.name}" for agency in r.silent]
    if r.unclassified:
        lines.append("Cơ quan giới thiệu nhưng chưa có nhóm chỉ tiêu (quota_class):")
        lines += [f"  {u.agency.name} ({u.agency.code}): {len(u.profiles)} hồ sơ" for u in r.unclassified]
    lines += ["", f"Tổng hợp: {len(r.lines_with('within'))} đạt, {len(r.lines_with('under'))} thiếu, "
                  f"{len(r.lines_with('over'))} vượt chỉ tiêu."]
    if errors:
        lines.append(f"Ghi chú: có {errors} lỗi kiểm tra hồ sơ, danh mục; hồ sơ lỗi không được tính "
                     "(chạy “dienhinh check” để xem).")
    return lines


def report_as_dict(r: QuotaReport, errors: int = 0) -> dict:
    def paths(profiles) -> list[str]:
        return [p.source_path.as_posix() for p in profiles]

    return {
        "year": r.year, "deadline": r.deadline.isoformat(), "title": list_title(r.year),
        "profiles": len(r.profiles), "validation_errors": errors,
        "lines": [{"agency": line.agency.code, "name": line.agency.name, "quota_class": line.quota.code,
                   "movements": [m.code for m in line.movements], "count": line.count,
                   "min": line.quota.min, "max": line.quota.max, "status": line.status, "late": paths(line.late)}
                  for line in r.lines],
        "late": paths(r.late), "undated": paths(r.undated),
        "silent": [agency.code for agency in r.silent],
        "foreign": [{"agency": f.agency.code, "district": f.district.id, "profiles": paths(f.profiles)}
                    for f in r.foreign],
        "unclassified": [{"agency": u.agency.code, "profiles": paths(u.profiles)} for u in r.unclassified],
        "summary": {status: len(r.lines_with(status)) for status in STATUS_LABELS},
    }
