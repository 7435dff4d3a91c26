"""The electronic publication: selection and order, web edition, PDF (text, order, outline,
fonts, A4, page numbers), EPUB (epubcheck, reproducible bytes) and a failing step in a build."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import REPO, SAMPLE_TODAY, person_key
from generator.check.project import ProjectPaths, check_project
from generator.core.catalog import build_catalog
from generator.core.editions import build_book, initial, select_profiles
from generator.core.media_model import Selection
from generator.load.media_registries import check_media, load_media_registries
from generator.publication.book import PublicationError, file_size_label
from generator.publication.epub import render_epub
from generator.publication.fonts import book_fonts
from generator.publication.images import prepare_photos
from generator.publication.pdf import render_pdf
from generator.render.context import SiteContext
from generator.render.media import render_media
from generator.render.options import RenderOptions
from media_support import BOOK_ORDER, TODAY, make_media_project

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")  # Debian's epubcheck (scripts/setup-test.sh)
VIETNAMESE = "ĂÂĐÊÔƠƯăâđêôơưÀẢÃÁẠẰẲẴẮẶẦẨẪẤẬÈẺẼÉẸỀỂỄẾỆÌỈĨÍỊÒỎÕÓỌỒỔỖỐỘỜỞỠỚỢÙỦŨÚỤỪỬỮỨỰỲỶỸÝỴ"


@pytest.fixture(scope="module")
def media_project(tmp_path_factory):
    project = make_media_project(tmp_path_factory.mktemp("publication"))
    result = check_project(ProjectPaths.at(project.root))
    assert result.errors == (), [p.format() for p in result.errors]
    media, problems = load_media_registries(project.root / "data", project.root, result.registries)
    assert problems == [] and check_media(media, result.profiles) == []
    return project, result, media


@pytest.fixture(scope="module")
def catalog(media_project):
    return build_catalog(media_project[1].registries, media_project[1].profiles, TODAY)


@pytest.fixture(scope="module")
def editions(media_project):
    return {e.code: e for e in media_project[2].editions}


@pytest.fixture(scope="module")
def fonts():
    return book_fonts()


@pytest.fixture(scope="module")
def book(editions, catalog):
    return build_book(editions["nam-2024"], catalog)


BOOK_LICENCE = ("Được phép sử dụng lại, ghi rõ nguồn (CC BY 4.0).", "https://creativecommons.org/licenses/by/4.0/")


@pytest.fixture(scope="module")
def pdf(book, catalog, fonts):
    return render_pdf(book, catalog, fonts, prepare_photos(book), BOOK_LICENCE)


@pytest.fixture(scope="module")
def epub(book, catalog, fonts):
    return render_epub(book, catalog, fonts, prepare_photos(book), BOOK_LICENCE)


def names(book) -> list[str]:
    return [e.profile.subject.name for e in book.entries]


# --- selection and order ---------------------------------------------------------------------


def test_book_order_is_registry_then_vietnamese_roster(book):
    assert names(book) == BOOK_ORDER[:-1]  # Hồ Thị Út is a 2025 profile
    assert [c.movement.code for c in book.chapters] == ["nong-thon-moi"]
    [section_dien_ban, section_tam_ky] = book.chapters[0].sections
    assert [g.commune.id if g.commune else None for g in section_dien_ban.groups] == [None, "dien-phuoc", "an-phu"]
    assert section_tam_ky.district.id == "tam-ky"
    people = list(names(book)[1:5])
    assert people == sorted(people, key=person_key)
    assert [e.number for e in book.entries] == list(range(1, len(book.entries) + 1))


def test_unpublished_profiles_never_enter_a_book(editions, catalog):
    everything = replace(editions["nam-2024"], selection=Selection())
    assert "Người Chưa Đồng Ý" not in names(build_book(everything, catalog))
    assert names(build_book(everything, catalog)) == BOOK_ORDER


def test_yearbook_by_award_level_and_period(editions, catalog):
    ky_yeu = build_book(editions["ky-yeu"], catalog)
    assert names(ky_yeu) == ["Nguyễn Văn Ánh", "Hồ Thị Út"]  # the 2019 award is outside 2020-2025
    assert [c.movement.code for c in ky_yeu.chapters] == ["nong-thon-moi", "dan-van-kheo"]


@pytest.mark.parametrize("selection, expected", [
    (Selection(stages=("ton-vinh",)), ["Lê Đức"]),
    (Selection(movements=("dan-van-kheo",)), ["Hồ Thị Út"]),
    (Selection(years=(2025,), profiles=("le-duc",)), ["Lê Đức", "Hồ Thị Út"]),
    (Selection(profiles=("pham-dung",)), ["Phạm Dũng"]),
    (Selection(award_levels=("nha-nuoc",)), ["Hợp tác xã Điện Bàn", "Nguyễn Văn Ánh", "Hồ Thị Út"]),
])
def test_selection_criteria(editions, catalog, selection, expected):
    edition = replace(editions["nam-2024"], selection=selection)
    assert [p.subject.name for p in select_profiles(edition, catalog)] == expected


def test_indexes(book):
    name_letters = [(letter.letter, [t.label for t in letter.terms]) for letter in book.names]
    assert name_letters == [("A", ["Nguyễn Văn Anh", "Nguyễn Văn Ánh"]), ("B", ["Võ Thị Bé"]),
                            ("D", ["Phạm Dũng"]), ("Đ", ["Hợp tác xã Điện Bàn", "Lê Đức"]),  # by “Điện Bàn”
                            ("Ơ", ["Đỗ Văn Ơn"])]
    places = {t.label: len(t.entries) for letter in book.places for t in letter.terms}
    assert places == {"An Phú": 1, "Điện Bàn": 6, "Điện Phước": 4, "Tam Kỳ": 1}
    assert [letter.letter for letter in book.places] == ["A", "Đ", "T"]
    assert initial("ánh") == "A" and initial("Ước") == "Ư" and initial("đồng") == "Đ"


# --- web edition -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_output(media_project, catalog):
    return render_media(SiteContext(catalog, RenderOptions(site_url="https://example.test/"), media=media_project[2]))


def web_page(output, path) -> BeautifulSoup:
    [found] = [p for p in output.pages if p.path == path]
    return BeautifulSoup(markdown.markdown(found.markdown.split("---\n", 2)[2]), "html.parser")


def test_web_edition_order_photo_and_downloads(site_output):
    page = web_page(site_output, "an-pham/nam-2024/index.md")
    entries = [h.get_text().split(". ", 1)[1] for h in page.select("article.dh-entry .dh-entry__name")]
    assert entries == BOOK_ORDER[:-1]
    chapters = [h.get_text() for h in page.select(".dh-chapter__title")]
    assert chapters == ["Chương 1. Quảng Nam chung sức xây dựng nông thôn mới"]
    img = page.select_one("#dh-nguyen-van-anh img")
    assert img["src"] == "../images/nguyen-van-anh/1.jpg" and img["alt"] == "Ông Ánh bên vườn quế"
    assert "an-pham/images/nguyen-van-anh/1.jpg" in {a.path for a in site_output.assets}
    links = {a["href"]: a.get_text() for a in page.select(".dh-downloads a")}
    assert set(links) == {"nam-2024.pdf", "nam-2024.epub"}
    sizes = {a.path: len(a.content) for a in site_output.assets}
    text = page.select_one(".dh-downloads").get_text()
    assert f"({file_size_label(sizes['an-pham/nam-2024/nam-2024.pdf'])})" in text
    assert page.select_one("#loi-noi-dau").get_text().count("Ấn phẩm giới thiệu") == 1
    toc = [a["href"] for a in page.select(".dh-toc a")]
    assert all(page.select_one(href) is not None for href in toc)


def test_publications_index_lists_every_edition(site_output):
    page = web_page(site_output, "an-pham/index.md")
    assert [h.get_text() for h in page.find_all("h2")] == ["Điển hình tiên tiến năm 2024",
                                                          "Kỷ yếu khen thưởng cấp Nhà nước 2020 - 2025"]
    hrefs = [a["href"] for a in page.select("a[download]")]
    assert hrefs == ["nam-2024/nam-2024.pdf", "nam-2024/nam-2024.epub", "ky-yeu/ky-yeu.pdf", "ky-yeu/ky-yeu.epub"]


def test_preview_skips_pdf_and_epub(media_project, catalog):
    output = render_media(SiteContext(catalog, RenderOptions(preview=True), media=media_project[2]))
    assert not [a for a in output.assets if a.path.endswith((".pdf", ".epub"))]
    assert "chỉ được tạo khi dựng trang" in web_page(output, "an-pham/nam-2024/index.md").get_text()


def test_same_input_same_html_and_epub_bytes(media_project, catalog, site_output):
    again = render_media(SiteContext(catalog, RenderOptions(site_url="https://example.test/"), media=media_project[2]))
    assert again.pages == site_output.pages
    assert [a for a in again.assets if not a.path.endswith(".pdf")] == \
        [a for a in site_output.assets if not a.path.endswith(".pdf")]


# --- PDF -------------------------------------------------------------------------------------


def test_pdf_text_copies_out_in_chapter_order(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    pages = [p.extract_text() for p in reader.pages]
    body = "\n".join(pages[4:-2])  # after cover, imprint, foreword, contents; before the two indexes
    positions = [body.index(name) for name in BOOK_ORDER[:-1]]
    assert positions == sorted(positions)
    assert "Quảng Nam, Điện Bàn, ươm mầm" in body  # the story, with every diacritic
    assert "Chương 1. Quảng Nam chung sức xây dựng nông thôn mới" in " ".join(body.split())


def test_pdf_is_a4_with_outline_fonts_and_page_numbers(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline == ["Lời nói đầu", "Mục lục", "Chương 1. Quảng Nam chung sức xây dựng nông thôn mới",
                       "Bảng tra tên", "Bảng tra địa phương"]
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in (p["/Resources"].get("/Font") or {}).values()
             for f in [f.get_object()]}
    assert fonts and all(f.split("+")[-1].startswith("Be") for f in fonts), fonts
    contents = reader.pages[3].extract_text()
    chapter_page = next(i for i, p in enumerate(reader.pages, start=1) if "Chương 1." in p.extract_text()
                        and i > 4)
    assert contents.rstrip().splitlines()[1].endswith(str(chapter_page))  # "Chương 1 ...... 5"
    assert reader.pages[4].extract_text().strip().endswith("5")  # the page number at its foot
    assert reader.metadata.title == "Điển hình tiên tiến năm 2024"


def test_the_pdfs_second_page_is_its_imprint(pdf):
    """Who publishes, where and when, under which decision and licence: read back from the PDF."""
    imprint = " ".join(PdfReader(io.BytesIO(pdf)).pages[1].extract_text().split())
    for words in ("Thông tin xuất bản", "Điển hình tiên tiến năm 2024", "Sở Nội vụ tỉnh Quảng Nam", "2024",
                  "31/12/2024", "Quyết định số 658/QĐ-UBND", *BOOK_LICENCE):
        assert words.casefold() in imprint.casefold(), words  # the heading is set in capitals
    assert "Lời nói đầu" not in imprint


def test_pdf_embeds_the_photo_resized_without_metadata(book, pdf):
    reader = PdfReader(io.BytesIO(pdf))
    images = list({image.data: image for p in reader.pages for image in p.images}.values())
    assert len(images) == 1
    assert images[0].image.size == (1200, 800)
    assert b"Exif" not in images[0].data


def test_pdf_is_reproducible(book, catalog, fonts, pdf):
    assert render_pdf(book, catalog, fonts, prepare_photos(book), BOOK_LICENCE) == pdf


def test_fonts_are_reproducible(fonts, monkeypatch):
    import fontTools.merge.util

    monkeypatch.setattr(fontTools.merge.util, "timestampNow", lambda: 1)  # the merger's "now"
    assert book_fonts() == fonts


def test_fonts_cover_vietnamese(fonts):
    from fontTools.ttLib import TTFont

    for font in fonts:
        cmap = TTFont(io.BytesIO(font.data)).getBestCmap()
        assert [c for c in VIETNAMESE if ord(c) not in cmap] == []


# --- EPUB ------------------------------------------------------------------------------------


def test_epub_layout_is_reproducible(epub, book, catalog, fonts):
    archive = zipfile.ZipFile(io.BytesIO(epub))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/epub+zip"
    assert {info.date_time for info in archive.infolist()} == {(2024, 12, 31, 0, 0, 0)}
    opf = archive.read("EPUB/content.opf").decode()
    assert "<dc:language>vi</dc:language>" in opf and "2024-12-30T17:00:00Z" in opf
    assert render_epub(book, catalog, fonts, prepare_photos(book), BOOK_LICENCE) == epub


def test_epub_honours_source_date_epoch(book, catalog, fonts, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01T00:00:00Z
    archive = zipfile.ZipFile(io.BytesIO(render_epub(book, catalog, fonts, prepare_photos(book))))
    assert {info.date_time for info in archive.infolist()} == {(2025, 1, 1, 0, 0, 0)}
    assert "2025-01-01T00:00:00Z" in archive.read("EPUB/content.opf").decode()


def test_epub_chapters_follow_the_book(epub):
    archive = zipfile.ZipFile(io.BytesIO(epub))
    chapter = BeautifulSoup(archive.read("EPUB/chuong-1.xhtml"), "html.parser")
    assert [h.get_text().split(". ", 1)[1] for h in chapter.select(".dh-entry__name")] == BOOK_ORDER[:-1]
    assert chapter.select_one("img")["src"] == "images/nguyen-van-anh/1.jpg"
    assert "EPUB/images/nguyen-van-anh/1.jpg" in archive.namelist()
    index = archive.read("EPUB/bang-tra.xhtml").decode()
    assert 'href="chuong-1.xhtml#dh-le-duc"' in index


def epubcheck(data: bytes, tmp_path: Path) -> subprocess.CompletedProcess:
    if not EPUBCHECK.is_file() or not shutil.which("java"):
        if os.environ.get("CI"):
            pytest.fail("epubcheck is missing: run scripts/setup-test.sh")
        pytest.skip("epubcheck (Debian package) not installed")
    path = tmp_path / "book.epub"
    path.write_bytes(data)
    return subprocess.run(["java", "-jar", str(EPUBCHECK), str(path)], capture_output=True, text=True, timeout=120,
                          check=False)


def test_epub_has_a_cover_image_and_an_imprint(epub):
    from PIL import Image

    archive = zipfile.ZipFile(io.BytesIO(epub))
    opf = BeautifulSoup(archive.read("EPUB/content.opf"), "xml")
    cover = opf.find("item", properties="cover-image")
    assert cover["href"] == "images/bia.jpg" and cover["media-type"] == "image/jpeg"
    with Image.open(io.BytesIO(archive.read("EPUB/images/bia.jpg"))) as image:
        assert (image.format, image.size) == ("JPEG", (1600, 2400))
        assert image.getpixel((800, 2300)) != image.getpixel((800, 300))  # the photo above the red panel
    imprint = BeautifulSoup(archive.read("EPUB/thong-tin-xuat-ban.xhtml"), "html.parser").get_text(" ")
    assert "Quyết định số 658/QĐ-UBND" in imprint and BOOK_LICENCE[1] in imprint
    spine = [item["idref"] for item in opf.find("spine").find_all("itemref")]
    assert spine[:3] == ["cover", "thong-tin-xuat-ban", "loi-noi-dau"]


def test_epub_passes_epubcheck(epub, tmp_path):
    checked = epubcheck(epub, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No errors or warnings detected" in checked.stdout


# --- failures --------------------------------------------------------------------------------


def test_a_bad_photo_fails_with_a_message(book, catalog, fonts, tmp_path):
    entry = next(e for e in book.entries if e.profile.photos)
    broken = tmp_path / "bundle"
    broken.mkdir()
    (broken / "anh.jpg").write_bytes(b"not a photo")
    profile = replace(entry.profile, bundle_dir=broken)
    bad = replace(book, chapters=(replace(book.chapters[0], sections=(replace(
        book.chapters[0].sections[0], groups=(replace(book.chapters[0].sections[0].groups[1],
                                                      entries=(replace(entry, profile=profile),)),)),)),))
    with pytest.raises(PublicationError, match=r"không đọc được ảnh “anh\.jpg”"):
        prepare_photos(bad)


def test_a_failing_pdf_step_fails_the_build_and_keeps_the_old_site(tmp_path, monkeypatch, caplog):
    from mkdocs.exceptions import Abort

    import generator.render.media as render_media_module
    from generator.adapters.build import build_site

    project = make_media_project(tmp_path / "project")
    project.write_mkdocs_yml()
    monkeypatch.setenv("DIENHINH_TODAY", TODAY.isoformat())
    site = tmp_path / "site"
    site.mkdir()
    (site / "an-pham").mkdir()
    (site / "an-pham" / "cu.pdf").write_bytes(b"%PDF old")

    def failing_pdf(book, *args):
        raise PublicationError(f"Không tạo được bản PDF của ấn phẩm “{book.edition.code}”: hỏng")

    monkeypatch.setattr(render_media_module, "render_pdf", failing_pdf)
    with pytest.raises(Abort):
        build_site(project.root / "mkdocs.yml", site, strict=True)
    assert "Không tạo được bản PDF của ấn phẩm “nam-2024”: hỏng" in caplog.text
    assert [p.name for p in site.rglob("*")] == ["an-pham", "cu.pdf"]
    assert (site / "an-pham" / "cu.pdf").read_bytes() == b"%PDF old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []  # no staging left


def test_a_full_build_publishes_the_files(tmp_path, monkeypatch):
    from generator.adapters.build import build_site

    project = make_media_project(tmp_path / "project", editions=[])
    project.write_mkdocs_yml()
    (project.root / "data" / "editions.yml").write_text(
        "editions:\n  - {code: nam-2024, title: \"Năm 2024\", year: 2024, foreword: loi-noi-dau.md,"
        " select: {years: [2024]}}\n", encoding="utf-8")
    monkeypatch.setenv("DIENHINH_TODAY", TODAY.isoformat())
    site = build_site(project.root / "mkdocs.yml", tmp_path / "site", strict=True)
    folder = site / "an-pham" / "nam-2024"
    assert (folder / "nam-2024.pdf").read_bytes().startswith(b"%PDF-")
    assert zipfile.ZipFile(folder / "nam-2024.epub").namelist()[0] == "mimetype"
    html = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [h.get_text().split(". ", 1)[1] for h in html.select(".dh-entry__name")] == BOOK_ORDER[:-1]
    photo = html.select_one("#dh-nguyen-van-anh img")["src"]
    assert (folder / photo).resolve().is_file()  # the web edition's own stripped copy


def test_photos_check_refuses_never_reach_the_publication(tmp_path, monkeypatch, caplog):
    """One verdict: a photo check warns about is left out everywhere, and the build succeeds."""
    from PIL import Image

    from generator.adapters.build import build_site

    project = make_media_project(tmp_path / "project", editions=[])
    project.write_mkdocs_yml()
    (project.root / "data" / "editions.yml").write_text(
        "editions:\n  - {code: nam-2024, title: \"Năm 2024\", year: 2024, foreword: loi-noi-dau.md,"
        " select: {years: [2024]}}\n", encoding="utf-8")
    bundle = next((project.root / "profiles").glob("*/nguyen-van-anh"))
    good = (bundle / "anh.jpg").read_bytes()
    Image.new("1", (10_000, 9_000)).save(bundle / "bom.png")  # 90 megapixels in a few kilobytes
    bad = {"rong.jpg": b"", "trang-web.jpg": b"<!doctype html><script>alert(1)</script>",
           "cat-cut.jpg": good[: len(good) // 2], "bom.png": None}
    for name, data in bad.items():
        if data is not None:
            (bundle / name).write_bytes(data)
    index = bundle / "index.md"
    text = index.read_text(encoding="utf-8")
    extra = "".join(f"- file: {name}\n  alt: Ảnh {name}\n" for name in bad)
    index.write_text(text.replace("- file: anh.jpg\n", extra + "- file: anh.jpg\n", 1), encoding="utf-8")
    result = check_project(ProjectPaths.at(project.root))
    warned = {p.field for p in result.problems if p.severity == "warning"}
    assert result.errors == () and warned >= {f"photos.{n}.file" for n in range(4)}
    monkeypatch.setenv("DIENHINH_TODAY", TODAY.isoformat())
    site = build_site(project.root / "mkdocs.yml", tmp_path / "site", strict=False)
    folder = site / "an-pham" / "nam-2024"
    reader = PdfReader(folder / "nam-2024.pdf")
    assert sum(len(page.images) for page in reader.pages) >= 1  # the good photo is in, the four are not
    epub = zipfile.ZipFile(folder / "nam-2024.epub")
    assert len([n for n in epub.namelist() if "images/nguyen-van-anh/" in n]) == 1


# --- the sample data -------------------------------------------------------------------------


def test_sample_editions_check_clean_with_the_proposed_awards(tmp_path):
    """The bundled registries and editions, on a copy whose sample profiles carry the state-level
    awards proposed for the Kỷ yếu (a no-op once the profiles have them)."""
    copy = tmp_path / "repo"
    for name in ("data", "profiles"):
        shutil.copytree(REPO / name, copy / name)
    for bundle, award in PROPOSED_AWARDS.items():
        path = copy / "profiles" / bundle / "index.md"
        text = path.read_text(encoding="utf-8")
        if award not in text:
            path.write_text(text.replace("\nawards:\n", f"\nawards:\n  - {award}\n", 1), encoding="utf-8")
    result = check_project(ProjectPaths.at(copy))
    media, problems = load_media_registries(copy / "data", copy, result.registries)
    assert problems == [] and check_media(media, result.profiles) == []
    catalog = build_catalog(result.registries, result.profiles, dt.date.fromisoformat(SAMPLE_TODAY))
    books = {e.code: build_book(e, catalog) for e in media.editions}
    assert len(books["dien-hinh-tien-tien-2024"].entries) == 11
    assert len(books["ky-yeu-khen-thuong-nha-nuoc-2020-2025"].entries) == 5


PROPOSED_AWARDS = {
    "2023/cong-ty-thuy-san-bien-xanh-tam-quang": "{code: bang-khen-thu-tuong, year: 2024}",
    "2025/to-cong-tac-bien-phong-laee": "{code: huan-chuong-bao-ve-to-quoc-hang-ba, year: 2025}",
    "2024/ho-ho-van-muoi-sam-ngoc-linh": "{code: bang-khen-thu-tuong, year: 2025}",
    "2022/giao-vien-cam-ban-tra-don": "{code: bang-khen-thu-tuong, year: 2024}",
    "2024/nguyen-huu-phuoc-sang-kien-dien-ngoc": "{code: huan-chuong-lao-dong-hang-ba, year: 2025}",
}
