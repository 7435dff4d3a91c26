"""The live preview never hangs: with a broken project it answers at once with the list of
problems (at every address), and it shows the real site again after the fix, without a restart.
Each test starts the real `dienhinh serve` on a free port."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browser_support import browser  # noqa: F401 (a fixture)
from media_support import write_photo


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, timeout: float = 10) -> tuple[int, str, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8"), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8"), time.monotonic() - started


@contextlib.contextmanager
def preview(root: Path, *scope: str, log: Path | None = None):
    """`dienhinh serve` on a free port; ``log``: a file that gets what it writes to stderr, as it runs."""
    port = _free_port()
    command = [sys.executable, "-c", "from generator.adapters.cli import main; main()", "--root", str(root),
               "serve", "-a", f"127.0.0.1:{port}", *scope]
    env = {**os.environ, "DIENHINH_TODAY": "2026-01-15"}
    for handed_over in ("DIENHINH_SCOPE", "DIENHINH_SINCE"):  # the command hands its scope over in-process
        env.pop(handed_over, None)
    with contextlib.ExitStack() as files:
        stderr = files.enter_context(log.open("wb")) if log is not None else subprocess.PIPE
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
                assert server.poll() is None, log.read_text(encoding="utf-8") if log else server.stderr.read().decode()
                time.sleep(0.2)
            else:
                pytest.fail("the preview did not start")
            yield f"http://127.0.0.1:{port}"
        finally:
            with contextlib.suppress(ProcessLookupError):  # it may have stopped on its own
                os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)


def _until_logged(log: Path, pattern: str, count: int) -> list[str]:
    """Every match of ``pattern`` in the preview's log, once there are ``count`` of them."""
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        found = re.findall(pattern, log.read_text(encoding="utf-8"))
        if len(found) >= count:
            return found
        time.sleep(0.1)
    pytest.fail(f"the preview did not log {pattern!r} {count} times:\n{log.read_text(encoding='utf-8')}")


REBUILT = r"Dựng lại (\d+) trang, dùng lại (\d+) trang"
QUICK = r"Xem trước nhanh: đã cập nhật trang “(.+?)”"


def _problems(html: str) -> list[str]:
    return [li.get_text(" ", strip=True) for li in BeautifulSoup(html, "html.parser").select(".dh-problems__item")]


def _until_fixed(url: str) -> str:
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        status, html, _ = _get(url)
        if status == 200 and not _problems(html):
            return html
        time.sleep(0.5)
    pytest.fail("the preview kept showing the problems after the fix")


def test_a_profile_error_is_shown_at_once_and_the_fix_shows_the_site(project):
    path = project.write_profile("an", movement="nong-thon")
    project.write_mkdocs_yml()
    with preview(project.root) as url:
        status, html, seconds = _get(url + "/")
        assert status == 200 and seconds < 2
        [problem] = _problems(html)
        assert problem.startswith("Lỗi DH030 profiles/2024/an/index.md:7 [movement]")
        assert "Có phải ý bạn là “nong-thon-moi”?" in problem
        status, html, seconds = _get(url + "/ho-so/an/")  # any other address answers with the list too
        assert status == 404 and seconds < 2 and _problems(html) == [problem]
        assert BeautifulSoup(html, "html.parser").head.base["href"] == "/"  # styles load at any depth
        path.write_text(path.read_text(encoding="utf-8").replace("movement: nong-thon\n",
                                                                 "movement: nong-thon-moi\n"), encoding="utf-8")
        _until_fixed(url + "/")
        status, html, _ = _get(url + "/ho-so/an/")
        assert status == 200 and "Nguyễn Văn An" in html


def test_the_web_editor_stays_reachable_while_the_preview_shows_problems(project):
    """A profile saved from the web editor may not pass the validator: the list of problems takes
    the site's place, but the editor, needed to correct it, is still served."""
    project.write_profile("an", movement="nong-thon")
    project.write_mkdocs_yml()
    with preview(project.root) as url:
        status, html, _ = _get(url + "/")
        assert status == 200 and _problems(html)
        status, html, _ = _get(url + "/quan-tri/")
        assert status == 200 and not _problems(html)
        assert BeautifulSoup(html, "html.parser").find("script", src="decap-cms.js")
        status, config, _ = _get(url + "/quan-tri/config.yml")
        assert status == 200 and "nong-thon-moi" in config  # made from the registries, which are sound


