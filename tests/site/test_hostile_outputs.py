"""Whatever an editor writes, no file we hand out runs it: the site, the feeds, the search index,
the press kits, the publication, the emitted Markdown and the nomination lists are read back
as their readers read them (tests/hostile_support.py)."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI, VALID_PROFILE, ScratchProject
from generator.adapters.build import build_site
from generator.adapters.cli import main
from generator.check.project import ProjectPaths, check_project
from hostile_support import (
    BODY_PAYLOADS,
    FIELD_PAYLOADS,
    MARKER,
    SINGLE_LINE,
    live_in_html,
    output_problems,
    with_field,
)
from media_support import TODAY, make_media_project, write_photo

HOSTILE_FIELDS = {
    "title": f"{FIELD_PAYLOADS[3]} <img src=x onerror=dhxss(20)>",
    "summary": "</script><script>dhxss(21)</script> Gương sáng về làm kinh tế.",
    "subject": {"kind": "ca-nhan", "name": "-1+1 dhxss <b>Hai</b>", "position": "@SUM(1) [bấm](javascript:dhxss(22))"},
    "awards": [{"title": "+dhxss <svg onload=dhxss(23)>", "year": 2023}],
    "history": [{"date": "2024-01-05", "stage": "phat-hien", "note": "Ghi chú <iframe src=javascript:dhxss(24)>"}],
    "photos": [{"file": "anh.jpg", "alt": "Ảnh <img src=x onerror=dhxss(25)>", "caption": "=1+2 dhxss"}],
    "columns": [{"column": "guong-nguoi-tot-viec-tot", "date": "2025-06-05"}],
    "sources": [{"title": "Báo <script>dhxss(26)</script>", "url": "https://example.org/bai"}],
}


def _cli(root: Path, *args: str) -> None:
    result = CliRunner().invoke(main, ["--root", str(root), *args])
    assert result.exit_code == 0, result.output


def _hand_out(root: Path, out: Path) -> list[Path]:
    """Build the site, emit the Markdown and write the nomination lists; the folders written."""
    site = build_site(root / "mkdocs.yml", out / "site", strict=False)
    _cli(root, "emit", str(out / "emit"))
    (out / "lists").mkdir()
    _cli(root, "report", "--year", "2024", "--xlsx", str(out / "lists" / "ds.xlsx"), "--csv",
         str(out / "lists" / "ds.csv"))
    return [site, out / "emit", out / "lists"]


def test_a_payload_check_missed_is_inert_in_every_output(tmp_path, monkeypatch):
    """With check blinded to active content, the sanitisers alone keep every output clean."""
    monkeypatch.setattr("generator.check.project.find_active_content", lambda text: [])
    monkeypatch.setenv("DIENHINH_TODAY", TODAY.isoformat())
    project = make_media_project(tmp_path / "project")
    project.write_mkdocs_yml()
    path = project.write_profile("doc-hai", body="## Thành tích nổi bật\n\n" + "\n\n".join(BODY_PAYLOADS) + "\n",
                                 **HOSTILE_FIELDS)
    write_photo(path.parent / "anh.jpg")
    assert check_project(ProjectPaths.at(project.root)).errors == ()
    folders = _hand_out(project.root, tmp_path / "out")
    assert {folder.name: output_problems(folder) for folder in folders} == {"site": {}, "emit": {}, "lists": {}}
    site, emit, lists = folders
    # The payloads are there, as text: the outputs were read, not skipped.
    page = (site / "ho-so" / "doc-hai" / "index.html").read_text(encoding="utf-8")
    assert page.count(MARKER) >= len(BODY_PAYLOADS)
    assert (emit / "ho-so" / "doc-hai" / "index.md").read_text(encoding="utf-8").count(MARKER) >= len(BODY_PAYLOADS)
    kit = zipfile.ZipFile(site / "ho-so" / "doc-hai" / "tu-lieu-doc-hai.zip")
    assert MARKER in kit.read("tu-lieu-doc-hai/ban-tin.md").decode("utf-8")
    assert MARKER in (lists / "ds.csv").read_text(encoding="utf-8-sig")
    epub = zipfile.ZipFile(site / "an-pham" / "nam-2024" / "nam-2024.epub")
    assert any(MARKER in epub.read(name).decode("utf-8") for name in epub.namelist() if name.endswith(".xhtml"))


# Hostile values in fields and bodies of a few profiles, with check as it is: whatever check
# accepts builds, and no output holds a payload or a formula.
hostile = st.one_of(st.sampled_from([*FIELD_PAYLOADS, *BODY_PAYLOADS, "Hòa", "a < b", "<b>đậm</b>", "5 - 3"]),
                    st.text(max_size=12))
profile_values = st.tuples(st.sampled_from([*SINGLE_LINE, "summary"]), hostile,
                           st.lists(st.sampled_from(BODY_PAYLOADS + ["Đoạn văn.", "<em>nghiêng</em>"]), max_size=3))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(profile_values, min_size=1, max_size=3))
def test_whatever_check_accepts_builds_and_hands_out_nothing_alive(profiles):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        shutil.copytree(MINI, root)
        project = ScratchProject(root)
        project.write_mkdocs_yml()
        for number, (field, value, paragraphs) in enumerate(profiles):
            meta = with_field(dict(VALID_PROFILE), field, value)
            body = "## Thành tích nổi bật\n\n" + "\n\n".join(["Mở đầu.", *paragraphs]) + "\n"
            path = project.write_profile(f"ho-so-{number}", meta=meta, body=body)
            if field.startswith("photos"):
                write_photo(path.parent / "a.jpg")
        for path in {problem.path for problem in check_project(ProjectPaths.at(root)).errors}:
            shutil.rmtree((root / path).parent)  # what check refuses is the editor's to fix first
        if not any((root / "profiles").rglob("index.md")):
            return
        folders = _hand_out(root, Path(folder) / "out")
        assert {f.name: output_problems(f) for f in folders} == {"site": {}, "emit": {}, "lists": {}}


def test_the_build_level_test_sees_a_live_payload(tmp_path):
    """The reader is not blind: a page holding a handler and a list holding a formula are found."""
    (tmp_path / "a.html").write_text('<p><img src="x" onerror="dhxss(1)"></p>', encoding="utf-8")
    (tmp_path / "b.csv").write_text('Tên\n=HYPERLINK("http://x")\n', encoding="utf-8")
    (tmp_path / "c.md").write_text("[bấm](javascript:dhxss(2))\n", encoding="utf-8")
    assert sorted(output_problems(tmp_path)) == ["a.html", "b.csv", "c.md"]


@pytest.mark.parametrize("html, runs", [
    ("<script>dhxss(1)</script>", True),
    ('<iframe srcdoc="<script>dhxss(2)</script>"></iframe>', True),
    ('<iframe src="javascript:dhxss(3)"></iframe>', True),
    ('<img src="x" onerror="dhxss(4)">', True),
    ('<svg><a href="#">dhxss</a></svg>', True),
    # an iframe of our own titled with a hostile name: the title is only shown
    ('<iframe src="https://example.test/nhung/x.html" title="&lt;script&gt;dhxss(5)&lt;/script&gt;"></iframe>', False),
    ('<img src="a.jpg" alt="<script>dhxss(6)</script>">', False),
])
def test_the_scanner_tells_a_payload_that_runs_from_one_that_is_shown(html, runs):
    assert MARKER in html
    assert bool(live_in_html(html)) is runs
