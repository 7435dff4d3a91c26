"""MkDocs adapter: call the core, hand its pages to MkDocs. No state between builds, but what the
live preview keeps of its last full build to show an edited profile's page first (quick_preview.py).

The deferred files (press kits, feeds, embeds) are not MkDocs files: a forked child writes them
straight into the site folder, which MkDocs has already cleaned, while MkDocs renders the pages
on the other core; ``on_post_build`` waits for it while Pagefind indexes the pages. ``mkdocs
serve`` runs threads, which must not be forked, so there they are written before the pages.

If MkDocs 1.x ends, only the adapters change: ``dienhinh emit`` already writes the same pages
for any MkDocs-compatible engine.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import ClassVar

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.utils.yaml import yaml_load

from generator.adapters.editor_app import EditorUnavailable, editor_setup
from generator.adapters.emit import DeferredWritten, write_deferred
from generator.adapters.incremental import GeneratedSource, KeptLinkPaths, PageReuse, WarningWatch
from generator.adapters.material import MaterialChanged, narrow_alternate_links
from generator.adapters.mkdocs_files import ShelvedPages, add_assets, add_pages
from generator.adapters.preview import answer_every_address, show_problems, without_broken_theme
from generator.adapters.quick_preview import BuildSeen, LastBuild, PreviewBuilder
from generator.adapters.run import Run
from generator.adapters.watching import watch_natively
from generator.check.project import CheckResult, ProjectPaths, Scope
from generator.check.sanitize import sanitize_profile_html
from generator.core.model import Problem
from generator.core.urls import PROFILES_DIR
from generator.infra.files import empty_folder
from generator.infra.output import SiteOutput
from generator.infra.output_cache import OutputCache
from generator.infra.parallel import BackgroundFailed, BackgroundTask, start_beside
from generator.infra.shelf import shelve, unshelve
from generator.infra.spool import spool_dir
from generator.load.schema import BODY_MARKDOWN_EXTENSIONS
from generator.publication.book import PublicationError
from generator.render.context import SiteContext
from generator.render.editor import render_editor
from generator.render.options import LOCAL_BACKEND_PORT
from generator.render.pagefind import IndexingFailed, IndexStats, index_site, nfc_page

log = logging.getLogger("mkdocs.plugins.dienhinh")


def published_site_url(config_file: str | None) -> str | None:
    """mkdocs.yml's own site_url (values from !ENV and an INHERITed file included), normalised
    as MkDocs normalises it: what `mkdocs serve` replaces by its local address."""
    if not config_file:
        return None
    with open(config_file, encoding="utf-8-sig") as file:
        loaded = yaml_load(file)
    return c.Optional(c.URL(is_dir=True)).validate(loaded.get("site_url"))


class DienHinhConfig(Config):
    profiles_dir = c.Type(str, default="profiles")
    """Folder of profile bundles, relative to mkdocs.yml."""
    data_dir = c.Type(str, default="data")
    """Folder of the registries (movements.yml, localities.yml, ...), relative to mkdocs.yml."""
    today = c.Optional(c.Type(str))
    """Build date (YYYY-MM-DD) deciding embargoes; default: DIENHINH_TODAY, SOURCE_DATE_EPOCH or today."""
    internal_reports = c.Type(bool, default=False)
    """Also build the internal pages (quota report); always on in `mkdocs serve`."""
    search_index = c.Type(bool, default=True)
    """Index the built pages with Pagefind; off only to time the build and the index apart."""
    editor = c.Type((bool, dict), default=True)
    """The web editor at /quan-tri/: true (local editing through `dienhinh editor`), false (none),
    or {backend: {...}}, Decap's backend for the hosted editor (adapters/editor_app.py)."""


