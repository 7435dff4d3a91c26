"""Which writes the live preview answers with an edited profile's page first (quick_preview.py);
the page itself, and the full rebuild after it, are checked against the real server in
test_preview.py."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    EventsLostEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
)

from generator.adapters import quick_preview
from generator.adapters.quick_preview import BuildSeen, ChangedPaths, Changes, PreviewBuilder, edited_profiles


def _bundle(root: Path, slug: str) -> Path:
    (root / slug).mkdir(parents=True)
    index = root / slug / "index.md"
    index.write_text("---\n---\n", encoding="utf-8")
    return index


def _edited(profiles_dir: Path, sources: dict, *paths: Path, created: tuple[Path, ...] = (),
            structural: bool = False, unpublished: tuple[Path, ...] = ()) -> list[Path] | None:
    return edited_profiles(Changes(frozenset(paths), frozenset(created), structural), sources, set(unpublished),
                           profiles_dir)


def test_only_published_profiles_bundles_are_shown_first(tmp_path):
    an, be = _bundle(tmp_path, "an"), _bundle(tmp_path, "be")
    photo = tmp_path / "an" / "anh.jpg"
    photo.write_bytes(b"\xff\xd8")
    sources = {an: object(), be: object()}
    assert _edited(tmp_path, sources, be, an) == [an, be]
    # a photo added or replaced in a bundle, or removed from it: that profile's page again
    assert _edited(tmp_path, sources, an, photo) == [an]
    assert _edited(tmp_path, sources, photo) == [an]
    assert _edited(tmp_path, sources, tmp_path / "be" / "cu.jpg") == [be]
    # an editor's temporary files, gone by now: in a bundle they count for it, elsewhere for nothing
    assert _edited(tmp_path, sources, an, tmp_path / "an" / ".index.md.swp", tmp_path / "an" / "4913") == [an]
    assert _edited(tmp_path, sources, an, tmp_path / ".ghi-tam.tmp") == [an]
    assert _edited(tmp_path, sources, tmp_path / "gone.tmp") is None  # nothing edited
    assert _edited(tmp_path, sources, an, structural=True) is None  # a folder removed or renamed, notices lost
    readme = tmp_path / "README.md"
    readme.write_text("Hồ sơ\n", encoding="utf-8")
    assert _edited(tmp_path, sources, an, readme) is None  # a file outside the bundles: the whole site
    unpublished = _bundle(tmp_path, "cu")
    (tmp_path / "cu" / "anh.jpg").write_bytes(b"\xff\xd8")
    for path in (unpublished, tmp_path / "cu" / "anh.jpg"):  # read, not published: no page to show first
        assert _edited(tmp_path, sources, path, unpublished=(unpublished,)) is None


def test_a_new_bundle_is_shown_first(tmp_path):
    an = _bundle(tmp_path, "2024/an")
    sources = {an: object()}
    new = _bundle(tmp_path, "2025/moi")
    photo = tmp_path / "2025" / "moi" / "anh.jpg"
    photo.write_bytes(b"\xff\xd8")
    # the year's folder and the bundle's come as folders created, its files as files
    assert _edited(tmp_path, sources, new, photo, created=(tmp_path / "2025", tmp_path / "2025" / "moi")) == [new]
    assert _edited(tmp_path, sources, new, an) == [an, new]
    assert _edited(tmp_path, sources, created=(tmp_path / "2026",)) is None  # a folder holding no bundle yet: nothing
    (tmp_path / "2026").mkdir()
    (tmp_path / "2026" / "ghi-chu.txt").write_text("chưa có hồ sơ\n", encoding="utf-8")
    assert _edited(tmp_path, sources, new, tmp_path / "2026" / "ghi-chu.txt") is None  # a file in no bundle
    outside = tmp_path.parent / f"{tmp_path.name}-content"
    outside.mkdir()
    assert _edited(tmp_path, sources, new, created=(outside,)) is None  # a folder made outside profiles/
    hidden = _bundle(tmp_path, "2025/.nhap")
    assert _edited(tmp_path, sources, hidden) is None  # the loader does not read hidden folders


def test_every_written_path_is_taken_once(tmp_path):
    changed = ChangedPaths()
    changed.on_any_event(FileModifiedEvent(str(tmp_path / "an" / "index.md")))
    changed.on_any_event(FileMovedEvent(str(tmp_path / "an" / "index.md~"), str(tmp_path / "be" / "index.md")))
    changed.on_any_event(FileDeletedEvent(str(tmp_path / "cu" / "index.md").encode()))
    changed.on_any_event(FileClosedEvent(str(tmp_path / "an" / "index.md")))
    assert changed.take() == Changes(frozenset({tmp_path / "an" / "index.md", tmp_path / "an" / "index.md~",
                                                tmp_path / "be" / "index.md", tmp_path / "cu" / "index.md"}))
    assert changed.take() == Changes()
    changed.on_any_event(DirCreatedEvent(str(tmp_path / "moi")))
    assert changed.take() == Changes(folders_created=frozenset({tmp_path / "moi"}))
    for event in (DirDeletedEvent(str(tmp_path / "cu")), DirMovedEvent(str(tmp_path / "be"), str(tmp_path / "bo")),
                  EventsLostEvent(str(tmp_path), is_directory=True), EventsLostEvent(str(tmp_path / "mkdocs.yml"))):
        changed.on_any_event(event)
        assert changed.take().structural, event


def test_a_project_reached_through_a_link_is_recognised(tmp_path):
    """The server watches the path as given, the build resolves it (macOS's /tmp is a link)."""
    an = _bundle(tmp_path / "real", "an")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert edited_profiles(Changes(frozenset({tmp_path / "link" / "an" / "index.md"})), {an: object()}, set(),
                           tmp_path / "link") == [an]


class _Server:
    """What PreviewBuilder asks of MkDocs' LiveReloadServer."""

    def __init__(self) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False


class _BrokenBuild:
    """A last build whose page cannot be rendered again (here: no MkDocs files at all)."""

    def __init__(self, index: Path):
        self.index = index
        self.paths = SimpleNamespace(profiles=index.parent.parent)

    def published_sources(self) -> dict:
        return {self.index: object()}

    def unpublished_sources(self) -> set:
        return set()


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
    server, builds, quick = _Server(), [], []
    builder = PreviewBuilder(server, lambda: builds.append("full"), lambda: None)
    builder.last = _BrokenBuild(index)
    monkeypatch.setattr(quick_preview, "render_again", lambda last, edited, sources: quick.append(edited) or ["An"])
    monkeypatch.setattr(quick_preview, "FULL_BUILD_AFTER", 0.05)
    builder.changed.on_any_event(FileModifiedEvent(str(index)))
    builder()
    assert builds == [] and quick == [[index]]  # the page first: the full rebuild comes from the server's loop
    first_wait = builder.timer
    builder.changed.on_any_event(FileModifiedEvent(str(index)))
    builder()  # saved again before the full rebuild: the page first again, from the same last build
    assert builds == [] and quick == [[index], [index]]
    assert first_wait.finished.is_set() and builder.timer is not first_wait  # the wait started again
    with server._rebuild_cond:
        assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=5)
    server._want_rebuild = False
    builder()  # the server's loop runs the rebuild asked for
    assert builds == ["full"] and not builder.full_build_owed and len(quick) == 2


