"""MkDocs adapter: call the core, wrap its pages in ``File.generated``. No state between builds.

A generated page reaches MkDocs as its body with our own HTML shelved (``shelf.py``) and its
front matter as data (``on_page_markdown``), so Python-Markdown parses neither again; the HTML
comes back in ``on_page_content``, after the editor's part has been sanitised.

The deferred files (press kits, feeds, embeds) are not MkDocs files: a forked child writes them
straight into the site folder, which MkDocs has already cleaned, while MkDocs renders the pages
on the other core; ``on_post_build`` waits for it. ``mkdocs serve`` runs threads, which must
not be forked, so there they are written before the pages.

If MkDocs 1.x ends, only this file changes: ``dienhinh emit`` already writes the same pages
for any MkDocs-compatible engine.
"""

from __future__ import annotations

import logging
import os
import shutil
from functools import partial
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import markdown
from jinja2 import FileSystemLoader, TemplateSyntaxError
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.adapters.emit import write_deferred
from generator.adapters.settings import SiteSettings, build_today, render_options, scope_from_environment
from generator.check.project import CheckResult, ProjectPaths, Scope, check_project
from generator.check.sanitize import sanitize_profile_html
from generator.core.catalog import build_catalog
from generator.core.model import Problem
from generator.core.urls import PROFILES_DIR
from generator.infra.output import GeneratedAsset, GeneratedPage
from generator.infra.parallel import BackgroundFailed, BackgroundTask, start_beside
from generator.infra.shelf import shelve, unshelve
from generator.infra.spool import remove_stale_spools, spool, spool_dir
from generator.load.profiles import display_path
from generator.load.schema import BODY_MARKDOWN_EXTENSIONS
from generator.publication.book import PublicationError
from generator.render.options import RenderOptions
from generator.render.pagefind import IndexingFailed, index_site, nfc_page
from generator.render.pages import PROBLEMS_PAGE, problems_page
from generator.render.site import SitePlan, plan_site

log = logging.getLogger("mkdocs.plugins.dienhinh")


class _LinkedFile(File):
    """A cached derivative (photo rendition, share card): hard-linked into the site, not copied.

    Cache entries are written once under a content hash and never modified in place, so a link
    is as safe as a copy and costs nothing; across file systems it falls back to copying.
    """

    def copy_file(self, dirty: bool = False) -> None:
        if self.abs_src_path is None or f"{os.sep}.cache{os.sep}" not in self.abs_src_path:  # never link an
            return super().copy_file(dirty)  # editor's own file
        try:
            os.makedirs(os.path.dirname(self.abs_dest_path), exist_ok=True)
            if os.path.lexists(self.abs_dest_path):
                os.unlink(self.abs_dest_path)
            os.link(self.abs_src_path, self.abs_dest_path)
        except OSError:
            super().copy_file(dirty)


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


