"""The bundled sample site, built once per session, read with a real HTML parser."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, SAMPLE_TODAY, person_key
from generator.check.project import ProjectPaths, check_project
from generator.core.catalog import build_catalog


@pytest.fixture(scope="module")
def catalog():
    result = check_project(ProjectPaths.at(REPO))
    assert result.errors == ()
    return build_catalog(result.registries, result.profiles, dt.date.fromisoformat(SAMPLE_TODAY))


def parse(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def listed_slugs(page: BeautifulSoup) -> list[str]:
    return [a["href"].rstrip("/").split("/")[-1] for a in page.select("article a.dh-item__name")]


def test_sample_data_is_broad_enough(catalog):
    profiles = catalog.profiles
    assert len(profiles) >= 40
    assert {p.subject.kind for p in profiles} == {"ca-nhan", "tap-the", "ho-gia-dinh"}
    assert len({catalog.district_of(p.locality).id for p in profiles}) >= 12
    assert {p.year for p in profiles} >= {2022, 2023, 2024, 2025}
    assert all(p.sample for p in profiles)
    groups = {m.group for m in catalog.movements.values()}
    assert {catalog.movements[p.movement].group for p in profiles} == groups


def test_every_profile_movement_and_locality_has_a_page(sample_site, catalog):
    for p in catalog.profiles:
        page = parse(sample_site, f"ho-so/{p.slug}")
        assert page.select_one("p.dh-sample"), p.slug  # the visible "dữ liệu minh họa" notice
        assert page.find("h1").get_text(strip=True).rstrip("¶") == p.title
    for code in catalog.by_movement:
        assert (sample_site / "phong-trao" / code / "index.html").is_file()
    for loc_id in catalog.by_locality:
        assert (sample_site / "dia-phuong" / loc_id / "index.html").is_file()


def test_movement_pages_follow_registry_and_vietnamese_order(sample_site, catalog):
    for code, profiles in catalog.by_movement.items():
        page = parse(sample_site, f"phong-trao/{code}")
        slugs = listed_slugs(page)
        assert Counter(slugs).most_common(1)[0][1] == 1, f"{code}: a profile listed twice"
        assert sorted(slugs) == sorted(p.slug for p in profiles)
        # within one commune (one list), people follow the roster order of their names
        for ul in page.select("article ul.dh-list"):
            names = [(a.get_text(), a.find_parent("li").select_one(".dh-badge").get_text())
                     for a in ul.select("a.dh-item__name")]
            people = [n for n, kind in names if kind == "Cá nhân"]
            assert people == sorted(people, key=person_key)


def test_district_page_groups_by_movement_in_registry_order(sample_site, catalog):
    order = list(catalog.movements)
    for loc_id, profiles in catalog.by_locality.items():
        if not catalog.localities[loc_id].is_district:
            continue
        page = parse(sample_site, f"dia-phuong/{loc_id}")
        headings = [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")]
        movement_names = [catalog.movements[c].name for c in order]
        shown = [h for h in headings if h in movement_names]
        assert shown == sorted(shown, key=movement_names.index)
        assert sorted(listed_slugs(page)) == sorted(p.slug for p in profiles)


def test_former_units_say_what_they_are_now(sample_site, catalog):
    former = [p for p in catalog.profiles if catalog.successors_now(p.locality)]
    assert former, "the sample data should include units that no longer exist"
    for p in former:
        facts = parse(sample_site, f"ho-so/{p.slug}").select_one("dl.dh-facts").get_text()
        assert "nay là" in facts


def test_the_meetings_of_plan_v8_are_on_the_calendar_and_on_the_models_pages(sample_site):
    calendar = parse(sample_site, "lich-tuyen-truyen")
    congress = calendar.select_one("#su-kien-dai-hoi-thi-dua-yeu-nuoc-tinh-lan-thu-ix")
    assert congress is not None
    text = " ".join(congress.get_text().split())
    assert "Đại hội Thi đua yêu nước tỉnh Quảng Nam lần thứ IX, giai đoạn 2025 - 2030" in text
    assert congress.select_one(".dh-badge").get_text() == "Đại hội thi đua yêu nước"
    assert "20/06/2025" in text and "tổ chức: Ủy ban nhân dân tỉnh Quảng Nam" in text
    linked = [a["href"].rstrip("/").split("/")[-1] for a in congress.select("a")]
    assert linked == ["giao-vien-cam-ban-tra-don", "ho-ho-van-muoi-sam-ngoc-linh", "to-cong-tac-bien-phong-laee"]
    conference = calendar.select_one("#su-kien-hoi-nghi-dien-hinh-dien-ban-2025")
    assert conference.select_one(".dh-badge").get_text() == "Hội nghị điển hình tiên tiến"
    model = parse(sample_site, "ho-so/giao-vien-cam-ban-tra-don")
    assert "Đại hội Thi đua yêu nước tỉnh Quảng Nam lần thứ IX" in model.select_one("article").get_text()


def test_home_counts(sample_site, catalog):
    home = BeautifulSoup((sample_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    values = [int(v.get_text()) for v in home.select(".dh-stat__value")]
    assert values[0] == len(catalog.profiles)
    assert home.find("html")["lang"] == "vi"


def test_profiles_are_not_in_the_navigation(sample_site):
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    nav = BeautifulSoup(home, "html.parser").select_one("nav.md-nav--primary")
    assert nav is not None and "ho-so/" not in str(nav)


def test_every_section_a_reader_may_look_for_is_in_the_navigation(sample_site):
    home = BeautifulSoup((sample_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    tabs = {a.get_text(strip=True): a["href"] for a in home.select("nav.md-tabs a")}
    assert tabs["Nhân rộng"] == "nhan-rong/" and tabs["Thống kê"] == "thong-ke/"


# English a reader would meet: Material's credit, its 404 page, labels its Vietnamese file leaves
# in English or gets wrong ("Trở lại mục lục" on a back-to-top button).
ENGLISH_ON_PAGES = ("Made with", "Material for MkDocs", "404 - Not found", "Not found", 'aria-label="Tabs"',
                    "Trở lại mục lục", "Initializing search", "Back to top", "Skip to content", "Copy to clipboard")


def test_no_english_on_any_page_or_in_the_publication(sample_site):
    import zipfile

    from pypdf import PdfReader

    found = {}
    for page in sample_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        found.update({f"{page.relative_to(sample_site)}: {p}": 1 for p in ENGLISH_ON_PAGES if p in text})
    books = list(sample_site.glob("an-pham/*/*.pdf"))
    assert books
    for pdf in books:
        text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
        found.update({f"{pdf.name}: {p}": 1 for p in ENGLISH_ON_PAGES if p in text})
        with zipfile.ZipFile(pdf.with_suffix(".epub")) as epub:
            for name in epub.namelist():
                if name.endswith((".xhtml", ".opf", ".ncx")):
                    text = epub.read(name).decode("utf-8")
                    found.update({f"{name}: {p}": 1 for p in ENGLISH_ON_PAGES if p in text})
    assert found == {}
    home = BeautifulSoup((sample_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one("nav.md-tabs")["aria-label"] == "Các mục chính"


def test_the_not_found_page_is_vietnamese_and_leads_home(sample_site):
    page = BeautifulSoup((sample_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("article h1").get_text() == "Không tìm thấy trang"
    links = {a.get_text(): a["href"] for a in page.select("article a")}
    assert links["trang chủ"] == "/" and (sample_site / links["tìm điển hình theo tên, địa phương, phong trào"]
                                          .strip("/") / "index.html").is_file()


# House style: a place's administrative prefix in lower case inside a phrase ("xã Tam Hải, huyện
# Núi Thành"), dates on two digits (01/07/2025), and formal dates in words in the publication.
PLACE_PREFIX_MID_PHRASE = re.compile(r"(?:[,;(]|\b(?:thuộc|ở|tại|của|là|và|với|sang|vào|gồm|từ|trên))\s+"
                                     r"(?:Xã|Phường|Thị trấn|Huyện|Thị xã|Thành phố) [A-ZĐÂĂÊÔƠƯ]")
SHORT_DATE = re.compile(r"\b(?:\d/\d{1,2}|\d{1,2}/\d)/\d{4}\b")


def _page_text(path: Path) -> str:
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    for tag in page(["script", "style"]):
        tag.decompose()
    return page.get_text(" ")


def test_house_style_of_places_and_dates_on_every_page(sample_site):
    found = {}
    for path in sample_site.rglob("*.html"):
        text = _page_text(path)
        for pattern in (PLACE_PREFIX_MID_PHRASE, SHORT_DATE):
            found.update({f"{path.relative_to(sample_site)}: {m.group(0)}": 1 for m in pattern.finditer(text)})
    assert found == {}


def test_the_publication_writes_dates_formally(sample_site):
    from pypdf import PdfReader

    for pdf in sample_site.glob("an-pham/*/*.pdf"):
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert not re.search(r"ngày \d{1,2}/\d{1,2}/\d{4}", text), pdf.name
        assert not SHORT_DATE.search(text) and not PLACE_PREFIX_MID_PHRASE.search(text), pdf.name
    forewords = [p for p in sample_site.glob("an-pham/*/index.html") if "ngày 03 tháng 4 năm 2023" in p.read_text()]
    assert forewords


def test_locality_index_is_in_code_order_and_headings_anchor_on_codes(sample_site, catalog):
    page = parse(sample_site, "dia-phuong")
    [districts, city_units] = page.select("article ul.dh-entry-list")
    names = [a.get_text() for a in districts.select("li > a")]
    by_name = {loc.name: loc for loc in catalog.localities.values() if loc.is_district}
    codes = [int(by_name[name].code) for name in names]
    assert codes == sorted(codes) and len(names) == 18  # the city is not listed among the districts
    [city] = [h for h in page.select("article h2") if h.get_text().startswith("Thành phố Đà Nẵng")]
    assert "(từ 01/07/2025)" in city.get_text() and city.find_next("ul") is city_units
    units = [loc for loc in catalog.localities.values() if loc.parent == "da-nang"]
    by_name = {loc.name: loc for loc in units}
    codes = [int(by_name[a.get_text()].code) for a in city_units.select("li > a")]
    assert codes and codes == sorted(codes)
    states = {state.anchor: state for loc in catalog.localities.values() for _, state in loc.states()}
    for code in catalog.by_movement:
        headings = parse(sample_site, f"phong-trao/{code}").select("article h2[id^='dv-'], article h3[id^='dv-']")
        assert headings and all(h["id"] in states and states[h["id"]].name in h.get_text() for h in headings)


def test_a_profile_page_says_where_it_sits_and_when_it_was_published(sample_site):
    page = sample_site / "ho-so" / "le-van-an-que-tra-giac" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    crumbs = soup.select("nav.dh-breadcrumbs a")
    assert [a.get_text() for a in crumbs[:2]] == ["Trang chủ", "Phong trào"]
    movement = soup.select_one(".dh-facts dt:-soup-contains('Phong trào') + dd a")
    assert crumbs[-1].get_text() == movement.get_text() and crumbs[-1]["href"] == movement["href"]
    for a in crumbs:
        target = (page.parent / a["href"]).resolve()
        assert (target / "index.html").is_file(), a["href"]
    published = soup.select_one(".dh-dateline time")
    meta = soup.find("meta", property="article:published_time")["content"]
    assert published["datetime"] == meta[:10] and published.get_text() == dt.date.fromisoformat(
        meta[:10]).strftime("%d/%m/%Y")


def test_the_press_block_of_a_profile_is_one_closed_control(sample_site):
    soup = BeautifulSoup((sample_site / "ho-so" / "le-van-an-que-tra-giac" / "index.html").read_text(
        encoding="utf-8"), "html.parser")
    block = soup.select_one("article details#tu-lieu-cho-bao-chi")
    assert block is not None and not block.has_attr("open")
    assert block.summary.get_text(strip=True) == "Tư liệu cho báo chí"
    assert block.find("a", string="Tải bộ tư liệu cho báo chí (tệp ZIP)")
    assert "Tư liệu cho báo chí" not in [a.get_text(strip=True) for a in soup.select(".md-nav--secondary a")]


def test_a_profile_page_has_plain_share_links_and_other_pages_none(sample_site):
    from urllib.parse import quote

    import yaml

    soup = BeautifulSoup((sample_site / "ho-so" / "le-van-an-que-tra-giac" / "index.html").read_text(
        encoding="utf-8"), "html.parser")
    canonical = soup.find("link", rel="canonical")["href"]
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    links = {a.get_text(): a["href"] for a in soup.select("aside.dh-share a.dh-share__link")}
    assert links == {target["name"]: target["url"].replace("{url}", quote(canonical))
                     for target in config["extra"]["share"]}
    assert {"Facebook", "Zalo"} <= links.keys()
    home = BeautifulSoup((sample_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select("aside.dh-share") == [] and not home.find("script", src=re.compile("share"))


def test_lists_are_led_by_photos_that_reserve_their_space(sample_site):
    from generator.load.registries import load_registries

    registries, _ = load_registries(REPO / "data", REPO)
    colours = {m.colour for m in registries.movements}
    home = sample_site / "index.html"
    soup = BeautifulSoup(home.read_text(encoding="utf-8"), "html.parser")
    lead = soup.select_one(".dh-lead-story img")
    assert lead["fetchpriority"] == "high" and (home.parent / lead["src"]).is_file()
    movement = sample_site / "phong-trao" / "nong-thon-moi" / "index.html"
    browse = sample_site / "tra-cuu" / "index.html"
    photos = placeholders = 0
    for page in (home, movement, browse):
        cards = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("li.dh-card")
        assert cards, page
        for card in cards:
            [media] = card.select(".dh-card__media")
            if media.name == "picture":
                img = media.img
                assert int(img["width"]) > 0 and int(img["height"]) > 0 and img["loading"] == "lazy"
                assert img["alt"] == "" and (page.parent / img["src"]).is_file()
                assert all((page.parent / entry.split()[0]).is_file() for entry in img["srcset"].split(", "))
                photos += 1
            else:
                colour = re.fullmatch(r"background-color: (#[0-9a-f]{6})", media["style"]).group(1)
                emblem = page.parent / media.img["src"]
                assert colour in colours and media.img["alt"] == "" and emblem.read_text().startswith("<svg")
                placeholders += 1
    assert photos and placeholders


def test_each_calendar_year_is_an_ics_file_calendar_apps_read(sample_site):
    import icalendar

    page_path = sample_site / "lich-tuyen-truyen" / "index.html"
    page = BeautifulSoup(page_path.read_text(encoding="utf-8"), "html.parser")
    links = page.select("p.dh-download a[href$='.ics']")
    years = [int(h.get_text().removeprefix("Năm ").rstrip("¶")) for h in page.select("article h2")]
    assert len(links) == len(years) >= 3
    uids = set()
    for year, link in zip(years, links):
        calendar = icalendar.Calendar.from_ical((page_path.parent / link["href"]).read_bytes())
        assert calendar["X-WR-TIMEZONE"] == "Asia/Ho_Chi_Minh" and calendar["VERSION"] == "2.0"
        events = list(calendar.walk("VEVENT"))
        section = page.find("h2", id=f"nam-{year}").find_next_siblings("details", class_="dh-month")
        section = [d for d in section if d["id"].endswith(f"-{year}")]
        listed = sum(len(d.select(".dh-keydate")) + len(d.select(".dh-event")) for d in section)
        assert len(events) == listed, year
        for event in events:
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            assert type(start) is dt.date and start.year == year and end > start  # all-day entries
            assert event["UID"] not in uids and event.decoded("DTSTAMP").tzinfo is not None
            uids.add(event["UID"])
    congress = next(e for e in icalendar.Calendar.from_ical(
        (page_path.parent / "lich-tuyen-truyen-2025.ics").read_bytes()).walk("VEVENT")
        if "lần thứ IX" in e["SUMMARY"])
    assert congress.decoded("DTSTART") == dt.date(2025, 6, 20)
    assert congress["URL"].endswith("/lich-tuyen-truyen/#su-kien-dai-hoi-thi-dua-yeu-nuoc-tinh-lan-thu-ix")


# Two stops, commas or colons in a row ("quế.. Ảnh", "quế. ."), but not an ellipsis ("...").
DOUBLED_PUNCTUATION = re.compile(r"(?<!\.)[.,;:][ \t]*[.,;:](?!\.)")


def kit_texts(site: Path) -> dict[str, str]:
    """The words of every press kit of the site a newsroom pastes: its text, Markdown and captions."""
    import zipfile

    texts = {}
    for path in sorted(site.glob("ho-so/*/tu-lieu-*.zip")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith(("ban-tin.txt", "ban-tin.md", "chu-thich.txt")):
                    texts[name] = archive.read(name).decode("utf-8")
    return texts


def test_press_kit_texts_never_double_their_punctuation(sample_site):
    texts = kit_texts(sample_site)
    assert sum(name.endswith("ban-tin.txt") for name in texts) >= 40
    doubled = {name: [line for line in text.splitlines() if DOUBLED_PUNCTUATION.search(line)]
               for name, text in texts.items()}
    assert {name: lines for name, lines in doubled.items() if lines} == {}
    with_credits = [text for name, text in texts.items() if name.endswith("ban-tin.txt") and "Ảnh:" in text]
    assert len(with_credits) >= 8  # photos with a credit are there to be checked


def test_profile_pages_name_their_oembed_answer_for_discovery(sample_site, catalog):
    import json

    site_url = re.search(r"^site_url: *(\S+)", (REPO / "mkdocs.yml").read_text(encoding="utf-8"), re.M)[1]
    for p in catalog.profiles:
        page = parse(sample_site, f"ho-so/{p.slug}")
        [link] = page.select('head link[rel="alternate"][type="application/json+oembed"]')
        assert link["href"].startswith(site_url)
        answer = json.loads((sample_site / link["href"].removeprefix(site_url)).read_text(encoding="utf-8"))
        assert answer["type"] == "rich" and answer["title"] == link["title"]
    assert not parse(sample_site, "").select('link[type="application/json+oembed"]')
