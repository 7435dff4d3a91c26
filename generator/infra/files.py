"""Files on disk: a folder swapped in whole, a destination that must not hold the sources, and
generated assets written as they come. Shared by ``dienhinh build``, ``emit`` and the plugin."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from generator.infra.output import GeneratedAsset, OutputCollision


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
