"""Page metadata: Open Graph and Twitter tags, canonical URL, schema.org JSON-LD, licence and
sitemap, from the pure functions and on a real build with our theme."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.check.project import ProjectPaths, check_project
from generator.core.catalog import build_catalog
from generator.core.urls import EDITOR_DIR
from generator.photos.planning import PhotoSet
from generator.render.metadata import PageMetadata, profile_json_ld
from photo_support import TestOptions, phone_jpeg, write_themed_mkdocs_yml

SITE = "https://example.test/"
AWARDS = [{"code": "cstd-co-so", "year": 2024, "decision": "QĐ 12/QĐ-UBND"}]


@pytest.fixture
def catalog(project):
    project.write_profile("nguyen-van-an", awards=AWARDS, tags=["quế", "hữu cơ"], nominated_on="2024-02-01",
                          subject={"kind": "ca-nhan", "name": "Nguyễn Văn An", "position": "Tổ trưởng",
                                   "organization": "Tổ hợp tác quế"})
    project.write_profile("hop-tac-xa", subject={"kind": "tap-the", "name": "Hợp tác xã Điện Phước"}, consent=None,
                          nominated_by="so-nnptnt")
    result = check_project(ProjectPaths.at(project.root))
    return build_catalog(result.registries, result.profiles, dt.date(2026, 1, 1))


def test_profile_is_an_article_about_a_person_with_award_place_and_dates(catalog):
    profile = next(p for p in catalog.profiles if p.slug == "nguyen-van-an")
    ld = profile_json_ld(catalog, profile, TestOptions(None), "ho-so/nguyen-van-an/", ["ho-so/nguyen-van-an/the.jpg"])
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "Article"
    assert ld["headline"] == profile.title and ld["inLanguage"] == "vi"
    assert ld["url"] == ld["mainEntityOfPage"] == SITE + "ho-so/nguyen-van-an/"
    assert ld["image"] == [SITE + "ho-so/nguyen-van-an/the.jpg"]
    assert ld["datePublished"] == "2024-02-01" and ld["dateCreated"] == "2024-02-01"
    about = ld["about"]
    assert about["@type"] == "Person" and about["name"] == "Nguyễn Văn An" and about["jobTitle"] == "Tổ trưởng"
    assert about["award"] == ["Chiến sĩ thi đua cơ sở (2024), QĐ 12/QĐ-UBND"]
    assert about["homeLocation"]["name"] == "Xã Điện Phước, thị xã Điện Bàn"
    assert about["homeLocation"]["address"]["addressCountry"] == "VN"
    assert ld["license"].startswith("https://creativecommons.org/") and ld["publisher"]["name"]
    assert ld["keywords"] == ["quế", "hữu cơ"]
    collective = next(p for p in catalog.profiles if p.slug == "hop-tac-xa")
    assert profile_json_ld(catalog, collective, TestOptions(None), "", [])["about"]["@type"] == "Organization"


def test_front_matter_round_trips_as_json(catalog):
    """Everything goes through YAML front matter: dates must stay strings, nothing may be lost."""
    meta = PageMetadata(catalog, TestOptions(None), PhotoSet())
    for profile in catalog.profiles:
        data = meta.profile(f"ho-so/{profile.slug}/index.md", profile)
        assert yaml.safe_load(yaml.safe_dump(data, allow_unicode=True)) == data
        assert json.loads(json.dumps(data)) == data
    assert PageMetadata(catalog, None, PhotoSet()).profile("x/index.md", catalog.profiles[0]) == {}


def test_without_site_url_no_relative_url_pretends_to_be_absolute(catalog):
    profile = catalog.profiles[0]
    ld = profile_json_ld(catalog, profile, TestOptions(None, site_url=""), "ho-so/x/", ["ho-so/x/a.jpg"])
    assert "url" not in ld and "image" not in ld


# --- a real build -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(shared_project, tmp_path_factory, module_monkeypatch):
    project, monkeypatch, tmp_path = shared_project, module_monkeypatch, tmp_path_factory.mktemp("metadata")
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-15")
    path = project.write_profile("nguyen-van-an", awards=AWARDS, summary="Ông An trồng quế \"hữu cơ\" <sạch>.",
                                 photos=[{"file": "que.jpg", "alt": "Đồi quế", "credit": "Hội Nông dân"}])
    phone_jpeg(path.parent / "que.jpg")
    project.write_profile("hop-tac-xa", subject={"kind": "tap-the", "name": "Hợp tác xã Điện Phước"}, consent=None,
                          nominated_by="so-nnptnt")
    write_themed_mkdocs_yml(project.root)
    from generator.adapters.build import build_site
    return build_site(project.root / "mkdocs.yml", tmp_path / "site", strict=True)


def _head(path: Path) -> tuple[BeautifulSoup, dict[str, str]]:
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    tags = {m.get("property") or m.get("name"): m["content"] for m in page.head.find_all("meta", content=True)}
    return page, tags


def _local(site: Path, url: str) -> Path:
    assert url.startswith(SITE), url
    return site / urlsplit(url).path.lstrip("/")


def test_profile_page_has_sharing_tags_and_json_ld(site):
    page, tags = _head(site / "ho-so/nguyen-van-an/index.html")
    assert page.head.find("link", rel="canonical")["href"] == SITE + "ho-so/nguyen-van-an/"
    assert tags["og:type"] == "article" and tags["og:url"] == SITE + "ho-so/nguyen-van-an/"
    assert tags["og:title"] == "Người nông dân làm giàu từ cây quế"
    assert tags["og:description"] == "Ông An trồng quế \"hữu cơ\" <sạch>."  # escaped in the attribute, intact here
    assert tags["og:locale"] == "vi_VN" and tags["twitter:card"] == "summary_large_image"
    assert tags["og:image"] == tags["twitter:image"] == SITE + "ho-so/nguyen-van-an/the-chia-se.jpg"
    assert _local(site, tags["og:image"]).is_file()
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["article:published_time"] == "2024-01-01"
    [script] = page.find_all("script", type="application/ld+json")
    ld = json.loads(script.string)
    assert ld["@type"] == "Article" and ld["about"]["@type"] == "Person"
    assert ld["about"]["award"] and ld["contentLocation"]["name"] and ld["datePublished"]
    for url in ld["image"]:
        assert _local(site, url).is_file(), url
    assert any("/anh/que-1600.jpg" in url for url in ld["image"])


def test_every_page_has_json_ld_og_tags_and_the_licence(site):
    # site pages only: press fragments (ban-tin.html) and embeds (nhung/) are chrome-free on purpose, and
    # the web editor (quan-tri/) is Decap's page for editors, kept out of search engines and shares
    pages = sorted(p for p in site.rglob("index.html")
                   if not {"nhung", EDITOR_DIR} & set(p.relative_to(site).parts))
    assert len(pages) > 5
    for path in pages:
        page, tags = _head(path)
        ld = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
        assert len(ld) == 1 and ld[0]["@context"] == "https://schema.org", path
        assert {"og:title", "og:type", "og:site_name", "twitter:card"} <= set(tags), path
        licence = page.select_one("article .dh-licence a[rel=license]")
        assert licence is not None and "ghi rõ nguồn" in licence.get_text(), path
    _, home = _head(site / "index.html")
    assert home["og:image"] == SITE + "the-chia-se.jpg" and (site / "the-chia-se.jpg").is_file()


def test_sitemap_lists_every_profile(site):
    sitemap = ElementTree.parse(site / "sitemap.xml").getroot()
    urls = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {SITE + "ho-so/nguyen-van-an/", SITE + "ho-so/hop-tac-xa/", SITE} <= urls
