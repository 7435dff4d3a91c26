"""Deferred files (press kits, feeds, embeds) written by a forked child while MkDocs renders pages.

A failure there must fail the build like any other, and a build that fails elsewhere must stop
the child, so that nothing is written into a site folder that is being thrown away.
"""

from __future__ import annotations

import os
import time

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.parallel import BackgroundFailed, BackgroundTask
from generator.render import GeneratedAsset


def build(project):
    return CliRunner().invoke(main, ["--root", str(project.root), "build"], catch_exceptions=False)


def leftovers(project) -> list[str]:
    return sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site"))


def test_background_task_returns_the_result_and_carries_the_child_traceback():
    assert BackgroundTask(lambda: sum(range(10))).wait() == 45
    with pytest.raises(BackgroundFailed, match=r"(?s)Traceback.*ZeroDivisionError"):
        BackgroundTask(lambda: 1 / 0).wait()
    with pytest.raises(BackgroundFailed, match="mã thoát 3"):
        BackgroundTask(lambda: os._exit(3)).wait()


def test_kits_feeds_and_embeds_are_in_the_site_but_not_mkdocs_files(project, monkeypatch):
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-01")
    project.write_profile("an")
    project.write_mkdocs_yml()
    assert build(project).exit_code == 0
    site = project.root / "site"
    assert (site / "ho-so/an/tu-lieu-an.zip").read_bytes().startswith(b"PK")
    assert (site / "feeds/rss.xml").is_file() and (site / "nhung/ho-so/an.html").is_file()
    assert not list((project.root / ".cache/dienhinh").glob("spool-*"))


def test_a_failure_in_the_deferred_files_fails_the_build_and_keeps_the_old_site(project, monkeypatch, caplog):
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-01")
    project.write_profile("an")
    project.write_mkdocs_yml()
    assert build(project).exit_code == 0
    page = project.root / "site/ho-so/an/index.html"
    before = page.read_bytes()

    def broken(*args, **kwargs):
        yield GeneratedAsset("feeds/rss.xml", content=b"<rss/>")
        raise ValueError("hỏng giữa chừng")

    monkeypatch.setattr("generator.site.press_assets", broken)  # the forked child inherits it
    result = build(project)
    assert result.exit_code == 1
    assert "Trang cũ (nếu có) được giữ nguyên." in result.output
    assert "Không ghi được tư liệu báo chí, nguồn tin và mã nhúng" in caplog.text  # MkDocs logs it
    assert "ValueError: hỏng giữa chừng" in caplog.text
    assert page.read_bytes() == before and leftovers(project) == []


def test_a_build_failing_elsewhere_stops_the_writer_before_the_staging_folder_goes(project, monkeypatch):
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-01")
    project.write_profile("an")
    project.write_mkdocs_yml()

    def slow(*args, **kwargs):
        for number in range(40):
            time.sleep(0.05)
            yield GeneratedAsset(f"cham/{number}.txt", content=b"x")

    def fail(self, html, page, config, files):
        raise RuntimeError("trang hỏng")

    monkeypatch.setattr("generator.site.press_assets", slow)
    monkeypatch.setattr("generator.plugin.DienHinhPlugin.on_page_content", fail)
    with pytest.raises(RuntimeError, match="trang hỏng"):
        build(project)
    time.sleep(2.5)  # longer than the writer would take: it must already be gone
    assert leftovers(project) == [] and not (project.root / "site").exists()