def test_a_scoped_preview_builds_only_the_named_bundles(project, monkeypatch):
    project.write_profile("an")
    project.write_profile("be", subject={"kind": "ca-nhan", "name": "Trần Thị Bé"})
    project.write_mkdocs_yml()
    monkeypatch.chdir(project.root)
    with preview(project.root, "profiles/2024/be") as url:
        _until_fixed(url + "/")
        assert _get(url + "/ho-so/be/")[0] == 200
        assert _get(url + "/ho-so/an/")[0] == 404


def test_a_broken_registry_is_shown_at_once(project):
    project.write_profile("an")
    project.write_mkdocs_yml()
    movements = project.root / "data" / "movements.yml"
    good = movements.read_text(encoding="utf-8")
    movements.write_text(good + "\n  - code: [khong-dong\n", encoding="utf-8")
    with preview(project.root) as url:
        status, html, seconds = _get(url + "/")
        assert status == 200 and seconds < 2
        assert any(problem.startswith("Lỗi DH012 data/movements.yml:") for problem in _problems(html))
        movements.write_text(good, encoding="utf-8")
        assert "Nguyễn Văn An" in _until_fixed(url + "/")


def test_a_missing_photo_is_a_warning_and_the_site_is_shown(project):
    path = project.write_profile("an", photos=[{"file": "khong-co.jpg", "alt": "Vườn quế"}])
    write_photo(path.parent / "co.jpg")
    project.write_mkdocs_yml()
    with preview(project.root) as url:
        status, html, seconds = _get(url + "/")
        assert status == 200 and seconds < 2 and not _problems(html) and "Nguyễn Văn An" in html


def test_a_broken_theme_template_is_shown_and_the_preview_goes_on(project):
    project.write_profile("an")
    config = project.write_mkdocs_yml()
    text = config.read_text(encoding="utf-8").replace("  font: false\n", "  font: false\n  custom_dir: theme\n")
    config.write_text(text, encoding="utf-8")
    template = project.root / "theme" / "main.html"
    template.parent.mkdir()
    template.write_text('{% extends "base.html" %}\n{% block content %}{{ super() }\n<p>Mẫu riêng</p>{% endblock %}\n',
                        encoding="utf-8")
    with preview(project.root) as url:
        status, html, seconds = _get(url + "/")
        assert status == 200 and seconds < 2
        [problem] = _problems(html)
        assert problem.startswith("Lỗi theme/main.html:2") and "Mẫu giao diện có lỗi cú pháp" in problem
        status, html, _ = _get(url + "/ho-so/an/")
        assert status == 200 and "Nguyễn Văn An" in html  # the rest of the site, with Material's templates
        template.write_text(template.read_text(encoding="utf-8").replace("{{ super() }", "{{ super() }}"),
                            encoding="utf-8")
        assert "Mẫu riêng" in _until_fixed(url + "/")


def _until(url: str, done) -> str:
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        status, html, _ = _get(url)
        if done(status, html):
            return html
        time.sleep(0.3)
    pytest.fail(f"the preview did not show the change at {url}")


