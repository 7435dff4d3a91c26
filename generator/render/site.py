"""Every section of the site, in one list: each renderer reads the catalogue and returns pages.

A new output (statistics, feeds, press kits, ...) is a module with a ``render_*(ctx)`` function
(context.SiteContext in, SiteOutput out) and one line in ``SECTIONS``; the plugin and ``emit``
call ``plan_site`` or ``render_site`` and never change.
The files no page needs while it renders (press kits, feeds, embeds) are deferred: a
``SitePlan`` yields them one at a time, so the plugin can write them on its own core while
MkDocs renders the pages, and never holds them all in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from generator.core.catalog import Catalog, build_catalog
from generator.core.media_model import EMPTY_MEDIA, MediaRegistries
from generator.core.model import Profile
from generator.infra.output import GeneratedAsset, GeneratedPage, SiteOutput, refuse_collisions
from generator.infra.output_cache import OutputCache
from generator.photos.planning import PhotoSet
from generator.render.context import SiteContext
from generator.render.editor import render_editor
from generator.render.media import render_media
from generator.render.options import RenderOptions
from generator.render.pages import SiteRenderer, render_core
from generator.render.photos import photos_again, process_photos, profile_photo_assets, render_photos
from generator.render.press import press_assets, press_blocks, render_press
from generator.render.search_pages import render_search
from generator.render.workflow import render_workflow

DEFAULT_OPTIONS = RenderOptions()
# Every section of the site: a new output is one module with a render(ctx) function, and one line here.
SECTIONS: tuple[Callable[[SiteContext], SiteOutput], ...] = (
    render_core,
    render_photos,
    render_workflow,
    render_search,
    render_media,
    render_press,
    render_editor,
)


@dataclass(frozen=True)
class SitePlan:
    output: SiteOutput  # every page, and the files that already exist (photos, cards) or are small
    catalog: Catalog
    options: RenderOptions
    photos: PhotoSet
    media: MediaRegistries = EMPTY_MEDIA
    all_profiles: tuple[Profile, ...] | None = None  # every valid profile, published or not

    def deferred_assets(self, all_cores: bool = True, kits: OutputCache | None = None) -> Iterator[GeneratedAsset]:
        """The files no page needs to render, made one at a time (see ``press_assets``)."""
        return press_assets(self.catalog, self.options, self.photos, all_cores, kits)


def plan_site(catalog: Catalog, intro_markdown: str = "", options: RenderOptions = DEFAULT_OPTIONS,
              all_profiles: tuple[Profile, ...] | None = None, media: MediaRegistries = EMPTY_MEDIA,
              editions: OutputCache | None = None, generated: OutputCache | None = None) -> SitePlan:
    """``all_profiles``: every valid profile, published or not, for the internal quota report;
    ``editions``: PDF and EPUB files kept by earlier builds; ``generated``: profile pages'
    Markdown kept likewise (the caller saves both)."""
    photos = process_photos(catalog, options)
    ctx = SiteContext(catalog, options, intro_markdown, media, all_profiles, photos,
                      press_blocks(catalog, options, photos), editions, generated)
    outputs = [section(ctx) for section in SECTIONS]
    pages: list[GeneratedPage] = [page for output in outputs for page in output.pages]
    assets: list[GeneratedAsset] = [asset for output in outputs for asset in output.assets]
    refuse_collisions([p.path for p in pages] + [a.path for a in assets])
    return SitePlan(SiteOutput(tuple(pages), tuple(assets)), catalog, options, photos, media, all_profiles)


@dataclass(frozen=True)
class ProfileAgain:
    """An edited profile's page rendered again, and the files it shows (its photos' renditions,
    its share card)."""

    page: GeneratedPage
    assets: tuple[GeneratedAsset, ...]


def profile_page_again(plan: SitePlan, edited: Profile) -> ProfileAgain | None:
    """The page of ``edited`` (a new version of one of the plan's profiles, same slug, or a new
    profile) as the next full plan would render it, given that nothing else changed: the
    catalogue is made again with it (its place in the lists, its related profiles), its photos
    and share card are gathered again from its bundle, everything else is the plan's. None if it
    has no page now (not published). The live preview's first look."""
    known = plan.all_profiles or plan.catalog.profiles
    profiles = tuple(edited if p.slug == edited.slug else p for p in known)
    if not any(p.slug == edited.slug for p in known):  # a new profile
        profiles += (edited,)
    catalog = build_catalog(plan.catalog.registries, profiles, plan.catalog.today)
    published = next((p for p in catalog.profiles if p.slug == edited.slug), None)
    if published is None:
        return None
    photos = photos_again(plan.photos, catalog, published, plan.options)
    ctx = SiteContext(catalog, plan.options, media=plan.media, all_profiles=profiles, photos=photos,
                      press=press_blocks(catalog, plan.options, photos))
    return ProfileAgain(SiteRenderer.of(ctx).profile(published), profile_photo_assets(photos, published.slug))


def render_site(catalog: Catalog, intro_markdown: str = "", options: RenderOptions = DEFAULT_OPTIONS,
                all_profiles: tuple[Profile, ...] | None = None, media: MediaRegistries = EMPTY_MEDIA) -> SiteOutput:
    """The whole site at once, deferred files included (``emit`` and tests)."""
    plan = plan_site(catalog, intro_markdown, options, all_profiles, media)
    assets = plan.output.assets + tuple(plan.deferred_assets())
    refuse_collisions([p.path for p in plan.output.pages] + [a.path for a in assets])
    return SiteOutput(plan.output.pages, assets)
