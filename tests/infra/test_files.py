"""The one atomic write every command uses, and the one list of folders no command may write into."""

from __future__ import annotations

import os

import pytest

from generator.check.project import ProjectPaths
from generator.infra.files import UnsafeDestination, guard_destination, write_atomically


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