def test_a_build_that_did_not_reach_every_hook_leaves_nothing_to_keep(tmp_path):
    """A preview build that showed problems has no plan or navigation: no page is shown first
    after it, the next save goes to the full rebuild."""
    shelved = quick_preview.ShelvedPages()
    seen = BuildSeen(config="config", files="files", env="env", nav="nav")  # on_files gave no plan
    assert seen.last_build(shelved) is None
    seen.paths, seen.plan = SimpleNamespace(profiles=tmp_path), SimpleNamespace(catalog=None)
    last = seen.last_build(shelved)
    assert last is not None and (last.files, last.nav, last.env, last.shelved) == ("files", "nav", "env", shelved)


def test_the_full_rebuild_waits_longer_on_a_site_whose_rebuild_is_long():
    builder = PreviewBuilder(_Server(), lambda: None, lambda: None)
    assert builder.full_build_wait() == quick_preview.FULL_BUILD_AFTER  # none timed yet (a small site)
    builder.full_build_seconds = 2.0
    assert builder.full_build_wait() == quick_preview.FULL_BUILD_AFTER
    builder.full_build_seconds = 12.0
    assert builder.full_build_wait() == 6.0
    builder.full_build_seconds = 35.0  # 10,000 profiles
    assert builder.full_build_wait() == quick_preview.FULL_BUILD_AFTER_AT_MOST
