"""Write the generated site sources to a folder, for any MkDocs-compatible engine.

The folder is assembled beside its destination and swapped in only when complete, so a
failure never leaves a half-written tree; the source folders are never written to.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from generator.infra.output import GeneratedAsset, SiteOutput
from generator.photos.cache import prune_cache
from generator.render.site import OutputCollision, SitePlan


class UnsafeDestination(Exception):
    pass


def replace_directory(staging: Path, destination: Path) -> None:
    """Move ``staging`` to ``destination``, keeping the old tree until the new one is in place."""
    old = None
    if destination.exists():
        old = destination.with_name(f".{destination.name}.old-{os.getpid()}")
        destination.rename(old)
    try:
        staging.rename(destination)
    except OSError:
        if old is not None:
            old.rename(destination)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def guard_destination(destination: Path, protected: list[Path]) -> None:
    target = destination.resolve()
    for folder in protected:
        folder = folder.resolve()
        if target == folder or target.is_relative_to(folder) or folder.is_relative_to(target):
            raise UnsafeDestination(f"Thư mục đích “{destination}” trùng hoặc chứa thư mục nguồn “{folder}”; "
                                    "hãy chọn thư mục khác để không ghi đè nội dung của biên tập viên.")


def emit_site(output: SiteOutput, content_dir: Path, destination: Path, protected: list[Path]) -> int:
    guard_destination(destination, protected)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.tmp-", dir=destination.parent))
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


def write_assets(assets: Iterable[GeneratedAsset], folder: Path, taken: Iterable[str] = ()) -> int:
    """Write each asset under ``folder`` as it comes; ``taken``: paths other outputs already use.
    Returns how many were written."""
    seen, written = set(taken), 0
    for asset in assets:
        if asset.path in seen:
            raise OutputCollision(f"Hai trang cùng ghi vào “{asset.path}”.")
        seen.add(asset.path)
        target = folder / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if asset.content is not None:
            target.write_bytes(asset.content)
        else:
            shutil.copy2(asset.source, target)
        written += 1
    return written


def write_deferred(plan: SitePlan, folder: Path, taken: Iterable[str], all_cores: bool = True,
                   prune: bool = False) -> int:
    """The plan's deferred files into ``folder``; with ``prune`` (a full build), the photo cache
    loses the entries no build has used for a month. Returns how many files were written."""
    count = write_assets(plan.deferred_assets(all_cores), folder, taken)
    if prune and plan.options.cache_dir:
        prune_cache(plan.options.cache_dir, plan.photos.cache_entries(), time.time())
    return count
