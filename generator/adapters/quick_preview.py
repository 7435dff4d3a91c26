"""The live preview shows an edited profile's own page within a second or two, then the rest.

At 10,000 profiles a full rebuild of the preview takes most of a minute (loading, checking and
planning every profile, MkDocs' files and navigation, the search index), and the editor who
saved one sentence waits for all of it. When the files written since the last build all lie in
profiles' bundles, each either a profile that build published (its ``index.md``, a photo added,
replaced or removed) or a new one (a folder under profiles/ with an ``index.md`` the build did not
read), the preview first checks those profiles alone (``check_profile_alone``, their photos
included, and that a new one's slug is not taken), renders their pages with everything else as
the last build had it (``profile_page_again``: the catalogue made again with the edit, the
profile's photos and share card gathered again, the same registries and MkDocs navigation),
writes them and their photos into the served site and reloads the browser. The full rebuild then
runs as before and reloads the browser again, with every list, feed, press kit and the search
index brought up to date: what the site shows in the end is what a full build makes. Another
save before that rebuild starts is shown first too, from the same last build; a save while it
runs waits for it (MkDocs' server builds one at a time and holds every request meanwhile).

Anything else goes straight to the full rebuild, as before: a folder removed or renamed, a file
outside the bundles (a registry, the theme, mkdocs.yml, content), a profile that now has an
error (the rebuild shows the list of problems) or is read but not published.

The page is rendered through MkDocs' own page functions (``_populate_page``, ``_build_page``,
private in MkDocs 1.x, which is pinned); a MkDocs without them, or a server without the fields
this module sets, gives full rebuilds only.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mkdocs.commands.build as mkdocs_build
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from watchdog.events import EVENT_TYPE_CREATED, EVENT_TYPE_EVENTS_LOST, FileSystemEvent, FileSystemEventHandler

from generator.adapters.mkdocs_files import ShelvedPages
from generator.check.project import ProjectPaths, check_profile_alone
from generator.core.model import Profile
from generator.infra.files import write_assets
from generator.load.profiles import PROFILE_FILE
from generator.render.site import SitePlan, profile_page_again

log = logging.getLogger("mkdocs.plugins.dienhinh")

# How long after the last page shown first the full rebuild starts: at least the time the
# browser needs to fetch that page (while a build runs, MkDocs' server holds every request), and
# half as long as the last full rebuild took, up to a bound. A save while a full rebuild runs
# waits for its end, so on a large site (a rebuild of 30 s at 10,000 profiles) an editor who
# saves again within a few seconds sees each save at once and the lists, feeds and search index
# once they pause.
FULL_BUILD_AFTER = 1.5  # seconds, at least
FULL_BUILD_AFTER_AT_MOST = 15.0  # seconds


@dataclass(frozen=True)
class Changes:
    """What was written under the watched folders between two builds."""

    paths: frozenset[Path] = frozenset()  # files written, created, removed or renamed (both names)
    folders_created: frozenset[Path] = frozenset()
    structural: bool = False  # a folder removed or renamed, or notices lost: anything may have changed


@dataclass(eq=False)  # a watchdog handler: hashed by identity
class ChangedPaths(FileSystemEventHandler):
    """Every change under the watched folders since the last ``take``."""

    paths: set[Path] = field(default_factory=set)
    folders_created: set[Path] = field(default_factory=set)
    structural: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def on_any_event(self, event: FileSystemEvent) -> None:
        with self.lock:
            if event.event_type == EVENT_TYPE_CREATED and event.is_directory:
                self.folders_created.add(Path(os.fsdecode(event.src_path)))
            elif event.is_directory or event.event_type == EVENT_TYPE_EVENTS_LOST:
                self.structural = True
            else:
                self.paths.update(Path(os.fsdecode(path)) for path in (event.src_path, event.dest_path) if path)

    def take(self) -> Changes:
        with self.lock:
            taken = Changes(frozenset(self.paths), frozenset(self.folders_created), self.structural)
            self.paths, self.folders_created, self.structural = set(), set(), False
        return taken


@dataclass
class LastBuild:
    """What the preview keeps of its last full build to render one profile page again: the plan
    (its pages dropped), and MkDocs' config, files, navigation and template environment."""

    paths: ProjectPaths
    plan: SitePlan
    shelved: ShelvedPages  # the plugin's: where it takes a generated page's front matter from
    config: Any
    files: Any
    nav: Any
    env: Any

    def published_sources(self) -> dict[Path, Profile]:
        """Each published profile by its index.md."""
        return {self.paths.root / p.source_path: p for p in self.plan.catalog.profiles}

    def unpublished_sources(self) -> set[Path]:
        """The index.md of each profile the last build read but did not publish."""
        published = {p.slug for p in self.plan.catalog.profiles}
        return {self.paths.root / p.source_path for p in self.plan.all_profiles or () if p.slug not in published}

    def taken_slugs(self) -> set[str]:
        return {p.slug for p in self.plan.all_profiles or self.plan.catalog.profiles}

    def lighten(self) -> None:
        """Drop what no page rendered again reads: every page's HTML and generated Markdown
        (at 10,000 profiles most of what MkDocs holds after a build)."""
        for file in self.files:
            if file.page is not None:
                file.page.content = None
            if file.generated_by and file.abs_src_path is None and file.is_documentation_page():
                file.content_string = ""