def test_a_rebuild_reuses_what_did_not_change_and_shows_every_change(project):
    """The preview keeps the build cache: after an edit only what changed is made again, and the
    edit, a removed profile and an unchanged one all show as a full build would show them."""
    an = project.write_profile("an")
    be = project.write_profile("be", subject={"kind": "ca-nhan", "name": "Trần Thị Bé"})
    project.write_profile("cu", subject={"kind": "ca-nhan", "name": "Lê Văn Cư"})
    config = project.write_mkdocs_yml()  # with a nav, as publishing repositories keep (README)
    config.write_text(config.read_text(encoding="utf-8") + "nav:\n  - Trang chủ: index.md\n", encoding="utf-8")
    log = project.root.parent / "serve.log"
    with preview(project.root, log=log) as url:
        _until_fixed(url + "/")
        assert _get(url + "/ho-so/be/")[0] == 200
        an.write_text(an.read_text(encoding="utf-8") + "\nTrồng quế hữu cơ trên đồi.\n", encoding="utf-8")
        _until(url + "/ho-so/an/", lambda status, html: status == 200 and "Trồng quế hữu cơ trên đồi." in html)
        _until_logged(log, REBUILT, 2)  # the page shows first (quick_preview.py); the rebuild follows
        shutil.rmtree(be.parent)
        _until(url + "/ho-so/be/", lambda status, html: status == 404)
        status, html, _ = _get(url + "/ho-so/cu/")
        assert status == 200 and "Lê Văn Cư" in html
    builds = [tuple(map(int, m)) for m in re.findall(REBUILT, log.read_text(encoding="utf-8"))]
    assert len(builds) >= 3 and builds[0][1] == 0, builds  # a cold cache, then the edit and the removal
    total = builds[0][0]
    assert builds[1] == (2, total - 2)  # the edited profile, and the home page (in the nav: always)
    assert all(reused > 0 for _, reused in builds[2:])  # a removal changes the lists that named it only


def _without_livereload(html: str) -> str:
    """A served page without the script MkDocs' server adds, which names the build it came from."""
    return re.sub(r"livereload\(\d+, \d+\)", "livereload()", html)


def test_an_edited_profile_shows_first_then_the_rebuild_makes_the_same_page(project):
    """Saving a profile's index.md shows its page before the full rebuild runs: the page the
    rebuild then makes, byte for byte, while the lists follow with the rebuild. An edit that
    breaks the profile, and the fix after it, go to the full rebuild alone."""
    an = project.write_profile("an")
    project.write_profile("be", subject={"kind": "ca-nhan", "name": "Trần Thị Bé"})
    project.write_mkdocs_yml()
    log = project.root.parent / "serve.log"
    with preview(project.root, log=log) as url:
        _until_fixed(url + "/")
        text = an.read_text(encoding="utf-8")
        an.write_text(text.replace("summary: Ông An trồng quế hữu cơ", "summary: Ông An trồng sâm hữu cơ"),
                      encoding="utf-8")
        assert _until_logged(log, QUICK, 1) == ["Người nông dân làm giàu từ cây quế"]
        status, first, _ = _get(url + "/ho-so/an/")
        assert status == 200 and "Ông An trồng sâm hữu cơ" in first
        _until_logged(log, REBUILT, 2)
        status, rebuilt, _ = _get(url + "/ho-so/an/")
        assert _without_livereload(first) == _without_livereload(rebuilt)
        status, movement, _ = _get(url + "/phong-trao/nong-thon-moi/")  # its list shows the summary too
        assert status == 200 and "Ông An trồng sâm hữu cơ" in movement
        an.write_text(text.replace("movement: nong-thon-moi", "movement: khong-co"), encoding="utf-8")
        _until(url + "/", lambda status, html: any("khong-co" in problem for problem in _problems(html)))
        an.write_text(text, encoding="utf-8")
        _until_fixed(url + "/")
        _until_logged(log, REBUILT, 3)
        # the first summary's page, from the build cache: the quick page was not written into it
        status, html, _ = _get(url + "/ho-so/an/")
        assert "Ông An trồng quế hữu cơ" in html and "Ông An trồng sâm hữu cơ" not in html
    assert len(re.findall(QUICK, log.read_text(encoding="utf-8"))) == 1  # not the error, not its fix


def _photo_addresses(url: str, page: str, html: str) -> list[str]:
    """The full addresses of every photo file the page's article shows (img and srcset)."""
    article = BeautifulSoup(html, "html.parser").find("article")
    found = set()
    for image in article.find_all(["img", "source"]):
        found.update(part.split()[0] for part in (image.get("srcset") or "").split(",") if part.strip())
        if image.get("src"):
            found.add(image["src"])
    return sorted(urllib.parse.urljoin(url + page, address) for address in found)