class DienHinhPlugin(BasePlugin[DienHinhConfig]):
    # `dienhinh serve` runs MkDocs in its own process and hands the preview's scope over here;
    # `mkdocs serve` run by hand reads DIENHINH_SCOPE and DIENHINH_SINCE instead.
    requested_scope: ClassVar[Scope | None] = None
    local_backend_port: ClassVar[int] = LOCAL_BACKEND_PORT  # `dienhinh editor --api-port`, handed over likewise
    poll_changes: ClassVar[bool] = False  # `dienhinh serve --poll`: MkDocs' polling, not the system's notices
    is_serving = False  # a setting of the run, not build state
    preview_url = ""  # MkDocs' server's own address (`mkdocs serve`), which the pages do not carry
    reuse_pages = False  # MkDocs' dirty build: pages and other outputs come from the cache when unchanged
    showing_problems = False  # this build's: the preview shows the project's errors instead of its site
    problems_shown: tuple[Problem, ...] = ()
    check_notes: tuple[str, ...] = ()  # this build's: the check's notes (not errors), as logged

    def __init__(self) -> None:
        super().__init__()
        self.deferred_writer: BackgroundTask | None = None  # this build's, from on_files to on_post_build
        self.shelved = ShelvedPages()  # this build's generated pages, from on_files to on_page_*
        self.page_reuse: PageReuse | None = None  # this build's, from on_nav to on_post_build
        self.warning_watch: WarningWatch | None = None
        self.prune_cache = False  # this build's: a full, unscoped build ages the caches' unused entries
        self.remover: subprocess.Popen | None = None  # this build's: removes what the last one left in the site folder
        self.seen = BuildSeen()  # this build's, in the preview: what LastBuild keeps, as the hooks see it
        self.build_started = time.monotonic()  # this build's (on_pre_build)
        self.last_build: LastBuild | None = None  # the preview's last full build, for quick_preview.py

    def on_startup(self, *, command, dirty) -> None:
        self.is_serving = command == "serve"
        # MkDocs' own dirty build trusts file times and leaves the navigation stale; ours decides by
        # content (adapters/incremental.py), in a folder emptied first (on_pre_build). `dienhinh
        # build` and `dienhinh serve` ask for it; so may `mkdocs build --dirty`, `mkdocs serve --dirty`.
        self.reuse_pages = dirty

    def on_pre_build(self, config) -> None:
        self.build_started = time.monotonic()
        if self.reuse_pages:  # nothing of an earlier build is trusted: what is reused comes from the cache
            self._wait_for_remover()
            self.remover = empty_folder(Path(config.site_dir))

    def _wait_for_remover(self) -> None:
        remover, self.remover = self.remover, None
        if remover is not None:
            remover.wait()

    def on_config(self, config):
        if self.is_serving:
            # MkDocs' server puts its own address in site_url; the pages are rendered with the
            # published one, as `dienhinh build` renders them, so the preview takes from the build
            # cache every page a build made (and a build every page the preview made). Decap's
            # links to the site still go to the preview.
            self.preview_url = config.site_url or ""
            config.site_url = published_site_url(config.config_file_path)
        # generated headings carry {: .dh-boilerplate }; bodies read as the press and the book read them
        for extension in ("attr_list", *BODY_MARKDOWN_EXTENSIONS):
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        return config

    def project_paths(self, config) -> ProjectPaths:
        root = Path(config.config_file_path).parent.resolve()
        return ProjectPaths(root, root / self.config.profiles_dir, root / self.config.data_dir, Path(config.docs_dir))

    def on_files(self, files: Files, config) -> Files:
        paths = self.project_paths(config)
        try:
            editor = editor_setup(self.config.editor, paths, self.local_backend_port)
        except EditorUnavailable as error:
            raise PluginError(str(error)) from error
        if editor is not None and self.is_serving:
            editor = replace(editor, view_url=self.preview_url)
        run = Run.from_mkdocs(config, paths, self.config.today, self.config.internal_reports,
                              self.is_serving, self.requested_scope, editor)
        self.showing_problems, self.problems_shown = False, ()
        self.prune_cache = run.scope.is_everything and not self.is_serving  # a preview must not age the cache
        result = self._checked(run, self.reuse_pages, self.prune_cache)
        self.check_notes = tuple(problem.format() for problem in result.problems if problem.severity != "error")
        if result.errors:
            if self.is_serving:
                self._add_editor(files, config, run, result)  # to fix them with, where they were made
                return self._show_problems(files, config, result.problems)
            raise PluginError(f"Có {len(result.errors)} lỗi trong hồ sơ và danh mục; hãy sửa các lỗi nêu trên "
                              "(chạy “dienhinh check” để xem lại).")
        home = files.get_file_from_path("index.md")
        editions = OutputCache(run.paths.cache, section="editions", suffix="") if self.reuse_pages else None
        generated = OutputCache(run.paths.cache, section="generated", suffix=".md") if self.reuse_pages else None
        try:
            plan = run.plan(result, home.content_string if home else "", editions, generated)
        except PublicationError as error:
            if self.is_serving:
                self._add_editor(files, config, run, result)
                return self._show_problems(files, config, (Problem("", "", str(error)),))
            raise PluginError(str(error)) from error
        if home:
            files.remove(home)
        if generated is not None:
            generated.save(prune=self.prune_cache)
        if editions is not None:
            editions.save(prune=self.prune_cache)
            if editions.used or editions.added:
                log.info(f"Ấn phẩm PDF, EPUB: làm mới {editions.added} tệp, dùng lại {editions.used} tệp.")
        if self.is_serving:  # the plan without its pages: the preview renders an edited profile's page from it
            self.seen = BuildSeen(paths, replace(plan, output=SiteOutput((), ())))
        taken = [page.path for page in plan.output.pages] + [asset.path for asset in plan.output.assets]
        self.deferred_writer = start_beside(partial(write_deferred, plan, Path(config.site_dir), taken,
                                                    prune=self.prune_cache, reuse=self.reuse_pages),
                                            may_fork=not self.is_serving)
        self.shelved = add_pages(files, config, plan.output.pages)
        add_assets(files, config, run.paths.cache, plan.output.assets)
        return files

    @staticmethod
    def _checked(run: Run, reuse: bool, prune: bool) -> CheckResult:
        result = run.check(reuse, prune)
        for problem in result.problems:
            (log.error if problem.severity == "error" else log.info)(problem.format())
        if result.scoped:
            log.info(f"Xem trước thu hẹp: {len(result.profiles)} hồ sơ.")
        return result

    @staticmethod
    def _add_editor(files: Files, config, run: Run, result: CheckResult) -> None:
        """The web editor alone, while the preview shows problems instead of the site: an editor who
        saved a profile the validator refuses must still reach the form to correct it."""
        editor = render_editor(SiteContext(run.catalog(result), run.options))
        add_assets(files, config, run.paths.cache, editor.assets)

    def _show_problems(self, files: Files, config, problems) -> Files:
        self.shelved = show_problems(files, config, problems)
        self.showing_problems, self.problems_shown = True, tuple(problems)
        return files

    def on_env(self, env, config, files):
        if self.is_serving and without_broken_theme(env, config, files, self.problems_shown):
            self.showing_problems = True
        if self.is_serving:
            self.seen.config, self.seen.files, self.seen.env = config, files, env
        return env

    def on_nav(self, nav, config, files):
        if self.is_serving:
            self.seen.nav = nav
        if not self.reuse_pages or self.showing_problems:
            return nav
        pages = OutputCache(self.project_paths(config).cache)
        self.page_reuse = PageReuse(pages, KeptLinkPaths(pages.folder))
        self.page_reuse.plan(files, nav, config, repr(sorted(self.config.items())), self._generated_source)
        self.warning_watch = WarningWatch(self.page_reuse)
        logging.getLogger("mkdocs").addHandler(self.warning_watch)
        return nav

    def _generated_source(self, file: File) -> GeneratedSource | None:
        """Everything a generated page is rendered from: its body (its HTML regions marked in it)
        and front matter (made for one page at a time: for all pages at once it was a third of a
        10,000-profile build's memory); None for a page the generator did not make."""
        meta = self.shelved.meta.get(file.src_uri)
        if meta is None:
            return None
        return GeneratedSource("\0".join((file.content_string, repr(sorted(meta.items(), key=str)))), meta)

    def on_pre_page(self, page, config, files):
        if self.warning_watch:
            self.warning_watch.current = page.file.src_uri
        return page

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        meta = self.shelved.meta.pop(page.file.src_uri, None)
        if meta is None:
            return markdown
        page.meta = dict(meta)  # a generated page: its front matter comes as data, not YAML to parse
        markdown, self.shelved.regions[page.file.src_uri] = shelve(markdown)  # our HTML, not parsed again
        return markdown

    def on_page_content(self, html: str, page, config, files) -> str:
        regions = self.shelved.regions.pop(page.file.src_uri, ())
        if page.file.src_uri.startswith(PROFILES_DIR + "/"):
            html = sanitize_profile_html(html)  # the editor's story; our shelved HTML goes back after
        if self.warning_watch:
            self.warning_watch.current = None
        # MkDocs converts every page before it writes any, and nothing reads the Markdown once it
        # is HTML: dropped, a tenth of a full 10,000-profile build's memory is not held to its end
        page.markdown = ""  # not None: MkDocs then takes the page for one without a title
        return unshelve(html, regions)

    def on_page_context(self, context, page, config, nav):
        if self.warning_watch:
            self.warning_watch.current = page.file.src_uri
        return context

    def on_post_page(self, output: str, page, config) -> str:
        output = nfc_page(output)  # text pasted in decomposed form is then found like any other
        if self.page_reuse:
            self.page_reuse.record(page, output)
        if self.warning_watch:
            self.warning_watch.current = None
        return output

    def _stop_watching(self) -> None:
        if self.warning_watch:
            logging.getLogger("mkdocs").removeHandler(self.warning_watch)
        self.warning_watch = None

    def on_post_build(self, config) -> None:
        self._stop_watching()
        self._wait_for_remover()
        shutil.rmtree(spool_dir(self.project_paths(config).cache), ignore_errors=True)  # the site holds links
        try:
            narrow_alternate_links(Path(config.site_dir))
        except MaterialChanged as error:
            log.info(f"Không sửa được mã của Material (trang sẽ tải thử /feeds/sitemap.xml): {error}")
        seen, self.seen = self.seen, BuildSeen()
        if self.showing_problems:
            answer_every_address(Path(config.site_dir), config.site_url)
            return
        reuse, self.page_reuse = self.page_reuse, None
        # Pagefind reads the pages alone, all written by now, and none of the writer's files: it
        # runs while the writer finishes on the other core and the pages are stored in the cache.
        # Leaving the pool waits for it, whatever fails, so nothing writes into the folder after.
        with ThreadPoolExecutor(max_workers=1) as pool:
            indexing = pool.submit(self._index, config, reuse) if self.config.search_index else None
            self._wait_for_writer()
            if reuse is not None:  # each page stored is right on its own, whatever the rest of the build does
                reuse.finish(prune=self.prune_cache)
            if self.is_serving:  # dropped again if the search index fails (on_build_error)
                self.last_build = seen.last_build(self.shelved)
            stats = indexing.result() if indexing is not None else None
        if stats is None:
            return
        if stats.reused:
            log.info(f"Tìm kiếm: {stats.pages} trang không đổi, dùng lại chỉ mục đã lập.")
        elif stats.parts_reused:
            log.info(f"Tìm kiếm: đã lập lại chỉ mục {stats.pages_indexed} trang "
                     f"({stats.parts - stats.parts_reused} trong {stats.parts} phần) trong {stats.seconds:.1f} giây, "
                     f"dùng lại {stats.parts_reused} phần không đổi.")
        else:
            log.info(f"Tìm kiếm: đã lập chỉ mục {stats.pages} trang trong {stats.seconds:.1f} giây.")

    def _wait_for_writer(self) -> None:
        writer, self.deferred_writer = self.deferred_writer, None
        if writer is None:
            return
        try:
            written = writer.wait()
        except BackgroundFailed as error:
            raise PluginError(f"Không ghi được tư liệu báo chí, nguồn tin và mã nhúng:\n{error}") from error
        if self.reuse_pages and isinstance(written, DeferredWritten):
            log.info(f"Tư liệu báo chí: làm mới {written.kits_made} bộ, dùng lại {written.kits_reused} bộ.")

    def _index(self, config, reuse: PageReuse | None) -> IndexStats:
        """The search index of the written pages (on_post_page made them NFC), in a thread of on_post_build."""
        try:
            return index_site(config.site_dir, normalize=False,
                              cache_dir=self.project_paths(config).cache if self.reuse_pages else None,
                              page_digests=reuse.digests if reuse is not None else None)
        except IndexingFailed as error:
            raise PluginError(str(error)) from error

    def take_last_build(self) -> LastBuild | None:
        last, self.last_build = self.last_build, None
        return last

    def on_build_error(self, *, error) -> None:
        self._stop_watching()
        self._wait_for_remover()
        self.page_reuse = None  # nothing of a failed build is kept
        self.seen, self.last_build = BuildSeen(), None
        writer, self.deferred_writer = self.deferred_writer, None
        if writer is not None:
            writer.cancel()  # it must not write into a site folder that is being removed

    def on_serve(self, server, config, builder):
        paths = self.project_paths(config)
        for folder in (paths.profiles, paths.data, *([config.theme.custom_dir] if config.theme.custom_dir else [])):
            server.watch(str(folder))
        if self.poll_changes:
            log.info("Theo dõi thay đổi bằng cách quét định kỳ (--poll).")
        elif not watch_natively(server):
            log.info("Không dùng được thông báo thay đổi của hệ điều hành (có thể đã hết hạn mức theo dõi "
                     "thư mục): theo dõi bằng cách quét định kỳ, mỗi lần dựng lại sẽ chậm hơn.")
        quick = PreviewBuilder(server, builder, self.take_last_build)
        for path in [*getattr(server, "_watched_paths", {}), *config.watch]:
            server.observer.schedule(quick.changed, path, recursive=True)
        quick.keep_last()  # the first build's
        quick.full_build_seconds = time.monotonic() - self.build_started  # the first build has just ended
        server.builder = quick
        return server
