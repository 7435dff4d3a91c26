"""The photo cache: content digests, inspection verdicts and processed entries, kept on disk.

Layout under the cache folder (default ``<project>/.cache/dienhinh/``, git-ignored)::

    photos/index.json          path -> (size, mtime, inode, sha256); sha256 -> verdict
    photos/ab/<key>/           one processed photo: renditions + manifest.json
    cards/ab/<key>.jpg         one share card

Entries are written into a temporary folder and renamed into place, so a crash or a
concurrent build never leaves a half-written entry; the index is replaced atomically.
Nothing is kept in memory between builds: every run opens the index afresh. A full build
marks the entries it used and removes those no build has used for ``KEEP_UNUSED_DAYS``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from generator.infra.files import write_atomically

INDEX_VERSION = 1
RACY_SECONDS = 2.0  # a file modified this recently may change again within one mtime tick
KEEP_UNUSED_DAYS = 30  # long enough for a branch that is switched away from and back

T = TypeVar("T")
R = TypeVar("R")


class SourceIndex:
    """Content digests remembered by file stat (as git's index does) and verdicts by digest."""

    def __init__(self, folder: Path | None):
        self.path = folder / "photos" / "index.json" if folder else None
        self.files: dict[str, list] = {}
        self.verdicts: dict[str, dict] = {}
        self.changed = False
        if self.path and self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            if data.get("version") == INDEX_VERSION:
                self.files, self.verdicts = data.get("files", {}), data.get("verdicts", {})

    def digest(self, file: Path) -> str:
        """sha256 of the file's bytes, read again only when its size, mtime or inode changed."""
        name = str(file.absolute())
        stat = file.stat()
        signature = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        known = self.files.get(name)
        if known and known[:3] == signature:
            return known[3]
        with open(file, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        if time.time() - stat.st_mtime > RACY_SECONDS:
            self.files[name] = signature + [digest]
            self.changed = True
        return digest

    def verdict(self, digest: str) -> dict | None:
        return self.verdicts.get(digest)

    def record(self, digest: str, verdict: dict) -> None:
        if self.verdicts.get(digest) != verdict:
            self.verdicts[digest] = verdict
            self.changed = True

    def save(self) -> None:
        """Write the index back if anything changed, forgetting files that are gone."""
        if self.path and self.changed:
            self.files = {name: known for name, known in self.files.items() if os.path.exists(name)}
            data = {"version": INDEX_VERSION, "files": self.files, "verdicts": self.verdicts}
            write_atomically(self.path, json.dumps(data, sort_keys=True).encode("utf-8"))
            self.changed = False


def entry_folder(cache: Path, key: str) -> Path:
    return cache / "photos" / key[:2] / key


def card_file(cache: Path, key: str) -> Path:
    return cache / "cards" / key[:2] / f"{key}.jpg"


def read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def fill_entry(folder: Path, write: Callable[[Path], dict]) -> dict:
    """Let ``write`` fill a scratch folder and return its manifest; then move it to ``folder``."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
    try:
        manifest = write(scratch)
        (scratch / "manifest.json").write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
        try:
            scratch.rename(folder)
        except OSError:  # another build finished the same entry first: theirs is as good
            shutil.rmtree(scratch, ignore_errors=True)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return manifest


def parallel_map(function: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``function`` over ``items`` on every core, results in order; in-process for a single item.

    "fork", as pipeline.check_project uses: workers start in milliseconds and need no importable
    __main__ (generator/__main__.py runs the CLI on import, which spawn would re-run).
    """
    work = list(items)
    workers = min(os.cpu_count() or 1, len(work), 8)
    if workers < 2:
        return [function(item) for item in work]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(function, work, chunksize=1))


def prune_cache(cache: Path, used: Iterable[Path], now: float, keep_days: int = KEEP_UNUSED_DAYS) -> int:
    """Mark the ``used`` entries as used ``now``; remove entries unused for ``keep_days``.

    For full builds only: a scoped preview uses a few entries and must not let the rest age.
    The site holds hard links, so removing an entry never touches a published file. Scratch
    folders of a build that crashed are removed the same way. Returns how many went.
    """
    used = set(used)
    for entry in used:
        with contextlib.suppress(OSError):
            os.utime(entry, (now, now))
    cutoff, removed = now - keep_days * 86_400, 0
    for entry in [*cache.glob("photos/??/*"), *cache.glob("cards/??/*")]:
        try:
            if entry in used or entry.lstat().st_mtime >= cutoff:
                continue
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
            removed += 1
        except OSError:
            pass  # another build is using or removing it
    return removed