def test_a_photo_added_to_a_profile_shows_first_with_its_files(project):
    """A photo copied into a published profile's folder, then named in its index.md: each save
    shows the page first, the second with the photo, whose renditions the preview already
    serves; the page the full rebuild then makes is the same, byte for byte. The photo removed:
    the page without it first, as the rebuild makes it."""
    an = project.write_profile("an")
    project.write_mkdocs_yml()
    log = project.root.parent / "serve.log"
    with preview(project.root, log=log) as url:
        _until_fixed(url + "/")
        status, before, _ = _get(url + "/ho-so/an/")
        assert status == 200 and not _photo_addresses(url, "/ho-so/an/", before)
        write_photo(an.parent / "vuon-que.jpg", colour=(40, 120, 40))
        _until_logged(log, QUICK, 1)  # named nowhere yet: the same page
        _until_logged(log, REBUILT, 2)
        project.write_profile("an", photos=[{"file": "vuon-que.jpg", "alt": "Vườn quế của gia đình anh An"}])
        assert _until_logged(log, QUICK, 2)[1] == "Người nông dân làm giàu từ cây quế"
        status, first, _ = _get(url + "/ho-so/an/")
        assert status == 200 and "Vườn quế của gia đình anh An" in first
        addresses = _photo_addresses(url, "/ho-so/an/", first)
        assert addresses
        for address in addresses:
            with urllib.request.urlopen(address, timeout=10) as response:
                assert response.status == 200 and response.headers["Content-Type"].startswith("image/")
        _until_logged(log, REBUILT, 3)
        status, rebuilt, _ = _get(url + "/ho-so/an/")
        assert _without_livereload(first) == _without_livereload(rebuilt)
        (an.parent / "vuon-que.jpg").unlink()  # named still: a warning, and the page without it
        _until_logged(log, QUICK, 3)
        status, without, _ = _get(url + "/ho-so/an/")
        assert status == 200 and not _photo_addresses(url, "/ho-so/an/", without)
        _until_logged(log, REBUILT, 4)
        assert _without_livereload(without) == _without_livereload(_get(url + "/ho-so/an/")[1])


def test_a_new_profile_shows_first_then_the_rebuild_makes_the_same_page(project):
    """A new profile's folder (here with its photo) shows its page first, with the photo, as
    the full rebuild then makes it; a new folder whose profile takes the slug of another (here
    one not public yet, so with no page) goes to the full rebuild, which says so."""
    project.write_profile("an")
    project.write_profile("cu", subject={"kind": "ca-nhan", "name": "Lê Văn Cư"}, publish_on="2026-02-01")
    config = project.write_mkdocs_yml()  # with a nav, as publishing repositories keep (README)
    config.write_text(config.read_text(encoding="utf-8") + "nav:\n  - Trang chủ: index.md\n", encoding="utf-8")
    log = project.root.parent / "serve.log"
    with preview(project.root, log=log) as url:
        _until_fixed(url + "/")
        assert _get(url + "/ho-so/be/")[0] == 404 and _get(url + "/ho-so/cu/")[0] == 404  # cu: not yet public
        folder = project.root / "profiles" / "2025" / "be"
        folder.mkdir(parents=True)
        write_photo(folder / "xuong-may.jpg")
        project.write_profile("be", year=2025, title="Nữ chủ xưởng may tạo việc làm cho phụ nữ",
                              subject={"kind": "ca-nhan", "name": "Trần Thị Bé"},
                              photos=[{"file": "xuong-may.jpg", "alt": "Xưởng may của chị Bé"}])
        assert _until_logged(log, QUICK, 1) == ["Nữ chủ xưởng may tạo việc làm cho phụ nữ"]
        status, first, _ = _get(url + "/ho-so/be/")
        assert status == 200 and "Trần Thị Bé" in first and "Xưởng may của chị Bé" in first
        for address in _photo_addresses(url, "/ho-so/be/", first):
            with urllib.request.urlopen(address, timeout=10) as response:
                assert response.status == 200
        _until_logged(log, REBUILT, 2)
        status, rebuilt, _ = _get(url + "/ho-so/be/")
        assert _without_livereload(first) == _without_livereload(rebuilt)
        assert "Trần Thị Bé" in _get(url + "/phong-trao/nong-thon-moi/")[1]  # the lists follow with the rebuild
        project.write_profile("cu", year=2025)  # "cu" again, in another year's folder
        _until(url + "/", lambda status, html: any("Tên thư mục “cu” trùng với" in problem
                                                   for problem in _problems(html)))
    assert len(re.findall(QUICK, log.read_text(encoding="utf-8"))) == 1


