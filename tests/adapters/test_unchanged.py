"""A `dienhinh build` none of whose inputs changed leaves the site as the last build made it; any
change to an input, to the site folder or to the record builds again (adapters/unchanged.py)."""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.adapters import unchanged
from generator.adapters.build import build_site
from generator.adapters.cli import main
from generator.adapters.unchanged import RECORD_FILE
from photo_support import MKDOCS_YML, REPO

LEFT_AS_IT_IS = "Không có gì thay đổi kể từ lần dựng trước"
INPUTS = ("profiles", "data", "content", "theme", "mkdocs.yml")


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def age_inputs(root: Path, seconds: float = 60) -> None:
    """The sources saved in the last few seconds as if saved a minute ago: a build started right
    after a save is not recorded (the save's clock tick may not be over), which is tested on its
    own. Sources older than that keep their time: ageing must not itself be a change."""
    now = time.time()
    for name in INPUTS:
        for path in [root / name, *(root / name).rglob("*")]:
            if path.exists() and path.stat().st_mtime > now - 10:
                os.utime(path, (now - seconds, now - seconds))


class Builds:
    def __init__(self, root: Path, caplog):
        self.root, self.caplog = root, caplog

    def run(self, *options: str) -> list[str]:
        """`dienhinh build -v`; the messages it logged."""
        self.caplog.clear()
        with self.caplog.at_level(logging.INFO, logger="mkdocs"):
            result = CliRunner().invoke(main, ["--root", str(self.root), "build", "-v", *options],
                                        catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert f"Đã dựng trang vào {self.root / 'site'}." in result.output or "--site-dir" in options
        return [record.getMessage() for record in self.caplog.records]

    def left_as_it_is(self, *options: str) -> bool:
        return any(LEFT_AS_IT_IS in message for message in self.run(*options))


@pytest.fixture
def builds(project, caplog, monkeypatch) -> Builds:
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-15")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768435200")  # the same day
    shutil.copytree(REPO / "theme", project.root / "theme")
    config = MKDOCS_YML.format(theme="theme").replace("  - dienhinh\n", "  - dienhinh:\n      search_index: false\n")
    (project.root / "mkdocs.yml").write_text(config, encoding="utf-8")
    project.write_profile("nguyen-van-an")
    project.write_profile("chua-viet", subject={"kind": "ca-nhan", "name": "Lê Thị Cam"}, body="")  # a note: DH025
    age_inputs(project.root)
    return Builds(project.root, caplog)


def test_nothing_changed_leaves_the_site_as_it_is_and_says_the_checks_notes_again(builds, tmp_path_factory):
    first = builds.run()
    assert not any(LEFT_AS_IT_IS in message for message in first)
    notes = [message for message in first if "DH025" in message]
    assert len(notes) == 1 and "chua-viet" in notes[0]
    page = builds.root / "site" / "ho-so" / "nguyen-van-an" / "index.html"
    inode = page.stat().st_ino

    second = builds.run()
    assert any(LEFT_AS_IT_IS in message for message in second)
    assert [message for message in second if "DH025" in message] == notes
    assert page.stat().st_ino == inode  # not even linked again
    full = build_site(builds.root / "mkdocs.yml", tmp_path_factory.mktemp("full") / "site", strict=True)
    assert files_of(builds.root / "site") == files_of(full)


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def _profile(root: Path) -> Path:
    return root / "profiles" / "2024" / "nguyen-van-an" / "index.md"


CHANGES: dict[str, Callable[[Path, pytest.MonkeyPatch], None]] = {
    "a profile's text": lambda root, mp: _edit(_profile(root), "Nội dung.", "Nội dung mới."),
    "a profile saved unchanged": lambda root, mp: _profile(root).write_bytes(_profile(root).read_bytes()),
    "a registry": lambda root, mp: _edit(root / "data" / "movements.yml", "name: ", "name: Phong trào "),
    "a content page": lambda root, mp: (root / "content" / "gioi-thieu.md").write_text("# Giới thiệu\n", "utf-8"),
    "the theme": lambda root, mp: _edit(root / "theme" / "partials" / "copyright.html", "</", "<!-- thử --></"),
    "mkdocs.yml": lambda root, mp: _edit(root / "mkdocs.yml", "site_name: Thử nghiệm", "site_name: Thử nghiệm 2"),
    "the day": lambda root, mp: mp.setenv("DIENHINH_TODAY", "2026-01-16"),
    "the build date": lambda root, mp: mp.setenv("SOURCE_DATE_EPOCH", "1768521600"),
    "internal pages asked for": lambda root, mp: mp.setenv("DIENHINH_INTERNAL", "1"),
    "the code": lambda root, mp: mp.setattr(unchanged, "code_fingerprint", lambda: "another version"),
    "a library": lambda root, mp: mp.setattr(unchanged, "installed_versions", lambda: ["mkdocs 0.1"]),
    "a page of the site edited": lambda root, mp: _edit(root / "site" / "index.html", "</body>", "<p>x</p></body>"),
    "a file of the site removed": lambda root, mp: (root / "site" / "sitemap.xml").unlink(),
    "a file added to the site": lambda root, mp: (root / "site" / "them.html").write_text("<p>thêm</p>", "utf-8"),
    "the record damaged": lambda root, mp: (root / ".cache" / "dienhinh" / RECORD_FILE).write_text('{"version": 1,'),
}


def test_any_change_builds_again_and_the_build_after_it_leaves_the_site(builds, monkeypatch):
    builds.run()
    assert builds.left_as_it_is()
    for name, change in CHANGES.items():
        change(builds.root, monkeypatch)
        age_inputs(builds.root)
        assert not builds.left_as_it_is(), name
        assert builds.left_as_it_is(), name
    assert "Nội dung mới." in (builds.root / "site" / "ho-so" / "nguyen-van-an" / "index.html").read_text("utf-8")
    assert not (builds.root / "site" / "them.html").exists()


def test_what_is_not_recorded_builds_every_time(builds, monkeypatch):
    builds.run()
    record = builds.root / ".cache" / "dienhinh" / RECORD_FILE
    assert record.is_file()

    _edit(_profile(builds.root), "Nội dung.", "Nội dung, vừa lưu.")  # saved just now: its tick may go on
    assert not builds.left_as_it_is()
    assert not record.exists()
    age_inputs(builds.root)

    assert not builds.left_as_it_is("--full")  # asked for a whole build: it runs
    assert not builds.left_as_it_is("--site-dir", str(builds.root / "khac"))  # another folder
    assert not builds.left_as_it_is()  # and back: the record was of the other folder
    monkeypatch.setenv("DIENHINH_SCOPE", "profiles/2024/nguyen-van-an")  # narrowed: follows the files named
    assert not builds.left_as_it_is()
    assert not builds.left_as_it_is()
    monkeypatch.delenv("DIENHINH_SCOPE")

    _edit(_profile(builds.root), "Nội dung, vừa lưu.", "[Kế hoạch](khong-co.md)")  # MkDocs warns of it
    age_inputs(builds.root)
    for _ in range(2):  # a build that warned is not recorded: the warning comes every time
        messages = builds.run("--no-strict")
        assert any("khong-co.md" in message for message in messages)
        assert not any(LEFT_AS_IT_IS in message for message in messages)
