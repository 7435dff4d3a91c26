"""A build's spool: the small generated files written to disk before MkDocs copies them into the
site (so MkDocs never holds them in memory), one folder per process under the project's cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.infra.files import process_alive


def spool_dir(cache: Path) -> Path:
    """This process's spool under ``cache`` (a `serve` reuses its own between builds)."""
    return cache / f"spool-{os.getpid()}"


def remove_stale_spools(cache: Path) -> None:
    """Spools left by builds that failed or were killed; a live process keeps its own."""
    for folder in cache.glob("spool-*"):
        pid = folder.name.removeprefix("spool-")
        # this process's own spool is a previous build of this `serve`
        if not pid.isdigit() or int(pid) == os.getpid() or not process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def spool(cache: Path, path: str, content: bytes) -> Path:
    """``content`` written to this process's spool as ``path``; where it now is."""
    target = spool_dir(cache) / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return target
