"""Press reuse, one section renderer: feeds, a press kit per profile, embeds, and the press page.

``render_press`` (the page) and ``press_assets`` (its files, streamed) are composed by
``site.py``; ``press_blocks`` gives the profile
template what its "Tư liệu cho báo chí" block links to. Both need ``site_url`` (feeds and
embeds live on other sites, so their links are absolute); without it they produce nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from generator.core.catalog import Catalog
from generator.core.model import Profile
from generator.core.urls import file_url, profile_page_path
from generator.infra.output import GeneratedAsset, GeneratedPage, SiteOutput
from generator.infra.output_cache import OutputCache, code_fingerprint, digest_parts
from generator.infra.parallel import map_on_cores
from generator.infra.records import key_bytes
from generator.press.embeds import (
    LIST_HEIGHT,
    PROFILE_HEIGHT,
    EmbedSnippet,
    embed_localities,
    embed_snippet,
    profile_embed_title,
    render_embeds,
)
from generator.press.feed_formats import Feed, FeedLinks, feed_assets, feed_links
from generator.press.feeds import SiteFeeds
from generator.press.kit import KitEntry, KitWriter, kit_manifest
from generator.press.photos import PublishedPhotos, kit_photos
from generator.press.site import (
    PRESS_PAGE,
    PressSite,
    district_feed_dir,
    fragment_path,
    kit_folder,
    kit_path,
    locality_embed_path,
    movement_embed_path,
    movement_feed_dir,
    press_site,
    profile_embed_path,
)
from generator.press.story import citation, story_facts, tell_story
from generator.press.text import BodyConverter
from generator.render.context import SiteContext
from generator.render.options import RenderOptions
from generator.render.pages import SiteRenderer, page_environment

NEWEST_KITS = 20


def site_of(catalog: Catalog, options: RenderOptions) -> PressSite | None:
    return press_site(options.site_url, options.licence, options.site_name, catalog.registries.province_name,
                      options.licence_url)


def render_press(ctx: SiteContext) -> SiteOutput:
    """The press page. Its files (feeds, kits, embeds) come from ``press_assets``; without a
    photo pipeline (``ctx.photos`` empty), kits, feeds and embeds carry no photo."""
    site = site_of(ctx.catalog, ctx.options)
    if site is None:
        return SiteOutput((), ())
    feeds = SiteFeeds(ctx.catalog, site, ctx.photos).by_group()
    return SiteOutput((press_page(SiteRenderer.of(ctx), site, feeds),), ())


def press_assets(catalog: Catalog, options: RenderOptions, photos: PublishedPhotos | None = None,
                 all_cores: bool = True, kits: OutputCache | None = None) -> Iterator[GeneratedAsset]:
    """Feeds, a press kit and a clean fragment per profile, and embeds, one file at a time.

    A generator, so a caller can write each file as it is made instead of holding every zip.
    ``all_cores=False`` keeps to one core, for a caller that runs beside another busy process.
    ``kits``: a cache of kits and fragments; a profile whose story did not change gets its kit
    from there instead of converting its body and zipping it again (the caller saves the cache).
    """
    site = site_of(catalog, options)
    if site is None:
        return
    feeds = [feed for group in SiteFeeds(catalog, site, photos).by_group().values() for _, feed in group]
    # Feeds carry the whole story, which the kits convert anyway: kept only for what a feed lists.
    in_feeds = frozenset(item.url for feed in feeds for item in feed.items)
    state = (catalog, site, photos, _KitTools(), in_feeds)
    stories: dict[str, str] = {}
    for p, (kit, fragment, story) in zip(catalog.profiles, _press_kits(state, all_cores, kits)):
        yield _kit_file(kit_path(p), kit)
        yield _kit_file(fragment_path(p), fragment)
        stories.update(story)
    for feed in feeds:
        yield from feed_assets(feed.with_contents(stories), site.url)
    yield from render_embeds(page_environment(), catalog, site, photos)


KIT_PARTS = ("zip", "fragment", "story")  # a kit's entries in the build cache: the story is for the feeds
Kit = tuple[bytes | Path, bytes | Path, dict[str, str]]  # zip, fragment (made, or a cache file), feed story


def _kit_file(path: str, made: bytes | Path) -> GeneratedAsset:
    return GeneratedAsset(path, content=made) if isinstance(made, bytes) else GeneratedAsset(path, made, link=True)


def _press_kits(state: tuple, all_cores: bool, cache: OutputCache | None) -> Iterator[Kit]:
    """``_press_kit`` of each profile, in order: from ``cache`` where the story's key has an intact
    entry; the rest made (on every core if asked) and stored."""
    catalog, site, photos, _, in_feeds = state
    profiles = catalog.profiles
    if cache is None:
        yield from _make_kits(state, profiles, all_cores)
        return
    stories = [story_facts(p, catalog, site, photos) for p in profiles]
    keys = [digest_parts([code_fingerprint(), key_bytes(story), str(story.url in in_feeds)]) for story in stories]
    missing = {index for index, key in enumerate(keys) if f"{key}.zip" not in cache}
    made = iter(_make_kits(state, [p for index, p in enumerate(profiles) if index in missing], all_cores))
    for index, (p, key, story) in enumerate(zip(profiles, keys, stories)):
        kit = None if index in missing else _cached_kit(cache, key, story.url if story.url in in_feeds else None)
        if kit is None:  # not kept, or kept but damaged
            made_kit = next(made) if index in missing else _press_kit(state, p)
            for part, data in zip(KIT_PARTS, (*made_kit[:2], "".join(made_kit[2].values()).encode("utf-8"))):
                cache.put(f"{key}.{part}", data)
            kit = made_kit
        yield kit


def _make_kits(state: tuple, profiles: Sequence[Profile], all_cores: bool) -> Iterable[tuple[bytes, bytes, dict]]:
    return map_on_cores(_press_kit, profiles, state) if all_cores else (_press_kit(state, p) for p in profiles)


def _cached_kit(cache: OutputCache, key: str, feed_url: str | None) -> Kit | None:
    """A kit as ``_press_kit`` gives it, if all its entries are intact: the zip and the fragment as
    the cache's files (linked into the site, never read), the story read only if a feed lists it."""
    kit, fragment, story = (cache.lookup(f"{key}.{part}") for part in KIT_PARTS)
    if kit is None or fragment is None or story is None:
        return None
    return kit, fragment, ({feed_url: story.read_text(encoding="utf-8")} if feed_url else {})


