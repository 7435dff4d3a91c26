"""Cross-checks of the workflow data: nomination dates and quota classes.

Runs after every profile has been validated on its own (``pipeline.check_project``):
DH043 a profile nominated after its publication date; DH093 a body that nominates but has no
quota class covering the nomination, or no per-movement class for lead agencies.
"""

from __future__ import annotations

from generator.core.labels import vn_date
from generator.core.model import Problem, Profile, Registries
from generator.core.quotas import evaluate_quotas, lead_quota_class


def check_workflow(registries: Registries, profiles: tuple[Profile, ...] | list[Profile],
                   agencies_file: str = "data/agencies.yml") -> list[Problem]:
    return _nominated_after_publication(profiles) + _missing_quota_classes(registries, profiles, agencies_file)


def _nominated_after_publication(profiles) -> list[Problem]:
    return [Problem("DH043", p.source_path.as_posix(),
                    f"Ngày giới thiệu ({vn_date(p.nominated_on)}) sau ngày công bố ({vn_date(p.publish_on)}): "
                    "hồ sơ phải được giới thiệu trước khi công bố; hãy sửa “nominated_on” hoặc “publish_on”.",
                    field="nominated_on")
            for p in profiles if p.nominated_on and p.publish_on and p.nominated_on > p.publish_on]


def _missing_quota_classes(registries: Registries, profiles, agencies_file: str) -> list[Problem]:
    problems = []
    if not lead_quota_class(registries) and any(m.lead_agencies for m in registries.movements):
        problems.append(Problem("DH093", agencies_file,
                                "Chưa có nhóm chỉ tiêu cho cơ quan chủ trì phong trào (một mục trong "
                                "“quota_classes” có “for_lead_bodies: true”, 02 đến 05 mô hình mỗi cơ quan chủ trì).",
                                field="quota_classes", severity="warning"))
    uncovered: dict[str, tuple] = {}
    for year in sorted({p.year for p in profiles}):
        for item in evaluate_quotas(registries, profiles, year).unclassified:
            agency, found = uncovered.get(item.agency.code, (item.agency, ()))
            uncovered[item.agency.code] = (agency, found + item.profiles)
    for agency, found in uncovered.values():
        files = ", ".join(p.source_path.as_posix() for p in found)
        where = "people_committees" if agency.locality else "quota_class"
        problems.append(Problem("DH093", agencies_file,
                                f"Cơ quan “{agency.code}” ({agency.name}) giới thiệu {len(found)} hồ sơ ({files}) "
                                "nhưng không có nhóm chỉ tiêu nào áp dụng: hãy ghi “quota_class” cho cơ quan này "
                                f"(mục “{where}”) trong {agencies_file}.", field=where, severity="warning"))
    return problems
