"""`dienhinh editor`: Decap CMS against a scratch working copy, driven in real headless Chromium.

The real command starts decap-server (127.0.0.1 only) and the live preview; the form writes
bundles into the project, which must then pass `dienhinh check` and build. A profile opened and
saved keeps every value and its body; only the YAML's layout may change (README: "The web
editor").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import frontmatter
import pytest
from click.testing import CliRunner

from browser_support import SCREENSHOTS, browser, is_local  # noqa: F401 (fixture)
from generator.adapters import editor_app
from generator.adapters.cli import main
from photo_support import phone_jpeg

pytestmark = pytest.mark.browser

BODY = {"Thành tích nổi bật": "Trồng 50 ha quế hữu cơ trên đất đồi.",
        "Cách làm hay, sáng tạo": "Liên kết với doanh nghiệp chế biến tinh dầu.",
        "Hiệu quả và sức lan tỏa": "Thu nhập của xã viên tăng gấp đôi."}

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def _text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


@pytest.fixture
def running_editor(project):
    """`dienhinh editor` on a free port over a scratch project with one profile; stopped as a
    service manager would stop it (SIGTERM)."""
    project.write_profile("nguyen-van-an")
    project.write_mkdocs_yml()
    port, api_port = _free_port(), _free_port()  # not decap-server's 8081, which may be in use
    command = [sys.executable, "-c", "from generator.adapters.cli import main; main()", "--root", str(project.root),
               "editor", "-a", f"127.0.0.1:{port}", "--api-port", str(api_port)]
    server = subprocess.Popen(command, env={**os.environ, "DIENHINH_TODAY": "2026-01-15"}, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while _status(f"{base}/quan-tri/") != 200:
        assert server.poll() is None, server.stdout.read().decode("utf-8")
        assert time.monotonic() < deadline, "the editor did not start"
        time.sleep(0.3)
    try:
        yield base, project
    finally:
        server.send_signal(signal.SIGTERM)
        said = server.communicate(timeout=30)[0].decode("utf-8")
        assert "Traceback" not in said, said
        assert not _answers(api_port), "decap-server was left running"


def sign_in(browser, base: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: dialog.accept())  # none expected; a stray one must not hang the test
    page.goto(f"{base}/quan-tri/")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Hồ sơ điển hình").first.wait_for()
    return page, requests


def pick(page, label: str, typed: str, option: str) -> None:
    page.get_by_label(label, exact=True).fill(typed)
    page.get_by_role("option", name=option).click()


def write_body(page) -> None:
    """The body in Decap's Markdown mode (the last switch of the form is the body's), under each
    customary section."""
    page.get_by_role("switch").last.click()
    page.locator("[contenteditable=true]").last.fill(
        "".join(f"## {heading}\n\n{text}\n\n" for heading, text in BODY.items()))


def publish(page) -> None:
    page.get_by_role("button", name="Công bố").click()
    page.get_by_text("Công bố ngay").click()
    page.get_by_text("Đã công bố").first.wait_for()


def dates_as_text(value):
    if isinstance(value, dict):
        return {key: dates_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [dates_as_text(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def wait_for(condition, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_a_profile_made_in_the_form_with_a_photo_passes_check_and_builds(running_editor, browser, tmp_path):
    base, project = running_editor
    page, requests = sign_in(browser, base)
    page.goto(f"{base}/quan-tri/#/collections/ho-so/new")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Tiêu đề", exact=True).fill("Hợp tác xã đưa cây quế lên đồi")
    page.get_by_label("Tóm tắt", exact=True).fill("Hợp tác xã trồng quế hữu cơ trên 50 ha đất đồi. "
                                                   "Thu nhập của xã viên tăng gấp đôi.")
    pick(page, "Loại đối tượng", "tap the", "Tập thể")
    page.get_by_label("Họ tên hoặc tên tập thể, hộ gia đình", exact=True).fill("Hợp tác xã Quế Điện Bàn")
    pick(page, "Phong trào thi đua", "dan van", "Dân vận khéo")
    pick(page, "Địa phương", "dien ban dong", "Phường Điện Bàn Đông, thành phố Đà Nẵng (từ 01/07/2025)")
    pick(page, "Cơ quan, đơn vị giới thiệu", "ban dan van", "Ban Dân vận Tỉnh ủy")

    photo = phone_jpeg(tmp_path / "doi-que.jpg")
    page.get_by_role("button", name="Thêm ảnh").click()
    page.get_by_role("button", name="Chọn một hình").click()
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    page.get_by_label("Mô tả ảnh cho người khiếm thị", exact=True).fill("Xã viên thu hoạch quế trên đồi")

    write_body(page)
    page.screenshot(path=str(SCREENSHOTS / "quan-tri-ho-so-moi.png"))
    publish(page)

    bundle = project.root / "profiles/2026/hop-tac-xa-que-dien-ban-dien-ban-dong"
    wait_for(lambda: (bundle / "index.md").is_file() and (bundle / "doi-que.jpg").is_file(), "no bundle written")
    assert (bundle / "doi-que.jpg").read_bytes() == photo.read_bytes()
    profile = frontmatter.load(bundle / "index.md")
    assert profile["locality"] == "dien-ban-dong" and profile["year"] == 2026 and profile["stage"] == "phat-hien"
    assert profile["photos"] == [{"file": "doi-que.jpg", "alt": "Xã viên thu hoạch quế trên đồi"}]
    assert "consent" not in profile.metadata  # nothing ticked for a collective, nothing written
    for heading, text in BODY.items():
        assert f"## {heading}\n\n{text}" in profile.content

    # the live preview shows it at once, without reloading the editor's page (an editor may be
    # writing the next profile); what is on disk passes the validator and builds
    page_url = f"{base}/ho-so/{bundle.name}/"
    wait_for(lambda: _status(page_url) == 200, "the preview did not show it")
    page.wait_for_timeout(1500)  # the reload script polls; a reload would have happened by now
    assert page.evaluate("window.stillTheSamePage") is True
    checked = CliRunner().invoke(main, ["--root", str(project.root), "check"])
    assert checked.exit_code == 0 and "0 lỗi" in checked.output, checked.output
    built = CliRunner().invoke(main, ["--root", str(project.root), "build"])
    assert built.exit_code == 0, built.output
    assert (project.root / "site/ho-so" / bundle.name / "index.html").is_file()

    elsewhere = sorted({url for url in requests if not is_local(url)})
    assert not elsewhere, f"the editor loaded from other hosts: {elsewhere}"
    page.close()


def test_a_profile_opened_and_saved_keeps_every_value_and_its_body(running_editor, browser):
    base, project = running_editor
    # with keys the form does not show: `sample`, and one no version of the schema knows
    path = project.write_profile("nguyen-van-an", sample=True, ghi_chu_noi_bo="giữ nguyên")
    original_bytes = path.read_bytes()
    page, _ = sign_in(browser, base)
    page.goto(f"{base}/quan-tri/#/collections/ho-so/entries/2024/nguyen-van-an/index")
    title = page.get_by_label("Tiêu đề", exact=True)
    title.wait_for()
    assert title.input_value() == "Người nông dân làm giàu từ cây quế"
    assert page.get_by_role("button", name="Đã công bố").count() == 1  # unchanged: nothing to save
    assert path.read_bytes() == original_bytes

    title.fill("Người nông dân làm giàu từ cây quế hữu cơ")
    publish(page)
    wait_for(lambda: path.read_bytes() != original_bytes, "the change was not saved")
    before = frontmatter.loads(original_bytes.decode("utf-8"))
    after = frontmatter.load(path)
    assert after["title"] == "Người nông dân làm giàu từ cây quế hữu cơ"
    # documented normalisation: a date given as quoted text ("2024-01-10") is written as a date
    assert dates_as_text({**after.metadata, "title": before["title"]}) == dates_as_text(before.metadata)
    assert after.content == before.content
    page.close()


def test_a_second_profile_in_a_taken_folder_is_kept_and_named_at_once(running_editor, browser):
    """Two editors making the same folder (same year, name and unit): the first bundle is left as
    it was; Decap writes the second beside it as index-1.md, which the check names (DH065)."""
    base, project = running_editor
    first = project.write_profile("nguyen-van-an-an-phu", locality="an-phu")
    first_bytes = first.read_bytes()
    page, _ = sign_in(browser, base)
    page.goto(f"{base}/quan-tri/#/collections/ho-so/new")
    page.get_by_label("Tiêu đề", exact=True).fill("Nông dân giỏi trồng quế")
    page.get_by_label("Tóm tắt", exact=True).fill("Ông An trồng quế hữu cơ.")
    pick(page, "Loại đối tượng", "ca nhan", "Cá nhân")
    page.get_by_label("Họ tên hoặc tên tập thể, hộ gia đình", exact=True).fill("Nguyễn Văn An")
    page.get_by_label("Năm giới thiệu", exact=True).fill("2024")
    pick(page, "Phong trào thi đua", "nong thon", "Quảng Nam chung sức xây dựng nông thôn mới")
    pick(page, "Địa phương", "an phu", "Xã An Phú, thị xã Điện Bàn (đến 30/06/2025)")
    pick(page, "Cơ quan, đơn vị giới thiệu", "ubnd thi xa dien ban", "UBND thị xã Điện Bàn")
    page.get_by_text("Đã có sự đồng ý bằng văn bản").click()
    write_body(page)
    publish(page)

    second = first.parent / "index-1.md"
    wait_for(second.is_file, "no second profile written")
    assert first.read_bytes() == first_bytes
    profile = frontmatter.load(second)
    assert profile["subject"] == {"kind": "ca-nhan", "name": "Nguyễn Văn An"}
    assert profile["consent"] == {"obtained": True} and profile["locality"] == "an-phu"
    checked = CliRunner().invoke(main, ["--root", str(project.root), "check"])
    assert checked.exit_code == 1
    assert "profiles/2024/nguyen-van-an-an-phu/index-1.md: lỗi DH065" in checked.output
    wait_for(lambda: "DH065" in _text(f"{base}/"), "the preview did not name it")
    page.close()


def test_ctrl_c_stops_the_preview_and_the_backend(project):
    project.write_mkdocs_yml()
    port, api_port = _free_port(), _free_port()
    command = [sys.executable, "-c", "from generator.adapters.cli import main; main()", "--root", str(project.root),
               "editor", "-a", f"127.0.0.1:{port}", "--api-port", str(api_port)]
    editor = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    wait_for(lambda: _status(f"http://127.0.0.1:{port}/quan-tri/") == 200 and _answers(api_port),
             "the editor did not start", 90)
    os.killpg(editor.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's foreground group
    said = editor.communicate(timeout=30)[0].decode("utf-8")
    assert "Traceback" not in said and "Shutting down" in said
    assert not _answers(api_port) and not _answers(port)


def test_a_busy_backend_port_or_a_missing_server_is_a_message_not_a_traceback(project, monkeypatch):
    project.write_mkdocs_yml()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["--root", str(project.root), "editor", "--api-port", str(port)])
    assert result.exit_code == 1 and f"Cổng {port} trên 127.0.0.1 đang được" in result.output
    assert "Traceback" not in result.output

    monkeypatch.setattr(editor_app, "GENERATOR_CHECKOUT", project.root)
    result = CliRunner().invoke(main, ["--root", str(project.root), "editor", "--api-port", str(port)])
    assert result.exit_code == 1 and "Không tìm thấy decap-server" in result.output
    assert "make setup-editor" in result.output and not _answers(port)