class DienHinhPlugin(BasePlugin[DienHinhConfig]):
    # `dienhinh serve` runs MkDocs in its own process and hands the preview's scope over here;
    # `mkdocs serve` run by hand reads DIENHINH_SCOPE and DIENHINH_SINCE instead.
    requested_scope: ClassVar[Scope | None] = None
    is_serving = False  # a setting of the run, not build state
    showing_problems = False  # this build's: the preview shows the project's errors instead of its site
    problems_shown: tuple[Problem, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.deferred_writer: BackgroundTask | None = None  # this build's, from on_files to on_post_build
        self.page_meta: dict[str, dict] = {}  # this build's front matter of generated pages, by source path
        self.page_regions: dict[str, tuple[str, ...]] = {}  # this build's shelved HTML regions, by source path

    def on_startup(self, *, command, dirty) -> None:
        self.is_serving = command == "serve"

    def on_config(self, config):
        # generated headings carry {: .dh-boilerplate }; bodies read as the press and the book read them
        for extension in ("attr_list", *BODY_MARKDOWN_EXTENSIONS):
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        return config

    def _paths(self, config) -> ProjectPaths:
        root = Path(config.config_file_path).parent.resolve()
        return ProjectPaths(root, root / self.config.profiles_dir, root / self.config.data_dir, Path(config.docs_dir))

    def on_files(self, files: Files, config) -> Files:
        paths = self._paths(config)
        self.showing_problems, self.problems_shown = False, ()
        result = self._checked(paths)
        if result.errors:
            if self.is_serving:  # the preview shows them instead of failing, which would hang every request
                return self._show_problems(files, config, result.problems)
            raise PluginError(f"Có {len(result.errors)} lỗi trong hồ sơ và danh mục; hãy sửa các lỗi nêu trên "
                              "(chạy “dienhinh check” để xem lại).")
        catalog = build_catalog(result.registries, result.profiles, build_today(self.config.today))
        home = files.get_file_from_path("index.md")
        intro = home.content_string if home else ""
        try:
            plan = plan_site(catalog, intro, self._options(config, paths), all_profiles=result.profiles,
                             media=result.media)
        except PublicationError as error:
            if self.is_serving:
                return self._show_problems(files, config, (Problem("", "", str(error)),))
            raise PluginError(str(error)) from error
        if home:
            files.remove(home)
        self._start_deferred(plan, Path(config.site_dir), prune=not (result.scoped or self.is_serving))
        self._add_pages(files, config, plan.output.pages)
        self._add_assets(files, config, paths.cache, plan.output.assets)
        return files

    def _checked(self, paths: ProjectPaths) -> CheckResult:
        result = check_project(paths, self.requested_scope or scope_from_environment(paths.root))
        for problem in result.problems:
            (log.error if problem.severity == "error" else log.info)(problem.format())
        if result.scoped:
            log.info(f"Xem trước thu hẹp: {len(result.profiles)} hồ sơ.")
        return result

    def _show_problems(self, files: Files, config, problems) -> Files:
        """The preview's site while the project has errors: the content pages as they are, and the
        list of problems as the home page and as the answer to every other address (on_post_build)."""
        home = files.get_file_from_path("index.md")
        if home:
            files.remove(home)
        self._add_pages(files, config, (problems_page(problems),))
        self.showing_problems, self.problems_shown = True, tuple(problems)
        return files

    def on_env(self, env, config, files):
        """In the preview, a theme override that does not compile is a problem to show, not a build
        that fails (which would hang every request): the build goes on with Material's templates."""
        custom = config.theme.custom_dir
        if not (self.is_serving and custom and isinstance(env.loader, FileSystemLoader)):
            return env
        broken = list(_broken_templates(env, Path(custom), Path(config.config_file_path).parent))
        home = files.get_file_from_path(PROBLEMS_PAGE)
        if broken and home and home.page:  # pages are converted by now: the home page's HTML is replaced
            env.loader = FileSystemLoader([d for d in env.loader.searchpath if Path(d) != Path(custom)])
            page = problems_page((*self.problems_shown, *broken))
            body, regions = shelve(page.body)
            home.page.meta = dict(page.theme_meta)
            home.page.content = unshelve(markdown.markdown(body, extensions=["attr_list"]), regions)
            self.showing_problems = True
        return env

    def _options(self, config, paths: ProjectPaths) -> RenderOptions:
        internal = self.config.internal_reports or self.is_serving or os.environ.get("DIENHINH_INTERNAL") == "1"
        site = SiteSettings(config.site_url or "", config.site_name or "", config.extra.get("licence") or "",
                            config.extra.get("licence_url") or "")
        return render_options(paths, site, preview=self.is_serving, internal=internal)

    def _start_deferred(self, plan: SitePlan, site_dir: Path, prune: bool) -> None:
        """Kits, feeds and embeds into the site beside MkDocs; in-process in `serve`, which runs threads."""
        taken = [page.path for page in plan.output.pages] + [asset.path for asset in plan.output.assets]
        work = partial(write_deferred, plan, site_dir, taken, prune=prune)  # a preview must not age the cache
        self.deferred_writer = start_beside(work, may_fork=not self.is_serving)

    def _add_pages(self, files: Files, config, pages: tuple[GeneratedPage, ...]) -> None:
        self.page_meta, self.page_regions = {}, {}
        for page in pages:
            body, self.page_regions[page.path] = shelve(page.body)
            self.page_meta[page.path] = page.theme_meta
            files.append(File.generated(config, page.path, content=body))

    @staticmethod
    def _add_assets(files: Files, config, cache: Path, assets: tuple[GeneratedAsset, ...]) -> None:
        remove_stale_spools(cache)
        for asset in assets:
            source = spool(cache, asset.path, asset.content) if asset.content is not None else asset.source
            files.append(_LinkedFile.generated(config, asset.path, abs_src_path=str(source)))

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        meta = self.page_meta.pop(page.file.src_uri, None)
        if meta is not None:  # a generated page: its front matter comes as data, not YAML to parse
            page.meta = dict(meta)
        return markdown

    def on_page_content(self, html: str, page, config, files) -> str:
        regions = self.page_regions.pop(page.file.src_uri, ())
        if page.file.src_uri.startswith(PROFILES_DIR + "/"):
            html = sanitize_profile_html(html)  # the editor's story; our shelved HTML goes back after
        return unshelve(html, regions)

    def on_post_page(self, output: str, page, config) -> str:
        return nfc_page(output)  # text pasted in decomposed form is then found like any other

    def on_post_build(self, config) -> None:
        shutil.rmtree(spool_dir(self._paths(config).cache), ignore_errors=True)  # the site holds links
        if self.showing_problems:  # the preview answers a missing page with its 404.html
            site = Path(config.site_dir)
            # Served at any depth: its links, relative to the site's root, resolve from there.
            root = urlsplit(config.site_url or "").path or "/"
            home = (site / "index.html").read_text(encoding="utf-8")
            (site / "404.html").write_text(home.replace("<head>", f'<head><base href="{root}">', 1), encoding="utf-8")
            return
        writer, self.deferred_writer = self.deferred_writer, None
        if writer is not None:
            try:
                writer.wait()
            except BackgroundFailed as error:
                raise PluginError(f"Không ghi được tư liệu báo chí, nguồn tin và mã nhúng:\n{error}") from error
        if not self.config.search_index:
            return
        try:
            stats = index_site(config.site_dir, normalize=False)  # on_post_page made them NFC
        except IndexingFailed as error:
            raise PluginError(str(error)) from error
        log.info(f"Tìm kiếm: đã lập chỉ mục {stats.pages} trang trong {stats.seconds:.1f} giây.")

    def on_build_error(self, *, error) -> None:
        writer, self.deferred_writer = self.deferred_writer, None
        if writer is not None:
            writer.cancel()  # it must not write into a site folder that is being removed

    def on_serve(self, server, config, builder):
        paths = self._paths(config)
        for folder in (paths.profiles, paths.data, *([config.theme.custom_dir] if config.theme.custom_dir else [])):
            server.watch(str(folder))
        return server


def _broken_templates(env, custom: Path, root: Path):
    """A Problem for each template of the theme override that does not compile."""
    for template in sorted(custom.rglob("*.html")):
        name = template.relative_to(custom).as_posix()
        try:
            env.get_template(name)
        except TemplateSyntaxError as error:
            yield Problem("", display_path(template, root), f"Mẫu giao diện có lỗi cú pháp: {error.message}. "
                          "Bản xem trước tạm dùng giao diện mặc định.", error.lineno)