def test_the_open_page_shows_the_saved_edit_in_the_browser_by_itself(project, browser):
    """In Chromium, the profile page the editor has open reloads with the saved sentence, with no
    reload by hand: the page shown first, then again after the full rebuild."""
    an = project.write_profile("an")
    project.write_mkdocs_yml()
    log = project.root.parent / "serve.log"
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone, as readers hold it
    try:
        with preview(project.root, log=log) as url:
            _until_fixed(url + "/")
            page.goto(url + "/ho-so/an/")
            an.write_text(an.read_text(encoding="utf-8") + "\nNăm nay anh mở thêm lớp dạy nghề quế.\n",
                          encoding="utf-8")
            article = page.locator("article")
            article.get_by_text("Năm nay anh mở thêm lớp dạy nghề quế.").wait_for(timeout=30_000)
            assert "Nguyễn Văn An" in article.inner_text()
            _until_logged(log, REBUILT, 2)
            article.get_by_text("Năm nay anh mở thêm lớp dạy nghề quế.").wait_for(timeout=30_000)
    finally:  # once the server has gone: no request of the page's reload script is left waiting on it
        page.close()
    assert re.findall(QUICK, log.read_text(encoding="utf-8")) == ["Người nông dân làm giàu từ cây quế"]


def test_the_preview_takes_the_pages_a_build_made_and_links_decap_to_itself(project):
    """The preview renders with the published address (mkdocs.yml's site_url), as a build does,
    so its first build takes from the build cache every page the build made alike; Decap's links
    to the site still go to the preview."""
    project.write_profile("an")
    project.write_profile("be", subject={"kind": "ca-nhan", "name": "Trần Thị Bé"})
    config = project.write_mkdocs_yml()  # with a nav, as publishing repositories keep (README): without
    # one, MkDocs lists every page, the preview's internal pages too, and every page shows that list
    config.write_text(config.read_text(encoding="utf-8") + "nav:\n  - Trang chủ: index.md\n", encoding="utf-8")
    built = subprocess.run([sys.executable, "-c", "from generator.adapters.cli import main; main()", "--root",
                            str(project.root), "build"], env={**os.environ, "DIENHINH_TODAY": "2026-01-15"},
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    log = project.root.parent / "serve.log"
    with preview(project.root, log=log) as url:
        _until_fixed(url + "/")
        [(rendered, reused)] = [tuple(map(int, m)) for m in _until_logged(log, REBUILT, 1)]
        status, html, _ = _get(url + "/ho-so/an/")
        assert status == 200
        canonical = BeautifulSoup(html, "html.parser").find("link", rel="canonical")
        status, decap, _ = _get(url + "/quan-tri/config.yml")
        assert status == 200
    assert reused > 2 * rendered, (rendered, reused)  # the internal and scheduled pages apart
    assert canonical["href"] == "https://example.test/ho-so/an/"
    assert f"site_url: {url}/" in decap


def test_the_published_address_is_read_as_mkdocs_reads_it(tmp_path, monkeypatch):
    from generator.adapters.plugin import published_site_url

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: T\nsite_url: !ENV [DIENHINH_TEST_SITE_URL, 'https://a.example/dien-hinh']\n",
                      encoding="utf-8")
    assert published_site_url(str(config)) == "https://a.example/dien-hinh/"  # a folder, as MkDocs makes it
    monkeypatch.setenv("DIENHINH_TEST_SITE_URL", "https://b.example/")
    assert published_site_url(str(config)) == "https://b.example/"
    config.write_text("site_name: T\n", encoding="utf-8")
    assert published_site_url(str(config)) is None
