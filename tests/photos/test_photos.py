"""The photo pipeline: planning, Pillow processing (metadata stripped, credit embedded, EXIF
orientation, colour modes), bad input, the content-hash cache, share cards, and a real build."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageChops, ImageDraw, ImageFile, ImageText

from generator.check.photos import verdict_of
from generator.check.project import ProjectPaths, check_project
from generator.core.catalog import build_catalog
from generator.core.model import Photo
from generator.photos import cache as photo_cache
from generator.photos import share_card
from generator.photos.cache import SourceIndex
from generator.photos.imaging import PhotoError, write_renditions
from generator.photos.planning import Credits, job_key, output_stems, plan_renditions, rendition_widths
from generator.photos.xmp import read_xmp, xmp_packet
from generator.render import photos as render_photos
from photo_support import (
    REPO,
    TestOptions,
    phone_jpeg,
    png_rgb48,
    write_themed_mkdocs_yml,
)

CREDITS = Credits("Vườn quế", "Đồi quế Trà My.", "Hội Nông dân huyện", "CC BY 4.0, ghi rõ nguồn",
                  "https://creativecommons.org/licenses/by/4.0/")
CAMERA_TAGS = (0x010F, 0x0110, 0x8769, 0x8825, 0x0112)  # make, model, Exif IFD, GPS IFD, orientation


# --- planning ---------------------------------------------------------------------------------

def test_widths_never_upscale():
    assert rendition_widths(4000) == (480, 960, 1600)
    assert rendition_widths(1600) == (480, 960, 1600)
    assert rendition_widths(1000) == (480, 1000)  # 960 would be the same picture again
    assert rendition_widths(300) == (300,)
    assert [(r.width, r.height, r.format) for r in plan_renditions((4000, 3000))][:3] == \
        [(4000, 3000, "jpg"), (1600, 1200, "webp"), (1600, 1200, "jpg")]  # the original first: for the press
    assert [r.width for r in plan_renditions((1600, 1200))] == [1600, 1600, 960, 960, 480, 480]  # no wider: no copy


def test_names_are_url_safe_and_unique():
    photos = tuple(Photo(name, "x") for name in ("Ảnh ruộng 1.JPG", "anh-ruong-1.png", "sub/Đồng.webp"))
    assert output_stems(photos) == ("anh-ruong-1", "anh-ruong-1-2", "dong")


def test_key_follows_bytes_and_embedded_texts():
    key = job_key("a" * 64, CREDITS)
    assert key == job_key("a" * 64, CREDITS)
    assert key != job_key("b" * 64, CREDITS)
    assert key != job_key("a" * 64, Credits(**{**CREDITS.__dict__, "caption": "Chú thích mới."}))


# --- processing -------------------------------------------------------------------------------

def test_published_files_carry_the_credit_and_no_camera_metadata(tmp_path):
    source = phone_jpeg(tmp_path / "anh.jpg")
    info, renditions = write_renditions(source, tmp_path, xmp_packet(CREDITS))
    assert (info.width, info.height) == (2400, 1600)
    assert len(renditions) == 7  # the press kit's original size too: stripped and credited like the rest
    assert (renditions[0].width, renditions[0].format) == (2400, "jpg")
    for rendition in renditions:
        with Image.open(tmp_path / rendition.filename) as image:
            assert image.size == (rendition.width, rendition.height)
            exif = image.getexif()
            assert not any(tag in exif for tag in CAMERA_TAGS), dict(exif)
            assert not exif.get_ifd(0x8825), "GPS position published"
            assert not {"exif", "icc_profile", "comment"} & set(image.info), sorted(image.info)
            xmp = read_xmp(image.info["xmp"])
        assert xmp["photoshop:Credit"] == "Hội Nông dân huyện"
        assert xmp["dc:description"] == "Đồi quế Trà My."
        assert xmp["Iptc4xmpCore:AltTextAccessibility"] == "Vườn quế"
        assert xmp["xmpRights:UsageTerms"] == "CC BY 4.0, ghi rõ nguồn"
        assert xmp["cc:license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_the_original_size_goes_to_the_press_kit_and_never_into_a_page(tmp_path):
    from types import SimpleNamespace

    from generator.photos.planning import PublishedPhoto, photo_view
    from generator.press.photos import kit_photos
    from generator.press.site import PressSite

    source = phone_jpeg(tmp_path / "anh.jpg")
    _, renditions = write_renditions(source, tmp_path, xmp_packet(CREDITS))
    photo = Photo("anh.jpg", "Vườn quế", "Đồi quế.", "Hội Nông dân huyện")
    published = PublishedPhoto(photo, "anh", tmp_path, renditions)
    assert (published.original().width, published.largest().width) == (2400, 1600)
    view = photo_view(published)
    assert "2400" not in view.srcsets["jpg"] and "1600w" in view.srcsets["jpg"] and view.width == 1600

    class OnePhoto:
        def published(self, slug):
            return (published,)

    profile = SimpleNamespace(slug="an")  # all kit_photos reads of a profile
    [kit_photo] = kit_photos(profile, PressSite("https://example.test/", "Thử", "CC BY 4.0"), OnePhoto())
    assert (kit_photo.width, kit_photo.name) == (2400, "anh/01-anh-2400.jpg")
    with Image.open(kit_photo.source) as image:
        assert image.size == (2400, 1600) and not image.getexif().get_ifd(0x8825)
        assert read_xmp(image.info["xmp"])["photoshop:Credit"] == "Hội Nông dân huyện"


def test_exif_orientation_is_applied(tmp_path):
    source = phone_jpeg(tmp_path / "doc.jpg", size=(1200, 1800), orientation=6, color=(255, 255, 255),
                        marker=(200, 0, 0))
    assert Image.open(source).size == (1800, 1200)  # stored sideways
    info, renditions = write_renditions(source, tmp_path, b"")
    assert (info.width, info.height) == (1200, 1800)
    with Image.open(tmp_path / renditions[0].filename) as image:
        assert image.size == (1200, 1800)
        red, green, _ = image.getpixel((20, 20))
        assert red > 150 and green < 60, "the upright top-left corner is the marked one"


@pytest.mark.parametrize("name, make, expected", [
    ("cmyk.jpg", lambda p: Image.new("CMYK", (800, 600), (255, 0, 0, 0)).save(p, "JPEG"), (0, 255, 255)),
    ("grey16.png", lambda p: Image.new("I;16", (800, 600), 32896).save(p, "PNG"), (128, 128, 128)),  # not clipped
    ("rgb48.png", lambda p: png_rgb48(p, (800, 600), (65535, 32896, 0)), (255, 128, 0)),
    ("alpha.png", lambda p: Image.new("RGBA", (800, 600), (0, 0, 0, 0)).save(p, "PNG"), (255, 255, 255)),
    ("palette.png", lambda p: Image.new("P", (800, 600), 3).save(p, "PNG"), (3, 3, 3)),
])
def test_colour_modes_are_converted_correctly(tmp_path, name, make, expected):
    make(tmp_path / name)
    _, renditions = write_renditions(tmp_path / name, tmp_path, b"")
    with Image.open(tmp_path / next(r for r in renditions if r.format == "jpg").filename) as image:
        assert image.mode == "RGB"
        pixel = image.getpixel((image.width // 2, image.height // 2))
    assert all(abs(a - b) <= 8 for a, b in zip(pixel, expected)), pixel


# --- bad input --------------------------------------------------------------------------------

def _profile_with(project, files: dict[str, bytes | None], **changes):
    photos = [{"file": name, "alt": f"Ảnh {name}", "credit": "Tác giả"} for name in files]
    path = project.write_profile("nguyen-van-an", photos=photos, **changes)
    for name, data in files.items():
        if data is not None:
            (path.parent / name).write_bytes(data)
    return path


def _jpeg_bytes(tmp_path: Path) -> bytes:
    return phone_jpeg(tmp_path / "src" / "ok.jpg", size=(1600, 1200)).read_bytes()


def _bomb(tmp_path: Path) -> bytes:
    path = tmp_path / "bomb.png"
    Image.new("1", (10_000, 9_000)).save(path)  # 90 megapixels in a few kilobytes
    return path.read_bytes()


def _gif(tmp_path: Path) -> bytes:
    path = tmp_path / "a.gif"
    Image.new("P", (40, 40)).save(path, "GIF")
    return path.read_bytes()


def test_bad_photos_are_warnings_naming_profile_and_file(project, tmp_path):
    good = _jpeg_bytes(tmp_path)
    _profile_with(project, {"tot.jpg": good, "cat-cut.jpg": good[: len(good) // 2], "rac.jpg": b"not an image" * 50,
                            "bom.png": _bomb(tmp_path), "gif-doi-ten.jpg": _gif(tmp_path), "iphone.heic": b"x",
                            "khong-co.jpg": None})
    result = check_project(ProjectPaths.at(project.root))
    found = {(p.code, p.field): p for p in result.problems}
    expected = {("DH056", "photos.1.file"): "cat-cut.jpg", ("DH055", "photos.2.file"): "rac.jpg",
                ("DH057", "photos.3.file"): "bom.png", ("DH053", "photos.4.file"): "gif-doi-ten.jpg",
                ("DH053", "photos.5.file"): "iphone.heic", ("DH050", "photos.6.file"): "khong-co.jpg"}
    assert set(found) == set(expected)
    for key, name in expected.items():
        problem = found[key]
        assert problem.severity == "warning" and problem.path == "profiles/2024/nguyen-van-an/index.md"
        assert f"“{name}”" in problem.message, problem.format()
    assert "GIF" in found[("DH053", "photos.4.file")].message
    assert [p.slug for p in result.profiles] == ["nguyen-van-an"]  # the profile itself still goes out
    assert [photo.file for photo in result.profiles[0].photos] == ["tot.jpg"]  # with the one good photo


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "TIFF", "WEBP"])
def test_a_truncated_file_of_any_format_is_a_problem_not_a_crash(tmp_path, fmt, monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as importing WeasyPrint does
    whole = tmp_path / f"a.{fmt.lower()}"
    Image.effect_noise((300, 200), 50).convert("RGB").save(whole, fmt)
    cut = tmp_path / f"cut.{fmt.lower()}"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert verdict_of(whole)["width"] == 300
    assert verdict_of(cut)["error"][0] in ("DH055", "DH056")
    with pytest.raises(PhotoError):
        write_renditions(cut, tmp_path, b"")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as WeasyPrint wants it


def test_missing_alt_and_outside_bundle_drop_only_the_photo(project, tmp_path):
    path = project.write_profile("nguyen-van-an", photos=[{"file": "a.jpg"}, {"file": "../../x.jpg", "alt": "x"},
                                                          {"file": "b.jpg", "alt": "Ảnh b"}])
    for name in ("a.jpg", "b.jpg"):
        (path.parent / name).write_bytes(_jpeg_bytes(tmp_path))
    result = check_project(ProjectPaths.at(project.root))
    assert sorted((p.code, p.severity) for p in result.problems) == [("DH051", "warning"), ("DH052", "warning")]
    assert [photo.file for photo in result.profiles[0].photos] == ["b.jpg"]


# --- the cache --------------------------------------------------------------------------------

def _catalog(project):
    result = check_project(ProjectPaths.at(project.root))
    return build_catalog(result.registries, result.profiles, dt.date(2026, 1, 1))


def test_warm_run_processes_nothing_and_a_new_caption_only_its_photo(project, tmp_path, monkeypatch):
    phone = phone_jpeg(tmp_path / "b.jpg").read_bytes()
    path = _profile_with(project, {"a.jpg": _jpeg_bytes(tmp_path), "b.jpg": phone})
    options = TestOptions(project.root / ".cache" / "dienhinh")
    first = render_photos.process_photos(_catalog(project), options)
    assert len(first.published("nguyen-van-an")) == 2 and first.card("nguyen-van-an")

    def refuse(*args):
        raise AssertionError("processed again")

    monkeypatch.setattr(render_photos, "_process", refuse)
    monkeypatch.setattr(render_photos, "_draw_card", refuse)
    again = render_photos.process_photos(_catalog(project), options)
    assert again == first

    processed = []
    monkeypatch.setattr(render_photos, "_process", lambda job: processed.append(job.source.name) or refuse())
    text = path.read_text(encoding="utf-8").replace("credit: Tác giả", "credit: Tác giả khác", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AssertionError):
        render_photos.process_photos(_catalog(project), options)
    assert processed == ["a.jpg"]


def test_index_remembers_digests_by_stat_and_rehashes_on_change(tmp_path, monkeypatch):
    source = phone_jpeg(tmp_path / "a.jpg", size=(64, 64))
    old = time.time() - 3600
    os.utime(source, (old, old))
    index = SourceIndex(tmp_path / "cache")
    digest = index.digest(source)
    index.save()
    reads = []
    original = photo_cache.hashlib.file_digest
    monkeypatch.setattr(photo_cache.hashlib, "file_digest", lambda *a: reads.append(1) or original(*a))
    assert SourceIndex(tmp_path / "cache").digest(source) == digest and reads == []
    source.write_bytes(source.read_bytes() + b"\0")
    assert SourceIndex(tmp_path / "cache").digest(source) != digest and reads == [1]


def test_an_interrupted_entry_is_never_used(tmp_path):
    folder = photo_cache.entry_folder(tmp_path, "ab" * 32)

    def crash(scratch: Path) -> dict:
        (scratch / "480.jpg").write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        photo_cache.fill_entry(folder, crash)
    assert not folder.exists() and not list(folder.parent.iterdir())


# --- share cards ------------------------------------------------------------------------------

CARD = share_card.CardText(
    "Hộ gia đình ông Hồ Văn Mười",
    ("Xã Trà Linh, Huyện Nam Trà My", "Nông dân thi đua sản xuất, kinh doanh giỏi"),
    "Điển hình tiên tiến tỉnh Quảng Nam",
)


def _redraw(block: share_card.Block, text: str, path: Path | None = None) -> Image.Image:
    """``text`` alone on a white card, where the card drew ``block``."""
    image = Image.new("RGB", share_card.SIZE, "white")
    font = share_card.font(path or block.font, block.size)
    ImageDraw.Draw(image).text((block.x, block.y), ImageText.Text(text, font, spacing=block.spacing), fill=block.fill)
    return image


def _region(image: Image.Image, block: share_card.Block) -> Image.Image:
    """The part of the card that belongs to ``block`` alone: its full width, its text's height."""
    text = ImageText.Text(block.text, share_card.font(block.font, block.size), spacing=block.spacing)
    return image.crop((block.x - 4, block.y - 4, share_card.SIZE[0], block.y + text.get_bbox()[3] + 4))


