"""Press kits and embeds: the ninjs validates against its schema, the zip opens and holds exactly
what the profile page lists, the HTML fragment needs none of our CSS or scripts, and embeds
load nothing from other hosts. The last tests build a real site with the press section."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browser_support import VNU_JAR, require_java_and_vnu
from generator.adapters.build import build_site
from generator.render.options import DEFAULT_LICENCE
from press_support import (
    LICENCE,
    OPTIONS,
    PHOTO,
    SITE_URL,
    photo_set,
    press_catalog,
    press_files,
    validator,
    write_press_project,
)

SLUGS = ("hop-tac-xa", "nguyen-van-an", "tran-thi-be")


@pytest.fixture
def files(project, tmp_path) -> dict[str, bytes]:
    write_press_project(project)
    catalog = press_catalog(project)
    return press_files(catalog, OPTIONS, photo_set(catalog, tmp_path / "cache"))


def kit(files, slug: str) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(files[f"ho-so/{slug}/tu-lieu-{slug}.zip"])) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def soup(data: bytes | str) -> BeautifulSoup:
    return BeautifulSoup(data, "html.parser")


def test_ninjs_validates_against_the_schema(files):
    check = validator("ninjs-2.x.json")
    for slug in SLUGS:
        item = json.loads(kit(files, slug)[f"tu-lieu-{slug}/ninjs.json"])
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in check.iter_errors(item)]
        assert not errors, f"{slug}: {errors}"
        assert item["uri"] == f"tag:example.test,2023:ho-so/{slug}"
        assert item["usageterms"] == LICENCE and item["language"] == "vi"


def test_ninjs_carries_people_places_and_photos(files):
    an = json.loads(kit(files, "nguyen-van-an")["tu-lieu-nguyen-van-an/ninjs.json"])
    assert an["people"] == [{"name": "Nguyễn Văn An", "rel": "subject"}]
    assert an["versioncreated"] == "2025-11-20T00:00:00+07:00"
    assert an["located"] == "Xã Điện Phước, thị xã Điện Bàn"
    photo = an["associations"][0]
    assert photo["type"] == "picture" and photo["by"] == "Lê Văn Ảnh"
    assert photo["renditions"][0]["href"] == SITE_URL + "ho-so/nguyen-van-an/anh/ruong-que-1600.jpg"
    hop = json.loads(kit(files, "hop-tac-xa")["tu-lieu-hop-tac-xa/ninjs.json"])
    assert hop["organisations"][0]["name"] == "Hợp tác xã <b>Điện</b> & Bàn" and "associations" not in hop
    assert validator("ninjs-2.x.json").is_valid(an)
    assert not validator("ninjs-2.x.json").is_valid({**an, "pubstatus": "published"})


def test_zip_holds_photos_captions_citation_and_licence(files):
    content = kit(files, "nguyen-van-an")
    folder = "tu-lieu-nguyen-van-an/"
    assert content[folder + "anh/01-ruong-que-1600.jpg"] == PHOTO + bytes(1600)  # the processed copy
    assert not [name for name in content if name.endswith("ruong-que.jpg")]  # never the original
    captions = content[folder + "anh/chu-thich.txt"].decode()
    assert "Rừng quế 10 năm tuổi" in captions and "Lê Văn Ảnh" in captions
    citation = content[folder + "trich-dan.txt"].decode()
    assert SITE_URL + "ho-so/nguyen-van-an/" in citation and "20/11/2025" in citation
    assert LICENCE in content[folder + "giay-phep.txt"].decode()
    text = content[folder + "ban-tin.txt"].decode()
    assert "- một\n- hai" in text and "tin (https://example.org/tin)" in text
    markdown = content[folder + "ban-tin.md"].decode()
    assert "![Ông An bên rừng quế](anh/01-ruong-que-1600.jpg)" in markdown and "## Thành tích nổi bật" in markdown


def test_zip_is_deterministic(project, files, tmp_path):
    with zipfile.ZipFile(io.BytesIO(files["ho-so/nguyen-van-an/tu-lieu-nguyen-van-an.zip"])) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2025, 11, 20, 0, 0, 0)}
    catalog = press_catalog(project)
    again = press_files(catalog, OPTIONS, photo_set(catalog, tmp_path / "cache"))
    zip_path = "ho-so/nguyen-van-an/tu-lieu-nguyen-van-an.zip"
    assert again[zip_path] == files[zip_path]


def test_fragment_is_clean_semantic_html(files):
    fragment = kit(files, "hop-tac-xa")["tu-lieu-hop-tac-xa/ban-tin.html"].decode()
    assert fragment.startswith("<article") and fragment.rstrip().endswith("</article>")
    page = soup(fragment)
    assert not page.find(["script", "style", "link", "iframe"])
    assert not [tag.name for tag in page.find_all(True) if {"class", "id", "style"} & set(tag.attrs)]
    assert page.find("dd").get_text() == "Hợp tác xã <b>Điện</b> & Bàn"
    an = soup(kit(files, "nguyen-van-an")["tu-lieu-nguyen-van-an/ban-tin.html"])
    assert an.find("img")["src"] == SITE_URL + "ho-so/nguyen-van-an/anh/ruong-que-1600.jpg"
    assert an.find("a", string="hồ sơ bạn")["href"] == SITE_URL + "ho-so/tran-thi-be/"
    assert an.find("figcaption").get_text() == "Rừng quế 10 năm tuổi. Ảnh: Lê Văn Ảnh"  # one stop between


def test_embeds_are_small_standalone_and_load_nothing_from_elsewhere(files):
    embeds = {path: data for path, data in files.items() if path.startswith("nhung/") and path.endswith(".html")}
    assert {"nhung/ho-so/nguyen-van-an.html", "nhung/phong-trao/dan-van-kheo.html", "nhung/dia-phuong/dien-ban.html",
            "nhung/dia-phuong/an-phu.html", "nhung/dia-phuong/tam-ky.html"} <= embeds.keys()
    for path, data in embeds.items():
        assert len(data) < 8_000, path
        page = soup(data)
        assert page.html["lang"] == "vi" and not page.find(["link", "iframe"])
        [script] = page.find_all("script")  # the embed's own sizing script, inline: nothing loaded
        assert not script.get("src") and "postMessage" in script.string
        for tag in page.find_all(src=True) + page.find_all(href=True):
            url = tag.get("src") or tag["href"]
            assert url.startswith(SITE_URL), f"{path}: {url}"
        for a in page.find_all("a"):
            assert a["target"] == "_blank" and a["rel"] == ["noopener"]
    card = soup(embeds["nhung/ho-so/nguyen-van-an.html"])
    assert card.find("img")["src"] == SITE_URL + "ho-so/nguyen-van-an/anh/ruong-que-480.jpg"
    listing = soup(embeds["nhung/dia-phuong/dien-ban.html"])
    assert [a.get_text() for a in listing.select("li a")] == ["Hợp tác xã <b>Điện</b> & Bàn", "Nguyễn Văn An",
                                                              "Trần Thị Bé"]


def test_each_card_has_an_oembed_answer_with_the_snippet_the_page_offers(files):
    check = validator("oembed-1.0.json")
    answers = {path: json.loads(data) for path, data in files.items() if path.endswith(".oembed.json")}
    assert answers.keys() == {f"nhung/ho-so/{slug}.oembed.json" for slug in SLUGS}
    for path, answer in answers.items():
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in check.iter_errors(answer)]
        assert not errors, f"{path}: {errors}"
        assert (answer["type"], answer["provider_url"]) == ("rich", SITE_URL)
        [iframe] = soup(answer["html"]).find_all("iframe")
        card = path.removesuffix(".oembed.json") + ".html"
        assert iframe["src"] == f"{SITE_URL}{card}#?secret={iframe['data-secret']}" and card in files
    an = answers["nhung/ho-so/nguyen-van-an.oembed.json"]
    assert an["thumbnail_url"] == SITE_URL + "ho-so/nguyen-van-an/anh/ruong-que-480.jpg"
    assert an["title"].startswith("Nguyễn Văn An: ") and an["author_name"]
    assert "thumbnail_url" not in answers["nhung/ho-so/hop-tac-xa.oembed.json"]  # no photo, no thumbnail
    assert not check.is_valid({**an, "thumbnail_width": None})
    assert not check.is_valid({key: value for key, value in an.items() if key != "html"})


# --- a real build ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def press_site(shared_project, module_monkeypatch, tmp_path_factory) -> Path:
    project, monkeypatch, tmp_path = shared_project, module_monkeypatch, tmp_path_factory.mktemp("press")
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-15")
    # The scratch photos are not real JPEGs: stand in for the photo pipeline, as press_files does.
    monkeypatch.setattr("generator.render.site.process_photos",
                        lambda catalog, options: photo_set(catalog, tmp_path / "cache"))
    write_press_project(project)
    project.write_mkdocs_yml()
    return build_site(project.root / "mkdocs.yml", strict=True)


def resolve(page: Path, href: str) -> Path:
    """The file a relative link of a built page points to."""
    target = (page.parent / href).resolve()
    return target / "index.html" if target.is_dir() else target


def test_profile_page_block_matches_the_zip(press_site):
    page_path = press_site / "ho-so/nguyen-van-an/index.html"
    block = soup(page_path.read_text(encoding="utf-8")).find(id="tu-lieu-cho-bao-chi")
    assert block is not None and block.get_text(strip=True).startswith("Tư liệu cho báo chí")
    article = block.find_parent("article")
    listed = [code.get_text() for code in article.select("ul.dh-press__contents code")]
    download = article.find("a", string="Tải bộ tư liệu cho báo chí (tệp ZIP)")
    archive = zipfile.ZipFile(resolve(page_path, download["href"]))
    assert archive.namelist() == [f"tu-lieu-nguyen-van-an/{name}" for name in listed]
    for a in article.select("ul.dh-press__links a, ul.dh-press__feeds a"):
        assert resolve(page_path, a["href"]).is_file(), a["href"]
    snippet = soup(article.select_one("pre.dh-snippet code").get_text())
    iframe, script = snippet.find("iframe"), snippet.find("script")
    assert iframe["src"] == SITE_URL + f"nhung/ho-so/nguyen-van-an.html#?secret={iframe['data-secret']}"
    assert list(iframe["sandbox"]) == ["allow-scripts", "allow-popups", "allow-popups-to-escape-sandbox"]
    assert (press_site / "nhung/ho-so/nguyen-van-an.html").is_file()
    assert script["src"] == SITE_URL + "nhung/nhung.js" and (press_site / "nhung/nhung.js").is_file()
    citation = article.select_one(".dh-press__citation").get_text()
    assert citation.endswith(f"{SITE_URL}ho-so/nguyen-van-an/ (công bố ngày 20/11/2025).")
    assert DEFAULT_LICENCE in article.select_one(".dh-press__lead").get_text()


def test_press_page_lists_newest_kits_and_every_feed(press_site):
    page_path = press_site / "bao-chi/index.html"
    article = soup(page_path.read_text(encoding="utf-8")).find("article")
    hrefs = [a["href"] for a in article.find_all("a", href=True) if not a["href"].startswith("#")]
    kits = [h for h in hrefs if h.endswith(".zip")]
    assert [Path(h).name for h in kits] == [f"tu-lieu-{slug}.zip" for slug in SLUGS]
    feeds = {str(resolve(page_path, h).relative_to(press_site)) for h in hrefs if "/feeds/" in "/" + h}
    assert feeds == {str(p.relative_to(press_site)) for p in (press_site / "feeds").rglob("*.*")}
    for href in hrefs:
        assert resolve(page_path, href).exists(), href


def test_absolute_links_of_standalone_pages_resolve(press_site):
    pages = [*(press_site / "nhung").rglob("*.html"), *(press_site / "ho-so").glob("*/ban-tin.html")]
    for page in pages:
        for tag in soup(page.read_bytes()).find_all(["a", "img", "link"]):
            url = tag.get("href") or tag.get("src")
            if tag.name == "a" and not url.startswith(SITE_URL):
                continue  # a link an editor wrote to another site
            assert url.startswith(SITE_URL), f"{page}: {url}"  # resources: ours only
            target = press_site / url.removeprefix(SITE_URL)
            assert (target / "index.html" if url.endswith("/") else target).is_file(), f"{page}: {url}"


@pytest.mark.gates
def test_standalone_press_html_is_valid(press_site):
    """Embeds and fragment pages are ours alone (the themed pages are checked over the sample site)."""
    require_java_and_vnu()
    pages = [*sorted((press_site / "nhung").rglob("*.html")), *sorted((press_site / "ho-so").glob("*/ban-tin.html"))]
    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "gnu", *map(str, pages)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("caption, credit, line", [
    ("Rừng quế 10 năm tuổi", "Lê Văn Ảnh", "Rừng quế 10 năm tuổi. Ảnh: Lê Văn Ảnh"),
    ("Rừng quế 10 năm tuổi.", "Lê Văn Ảnh", "Rừng quế 10 năm tuổi. Ảnh: Lê Văn Ảnh"),
    ("Ai trồng quế?", "Lê Văn Ảnh", "Ai trồng quế? Ảnh: Lê Văn Ảnh"),
    ("Rừng quế…", "Lê Văn Ảnh", "Rừng quế… Ảnh: Lê Văn Ảnh"),
    ("", "Lê Văn Ảnh", "Ảnh: Lê Văn Ảnh"),
    ("Rừng quế.", "", "Rừng quế."),
])
def test_a_caption_and_its_credit_have_one_stop_between(caption, credit, line):
    from generator.core.labels import credited

    assert credited(caption, credit) == line



def test_the_nominating_bodys_public_contact_is_in_the_kit_and_not_on_the_page(project, tmp_path):
    import yaml

    write_press_project(project)
    registry = project.root / "data" / "agencies.yml"
    agencies = yaml.safe_load(registry.read_text(encoding="utf-8"))
    contact = "Văn phòng Sở, điện thoại 0235 3000 000, vanphong@example.gov.vn"
    for agency in agencies["agencies"]:
        if agency["code"] == "so-nnptnt":
            agency["contact"] = contact
    registry.write_text(yaml.safe_dump(agencies, allow_unicode=True), encoding="utf-8")
    catalog = press_catalog(project)
    files = press_files(catalog, OPTIONS, photo_set(catalog, tmp_path / "cache"))
    text = kit(files, "hop-tac-xa")["tu-lieu-hop-tac-xa/ban-tin.txt"].decode()
    assert f"Liên hệ báo chí: {contact}" in text
    assert "Liên hệ báo chí" not in kit(files, "nguyen-van-an")["tu-lieu-nguyen-van-an/ban-tin.txt"].decode()
    from generator.core.facts import FactsLayout, profile_facts

    hop = next(p for p in catalog.profiles if p.slug == "hop-tac-xa")
    assert "Liên hệ báo chí" not in [fact.label for fact in profile_facts(hop, catalog, FactsLayout.PAGE)]
