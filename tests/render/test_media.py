"""Columns, the propagation calendar and events: registries, checks, pages, feeds, and a real
MkDocs build where scheduled items are absent from every public output."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import feedparser
import markdown
import pytest
from bs4 import BeautifulSoup

from generator.check.project import ProjectPaths, check_project
from generator.core.catalog import build_catalog
from generator.core.columns import check_column_slots, column_items, issues, months
from generator.core.media_model import KeyDate
from generator.core.propagation import build_calendar, profile_events
from generator.load.media_registries import check_media, load_media_registries
from generator.render.context import SiteContext
from generator.render.media import render_media
from generator.render.options import RenderOptions
from generator.render.pages import SiteRenderer
from generator.render.site import render_site
from media_support import TODAY, make_media_project, write_yaml

SITE_URL = "https://example.test/"
SCHEDULED_ISSUE = "chuyen-muc/guong-nguoi-tot-viec-tot/2026-03-01/index.md"
COLUMN_PAGE = "chuyen-muc/guong-nguoi-tot-viec-tot/index.md"
COLUMN_FEEDS = "feeds/chuyen-muc/guong-nguoi-tot-viec-tot"  # the press feeds (render_press) of a column


@pytest.fixture(scope="module")
def media_project(tmp_path_factory):
    project = make_media_project(tmp_path_factory.mktemp("media"))
    result = check_project(ProjectPaths.at(project.root))
    assert result.errors == (), [p.format() for p in result.errors]
    media, problems = load_media_registries(project.root / "data", project.root, result.registries)
    assert problems == [], [p.format() for p in problems]
    return project, result, media


@pytest.fixture(scope="module")
def catalog(media_project):
    _, result, _ = media_project
    return build_catalog(result.registries, result.profiles, TODAY)


def no_editions(media):
    return type(media)(media.key_dates, media.events, ())


@pytest.fixture(scope="module")
def public(media_project, catalog):
    return render_media(SiteContext(catalog, RenderOptions(site_url=SITE_URL), media=no_editions(media_project[2])))


@pytest.fixture(scope="module")
def preview(media_project, catalog):
    options = RenderOptions(preview=True, site_url=SITE_URL)
    return render_media(SiteContext(catalog, options, media=no_editions(media_project[2])))


@pytest.fixture(scope="module")
def public_site(media_project, catalog):
    """The whole site, press feeds included (column feeds are the press feeds)."""
    return render_site(catalog, "", RenderOptions(site_url=SITE_URL), media=no_editions(media_project[2]))


@pytest.fixture(scope="module")
def preview_site(media_project, catalog):
    return render_site(catalog, "", RenderOptions(preview=True, site_url=SITE_URL),
                       media=no_editions(media_project[2]))


def page(output, path: str) -> BeautifulSoup:
    """A generated page as MkDocs would see it: Markdown (with raw HTML blocks) to HTML."""
    [found] = [p for p in output.pages if p.path == path]
    return BeautifulSoup(markdown.markdown(found.markdown.split("---\n", 2)[2]), "html.parser")


def asset(output, path: str) -> bytes:
    [found] = [a for a in output.assets if a.path == path]
    return found.content


# --- registries and checks -------------------------------------------------------------------


def test_registries_load_typed(media_project):
    _, _, media = media_project
    assert [k.code for k in media.key_dates] == ["tai-lap-tinh", "bien-phong", "loi-keu-goi-thi-dua",
                                                 "tong-ket-nong-thon-moi"]
    assert media.key_dates[0].is_yearly and media.key_dates[-1].year == 2025
    assert media.events[0].code == "thi-viet-2025" and media.events[0].end_date == dt.date(2025, 9, 2)
    assert media.editions[0].foreword.startswith("Ấn phẩm giới thiệu")


def test_missing_media_files_are_an_empty_registry(project):
    result = check_project(ProjectPaths.at(project.root))
    media, problems = load_media_registries(project.root / "data", project.root, result.registries)
    assert (media.key_dates, media.events, media.editions, problems) == ((), (), (), [])


def test_bad_records_name_the_file_line_and_code(project):
    data = project.root / "data"
    write_yaml(data / "key_dates.yml", {"key_dates": [
        {"code": "a", "name": "Ngày A", "date": "30/02", "kind": "quoc-gia"},
        {"code": "b", "name": "Ngày B", "date": "11/06", "kind": "le-hoi"},
        {"code": "c", "name": "Ngày C", "date": "11/06", "kind": "tinh", "movement": ["nong-thon-moi"]},
        {"code": "c", "name": "Ngày C lần hai", "date": "12/06", "kind": "tinh", "movements": ["khong-co"]},
    ]})
    write_yaml(data / "events.yml", {"events": [
        {"code": "e", "name": "Sự kiện", "kind": "toa-dam", "date": "2025-06-10", "end_date": "2025-06-01",
         "place": "Tam Kỳ", "organiser": "so-nnptnt"},
        {"code": "f", "name": "Sự kiện F", "kind": "giao-luu", "date": "2025-06-10", "place": "Tam Kỳ",
         "organiser": "so-khong-co", "locality": "noi-khong-co"},
    ]})
    write_yaml(data / "editions.yml", {"editions": [
        {"code": "x", "title": "Ấn phẩm X", "year": 2024, "foreword": "khong-co.md", "select": {"year": [2024]}},
    ]})
    result = check_project(ProjectPaths.at(project.root))
    _, problems = load_media_registries(data, project.root, result.registries)
    found = {(p.path, p.code) for p in problems}
    assert ("data/key_dates.yml", "DH022") in found  # 30/02
    assert ("data/key_dates.yml", "DH024") in found  # kind
    assert ("data/key_dates.yml", "DH092") in found  # duplicate code
    assert ("data/key_dates.yml", "DH091") not in found  # the duplicate was dropped before cross-checks
    assert ("data/events.yml", "DH022") in found  # end before start
    assert ("data/events.yml", "DH091") in found  # organiser, locality
    assert ("data/editions.yml", "DH095") in found  # foreword
    typo = [p for p in problems if p.code == "DH097"]
    assert {p.field for p in typo} == {"movement", "year"}
    assert "movements" in next(p.message for p in typo if p.field == "movement")
    assert all(p.line for p in problems if p.code in ("DH022", "DH024", "DH097", "DH095"))
    assert "khong-co.md" in next(p.message for p in problems if p.code == "DH095")


def test_profile_references_and_empty_editions(media_project, project):
    _, result, media = media_project
    assert check_media(media, result.profiles) == []
    write_yaml(project.root / "data" / "events.yml", {"events": [
        {"code": "e", "name": "Sự kiện", "kind": "toa-dam", "date": "2025-06-10", "place": "Tam Kỳ",
         "organiser": "so-nnptnt", "profiles": ["nguyen-van-an", "khong-co-ho-so"]}]})
    write_yaml(project.root / "data" / "editions.yml", {"editions": [
        {"code": "rong", "title": "Ấn phẩm rỗng", "year": 2024, "foreword": "a.md", "select": {"years": [1999]}}]})
    (project.root / "data" / "forewords").mkdir()
    (project.root / "data" / "forewords" / "a.md").write_text("Lời.", encoding="utf-8")
    project.write_profile("nguyen-van-an")
    result = check_project(ProjectPaths.at(project.root))
    other, problems = load_media_registries(project.root / "data", project.root, result.registries)
    assert problems == []
    found = check_media(other, result.profiles)
    assert [(p.code, p.path) for p in found] == [("DH096", "data/events.yml"), ("DH094", "data/editions.yml")]
    assert "khong-co-ho-so" in found[0].message and "rong" in found[1].message


def test_column_dates_outside_the_active_period(media_project):
    _, result, _ = media_project
    assert check_column_slots(result.registries, result.profiles) == []
    late = next(p for p in result.profiles if p.slug == "le-duc")
    from dataclasses import replace

    from generator.core.model import ColumnSlot
    moved = replace(late, columns=(ColumnSlot("nhan-to-moi", dt.date(2026, 1, 5)),
                                   ColumnSlot("nhan-to-moi", dt.date(2023, 12, 31)),
                                   ColumnSlot("khong-co", dt.date(2026, 1, 5))))
    problems = check_column_slots(result.registries, [moved])
    assert [(p.code, p.field) for p in problems] == [("DH038", "columns.0.date"), ("DH038", "columns.1.date")]
    assert "05/01/2026" in problems[0].message and "“Nhân tố mới”" in problems[0].message
    assert problems[0].path.endswith("le-duc/index.md")


# --- columns ---------------------------------------------------------------------------------


def test_column_items_newest_first_and_scheduled(catalog):
    shown = column_items(catalog, include_scheduled=False)["guong-nguoi-tot-viec-tot"]
    assert [(it.date.isoformat(), it.profile.slug) for it in shown] == [
        ("2025-12-20", "do-van-on"), ("2025-06-05", "nguyen-van-anh"), ("2025-06-05", "vo-thi-be")]
    every = column_items(catalog, include_scheduled=True)["guong-nguoi-tot-viec-tot"]
    assert every[0].profile.slug == "nguyen-van-anh-thon-hai" and every[0].scheduled
    assert [m.label for m in months(issues(shown))] == ["Tháng 12/2025", "Tháng 6/2025"]
    assert [len(i.items) for i in issues(shown)] == [1, 2]


def test_public_build_leaves_scheduled_items_out(public):
    paths = {p.path for p in public.pages}
    assert SCHEDULED_ISSUE not in paths
    assert "chuyen-muc/guong-nguoi-tot-viec-tot/2025-06-05/index.md" in paths
    everything = "".join(p.markdown for p in public.pages)
    assert "Nguyễn Văn Anh" not in everything and "Đã lên lịch" not in everything
    column = page(public, "chuyen-muc/guong-nguoi-tot-viec-tot/index.md")
    assert [h.get_text() for h in column.find_all("h2")] == ["Tháng 12/2025", "Tháng 6/2025"]


def test_preview_marks_scheduled_items(preview):
    issue = page(preview, SCHEDULED_ISSUE)
    assert issue.select_one(".dh-badge--scheduled").get_text() == "Đã lên lịch"
    assert "Nguyễn Văn Anh" in issue.get_text()
    column = page(preview, "chuyen-muc/guong-nguoi-tot-viec-tot/index.md")
    assert column.find("h2").get_text() == "Tháng 3/2026"


def test_issue_and_archive_links_resolve(public, public_site):
    paths = {p.path for p in public_site.pages} | {a.path for a in public_site.assets}
    for generated in public.pages:
        for a in page(public, generated.path).select("a[href]"):
            href = a["href"]
            if href.startswith(("#", "http")) or "ho-so/" in href or "phong-trao/" in href:
                continue
            target = Path(generated.path).parent.joinpath(href.split("#")[0])
            resolved = Path(*_normalise(target.parts))
            assert str(resolved) in paths or f"{resolved}/index.md" in paths, (generated.path, href)


def _normalise(parts):
    stack: list[str] = []
    for part in parts:
        if part == "..":
            stack.pop()
        elif part not in (".", ""):
            stack.append(part)
    return stack


def test_feeds_hold_only_published_items(public_site, preview_site):
    for output in (public_site, preview_site):
        rss = feedparser.parse(asset(output, f"{COLUMN_FEEDS}/rss.xml"))
        atom = feedparser.parse(asset(output, f"{COLUMN_FEEDS}/atom.xml"))
        assert rss.version == "rss20" and atom.version == "atom10"
        for feed in (rss, atom):
            assert feed.bozo == 0
            assert "Gương người tốt, việc tốt" in feed.feed.title
            assert feed.feed.link == f"{SITE_URL}chuyen-muc/guong-nguoi-tot-viec-tot/"  # the column page
            links = [e.link for e in feed.entries]
            assert links[0] == f"{SITE_URL}ho-so/do-van-on/"  # newest first
            assert sorted(links) == [f"{SITE_URL}ho-so/{slug}/" for slug in
                                     ("do-van-on", "nguyen-van-anh", "vo-thi-be")]  # never the scheduled one
    for path in (f"{COLUMN_FEEDS}/rss.xml", f"{COLUMN_FEEDS}/atom.xml", "feeds/chuyen-muc/nhan-to-moi/rss.xml"):
        assert asset(public_site, path) == asset(preview_site, path)  # a preview feeds nothing scheduled either


def test_column_page_links_its_press_feeds(media_project, catalog, public, public_site):
    links = {a.get_text(): a["href"] for a in page(public, COLUMN_PAGE).select(".dh-facts a")}
    assert links == {"RSS": f"../../{COLUMN_FEEDS}/rss.xml", "Atom": f"../../{COLUMN_FEEDS}/atom.xml"}
    assert {a.path for a in public_site.assets} >= {f"{COLUMN_FEEDS}/rss.xml", f"{COLUMN_FEEDS}/atom.xml"}
    assert not any(a.path.startswith("chuyen-muc/") and a.path.endswith(".xml") for a in public_site.assets)
    # Without site_url render_press writes no feed, so the column page offers none.
    local = render_site(catalog, "", RenderOptions(), media=no_editions(media_project[2]))
    assert not any(a.path.startswith("feeds/") for a in local.assets)
    column = page(local, COLUMN_PAGE)
    assert column.select(".dh-facts a") == [] and "Theo dõi" not in column.get_text()


def test_same_input_same_bytes(media_project, catalog, public):
    again = render_media(SiteContext(catalog, RenderOptions(site_url=SITE_URL), media=no_editions(media_project[2])))
    assert again == public


# --- calendar and events ---------------------------------------------------------------------


def test_calendar_collects_items_around_key_dates(media_project, catalog):
    _, _, media = media_project
    items = [it for found in column_items(catalog, True).values() for it in found]
    years = build_calendar(media, items, TODAY, include_scheduled=False)
    assert [y.year for y in years] == [2027, 2026, 2025]
    days = {(d.key_date.code, d.date.year): d for y in years for d in y.days}
    june = days[("loi-keu-goi-thi-dua", 2025)]
    assert {it.profile.slug for it in june.items} == {"nguyen-van-anh", "vo-thi-be"}
    assert [e.code for e in june.events] == ["thi-viet-2025", "toa-dam-2025"]
    assert june.anniversary == 77 and not june.needs_items  # past
    assert days[("tong-ket-nong-thon-moi", 2025)].items[0].profile.slug == "do-van-on"
    assert ("tai-lap-tinh", 2026) not in days and ("tai-lap-tinh", 2025) in days  # until 2025
    assert days[("loi-keu-goi-thi-dua", 2026)].needs_items  # upcoming, nothing scheduled
    border = days[("bien-phong", 2026)]
    assert border.items == () and not border.needs_items  # a scheduled item counts, unseen
    assert ("loi-keu-goi-thi-dua", 2027) not in days  # beyond a year ahead


def test_key_date_occurrences():
    leap = KeyDate("a", "A", 2, 29, "quoc-gia")
    assert leap.occurrence(2024) == dt.date(2024, 2, 29) and leap.occurrence(2025) is None
    once = KeyDate("b", "B", 4, 3, "ke-hoach", year=2023)
    assert once.occurrence(2023) and once.occurrence(2024) is None


def test_calendar_page_flags_only_for_editors(public, preview):
    flags = page(preview, "lich-tuyen-truyen/index.md").select(".dh-flag")
    assert flags and "Cần lên lịch" in flags[0].get_text()
    public_page = page(public, "lich-tuyen-truyen/index.md")
    assert public_page.select(".dh-flag") == []
    text = public_page.get_text(" ")
    assert "Tọa đàm “Nông thôn mới”" in text and "Nguyễn Văn Ánh" in text
    assert "Người Chưa Đồng Ý" not in text  # an unpublished profile is never named
    assert "kỷ niệm 77 năm" in text


def test_events_on_the_profile_page(media_project, catalog):
    _, _, media = media_project
    profile = next(p for p in catalog.profiles if p.slug == "nguyen-van-anh")
    events = profile_events(media, catalog, profile)
    assert [v.event.code for v in events] == ["toa-dam-2025"]
    assert events[0].organiser == "Sở Nông nghiệp và Phát triển nông thôn"
    assert events[0].place == "Hội trường thị xã, thị xã Điện Bàn"
    assert [p.slug for p in events[0].profiles] == ["nguyen-van-anh"]
    renderer = SiteRenderer(catalog)
    part = renderer.page("ho-so/nguyen-van-anh/index.md", "media_profile_events.j2", {"title": "x"},
                         events=events, calendar_page="lich-tuyen-truyen/index.md")
    html = BeautifulSoup(part.markdown.split("---\n", 2)[2], "html.parser")
    assert "Tọa đàm “Nông thôn mới”" in html.get_text()
    assert html.find("a", href="../../lich-tuyen-truyen/")
    empty = renderer.page("ho-so/x/index.md", "media_profile_events.j2", {"title": "x"})
    assert "Hoạt động" not in empty.markdown  # the include is harmless where no events are passed


# --- a real MkDocs build ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    from generator.adapters.build import build_site

    monkeypatch = pytest.MonkeyPatch()
    project = make_media_project(tmp_path_factory.mktemp("media-site"), editions=[])
    project.write_mkdocs_yml()
    monkeypatch.setenv("DIENHINH_TODAY", TODAY.isoformat())
    try:
        yield build_site(project.root / "mkdocs.yml", strict=True)
    finally:
        monkeypatch.undo()


def test_built_site_has_no_trace_of_scheduled_items(built_site):
    assert not (built_site / "chuyen-muc/guong-nguoi-tot-viec-tot/2026-03-01").exists()
    assert (built_site / "chuyen-muc/guong-nguoi-tot-viec-tot/2025-06-05/index.html").is_file()
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "chuyen-muc/guong-nguoi-tot-viec-tot/2025-06-05/" in sitemap
    assert "2026-03-01" not in sitemap
    # The profile itself is published (its own pages name it); only its column slot is scheduled.
    for html in [p for folder in ("chuyen-muc", "lich-tuyen-truyen") for p in (built_site / folder).rglob("*.html")]:
        text = html.read_text(encoding="utf-8")
        assert "Nguyễn Văn Anh" not in text and "2026-03-01" not in text, html
    index = built_site / "search" / "search_index.json"
    if index.exists():
        assert "2026-03-01" not in index.read_text(encoding="utf-8")
    assert not (built_site / "chuyen-muc/guong-nguoi-tot-viec-tot/feed.xml").exists()  # only the press feeds
    for name in ("rss.xml", "atom.xml"):
        feed = (built_site / COLUMN_FEEDS / name).read_text(encoding="utf-8")
        assert "nguyen-van-anh-thon-hai" not in feed and "https://example.test/ho-so/do-van-on/" in feed
        assert "2026-03-01" not in feed


def test_built_column_pages(built_site):
    archive = BeautifulSoup((built_site / "chuyen-muc/index.html").read_text(encoding="utf-8"), "html.parser")
    headings = [h.get_text(strip=True).rstrip("¶") for h in archive.select("article h2")]
    assert headings == ["Gương người tốt, việc tốt", "Nhân tố mới"]
    calendar = (built_site / "lich-tuyen-truyen/index.html").read_text(encoding="utf-8")
    assert re.search(r"11/06/2025</time>: <strong>Ngày Chủ tịch Hồ Chí Minh", calendar)
