"""A folder's state told from its files' status: each kind of change is seen."""

from __future__ import annotations

import os
import time
from pathlib import Path

from generator.infra.tree_state import file_state, tree_state, tree_unchanged


def aged(folder: Path, seconds: float = 60) -> None:
    """Every file under ``folder`` as if last written ``seconds`` ago (past the racy tick)."""
    past = time.time() - seconds
    for path in folder.rglob("*"):
        os.utime(path, (past, past))


def sample(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    (folder / "ho-so" / "an").mkdir(parents=True)
    (folder / "index.html").write_text("<p>Trang chủ</p>", encoding="utf-8")
    (folder / "ho-so" / "an" / "index.html").write_text("<p>Ông An</p>", encoding="utf-8")
    return folder


def test_an_untouched_folder_is_unchanged_and_each_change_is_seen(tmp_path):
    folder = sample(tmp_path)
    aged(folder)
    states = tree_state(folder)
    assert states is not None and [s[0] for s in states] == ["ho-so/an/index.html", "index.html"]
    assert all(s[4] == "" for s in states)  # not racy: told by status alone
    assert tree_unchanged(folder, states)

    page = folder / "ho-so" / "an" / "index.html"
    with page.open("r+b") as handle:  # the same size, written in place
        handle.write(b"<P>")
    assert not tree_unchanged(folder, states)
    page.write_text("<p>Ông An</p>", encoding="utf-8")
    aged(folder)
    states = tree_state(folder)
    assert states is not None and tree_unchanged(folder, states)

    page.rename(tmp_path / "away.html")
    assert not tree_unchanged(folder, states)  # a file missing
    os.link(tmp_path / "away.html", page)
    assert tree_unchanged(folder, states)  # the very file back (the same inode)
    copy = tmp_path / "copy.html"
    copy.write_bytes(page.read_bytes())
    os.utime(copy, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns))
    os.replace(copy, page)
    assert not tree_unchanged(folder, states)  # the same bytes and time, another file

    states = tree_state(folder)
    assert states is not None
    (folder / "them.txt").write_text("", encoding="utf-8")
    assert not tree_unchanged(folder, states)  # a file more


def test_a_file_written_within_the_clock_tick_is_also_told_by_its_bytes(tmp_path):
    folder = sample(tmp_path)
    page = folder / "index.html"
    states = tree_state(folder)
    assert states is not None and all(s[4] for s in states)  # just written: digested
    assert tree_unchanged(folder, states)
    before = page.stat()
    page.write_bytes(page.read_bytes().upper())
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same time, the same size
    assert page.stat().st_size == before.st_size
    assert not tree_unchanged(folder, states)


def test_links_and_missing_folders_have_no_state(tmp_path):
    folder = sample(tmp_path)
    (folder / "lien-ket").symlink_to(folder / "index.html")
    assert tree_state(folder) is None
    assert not tree_unchanged(folder, [])
    assert tree_state(tmp_path / "khong-co") is None
    assert file_state(folder / "lien-ket") is None and file_state(tmp_path / "khong-co") is None
    state = file_state(folder / "index.html")
    assert state is not None and state[0] == "index.html" and state[1] == len("<p>Trang chủ</p>".encode())
