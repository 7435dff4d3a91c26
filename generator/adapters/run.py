"""One run of the generator, decided once: where the project is, which profiles it covers,
which day decides embargoes and how to render. The CLI makes it from mkdocs.yml read directly
(``Run.from_config_file``), the plugin from MkDocs' loaded config (``Run.from_mkdocs``); every
later step reads the frozen value, never the environment again.

The environment variables read here (DIENHINH_TODAY, DIENHINH_SCOPE, DIENHINH_SINCE,
DIENHINH_INTERNAL, SOURCE_DATE_EPOCH) are a user-facing interface for plain `mkdocs serve`
and CI, not a channel between our own modules.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.check.memo import CheckMemo
from generator.check.project import CheckResult, ProjectPaths, Scope, check_project
from generator.core.catalog import Catalog, build_catalog
from generator.core.options import VIETNAM_TZ
from generator.infra.output import SiteOutput
from generator.infra.output_cache import OutputCache
from generator.render.options import DEFAULT_LICENCE, DEFAULT_LICENCE_URL, EditorSetup, RenderOptions
from generator.render.site import SitePlan, plan_site, render_site


def build_today(explicit: str | None = None) -> dt.date:
    """The date that decides embargoes: explicit, DIENHINH_TODAY, SOURCE_DATE_EPOCH, or now in Vietnam."""
    value = explicit or os.environ.get("DIENHINH_TODAY")
    if value:
        return dt.date.fromisoformat(value)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), VIETNAM_TZ).date()
    return dt.datetime.now(VIETNAM_TZ).date()


def scope_from_environment(root: Path) -> Scope:
    """DIENHINH_SCOPE (paths separated by ':') and DIENHINH_SINCE (a git ref) narrow a preview."""
    paths = tuple(root / p for p in os.environ.get("DIENHINH_SCOPE", "").split(os.pathsep) if p)
    return Scope(paths=paths, since=os.environ.get("DIENHINH_SINCE", ""))


@dataclass(frozen=True)
class SiteSettings:
    """What the renderers take from mkdocs.yml."""

    site_url: str = ""
    site_name: str = ""
    licence: str = ""
    licence_url: str = ""

    @classmethod
    def of(cls, config: dict[str, Any]) -> SiteSettings:
        """From a mkdocs.yml mapping (read by us or loaded by MkDocs); defaults where it has none."""
        extra = config.get("extra") or {}
        return cls(str(config.get("site_url") or ""), str(config.get("site_name") or ""),
                   str(extra.get("licence") or ""), str(extra.get("licence_url") or ""))


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml names Python objects (!!python/name:...) and !ENV values: read them as absent."""


_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def site_settings(config_file: Path) -> SiteSettings:
    """site_url, site_name and extra.licence(_url) of ``config_file``, read without MkDocs."""
    if not config_file.is_file():
        return SiteSettings()
    return SiteSettings.of(yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {})


WHOLE_PROJECT = Scope()


@dataclass(frozen=True)
class Run:
    """One run, frozen: made once per build, read by every step after."""

    paths: ProjectPaths
    today: dt.date
    options: RenderOptions
    scope: Scope = WHOLE_PROJECT

    @classmethod
    def make(cls, paths: ProjectPaths, site: SiteSettings, today: dt.date, scope: Scope = WHOLE_PROJECT,
             preview: bool = False, internal: bool = False, editor: EditorSetup | None = None) -> Run:
        """The one place a run's RenderOptions are made."""
        options = RenderOptions(preview=preview, internal=internal, site_url=site.site_url,
                                licence=site.licence or DEFAULT_LICENCE,
                                licence_url=site.licence_url or DEFAULT_LICENCE_URL,
                                site_name=site.site_name, cache_dir=paths.cache, editor=editor)
        return cls(paths, today, options, scope)

    @classmethod
    def from_config_file(cls, paths: ProjectPaths, today: str | None = None) -> Run:
        """`dienhinh emit` and the benchmark: mkdocs.yml read directly, the whole project."""
        return cls.make(paths, site_settings(paths.root / "mkdocs.yml"), build_today(today))

    @classmethod
    def from_mkdocs(cls, config: Any, paths: ProjectPaths, today: str | None, internal: bool, serving: bool,
                    scope: Scope | None, editor: EditorSetup | None = None) -> Run:
        """The plugin: MkDocs' loaded ``config``; ``scope`` handed over by `dienhinh serve`, else the
        environment's; a preview is internal (it shows the quota report) and shows scheduled items."""
        internal = internal or serving or os.environ.get("DIENHINH_INTERNAL") == "1"
        return cls.make(paths, SiteSettings.of(config), build_today(today),
                        scope if scope is not None else scope_from_environment(paths.root),
                        preview=serving, internal=internal, editor=editor)

    def check(self, reuse: bool = False, prune: bool = False) -> CheckResult:
        """``reuse``: a file whose check's inputs did not change since an earlier build is not
        checked again (check/memo.py); ``prune``: this build may age the kept checks."""
        memo = CheckMemo(self.paths.cache, self.paths.data) if reuse else None
        return check_project(self.paths, self.scope, memo, prune)

    def catalog(self, result: CheckResult) -> Catalog:
        return build_catalog(result.registries, result.profiles, self.today)

    def plan(self, result: CheckResult, intro_markdown: str = "", editions: OutputCache | None = None,
             generated: OutputCache | None = None) -> SitePlan:
        """The site's pages, with the files no page needs deferred (the plugin)."""
        return plan_site(self.catalog(result), intro_markdown, self.options, all_profiles=result.profiles,
                         media=result.media, editions=editions, generated=generated)

    def render(self, result: CheckResult, intro_markdown: str = "") -> SiteOutput:
        """The whole site at once (`dienhinh emit`)."""
        return render_site(self.catalog(result), intro_markdown, self.options, all_profiles=result.profiles,
                           media=result.media)
