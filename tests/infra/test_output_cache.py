"""The build cache's entries: used only while intact, read and digested only when their file's
signature (size, modification time, inode) is not the one recorded with their digest."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from generator.infra import output_cache
from generator.infra.output_cache import OutputCache


def entry_file(cache: OutputCache, key: str) -> Path:
    return cache.folder / cache.entries[key][0][:2] / f"{cache.entries[key][0]}{cache.suffix}"


def age(path: Path, seconds: float = 60) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.fixture
def digests(monkeypatch) -> list[bytes]:
    """Every digest the cache computes, in order."""
    seen: list[bytes] = []
    real = output_cache.digest_bytes

    def counting(data: bytes) -> str:
        seen.append(data)
        return real(data)

    monkeypatch.setattr(output_cache, "digest_bytes", counting)
    return seen


def reopened(cache: OutputCache) -> OutputCache:
    cache.save()
    return OutputCache(cache.folder.parent, section=cache.folder.name, suffix=cache.suffix)


def test_an_entry_digested_once_is_then_used_without_reading_it(tmp_path, digests):
    cache = OutputCache(tmp_path, section="s", suffix=".bin")
    cache.put("k", b"noi dung")
    age(entry_file(cache, "k"))
    cache = reopened(cache)
    digests.clear()
    assert cache.read("k") == b"noi dung" and digests == [b"noi dung"]  # its time changed: digested
    cache = reopened(cache)
    digests.clear()
    assert cache.lookup("k") == entry_file(cache, "k")
    assert cache.read("k") == b"noi dung"
    assert digests == []


def test_an_entry_written_within_the_last_tick_is_digested_again(tmp_path, digests):
    """A second write within one tick of the clock keeps the file's time: a file that recent is
    never trusted by its signature (git's "racily clean" entries)."""
    cache = OutputCache(tmp_path, section="s", suffix=".bin")
    cache.put("k", b"noi dung")
    path = entry_file(cache, "k")
    written = os.stat(path)
    path.write_bytes(b"NOI DUNG")  # same size, same inode, and within the same tick:
    os.utime(path, ns=(written.st_atime_ns, written.st_mtime_ns))  # the same time
    cache = reopened(cache)
    assert cache.lookup("k") is None and not path.exists() and "k" not in cache


def test_a_rewritten_entry_of_the_same_size_is_dropped(tmp_path, digests):
    cache = OutputCache(tmp_path, section="s", suffix=".bin")
    cache.put("k", b"noi dung")
    path = entry_file(cache, "k")
    age(path)
    cache = reopened(cache)
    assert cache.read("k") == b"noi dung"
    cache = reopened(cache)
    path.write_bytes(b"NOI DUNG")  # same size and inode, a new time
    assert cache.lookup("k") is None and not path.exists() and "k" not in cache


def test_a_restored_entry_is_digested_once_then_trusted(tmp_path, digests):
    """CI restores the cache into new files (other inodes, other times): digested on first use,
    its new signature kept in the manifest."""
    cache = OutputCache(tmp_path / "a", section="s", suffix=".bin")
    cache.put("k", b"noi dung")
    age(entry_file(cache, "k"))
    reopened(cache).read("k")
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    digests.clear()
    restored = OutputCache(tmp_path / "b", section="s", suffix=".bin")
    age(entry_file(restored, "k"))
    assert restored.read("k") == b"noi dung" and digests == [b"noi dung"]
    later = reopened(restored)
    digests.clear()
    assert later.read("k") == b"noi dung" and digests == []
    status = os.stat(entry_file(later, "k"))
    saved = json.loads((tmp_path / "b" / "s" / "manifest.json").read_text("utf-8"))["pages"]["k"]
    assert saved[2:] == [status.st_size, status.st_mtime_ns, status.st_ino]


def test_a_file_already_in_the_place_of_a_new_entry_is_vouched_for_only_once_digested(tmp_path):
    """Equal outputs share a file: one found where a new entry's file belongs is checked, and
    replaced if it does not hold those bytes, before its signature is recorded."""
    cache = OutputCache(tmp_path, section="s", suffix=".bin")
    cache.put("k", b"noi dung")
    path = entry_file(cache, "k")
    path.write_bytes(b"hong")
    cache.put("other", b"noi dung")
    assert path.read_bytes() == b"noi dung"
    assert reopened(cache).read("other") == b"noi dung"


def test_the_manifest_is_sorted_compact_json_and_a_damaged_one_is_ignored(tmp_path):
    cache = OutputCache(tmp_path, section="s", suffix=".bin")
    cache.put("b", b"hai")
    cache.put("a", b"mot")
    cache.save()
    manifest = cache.folder / "manifest.json"
    text = manifest.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), separators=(",", ":"), sort_keys=True)
    assert list(json.loads(text)["pages"]) == ["a", "b"]
    data = json.loads(text)
    data["pages"]["b"] = ["khong", "du"]  # one entry of another shape: that entry alone is dropped
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert set(OutputCache(tmp_path, section="s", suffix=".bin").entries) == {"a"}
    for damaged in (b"\xff\xfe{", text.encode("utf-8")[: len(text) // 2], b"[1, 2]"):
        manifest.write_bytes(damaged)
        assert OutputCache(tmp_path, section="s", suffix=".bin").entries == {}


def test_key_bytes_tell_markup_from_text_and_refuse_what_they_cannot_hold():
    from markupsafe import Markup

    from generator.infra.records import key_bytes

    assert key_bytes(Markup("<b>An</b>")) != key_bytes("<b>An</b>")
    assert key_bytes({"b": 1, "a": frozenset({"y", "x"})}) == key_bytes({"a": frozenset({"x", "y"}), "b": 1})
    with pytest.raises(TypeError):
        key_bytes(object())
