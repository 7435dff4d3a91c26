"""What every section of the site reads: one value, so every section has one signature,
``render(ctx) -> SiteOutput``, and the plan in site.py is one list with a line per section."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from generator.core.catalog import Catalog
from generator.core.media_model import EMPTY_MEDIA, MediaRegistries
from generator.core.model import Profile
from generator.infra.output_cache import OutputCache
from generator.photos.planning import NO_PHOTOS, PhotoSet
from generator.render.options import RenderOptions


@dataclass(frozen=True)
class SiteContext:
    catalog: Catalog
    options: RenderOptions = field(default_factory=RenderOptions)
    intro_markdown: str = ""  # content/index.md, above the home page's lists
    media: MediaRegistries = EMPTY_MEDIA
    all_profiles: tuple[Profile, ...] | None = None  # every valid profile, published or not: the internal report
    photos: PhotoSet = NO_PHOTOS  # the photo pipeline's result (site.plan_site makes it)
    # press.PressBlocks (not imported: press.py imports this module): profile -> its "Tư liệu cho
    # báo chí" block, which the profile template calls
    press: Callable[[Profile], object] | None = None
    editions: OutputCache | None = None  # the build cache's PDF and EPUB files (`dienhinh build`)
    generated: OutputCache | None = None  # the build cache's profile pages' Markdown (`dienhinh build`)
