"""The live preview never hangs: with a broken project it answers at once with the list of
problems (at every address), and it shows the real site again after the fix, without a restart.
Each test starts the real `dienhinh serve` on a free port."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

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
def preview(root: Path, *scope: str):
    port = _free_port()
    command = [sys.executable, "-c", "from generator.adapters.cli import main; main()", "--root", str(root),
               "serve", "-a", f"127.0.0.1:{port}", *scope]
    env = {**os.environ, "DIENHINH_TODAY": "2026-01-15"}
    for handed_over in ("DIENHINH_SCOPE", "DIENHINH_SINCE"):  # the command hands its scope over in-process
        env.pop(handed_over, None)
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            assert server.poll() is None, server.stderr.read().decode("utf-8")
            time.sleep(0.2)
        else:
            pytest.fail("the preview did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


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