class _KitTools:
    """Template environment and Markdown converter, made once per process on first use."""

    @cached_property
    def writer(self) -> KitWriter:
        return KitWriter(page_environment())

    @cached_property
    def converter(self) -> BodyConverter:
        return BodyConverter()


def _press_kit(state: tuple, p: Profile) -> tuple[bytes, bytes, dict[str, str]]:
    """The zip and the clean fragment of one profile (run on every core for large sites), and its
    story's HTML by its address if a feed lists it."""
    catalog, site, photos, tools, in_feeds = state
    story = tell_story(p, catalog, site, photos, tools.converter)
    return (tools.writer.zip(story), tools.writer.document(story),
            {story.url: str(story.body_html)} if story.url in in_feeds else {})


@dataclass(frozen=True)
class PressBlock:
    """What the "Tư liệu cho báo chí" block of one profile page shows; URLs relative to that page."""

    kit_url: str
    kit_folder: str
    fragment_url: str
    contents: tuple[KitEntry, ...]
    citation: str
    licence: str
    embed: EmbedSnippet  # absolute addresses: the snippet is pasted on other sites
    feeds: tuple[FeedLinks, ...]


class PressBlocks:
    """Callable from the profile template (``press(p)``); the renderer sets it as a global."""

    def __init__(self, catalog: Catalog, site: PressSite, photos: PublishedPhotos | None = None):
        self.catalog, self.site, self.photos = catalog, site, photos

    def __call__(self, p: Profile) -> PressBlock:
        page, c = profile_page_path(p), self.catalog
        district = c.profile_district(p)
        movement = c.movements[p.movement]
        feeds = (feed_links(page, f"Phong trào “{movement.label}”", movement_feed_dir(p.movement)),
                 feed_links(page, district.name, district_feed_dir(district.id)))
        return PressBlock(kit_url=file_url(page, kit_path(p)), kit_folder=kit_folder(p),
                          fragment_url=file_url(page, fragment_path(p)),
                          contents=kit_manifest(kit_photos(p, self.site, self.photos)),
                          citation=citation(p, self.site), licence=self.site.licence,
                          embed=embed_snippet(self.site, profile_embed_path(p), profile_embed_title(p),
                                              PROFILE_HEIGHT),
                          feeds=feeds)


def press_blocks(catalog: Catalog, options: RenderOptions, photos: PublishedPhotos | None = None) -> PressBlocks | None:
    site = site_of(catalog, options)
    return PressBlocks(catalog, site, photos) if site else None


@dataclass(frozen=True)
class EmbedLink:
    title: str
    url: str  # relative, for a preview
    snippet: EmbedSnippet
    communes: tuple[EmbedLink, ...] = ()


def press_page(renderer: SiteRenderer, site: PressSite, feeds: dict[str, list[tuple[str, Feed]]]) -> GeneratedPage:
    c = renderer.catalog

    def embed(title: str, path: str, communes: tuple[EmbedLink, ...] = ()) -> EmbedLink:
        return EmbedLink(title, file_url(PRESS_PAGE, path),
                         embed_snippet(site, path, f"Điển hình mới: {title}", LIST_HEIGHT), communes)

    localities = embed_localities(c)
    district_embeds = [embed(d.name, locality_embed_path(d.id),
                             tuple(embed(x.name, locality_embed_path(x.id)) for x in localities if x.parent == d.id))
                       for d in localities if d.holds_communes]
    return renderer.page(
        PRESS_PAGE, "press_page.md.j2",
        {"title": "Báo chí", "description": "Tư liệu cho báo chí, nguồn tin RSS, Atom, JSON Feed và mã nhúng"},
        site=site, newest=[(p, file_url(PRESS_PAGE, kit_path(p)), file_url(PRESS_PAGE, fragment_path(p)))
                           for p in c.newest(NEWEST_KITS)],
        feed_groups={group: [feed_links(PRESS_PAGE, label, f.directory) for label, f in items]
                     for group, items in feeds.items()},
        movement_embeds=[embed(m.name, movement_embed_path(code)) for code, m in c.movements.items()],
        district_embeds=district_embeds)
