"""Which writes the live preview answers with an edited profile's page first (quick_preview.py);
the page itself, and the full rebuild after it, are checked against the real server in
test_preview.py."""

from __future__ import annotations

import threading
from pathlib import Path

from watchdog.events import DirCreatedEvent, FileClosedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent

from generator.adapters import quick_preview
from generator.adapters.quick_preview import ChangedPaths, PreviewBuilder, edited_profiles


def _bundle(root: Path, slug: str) -> Path:
    (root / slug).mkdir(parents=True)
    index = root / slug / "index.md"
    index.write_text("---\n---\n", encoding="utf-8")
    return index


def test_only_published_profiles_bundles_are_shown_first(tmp_path):
    an, be = _bundle(tmp_path, "an"), _bundle(tmp_path, "be")
    photo = tmp_path / "an" / "anh.jpg"
    photo.write_bytes(b"\xff\xd8")
    sources = {an: object(), be: object()}
    assert edited_profiles({be, an}, False, sources) == [an, be]
    # a photo added or replaced in a bundle, or removed from it: that profile's page again
    assert edited_profiles({an, photo}, False, sources) == [an]
    assert edited_profiles({photo}, False, sources) == [an]
    assert edited_profiles({tmp_path / "be" / "cu.jpg"}, False, sources) == [be]
    # an editor's temporary files, gone by now: in a bundle they count for it, elsewhere for nothing
    assert edited_profiles({an, tmp_path / "an" / ".index.md.swp", tmp_path / "an" / "4913"}, False, sources) == [an]
    assert edited_profiles({an, tmp_path / ".ghi-tam.tmp"}, False, sources) == [an]
    assert edited_profiles({tmp_path / "gone.tmp"}, False, sources) is None  # nothing edited
    assert edited_profiles({an}, True, sources) is None  # a bundle added, removed or renamed
    registry = tmp_path / "movements.yml"
    registry.write_text("movements: []\n", encoding="utf-8")
    assert edited_profiles({an, registry}, False, sources) is None  # a file outside them: the whole site
    unpublished = _bundle(tmp_path, "cu")
    assert edited_profiles({unpublished}, False, sources) is None  # no page to show first
    (tmp_path / "cu" / "anh.jpg").write_bytes(b"\xff\xd8")
    assert edited_profiles({tmp_path / "cu" / "anh.jpg"}, False, sources) is None


def test_every_written_path_is_taken_once(tmp_path):
    changed = ChangedPaths()
    changed.on_any_event(FileModifiedEvent(str(tmp_path / "an" / "index.md")))
    changed.on_any_event(FileMovedEvent(str(tmp_path / "an" / "index.md~"), str(tmp_path / "be" / "index.md")))
    changed.on_any_event(FileDeletedEvent(str(tmp_path / "cu" / "index.md").encode()))
    changed.on_any_event(FileClosedEvent(str(tmp_path / "an" / "index.md")))
    assert changed.take() == (frozenset({tmp_path / "an" / "index.md", tmp_path / "an" / "index.md~",
                                         tmp_path / "be" / "index.md", tmp_path / "cu" / "index.md"}), False)
    assert changed.take() == (frozenset(), False)
    changed.on_any_event(DirCreatedEvent(str(tmp_path / "moi")))
    assert changed.take() == (frozenset(), True)


def test_a_project_reached_through_a_link_is_recognised(tmp_path):
    """The server watches the path as given, the build resolves it (macOS's /tmp is a link)."""
    an = _bundle(tmp_path / "real", "an")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert edited_profiles({tmp_path / "link" / "an" / "index.md"}, False, {an: object()}) == [an]


class _Server:
    """What PreviewBuilder asks of MkDocs' LiveReloadServer."""

    def __init__(self) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False


class _BrokenBuild:
    """A last build whose page cannot be rendered again (here: no MkDocs files at all)."""

    def __init__(self, index: Path):
        self.index = index

    def published_sources(self) -> dict:
        return {self.index: object()}


def test_a_quick_step_that_fails_falls_back_to_the_full_rebuild(tmp_path):
    index = _bundle(tmp_path, "an")
    builds: list[str] = []
    builder = PreviewBuilder(_Server(), lambda: builds.append("full"), lambda: None)
    builder.last = _BrokenBuild(index)
    builder.changed.on_any_event(FileModifiedEvent(str(index)))
    builder()
    assert builds == ["full"] and builder.last is None and not builder.full_build_owed


def test_after_a_quick_page_the_full_rebuild_is_asked_for_once(tmp_path, monkeypatch):
    index = _bundle(tmp_path, "an")
    server, builds = _Server(), []
    builder = PreviewBuilder(server, lambda: builds.append("full"), lambda: None)
    builder.last = _BrokenBuild(index)
    monkeypatch.setattr(quick_preview, "render_again", lambda last, edited, sources: ["An"])
    monkeypatch.setattr(quick_preview, "FULL_BUILD_AFTER", 0.05)
    builder.changed.on_any_event(FileModifiedEvent(str(index)))
    builder()
    assert builds == []  # the page first: the full rebuild comes from the server's loop
    with server._rebuild_cond:
        assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=5)
    server._want_rebuild = False
    builder()  # the server's loop runs the rebuild asked for
    assert builds == ["full"] and not builder.full_build_owed
