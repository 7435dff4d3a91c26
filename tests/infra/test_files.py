"""The one atomic write every command uses, and the one list of folders no command may write into."""

from __future__ import annotations

import os
import subprocess

import pytest

from generator.check.project import ProjectPaths
from generator.infra.files import (
    Trash,
    UnsafeDestination,
    empty_folder,
    guard_destination,
    link_file,
    remove_left_behind,
    replace_directory,
    write_atomically,
)


def test_an_atomic_write_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    profile = tmp_path / "index.md"
    profile.write_text("cũ", encoding="utf-8")
    profile.chmod(0o664)  # a shared checkout, group-writable
    write_atomically(profile, "mới".encode())
    assert profile.read_text(encoding="utf-8") == "mới" and profile.stat().st_mode & 0o777 == 0o664
    fresh = tmp_path / "bao-cao" / "ds.csv"
    write_atomically(fresh, b"a,b\n")
    assert fresh.read_bytes() == b"a,b\n" and fresh.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao", "index.md"]  # no temporary left


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "ds.xlsx"
    target.write_bytes(b"old")

    def refuse(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["ds.xlsx"]


@pytest.mark.parametrize("folder", ["profiles", "data", "content", "generator", "theme", "."])
def test_no_site_is_built_into_or_over_what_people_wrote(tmp_path, folder):
    paths = ProjectPaths.at(tmp_path)
    with pytest.raises(UnsafeDestination):
        guard_destination(tmp_path / folder, paths.editors_folders)
    guard_destination(tmp_path / "site", paths.editors_folders)  # the usual place is fine


def site_tree(folder, text: str):
    (folder / "ho-so").mkdir(parents=True)
    (folder / "ho-so" / "index.html").write_text(text, encoding="utf-8")
    return folder


def test_a_replaced_site_goes_to_the_trash_and_the_next_build_empties_it(tmp_path):
    destination, trash = site_tree(tmp_path / "site", "cũ"), tmp_path / ".cache" / "trash"
    replace_directory(site_tree(tmp_path / ".site.tmp-1", "mới"), destination, trash)
    assert (destination / "ho-so" / "index.html").read_text(encoding="utf-8") == "mới"
    assert [p.read_text(encoding="utf-8") for p in trash.rglob("index.html")] == ["cũ"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "site"]  # nothing else beside the site
    with Trash(trash):
        pass  # a build's work
    assert not trash.exists()
    with Trash(trash):  # no trash: nothing to do
        pass


def test_a_site_that_cannot_go_to_the_trash_is_removed_at_once(tmp_path):
    destination, trash = site_tree(tmp_path / "site", "cũ"), tmp_path / "trash"
    trash.write_text("một tệp nằm chỗ thư mục", encoding="utf-8")  # as a trash on another file system
    replace_directory(site_tree(tmp_path / ".site.tmp-1", "mới"), destination, trash)
    assert (destination / "ho-so" / "index.html").read_text(encoding="utf-8") == "mới"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "trash"]


def test_link_file_links_into_new_folders_and_replaces_a_file_without_writing_through_it(tmp_path):
    source, other = tmp_path / "cache" / "a", tmp_path / "cache" / "b"
    source.parent.mkdir()
    source.write_bytes(b"new")
    other.write_bytes(b"old")
    target = tmp_path / "site" / "x" / "y" / "index.html"
    link_file(source, target)  # folders made
    assert target.read_bytes() == b"new" and target.stat().st_ino == source.stat().st_ino
    link_file(other, target)  # a file in its place: replaced, the first entry untouched
    assert target.read_bytes() == b"old" and source.read_bytes() == b"new"
    assert target.stat().st_ino == other.stat().st_ino
    with pytest.raises(FileNotFoundError):
        link_file(tmp_path / "cache" / "missing", tmp_path / "site" / "z" / "index.html")


def test_empty_folder_moves_the_entries_aside_at_once_and_removes_them_in_the_background(tmp_path):
    site = tmp_path / "site"
    (site / "ho-so" / "an").mkdir(parents=True)
    (site / "ho-so" / "an" / "index.html").write_text("<p>An</p>", encoding="utf-8")
    (site / "index.html").write_text("<p>Trang chủ</p>", encoding="utf-8")
    (site / ".an").write_text("", encoding="utf-8")  # hidden: left, as MkDocs' own cleaning leaves it
    remover = empty_folder(site)
    assert sorted(p.name for p in site.iterdir()) == [".an"]  # emptied before the removal ends
    assert remover is not None and remover.wait() == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # the set-aside folder went too
    assert empty_folder(site) is None and empty_folder(tmp_path / "khong-co") is None
    ended = subprocess.Popen(["true"])
    ended.wait()
    (tmp_path / f".site.old-{ended.pid}-x").mkdir()  # set aside by a build killed before its removal
    assert remove_left_behind(site) == [f".site.old-{ended.pid}-x"]  # the next build removes it
