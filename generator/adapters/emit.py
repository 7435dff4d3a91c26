"""Write the generated site sources to a folder, for any MkDocs-compatible engine.

The folder is assembled beside its destination and swapped in only when complete, so a
failure never leaves a half-written tree; the source folders are never written to.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.infra.files import guard_destination, replace_directory, staging_folder, write_assets
from generator.infra.output import SiteOutput
from generator.infra.output_cache import OutputCache
from generator.photos.cache import prune_cache
from generator.render.press import KIT_PARTS
from generator.render.site import SitePlan


def emit_site(output: SiteOutput, content_dir: Path, destination: Path, protected: Iterable[Path]) -> int:
    guard_destination(destination, protected)
    staging = staging_folder(destination)
    try:
        if content_dir.is_dir():
            shutil.copytree(content_dir, staging, dirs_exist_ok=True)
        for page in output.pages:
            target = staging / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.markdown, encoding="utf-8")
        write_assets(output.assets, staging)
        replace_directory(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(output.pages)


@dataclass(frozen=True)
class DeferredWritten:
    files: int
    kits_reused: int  # press kits taken from the build cache (``reuse``)
    kits_made: int  # press kits made and stored in it


def write_deferred(plan: SitePlan, folder: Path, taken: Iterable[str], all_cores: bool = True,
                   prune: bool = False, reuse: bool = False) -> DeferredWritten:
    """The plan's deferred files into ``folder``; with ``prune`` (a full build), the photo cache
    loses the entries no build has used for a month; with ``reuse`` (`dienhinh build`), press kits
    whose story did not change come from the build cache."""
    cache_dir = plan.options.cache_dir
    kits = OutputCache(cache_dir, section="kits", suffix="") if reuse and cache_dir else None
    count = write_assets(plan.deferred_assets(all_cores, kits), folder, taken)
    if kits is not None:
        kits.save(prune=prune)
    if prune and cache_dir:
        prune_cache(cache_dir, plan.photos.cache_entries(), time.time())
    parts = len(KIT_PARTS)
    return DeferredWritten(count, kits.used // parts if kits else 0, kits.added // parts if kits else 0)