@dataclass
class BuildSeen:
    """What ``LastBuild`` keeps, gathered as one build's hooks see it: the project's paths and the
    plan (``on_files``), MkDocs' config, files and template environment (``on_env``), its
    navigation (``on_nav``). A build that did not reach them all (the preview showed problems)
    leaves nothing to keep."""

    paths: ProjectPaths | None = None
    plan: SitePlan | None = None
    config: Any = None
    files: Any = None
    env: Any = None
    nav: Any = None

    def last_build(self, shelved: ShelvedPages) -> LastBuild | None:
        if self.paths is None or self.plan is None or any(
                part is None for part in (self.config, self.files, self.env, self.nav)):
            return None
        return LastBuild(self.paths, self.plan, shelved, self.config, self.files, self.nav, self.env)


def edited_profiles(changes: Changes, sources: dict[Path, Profile], unpublished: set[Path],
                    profiles_dir: Path) -> list[Path] | None:
    """The profiles (their index.md) whose bundles hold every change: published ones (their
    text, or a photo added, replaced or removed) and new ones (a folder under profiles/ with an
    index.md the last build did not read); None if anything else changed (a file or folder
    outside those bundles, a profile read but not published, a folder removed or renamed). A
    file that came and went outside them (an editor's temporary file) changed nothing the build
    reads; a folder made under profiles/ holding no bundle yet (a year's) changes nothing either."""
    if changes.structural:
        return None
    published = {index.parent: index for index in sources}
    profiles_dir = Path(os.path.realpath(profiles_dir))
    edited = set()
    for path, is_folder in [*((p, False) for p in changes.paths), *((p, True) for p in changes.folders_created)]:
        real = Path(os.path.realpath(path))  # the server watches absolute paths, the build resolved ones
        index = next((published[f] for f in (real, *real.parents) if f in published), None) or _new_bundle(
            real, profiles_dir)
        if index in unpublished:
            return None
        if index is not None:
            edited.add(index)
        elif (is_folder and not real.is_relative_to(profiles_dir)) or (not is_folder and real.exists()):
            return None
    return sorted(edited) or None


def _new_bundle(path: Path, profiles_dir: Path) -> Path | None:
    """The index.md of the bundle under ``profiles_dir`` that holds ``path`` (or is it), found
    as the loader finds bundles (not in a hidden folder); None if there is none."""
    for folder in (path, *path.parents):
        if folder == profiles_dir or not folder.is_relative_to(profiles_dir):
            return None
        if (folder / PROFILE_FILE).is_file():
            hidden = any(part.startswith(".") for part in folder.relative_to(profiles_dir).parts)
            return None if hidden else folder / PROFILE_FILE
    return None


