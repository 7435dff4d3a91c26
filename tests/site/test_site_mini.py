"""Build a small site with the real MkDocs + Material in a temporary folder; parse the HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.adapters.build import build_site
from generator.core.urls import EDITOR_DIR


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


LISTS = "## Cách làm\n\n1. Khảo sát\n2. Vận động\n\n- Hộ nghèo\n- Hộ cận nghèo\n"


@pytest.fixture(scope="module")
def mini_site(shared_project, module_monkeypatch):
    project, monkeypatch = shared_project, module_monkeypatch
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-15")
    project.write_profile("nguyen-van-an")
    project.write_profile("tran-thi-be", subject={"kind": "ca-nhan", "name": "Trần Thị Bé"}, locality="an-phu")
    project.write_profile("hop-tac-xa", subject={"kind": "tap-the", "name": "Hợp tác xã <b>Điện</b> & Bàn"},
                          consent=None, locality="dien-ban", nominated_by="so-nnptnt",
                          sources=[{"title": "Báo Quảng Nam: <i>Hợp tác xã</i> & mùa quế",
                                    "url": "https://baoquangnam.example/a?b=1&c=2"},
                                   {"title": "Báo cáo thành tích của hợp tác xã"}],
                          body="## Điển hình\n\n<marquee>chạy chữ</marquee> <u>gạch chân</u> [web](https://example.org)\n")
    project.write_profile("danh-sach", body=LISTS, movement="dan-van-kheo", consent=None,
                          subject={"kind": "tap-the", "name": "Tổ dân vận"})
    project.write_profile("chua-dong-y", consent={"obtained": False})
    project.write_profile("cam-cong-bo", publish_on="2027-01-01")
    project.write_mkdocs_yml()
    site = build_site(project.root / "mkdocs.yml", strict=True)
    return site


def test_profile_pages_and_embargo(mini_site):
    assert (mini_site / "ho-so/nguyen-van-an/index.html").is_file()
    assert not (mini_site / "ho-so/chua-dong-y").exists()
    assert not (mini_site / "ho-so/cam-cong-bo").exists()


def test_profile_facts_escape_and_now_note(mini_site):
    page = soup(mini_site / "ho-so/hop-tac-xa/index.html")
    facts = page.select_one("dl.dh-facts")
    assert "Hợp tác xã <b>Điện</b> & Bàn" in facts.get_text()
    assert facts.find("b") is None
    assert "Thị xã Điện Bàn (nay là phường Điện Bàn Đông)" in facts.get_text()


def test_profile_body_is_sanitised_to_the_allow_list(mini_site):
    article = soup(mini_site / "ho-so/hop-tac-xa/index.html").select_one("article")
    assert article.find("marquee") is None and "chạy chữ" in article.get_text()
    assert article.find("u").get_text() == "gạch chân"
    assert article.find("a", href="https://example.org")["rel"] == ["noopener", "noreferrer"]


def test_the_sources_of_a_profile_are_listed_with_their_links(mini_site):
    page = soup(mini_site / "ho-so/hop-tac-xa/index.html")
    [heading] = [h for h in page.select("article h2") if h.get_text().rstrip("¶") == "Nguồn tư liệu"]
    items = heading.find_next("ul").select("li")
    assert [li.get_text() for li in items] == ["Báo Quảng Nam: <i>Hợp tác xã</i> & mùa quế",
                                               "Báo cáo thành tích của hợp tác xã"]
    assert items[0].a["href"] == "https://baoquangnam.example/a?b=1&c=2" and items[1].a is None
    assert not soup(mini_site / "ho-so/nguyen-van-an/index.html").find(string="Nguồn tư liệu")


def test_the_site_the_press_and_the_book_read_a_body_alike(mini_site):
    """A "-" list after a "1." list is a new list everywhere (sane lists), not two more numbered items."""
    from generator.press.text import BodyConverter
    from generator.publication.book import markdown_html

    def lists(html: str) -> list[tuple[str, int]]:
        return [(tag.name, len(tag.select("li"))) for tag in BeautifulSoup(html, "html.parser").select("ol, ul")]

    article = soup(mini_site / "ho-so/danh-sach/index.html").select_one("article")
    [section] = [h for h in article.select("h2") if h.get_text().rstrip("¶") == "Cách làm"]
    body = []
    for sibling in section.find_next_siblings():
        if sibling.name == "h2":
            break
        body.append(str(sibling))
    assert lists("".join(body)) == [("ol", 2), ("ul", 2)]
    assert lists(BodyConverter().html(LISTS, "https://example.test/ho-so/danh-sach/")) == [("ol", 2), ("ul", 2)]
    assert lists(markdown_html(LISTS, 2, "dh-danh-sach")) == [("ol", 2), ("ul", 2)]


def test_heading_anchor_keeps_d(mini_site):
    page = soup(mini_site / "ho-so/hop-tac-xa/index.html")
    assert page.find(id="dien-hinh") is not None


def test_movement_page_groups_by_district_then_commune(mini_site):
    page = soup(mini_site / "phong-trao/nong-thon-moi/index.html")
    headings = [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2, article h3")]
    assert headings == ["Thị xã Điện Bàn", "Xã Điện Phước", "Xã An Phú"]
    names = [a.get_text() for a in page.select("a.dh-item__name")]
    assert names == ["Hợp tác xã <b>Điện</b> & Bàn", "Nguyễn Văn An", "Trần Thị Bé"]


def test_movement_pages_word_the_lead_as_the_plan_does(mini_site):
    def lead(code: str) -> str:
        facts = soup(mini_site / f"phong-trao/{code}/index.html").select_one("dl.dh-facts")
        terms = facts.select("dt")
        return next(dt.find_next_sibling("dd").get_text() for dt in terms if dt.get_text() == "Cơ quan chủ trì")

    assert lead("nong-thon-moi") == "Giao Sở Nông nghiệp và Phát triển nông thôn chủ trì"
    assert lead("dan-van-kheo") == "Đề nghị Ban Dân vận Tỉnh ủy chủ trì"


def test_links_resolve(mini_site):
    for html in mini_site.rglob("*.html"):
        for a in soup(html).select("article a[href]"):
            href = a["href"]
            if href.startswith(("#", "http", "mailto")):
                continue
            target = (html.parent / href.split("#")[0]).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{html}: {href}"


def test_scoped_preview_builds_only_the_named_bundles(project, monkeypatch):
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-15")
    project.write_profile("nguyen-van-an")
    project.write_profile("tran-thi-be", subject={"kind": "ca-nhan", "name": "Trần Thị Bé"}, locality="an-phu")
    project.write_mkdocs_yml()
    monkeypatch.setenv("DIENHINH_SCOPE", "profiles/2024/tran-thi-be")
    site = build_site(project.root / "mkdocs.yml", project.root / "scoped", strict=True)
    assert (site / "ho-so/tran-thi-be/index.html").is_file()
    assert not (site / "ho-so/nguyen-van-an").exists()
    assert "Trần Thị Bé" in (site / "dia-phuong/an-phu/index.html").read_text(encoding="utf-8")


def test_public_pages_call_a_model_by_one_word(mini_site):
    """“Điển hình” on every public page; “hồ sơ” (the editors' word for the file) only on the
    internal report and in the web editor."""
    said = {}
    for page in mini_site.rglob("*.html"):
        if page.relative_to(mini_site).parts[0] in ("noi-bo", EDITOR_DIR):
            continue
        text = soup(page).get_text(" ")
        if "hồ sơ" in text.casefold():
            said[str(page.relative_to(mini_site))] = text[text.casefold().index("hồ sơ") - 40:][:100]
    assert said == {}
