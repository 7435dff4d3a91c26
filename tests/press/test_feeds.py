"""Feeds: every RSS and Atom feed reads in feedparser without a bozo error, every JSON Feed
validates against the JSON Feed 1.1 schema (feedparser 6.0 reads no JSON), and every feed lists
published items only, with absolute URLs, stable tag: ids and dates in Vietnam time."""

from __future__ import annotations

import datetime as dt
import json

import feedparser
import pytest

from generator.core.options import VIETNAM_TZ
from generator.press.feed_formats import Feed, FeedImage, FeedItem, feed_assets
from generator.render.options import DEFAULT_LICENCE_URL
from press_support import (
    LICENCE,
    OPTIONS,
    PHOTO,
    PUBLISHED,
    SITE_URL,
    TODAY,
    UNPUBLISHED,
    photo_set,
    press_catalog,
    press_files,
    validator,
    write_press_project,
)

TAG = "tag:example.test,2023:"


@pytest.fixture
def catalog(project):
    write_press_project(project)
    return press_catalog(project)


@pytest.fixture
def photos(catalog, tmp_path):
    return photo_set(catalog, tmp_path / "cache")


@pytest.fixture
def files(catalog, photos) -> dict[str, bytes]:
    return press_files(catalog, OPTIONS, photos)


def feeds_of(files: dict[str, bytes], suffix: str) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if path.startswith("feeds/") and path.endswith(suffix)}


def parse_xml(data: bytes):
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def slug_of(url: str) -> str:
    assert url.startswith(SITE_URL + "ho-so/"), url
    return url.removeprefix(SITE_URL + "ho-so/").strip("/")


def test_every_group_has_three_formats(files):
    directories = {path.rsplit("/", 1)[0] for path in feeds_of(files, "")}
    assert {"feeds", "feeds/phong-trao/nong-thon-moi", "feeds/phong-trao/dan-van-kheo", "feeds/dia-phuong/dien-ban",
            "feeds/dia-phuong/tam-ky", "feeds/chuyen-muc/guong-nguoi-tot-viec-tot"} <= directories
    for directory in directories:
        assert {f"{directory}/{name}" for name in ("rss.xml", "atom.xml", "feed.json")} <= files.keys()


@pytest.mark.parametrize("suffix, version", [("rss.xml", "rss20"), ("atom.xml", "atom10")])
def test_xml_feeds_parse_and_list_only_published_items(files, suffix, version):
    for path, data in feeds_of(files, suffix).items():
        parsed = parse_xml(data)
        assert parsed.version == version, path
        assert parsed.feed.language == "vi"
        for entry in parsed.entries:
            assert slug_of(entry.link) in PUBLISHED, path
            assert entry.id.startswith(TAG)
            assert entry.published.endswith(("+0700", "+07:00")), entry.published
            assert entry.summary


def test_json_feeds_validate_and_list_only_published_items(files):
    check = validator("jsonfeed-1.1.json")
    for path, data in feeds_of(files, "feed.json").items():
        feed = json.loads(data)
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in check.iter_errors(feed)]
        assert not errors, f"{path}: {errors}"
        assert feed["feed_url"] == SITE_URL + path
        for item in feed["items"]:
            assert slug_of(item["url"]) in PUBLISHED
            assert dt.datetime.fromisoformat(item["date_published"]).utcoffset() == dt.timedelta(hours=7)


def test_unpublished_profiles_appear_in_no_press_output(files):
    for path, data in files.items():
        assert not any(slug in path for slug in UNPUBLISHED)
        if not path.endswith(".zip"):
            text = data.decode("utf-8")
            assert not any(slug in text for slug in UNPUBLISHED), path


def test_site_feed_newest_first_with_summary_image_and_self_link(files):
    parsed = parse_xml(files["feeds/rss.xml"])
    assert [slug_of(e.link) for e in parsed.entries] == ["hop-tac-xa", "nguyen-van-an", "tran-thi-be"]
    an = parsed.entries[1]
    assert an.id == TAG + "ho-so/nguyen-van-an"
    assert an.published == "Thu, 20 Nov 2025 00:00:00 +0700"
    assert an.media_content[0]["url"] == SITE_URL + "ho-so/nguyen-van-an/anh/ruong-que-960.jpg"
    assert parsed.feed.link == SITE_URL
    assert parsed.feed.updated == "Thu, 15 Jan 2026 00:00:00 +0700"  # build day, never the clock
    atom = parse_xml(files["feeds/atom.xml"])
    assert {link.rel: link.href for link in atom.feed.links}["self"] == SITE_URL + "feeds/atom.xml"
    item = json.loads(files["feeds/feed.json"])["items"][1]
    assert item["image"] == SITE_URL + "ho-so/nguyen-van-an/anh/ruong-que-960.jpg"
    assert item["date_published"] == "2025-11-20T00:00:00+07:00"


