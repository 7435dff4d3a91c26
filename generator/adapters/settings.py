"""Run settings shared by the CLI and the plugin: the build date, the preview scope and the
render options, each made here only."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.check.project import ProjectPaths, Scope
from generator.core.options import VIETNAM_TZ
from generator.render.options import DEFAULT_LICENCE, DEFAULT_LICENCE_URL, RenderOptions


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
    """What the renderers take from mkdocs.yml, read without MkDocs (for `dienhinh emit`)."""

    site_url: str = ""
    site_name: str = ""
    licence: str = ""
    licence_url: str = ""


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml names Python objects (!!python/name:...) and !ENV values: read them as absent."""


_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def site_settings(config_file: Path) -> SiteSettings:
    """site_url, site_name and extra.licence(_url) of ``config_file``; defaults where it has none."""
    if not config_file.is_file():
        return SiteSettings()
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    extra = config.get("extra") or {}
    return SiteSettings(str(config.get("site_url") or ""), str(config.get("site_name") or ""),
                        str(extra.get("licence") or ""), str(extra.get("licence_url") or ""))


def render_options(paths: ProjectPaths, site: SiteSettings, preview: bool = False,
                   internal: bool = False) -> RenderOptions:
    """The one way a run's RenderOptions are made: by the plugin from MkDocs' config, by
    `dienhinh emit` and the benchmark from mkdocs.yml read directly."""
    return RenderOptions(preview=preview, internal=internal, site_url=site.site_url,
                         licence=site.licence or DEFAULT_LICENCE, licence_url=site.licence_url or DEFAULT_LICENCE_URL,
                         site_name=site.site_name, cache_dir=paths.cache)
