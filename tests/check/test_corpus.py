"""Every file of the hostile corpus gets its expected message, and never an exception."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from generator.check.project import ProjectPaths, check_project
from generator.load.profiles import MAX_PROFILE_BYTES

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
EXPECTED = yaml.safe_load((CORPUS / "expected.yml").read_text(encoding="utf-8"))


def check_one(project, name: str, data: bytes):
    folder = project.root / "profiles" / "2024" / name.replace("_", "-")
    folder.mkdir(parents=True)
    (folder / "index.md").write_bytes(data)
    return check_project(ProjectPaths.at(project.root))


def test_every_corpus_file_has_an_expectation():
    assert sorted(p.stem for p in CORPUS.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(project, name):
    expected = EXPECTED[name]
    result = check_one(project, name, (CORPUS / f"{name}.md").read_bytes())
    if expected["code"] is None:
        assert result.problems == ()
        assert len(result.profiles) == 1 and "\r" not in result.profiles[0].body
        return
    first = result.problems[0]
    assert first.code == expected["code"], first.format()
    assert first.line == expected["line"]
    assert expected["says"] in first.message
    assert first.path == f"profiles/2024/{name.replace('_', '-')}/index.md"
    if first.severity == "warning":  # a bad photo is dropped; the profile is published without it
        assert all(p.photos == () for p in result.profiles)
    else:
        assert result.profiles == ()


@pytest.mark.parametrize("name, suggestion", [
    ("tcvn3_pasted_in_body", "Quảng Nam đã phát hiện nhiều điển hình tiên tiến."),
    ("vni_pasted_in_name", "Nguyễn Văn Đông"), ("utf8_misread_summary", "Quảng Nam đã phát hiện"),
    ("word_quotes_title", "Người nông dân làm giàu từ cây quế"),
])
def test_pasted_text_comes_with_the_text_meant(project, name, suggestion):
    first = check_one(project, name, (CORPUS / f"{name}.md").read_bytes()).problems[0]
    assert first.suggestion == suggestion and f"“{suggestion}”" in first.format()


def test_huge_file_is_refused_without_reading_it(project):
    result = check_one(project, "huge", b"---\ntitle: x\n---\n" + b"a" * (MAX_PROFILE_BYTES + 1))
    assert [p.code for p in result.problems] == ["DH005"]


def test_symlinked_profile_leaving_profiles_is_refused(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "index.md"
    shutil.copy(CORPUS / "crlf_bom.md", outside)
    folder = project.root / "profiles" / "2024" / "link"
    folder.mkdir(parents=True)
    os.symlink(outside, folder / "index.md")
    result = check_project(ProjectPaths.at(project.root))
    assert [p.code for p in result.problems] == ["DH063"]


def test_symlinked_photo_is_refused(project):
    path = project.write_profile("an", photos=[{"file": "anh.jpg", "alt": "Ảnh"}])
    os.symlink("/etc/hostname", path.parent / "anh.jpg")
    [problem] = check_project(ProjectPaths.at(project.root)).problems
    assert problem.code == "DH051" and "symlink" in problem.message


def test_symlinked_folder_is_not_followed(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside2")
    (outside / "x").mkdir()
    shutil.copy(CORPUS / "crlf_bom.md", outside / "x" / "index.md")
    os.symlink(outside, project.root / "profiles" / "2025")
    assert check_project(ProjectPaths.at(project.root)).files_checked == 0


def test_a_folder_named_index_md_is_reported_not_skipped(project):
    project.write_profile("an")
    folder = project.root / "profiles" / "2024" / "binh" / "index.md"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text((CORPUS / "crlf_bom.md").read_text(encoding="utf-8"), encoding="utf-8")
    result = check_project(ProjectPaths.at(project.root))
    [problem] = result.problems
    assert (problem.code, problem.path) == ("DH064", "profiles/2024/binh/index.md")
    assert "là một thư mục" in problem.message
    assert [p.slug for p in result.profiles] == ["an"]  # nothing inside the folder is read as a profile
