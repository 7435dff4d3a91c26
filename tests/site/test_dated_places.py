"""Places as they were on each model's day, with the bundled registries (issue: localities as dated data).

Fixtures made for it: a commune merged on 2025-07-01 with a model before and after (Xã Tam Hải), a
commune of Nông Sơn before and after it joined Quế Sơn on 2025-01-01 (Xã Quế Trung, which also became
Thị trấn Trung Phước), a commune that became a ward (Xã Điện Minh), and Đà Nẵng, a city, not a district.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import REPO
from generator.adapters.build import build_site
from generator.check.project import ProjectPaths, check_project
from generator.core.catalog import build_catalog
from generator.core.quotas import evaluate_quotas
from generator.render.statistics import count_charts, replication_spread

TODAY = dt.date(2026, 1, 15)
MODELS = {  # slug -> changes to conftest.VALID_PROFILE
    "ngu-dan-tam-hai": {"locality": "tam-hai", "nominated_by": "ubnd-nui-thanh", "nominated_on": "2024-02-01",
                        "replicated_in": [{"locality": "an-my", "year": 2024},
                                          {"locality": "tam-ky-2025", "year": 2025}]},
    "hop-tac-xa-tam-hai": {"locality": "tam-hai-2025", "year": 2025, "nominated_by": "ubnd-tam-hai-2025",
                           "nominated_on": "2025-09-01", "consent": {"obtained": True, "date": "2025-08-01"}},
    "que-trung-2024": {"locality": "que-trung", "nominated_by": "ubnd-que-son", "nominated_on": "2024-02-01"},
    "que-trung-2025": {"locality": "que-trung", "year": 2025, "nominated_by": "ubnd-que-son",
                       "nominated_on": "2025-02-01", "consent": {"obtained": True, "date": "2025-01-10"}},
    "an-my-2024": {"locality": "an-my", "nominated_by": "ubnd-tam-ky"},
    "van-phong-tam-ky": {"locality": "tam-ky", "nominated_by": "ubnd-tam-ky"},  # the former city itself
    "dien-minh-2024": {"locality": "dien-minh", "nominated_by": "ubnd-dien-ban"},
    "dien-minh-2025": {"locality": "dien-minh", "year": 2025, "nominated_by": "ubnd-dien-ban",
                       "consent": {"obtained": True, "date": "2025-01-10"}},
}


@pytest.fixture(scope="module")
def dated(shared_project, module_monkeypatch):
    project = shared_project
    for name in ("localities.yml", "agencies.yml", "movements.yml", "awards.yml", "columns.yml"):
        shutil.copy(REPO / "data" / name, project.root / "data" / name)
    for slug, changes in MODELS.items():
        project.write_profile(slug, subject={"kind": "tap-the", "name": f"Tập thể {slug}"}, **changes)
    result = check_project(ProjectPaths.at(project.root))
    assert result.errors == (), [p.format() for p in result.errors]
    module_monkeypatch.setenv("DIENHINH_TODAY", TODAY.isoformat())
    project.write_mkdocs_yml()
    site = build_site(project.root / "mkdocs.yml", strict=True)
    return site, result, build_catalog(result.registries, result.profiles, TODAY)


def page(site, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def fact(soup: BeautifulSoup, term: str):
    terms = soup.select_one("dl.dh-facts").select("dt")
    return next(dt_.find_next_sibling("dd") for dt_ in terms if dt_.get_text() == term)


def slugs(element) -> list[str]:
    return [a["href"].rstrip("/").split("/")[-1] for a in element.select("a.dh-item__name")]


# --- successors both ways --------------------------------------------------------------------

def test_a_unit_of_today_lists_the_models_of_the_units_it_took_over(dated):
    site, _, _ = dated
    tam_hai = page(site, "dia-phuong/tam-hai-2025")
    article = tam_hai.select_one("article")
    [own] = [h for h in article.select("h2") if h.get_text().startswith("Quảng Nam chung sức")]
    assert slugs(own.find_next("ul")) == ["hop-tac-xa-tam-hai"]
    [former] = [h for h in article.select("h3") if h.get_text().startswith("Trước đây thuộc")]
    assert former.get_text().rstrip("¶") == "Trước đây thuộc xã Tam Hải, huyện Núi Thành"
    assert slugs(former.find_next("ul")) == ["ngu-dan-tam-hai"]
    assert fact(tam_hai, "Điển hình của đơn vị trước đây").get_text() == "1"

    tam_ky = page(site, "dia-phuong/tam-ky-2025")  # Phường Tam Kỳ took over Phường An Mỹ
    assert "Chưa có điển hình" not in tam_ky.select_one("article").get_text()
    formers = [h for h in tam_ky.select("article h3") if h.get_text().startswith("Trước đây thuộc")]
    assert [h.get_text().rstrip("¶") for h in formers] == ["Trước đây thuộc thành phố Tam Kỳ",
                                                           "Trước đây thuộc phường An Mỹ, thành phố Tam Kỳ"]
    assert [slugs(h.find_next("ul")) for h in formers] == [["van-phong-tam-ky"], ["an-my-2024"]]
    # the former city's own model is on each of its four wards; its communes' models only where they went
    ban_thach = page(site, "dia-phuong/ban-thach")
    assert slugs(ban_thach.select_one("article")) == ["van-phong-tam-ky"]


def test_a_former_unit_links_to_what_it_is_now(dated):
    site, _, _ = dated
    for path in ("dia-phuong/tam-hai", "ho-so/ngu-dan-tam-hai"):
        now = page(site, path).select_one(".dh-now")
        assert [a["href"].rstrip("/").split("/")[-1] for a in now.select("a")] == ["tam-hai-2025"], path
        assert now.get_text() == "nay là xã Tam Hải"


def test_a_former_district_is_now_the_units_that_cover_its_communes(dated):
    site, _, catalog = dated
    assert [u.name for u in catalog.successors_now("nong-son")] == ["Xã Nông Sơn", "Xã Quế Phước"]
    now = fact(page(site, "dia-phuong/nong-son"), "Hiện nay")
    assert now.get_text() == "nay là xã Nông Sơn, xã Quế Phước"
    assert [a.get_text() for a in now.select("a")] == ["xã Nông Sơn"]  # the one with a page
    assert len(catalog.successors_now("que-son")) == 5  # Quế Sơn took Nông Sơn in


# --- the changes of 2025-01-01 applied by date -------------------------------------------------

def test_a_nong_son_commune_is_placed_as_it_was_on_the_models_day(dated):
    site, _, catalog = dated
    place = {slug: fact(page(site, f"ho-so/{slug}"), "Địa phương").get_text() for slug in ("que-trung-2024",
                                                                                          "que-trung-2025")}
    assert place["que-trung-2024"].startswith("Xã Quế Trung, huyện Nông Sơn")
    assert place["que-trung-2025"].startswith("Thị trấn Trung Phước, huyện Quế Sơn")
    assert [p.slug for p in catalog.by_locality["nong-son"]] == ["que-trung-2024"]
    assert [p.slug for p in catalog.by_locality["que-son"]] == ["que-trung-2025"]
    nong_son = page(site, "dia-phuong/nong-son")
    assert "que-trung-2024" in slugs(nong_son.select_one("article"))
    [commune] = nong_son.select("nav.dh-communes li")  # as it was then, with the models it had then
    assert " ".join(commune.get_text().split()) == "Xã Quế Trung 1 điển hình"
    assert slugs(page(site, "dia-phuong/que-son").select_one("article")) == ["que-trung-2025"]
    communes = fact(page(site, "dia-phuong/que-trung"), "Từ 01/01/2025")
    assert communes.get_text() == "Thị trấn Trung Phước, thuộc huyện Quế Sơn"


def test_a_commune_that_became_a_ward_heads_two_groups_with_stable_anchors(dated):
    site, _, _ = dated
    movement = page(site, "phong-trao/nong-thon-moi")
    headings = {h["id"]: h.get_text().rstrip("¶") for h in movement.select("article h3[id^='dv-20593']")}
    assert headings == {"dv-20593": "Xã Điện Minh", "dv-20593-20250101": "Phường Điện Minh"}
    assert slugs(movement.find(id="dv-20593").find_next("ul")) == ["dien-minh-2024"]
    assert slugs(movement.find(id="dv-20593-20250101").find_next("ul")) == ["dien-minh-2025"]


def test_a_district_selection_is_judged_by_the_communes_district_on_that_day(dated):
    _, result, _ = dated
    foreign = {year: {p.slug for f in evaluate_quotas(result.registries, result.profiles, year).foreign
                      for p in f.profiles} for year in (2024, 2025)}
    assert foreign == {2024: {"que-trung-2024"}, 2025: set()}


# --- Đà Nẵng is a city ---------------------------------------------------------------------------

def test_the_city_is_not_a_district_in_lists_quotas_or_counts(dated):
    site, result, catalog = dated
    index = page(site, "dia-phuong")
    districts = [a.get_text() for a in index.select("article ul.dh-entry-list")[0].select("li > a")]
    assert "Thành phố Đà Nẵng" not in districts and len(districts) == 18
    for year in (2024, 2025, 2026):
        report = evaluate_quotas(result.registries, result.profiles, year)
        assert "ubnd-da-nang" not in {line.agency.code for line in report.lines}
        assert all(line.agency.code != "ubnd-da-nang" or line.quota.code != "ubnd-huyen" for line in report.lines)
    [bars] = [chart.bars for chart in count_charts(catalog) if chart.id == "district"]
    assert "da-nang" not in {bar.key for bar in bars}
    [spread] = replication_spread(catalog)
    assert (spread.localities, spread.districts) == (2, 1)  # An Mỹ's Tam Kỳ; the city's ward adds none


def test_the_2025_report_obliges_the_units_that_existed_on_its_deadline(dated):
    _, result, _ = dated
    bodies = {line.agency.code for line in evaluate_quotas(result.registries, result.profiles, 2025).lines}
    assert {"ubnd-ninh-phuoc", "ubnd-que-son", "ubnd-tam-hai"} <= bodies  # existed on 15/02/2025
    assert "ubnd-nong-son" not in bodies  # merged into Quế Sơn on 01/01/2025
    assert "ubnd-que-phuoc" not in bodies  # from 01/07/2025, nominated nothing that year
    assert "ubnd-tam-hai-2025" in bodies  # from 01/07/2025, but it nominated
    bodies_2026 = {line.agency.code for line in evaluate_quotas(result.registries, result.profiles, 2026).lines}
    assert "ubnd-que-phuoc" in bodies_2026 and "ubnd-tam-hai" not in bodies_2026