def test_feeds_carry_the_whole_story_its_author_the_licence_and_the_lead_photo(catalog, files):
    """What a newsroom's reader shows without opening the site: the story, who stands behind it
    (the nominating body), the reuse licence, and the lead photo as an enclosure or media element."""
    from bs4 import BeautifulSoup

    an = next(p for p in catalog.profiles if p.slug == "nguyen-van-an")
    agency = catalog.agencies[an.nominated_by].name
    photo_url = SITE_URL + "ho-so/nguyen-van-an/anh/ruong-que-960.jpg"
    photo_size = len(PHOTO) + 960  # what the stand-in pipeline writes for the 960-pixel JPEG
    stories = []
    for suffix in ("rss.xml", "atom.xml"):
        parsed = parse_xml(files["feeds/" + suffix])
        assert parsed.feed.rights == f"{LICENCE} {DEFAULT_LICENCE_URL}", suffix
        entry = parsed.entries[1]
        assert slug_of(entry.link) == "nguyen-van-an"
        assert entry.author == agency and entry.rights == parsed.feed.rights
        [enclosure] = entry.enclosures
        assert (enclosure.href, enclosure.type, int(enclosure.length)) == (photo_url, "image/jpeg", photo_size)
        assert entry.media_content[0]["url"] == photo_url
        assert [link.rel for link in entry.links].count("alternate") == 1, suffix
        [content] = entry.content
        assert content.type == "text/html"
        stories.append(content.value)
    item = json.loads(files["feeds/feed.json"])["items"][1]
    stories.append(item["content_html"])
    assert item["authors"] == [{"name": agency}]
    assert item["attachments"] == [{"url": photo_url, "mime_type": "image/jpeg", "size_in_bytes": photo_size}]
    assert json.loads(files["feeds/feed.json"])["_licence"] == {"about": DEFAULT_LICENCE_URL, "text": LICENCE}
    assert stories[0] == stories[1] == stories[2]
    story = BeautifulSoup(stories[0], "html.parser")
    assert story.find("h2").get_text() == "Thành tích nổi bật"
    assert story.find("a", string="hồ sơ bạn")["href"] == SITE_URL + "ho-so/tran-thi-be/"  # absolute, as it is read
    # the kit's clean HTML (check/sanitize.py): nothing that runs, nothing of our page's styling
    assert not story.find(["script", "style", "iframe", "link"])
    assert not [tag.name for tag in story.find_all(True) if {"class", "id", "style"} & set(tag.attrs)]


def test_movement_and_district_feeds_hold_their_profiles(files):
    def slugs(path):
        return [slug_of(e.link) for e in parse_xml(files[path]).entries]

    assert slugs("feeds/phong-trao/dan-van-kheo/rss.xml") == ["tran-thi-be"]
    assert sorted(slugs("feeds/dia-phuong/dien-ban/atom.xml")) == ["hop-tac-xa", "nguyen-van-an", "tran-thi-be"]
    assert slugs("feeds/dia-phuong/tam-ky/rss.xml") == []


def test_column_feed_lists_slots_that_have_come(files):
    entries = parse_xml(files["feeds/chuyen-muc/guong-nguoi-tot-viec-tot/rss.xml"]).entries
    assert [e.id for e in entries] == [TAG + "chuyen-muc/guong-nguoi-tot-viec-tot/nguyen-van-an/2025-12-01"]
    assert entries[0].published == "Mon, 01 Dec 2025 00:00:00 +0700"  # the slot's date, not the profile's
    assert dt.date(2026, 6, 1) > TODAY  # the other slot is still to come


def test_feeds_are_deterministic(catalog, photos, files):
    assert press_files(catalog, OPTIONS, photos) == files


def test_without_the_photo_pipeline_feeds_carry_no_image(catalog):
    item = json.loads(press_files(catalog, OPTIONS)["feeds/feed.json"])["items"][1]
    assert item["url"].endswith("/nguyen-van-an/") and "image" not in item


def test_feed_writer_is_reusable():
    when = dt.datetime(2026, 3, 1, tzinfo=VIETNAM_TZ)
    item = FeedItem(id="tag:example.test,2023:x/1", url="https://example.test/x/1/", title="Tiêu đề & <thử>",
                    summary="Tóm tắt", published=when, image=FeedImage("https://example.test/x/1.png", "image/png"),
                    categories=("Một",))
    feed = Feed(directory="feeds/thu", id="tag:example.test,2023:feeds/thu", title="Thử", description="Mô tả",
                home_url="https://example.test/x/", author="Tác giả", updated=when, items=(item,))
    assets = {a.path: a.content for a in feed_assets(feed, SITE_URL)}
    assert assets.keys() == {"feeds/thu/rss.xml", "feeds/thu/atom.xml", "feeds/thu/feed.json"}
    rss = parse_xml(assets["feeds/thu/rss.xml"])
    assert rss.entries[0].title == "Tiêu đề & <thử>"
    assert rss.entries[0].tags[0].term == "Một"
    assert json.loads(assets["feeds/thu/feed.json"])["items"][0]["image"] == "https://example.test/x/1.png"


def test_no_site_url_no_feeds(catalog):
    from generator.render.options import RenderOptions

    assert press_files(catalog, RenderOptions()) == {}
