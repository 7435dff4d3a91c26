"""The plan's workflow pages: statistics and replication (public), the quota report (internal).

``render_workflow`` is one section renderer composed by ``site.render_site``. The quota report
counts every validated profile (``all_profiles``), published or not, so it is built only when
``options.internal`` is set (a flag, or ``mkdocs serve``).
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Iterable

from generator.core.catalog import Catalog
from generator.core.model import Profile
from generator.core.quotas import STATUS_LABELS, evaluate_quotas, lead_quota_class
from generator.core.urls import file_url
from generator.infra.output import GeneratedAsset, GeneratedPage, SiteOutput
from generator.render.context import SiteContext
from generator.render.nomination_list import (
    in_site_order,
    list_rows,
    list_title,
    write_csv,
    write_table_csv,
    write_xlsx,
)
from generator.render.pages import SiteRenderer
from generator.render.statistics import (
    CSV_HEADER,
    chart_shape,
    count_charts,
    csv_records,
    replication_spread,
    replications_by_year,
)

STATISTICS_PAGE = "thong-ke/index.md"
STATISTICS_CSV = "thong-ke/thong-ke.csv"
REPLICATION_PAGE = "nhan-rong/index.md"
REPORT_PAGE = "noi-bo/bao-cao-chi-tieu/index.md"


def render_workflow(ctx: SiteContext) -> SiteOutput:
    """Statistics, replication, and (internal builds only) the quota report with its lists."""
    renderer = SiteRenderer.of(ctx)
    pages = [statistics_page(renderer), replication_page(renderer)]
    assets = [GeneratedAsset(STATISTICS_CSV, content=statistics_csv(ctx.catalog))]
    if ctx.options.internal:
        page, report_assets = report_page(renderer, ctx.all_profiles)
        pages.append(page)
        assets += report_assets
    return SiteOutput(tuple(pages), tuple(assets))


def statistics_csv(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_table_csv(CSV_HEADER, csv_records(count_charts(catalog)), buffer)
    return buffer.getvalue()


def statistics_page(renderer: SiteRenderer) -> GeneratedPage:
    charts = count_charts(renderer.catalog)
    return renderer.page(STATISTICS_PAGE, "workflow_statistics.md.j2",
                         {"title": "Thống kê", "description": "Số liệu điển hình tiên tiến theo phong trào, địa "
                                                              "phương, loại đối tượng, giai đoạn và năm"},
                         charts=[(chart, chart_shape(chart), chart_shape(chart, narrow=True)) for chart in charts],
                         csv_url=file_url(STATISTICS_PAGE, STATISTICS_CSV))


def replication_page(renderer: SiteRenderer) -> GeneratedPage:
    spreads = replication_spread(renderer.catalog)
    return renderer.page(REPLICATION_PAGE, "workflow_replication.md.j2",
                         {"title": "Nhân rộng mô hình", "description": "Các mô hình, điển hình tiên tiến được "
                                                                       "nhân rộng ở nhiều địa phương"},
                         spreads=spreads, per_year=replications_by_year(spreads))


def report_page(renderer: SiteRenderer,
                all_profiles: Iterable[Profile] | None) -> tuple[GeneratedPage, list[GeneratedAsset]]:
    """The quota report for the latest year that has profiles, with the list as XLSX and CSV.

    Without ``all_profiles`` only the published profiles are known, and the page says so.
    """
    catalog = renderer.catalog
    profiles = in_site_order(catalog.registries, catalog.profiles if all_profiles is None else all_profiles)
    year = max((p.year for p in profiles), default=catalog.today.year)
    report = evaluate_quotas(catalog.registries, profiles, year)
    rows = list_rows(catalog.registries, profiles, year)
    folder = posixpath.dirname(REPORT_PAGE)
    xlsx, csv = io.BytesIO(), io.BytesIO()
    write_xlsx(rows, xlsx, year, stamp=catalog.today)
    write_csv(rows, csv)
    assets = [GeneratedAsset(f"{folder}/danh-sach-{year}.xlsx", content=xlsx.getvalue()),
              GeneratedAsset(f"{folder}/danh-sach-{year}.csv", content=csv.getvalue())]
    meta = {"title": f"Báo cáo chỉ tiêu năm {year}", "description": "Trang nội bộ, không công bố",
            "search": {"exclude": True}}
    page = renderer.page(REPORT_PAGE, "workflow_report.md.j2", meta, report=report,
                         published={p.slug for p in catalog.profiles}, counts_unpublished=all_profiles is not None,
                         list_title=list_title(year), lead_class=lead_quota_class(catalog.registries),
                         STATUS_LABELS=STATUS_LABELS, xlsx_url=file_url(REPORT_PAGE, assets[0].path),
                         csv_url=file_url(REPORT_PAGE, assets[1].path))
    return page, assets