def test_share_card_draws_the_vietnamese_text(tmp_path):
    card = share_card.render_card(CARD, None)
    assert card.size == (1200, 630)
    blocks = share_card.card_layout(CARD, False)
    kicker, title = blocks[0], blocks[1]
    assert title.text == "Hộ gia đình ông\nHồ Văn Mười"  # wrapped at a word, not inside one
    expected = _redraw(title, "Hộ gia đình ông\nHồ Văn Mười")
    assert ImageChops.difference(_region(card, title), _region(expected, title)).getbbox() is None
    for block, text in ((kicker, "Điển hình tiên tiến tỉnh Quảng Nam"), (blocks[2], "Xã Trà Linh, Huyện Nam Trà My")):
        assert ImageChops.difference(_region(card, block), _region(_redraw(block, text), block)).getbbox() is None
    # The comparison sees diacritics: the same letters without them, or a font lacking them, differ.
    assert ImageChops.difference(
        _region(card, title), _region(_redraw(title, "Ho gia dinh ong\nHo Van Muoi"), title)
    ).getbbox()
    latin_only = REPO / "theme/assets/fonts/be-vietnam-pro-latin-700-normal.woff2"
    assert share_card.missing_glyphs(latin_only, "Hồ Văn Mười") == {"ồ", "ă", "ư", "ờ"}
    assert (
        share_card.missing_glyphs(share_card.BOLD, "ĂÂĐÊÔƠƯăâđêôơư" + "".join(map(chr, range(0x1EA0, 0x1EFA)))) == set()
    )


