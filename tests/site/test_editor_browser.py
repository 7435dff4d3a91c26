"""The web editor at /quan-tri/ in real headless Chromium (Debian's, driven by Playwright).

The site is built with Decap's in-browser test backend (`editor: {backend: {name: test-repo}}`),
which needs no sign-in service: what is checked is our page, our configuration and our
Vietnamese phrases as Decap runs them. Saving to a git working copy through decap-server is
`dienhinh editor`'s (a later part of issue 27).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_support import SCREENSHOTS, browser, is_local, serve  # noqa: F401 (fixture)
from generator.adapters.build import build_site
from generator.photos.planning import MAX_PHOTO_BYTES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def editor_url(shared_project, module_monkeypatch):
    module_monkeypatch.setenv("DIENHINH_TODAY", "2026-01-15")
    shared_project.write_profile("nguyen-van-an")
    config = shared_project.write_mkdocs_yml()
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - dienhinh\n", "  - dienhinh:\n      editor: {backend: {name: test-repo}}\n"), encoding="utf-8")
    site = build_site(config, strict=True)
    with serve(site) as base:
        yield f"{base}/quan-tri/"


def open_new_profile(browser, editor_url: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(editor_url)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Hồ sơ điển hình").first.wait_for()
    page.goto(editor_url + "#/collections/ho-so/new")
    page.get_by_label("Tiêu đề", exact=True).wait_for()
    return page, requests


def test_the_editor_loads_nothing_from_another_host_and_speaks_vietnamese(browser, editor_url):
    page, requests = open_new_profile(browser, editor_url, 1280)
    text = page.inner_text("body")
    for words in ("Hồ sơ điển hình", "Phong trào thi đua", "Thêm ảnh", "Thêm mốc", "Nội dung bài giới thiệu",
                  "Thành tích nổi bật", "Cách làm hay, sáng tạo", "Hiệu quả và sức lan tỏa", "(không bắt buộc)"):
        assert words.lower() in text.lower(), words
    assert "Add " not in text  # Decap's English, where its Vietnamese locale has none and ours fills in
    page.screenshot(path=str(SCREENSHOTS / "quan-tri-1280.png"))
    page.close()
    elsewhere = sorted({url for url in requests if not is_local(url)})
    assert not elsewhere, f"the editor loaded from other hosts: {elsewhere}"
    assert any(url.endswith("/quan-tri/config.yml") for url in requests)


def test_a_place_is_found_without_diacritics_among_the_units_of_the_profiles_year(browser, editor_url):
    page, _ = open_new_profile(browser, editor_url, 390)
    year = page.get_by_label("Năm giới thiệu", exact=True)
    assert year.input_value() == "2026"
    place = page.get_by_label("Địa phương", exact=True)
    place.fill("dien")  # in 2026 only the unit made on 01/07/2025 exists
    assert page.get_by_role("option").all_inner_texts() == ["Phường Điện Bàn Đông, thành phố Đà Nẵng (từ 01/07/2025)"]
    place.fill("")
    year.fill("2024")  # the units of 2024, which ended in 2025, and not the new one
    place.fill("dien")
    page.get_by_role("option").first.wait_for()
    offered = page.get_by_role("option").all_inner_texts()
    assert "Xã Điện Phước, thị xã Điện Bàn (đến 30/06/2025)" in offered
    assert not [o for o in offered if "Điện Bàn Đông" in o]
    page.get_by_role("option", name="Xã Điện Phước, thị xã Điện Bàn (đến 30/06/2025)").click()
    page.screenshot(path=str(SCREENSHOTS / "quan-tri-390.png"))
    page.close()


def test_consent_is_asked_for_people_and_households_only(browser, editor_url):
    page, _ = open_new_profile(browser, editor_url, 1280)
    kind = page.get_by_label("Loại đối tượng", exact=True)
    obtained = page.get_by_text("Đã có sự đồng ý bằng văn bản")
    for typed, label, asked in (("tap the", "Tập thể", False), ("ca nhan", "Cá nhân", True),
                                ("ho gia", "Hộ gia đình", True)):
        kind.fill(typed)
        page.get_by_role("option", name=label).click()
        expect(obtained).to_have_count(1 if asked else 0)  # redrawn within a quarter of a second
        expect(page.get_by_text("Tập thể không cần sự đồng ý công bố.")).to_have_count(0 if asked else 1)
    page.close()


def test_the_preview_beside_the_form_names_what_the_codes_stand_for(browser, editor_url):
    page, _ = open_new_profile(browser, editor_url, 1280)
    page.get_by_label("Tiêu đề", exact=True).fill("Hợp tác xã quế")
    page.get_by_label("Loại đối tượng", exact=True).fill("tap the")
    page.get_by_role("option", name="Tập thể").click()
    page.get_by_label("Địa phương", exact=True).fill("dien ban dong")
    page.get_by_role("option").first.click()
    preview = page.frame_locator("iframe").first.locator("article")
    expect(preview.locator("dd")).to_have_text(["Tập thể", "Phường Điện Bàn Đông, thành phố Đà Nẵng (từ 01/07/2025)",
                                                "2026", "Phát hiện, xây dựng"])
    expect(preview.locator("h1")).to_have_text("Hợp tác xã quế")
    assert "dien-ban-dong" not in preview.inner_text() and "phat-hien" not in preview.inner_text()
    page.close()


def test_the_form_refuses_what_the_validator_refuses_with_the_same_limit(browser, editor_url):
    page, _ = open_new_profile(browser, editor_url, 1280)
    page.get_by_label("Tiêu đề", exact=True).fill("Dài " * 60)  # 240 characters: the validator's limit is 200
    page.get_by_role("button", name="Công bố").click()
    page.get_by_text("Công bố ngay").click()
    page.get_by_text("Tiêu đề không khớp với mẫu: tối đa 200 ký tự.", exact=True).wait_for()
    assert page.get_by_text("Tóm tắt bắt buộc nhập.", exact=True).count() == 1
    assert page.get_by_text("Năm giới thiệu bắt buộc nhập.", exact=True).count() == 0  # filled in already
    page.close()


def test_a_photo_over_the_limit_is_refused_before_it_is_uploaded(browser, editor_url, tmp_path):
    heavy = tmp_path / "qua-lon.jpg"
    with heavy.open("wb") as out:  # a JPEG's first bytes, then more than the 40 MB the validator allows
        out.write(b"\xff\xd8\xff\xe0")
        out.truncate(MAX_PHOTO_BYTES + 1)
    page, _ = open_new_profile(browser, editor_url, 1280)
    said: list[str] = []
    page.on("dialog", lambda dialog: (said.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Thêm ảnh").click()
    page.get_by_role("button", name="Chọn một hình").click()
    page.locator("input[type=file]").set_input_files(str(heavy))
    for _ in range(50):  # Decap says it in an alert, answered by the handler above
        if said:
            break
        page.wait_for_timeout(100)
    assert said and "Tập tin quá lớn" in said[0] and f"{MAX_PHOTO_BYTES // 1000} kB" in said[0]
    assert page.get_by_text("qua-lon.jpg").count() == 0
    page.close()