def render_again(last: LastBuild, edited: list[Path], sources: dict[Path, Profile]) -> list[str] | None:
    """Write the pages of the ``edited`` profiles (``sources``: as the last build published them;
    one not among them is new), with their photos and share cards, into the served site; their
    titles, or None (nothing written) if one of them has an error now, another slug than it had,
    a slug another profile has, or no page."""
    pages, slugs = [], set()
    for path in edited:
        profile, problems = check_profile_alone(path, last.paths, last.plan.catalog.registries)
        if profile is None or any(p.severity == "error" for p in problems):
            return None
        known = sources.get(path)
        if profile.slug in slugs or (profile.slug != known.slug if known else profile.slug in last.taken_slugs()):
            return None  # a slug taken, or given up for another: the whole check and site
        slugs.add(profile.slug)
        again = profile_page_again(last.plan, profile)
        file = last.files.get_file_from_path(again.page.path) if again else None
        if again is None or (file is None and known is not None) or (file is not None and file.page is None):
            return None  # a new profile's page was added by an earlier quick step, or not yet
        pages.append((again, file))
    site = Path(last.config.site_dir)
    for again, file in pages:
        for asset in again.assets:  # an old file may be a link into a cache: replaced, never written through
            (site / asset.path).unlink(missing_ok=True)
        write_assets(again.assets, site)
        page = file.page if file is not None else _new_page(last, again.page.path)
        page.file.content_string = again.page.body
        last.shelved.meta[again.page.path] = again.page.theme_meta
        Path(page.file.abs_dest_path).unlink(missing_ok=True)
        mkdocs_build._populate_page(page, last.config, last.files)
        mkdocs_build._build_page(page, last.config, last.files, last.nav, last.env)
        page.content = None
    return [again.page.theme_meta.get("title") or again.page.path for again, _ in pages]


def _new_page(last: LastBuild, path: str) -> Page:
    """A new profile's page, added to MkDocs' files as the plugin adds every generated page."""
    file = File.generated(last.config, path, content="")
    last.files.append(file)
    return Page(None, file, last.config)


class PreviewBuilder:
    """Stands in for MkDocs' rebuild in the preview's server: the edited profiles' pages first
    when it can, the full rebuild always."""

    def __init__(self, server: Any, full_build: Callable[[], None], take_last: Callable[[], LastBuild | None]):
        self.server = server
        self.full_build = full_build
        self.take_last = take_last  # the plugin's last full build, handed over once
        self.changed = ChangedPaths()
        self.full_build_owed = False
        # private in MkDocs 1.x (pinned): without any of them the preview only rebuilds in full
        self.can_show_first = (all(hasattr(mkdocs_build, name) for name in ("_populate_page", "_build_page"))
                               and hasattr(server, "_rebuild_cond") and hasattr(server, "_want_rebuild"))
        self.last: LastBuild | None = None
        self.timer: threading.Timer | None = None  # asks for the full rebuild owed after a page shown first
        self.full_build_seconds = 0.0  # the last full build's (the first one's is set by the plugin)

    def keep_last(self) -> None:
        last = self.take_last()
        if last is not None and self.can_show_first:
            last.lighten()
            self.last = last

    def __call__(self) -> None:
        self.full_build_owed = False
        changes = self.changed.take()
        last = self.last
        if last is not None:
            sources = last.published_sources()
            edited = edited_profiles(changes, sources, last.unpublished_sources(), last.paths.profiles)
            started = time.monotonic()
            try:
                titles = render_again(last, edited, sources) if edited else None
            except Exception as error:  # any: the full rebuild below says what is wrong, in its words
                log.debug(f"Xem trước nhanh không được, dựng lại toàn bộ: {error!r}")
                titles = None
            if titles:
                wait = self.full_build_wait()
                log.info(f"Xem trước nhanh: đã cập nhật trang {', '.join(f'“{t}”' for t in titles)} trong "
                         f"{time.monotonic() - started:.1f} giây; các danh sách, nguồn tin và chỉ mục tìm kiếm "
                         f"được dựng lại sau {wait:.0f} giây không có thay đổi mới.")
                self.full_build_owed = True
                if self.timer is not None:
                    self.timer.cancel()  # another save: the wait starts again
                self.timer = threading.Timer(wait, self._ask_for_full_build)
                self.timer.daemon = True
                self.timer.start()
                return  # the last build is kept: another save before the full rebuild shows first too
            self.last = last = None
            gc.collect()  # the last build's pages and catalogue go before the next build's come
        started = time.monotonic()
        self.full_build()
        self.full_build_seconds = time.monotonic() - started
        self.keep_last()

    def full_build_wait(self) -> float:
        """Seconds from a page shown first to the full rebuild, if nothing else is saved."""
        return min(FULL_BUILD_AFTER_AT_MOST, max(FULL_BUILD_AFTER, self.full_build_seconds / 2))

    def _ask_for_full_build(self) -> None:
        if not self.full_build_owed:  # another change started it already
            return
        with self.server._rebuild_cond:
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()