def test_long_names_wrap_and_shrink_inside_the_card():
    name = (
        "Tổ hợp tác dệt thổ cẩm Cơ Tu thôn Arớh, xã Tà Lu, huyện Đông Giang, nơi gìn giữ và truyền dạy "
        "nghề dệt truyền thống cho thế hệ trẻ của đồng bào"
    )
    blocks = share_card.card_layout(share_card.CardText(name, ("Xã Tà Lu",), "Điển hình"), True)
    title = blocks[1]
    assert title.size < 60 and title.text.count("\n") >= 2
    for block in blocks:
        font = share_card.font(block.font, block.size)
        box = ImageText.Text(block.text, font, spacing=block.spacing).get_bbox()
        assert block.x + box[2] <= share_card.SIZE[0] - share_card.MARGIN + 1
        assert block.y + box[3] <= share_card.SIZE[1]


@pytest.mark.parametrize("name", ["Nguyễn Văn An " * 7_200, "A" * 5_000, "Hộ gia đình ông " + "Đ" * 400])
def test_the_share_card_draws_any_length_cut_with_an_ellipsis(name):
    """Check bounds names at 150 characters; the card still draws whatever it is given."""
    text = share_card.CardText(name, ("Xã Tà Lu " * 1_000, "Phong trào"), "Điển hình", "Tác giả " * 500)
    blocks = share_card.card_layout(text, True)
    assert blocks[1].text.endswith("…") and blocks[2].text.endswith("…")
    for block in blocks:
        box = ImageText.Text(block.text, share_card.font(block.font, block.size), spacing=block.spacing).get_bbox()
        assert block.x + box[2] <= share_card.SIZE[0] - share_card.MARGIN + 1
        assert block.y + box[3] <= share_card.SIZE[1]
    assert share_card.render_card(text, None).size == share_card.SIZE


# --- a real build -----------------------------------------------------------------------------


@pytest.fixture
def photo_site(project, tmp_path, monkeypatch):
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-15")
    good = phone_jpeg(tmp_path / "src" / "vuon.jpg", size=(3000, 2000)).read_bytes()
    _profile_with(
        project,
        {"Vườn quế.JPG": good, "thu-hoach.jpg": phone_jpeg(tmp_path / "t.jpg").read_bytes(), "hong.jpg": good[:5000]},
    )
    write_themed_mkdocs_yml(project.root)
    from generator.adapters.build import build_site

    return build_site(project.root / "mkdocs.yml", tmp_path / "site", strict=True)


def test_build_publishes_only_stripped_derivatives_with_sizes(photo_site):
    folder = photo_site / "ho-so" / "nguyen-van-an"
    published = {p.name for p in folder.iterdir()}
    assert {"anh", "index.html", "the-chia-se.jpg"} <= published
    assert not published & {"Vườn quế.JPG", "thu-hoach.jpg", "hong.jpg"}  # no original is published
    page = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    images = page.select("article img")
    assert len(images) == 2  # the truncated photo is left out; the page still builds
    first, second = images
    assert first.get("loading") is None and second["loading"] == "lazy"
    for img in images:
        assert int(img["width"]) > 0 and int(img["height"]) > 0 and img["alt"]
        urls = [img["src"]] + [c.split()[0] for c in img["srcset"].split(",")]
        sources = img.find_parent("picture").select("source") if img.find_parent("picture") else []
        urls += [c.split()[0] for s in sources for c in s["srcset"].split(",")]
        for url in urls:
            assert (folder / url).is_file(), url
        with Image.open(folder / img["src"]) as published:
            assert published.width / published.height == pytest.approx(int(img["width"]) / int(img["height"]), 0.01)
            assert not published.getexif().get_ifd(0x8825) and 0x010F not in published.getexif()
            assert read_xmp(published.info["xmp"])["photoshop:Credit"] == "Tác giả"
    assert "anh/vuon-que-960.jpg" in first["srcset"]
    with Image.open(folder / "the-chia-se.jpg") as card:
        assert card.size == (1200, 630) and not card.getexif()
