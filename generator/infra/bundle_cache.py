"""The last bundle of each part of the search index kept whole, found again by a digest of the
pages it indexed.

Pagefind has no incremental mode: it reads every page it is given and writes its bundle anew. The
index is therefore made in parts (``render/pagefind.py``), and each part's bundle is a function of
the pages it reads, Pagefind's version and our settings, so the indexer digests those into a key;
a build whose key for a part is the last one's links the kept bundle into the site instead of
running Pagefind for that part.

Layout under the cache folder (``<project>/.cache/dienhinh/``)::

    search/<part>/<key>/          the part's bundle (hard links to the files the build published)
    search/<part>/<key>.json      relative path -> digest of each of them

Only the newest bundle of a part is kept: a changed page changes its part's key, and an older
bundle is only good for a build of exactly the older pages; ``retain_parts`` removes the parts a
build no longer has. A bundle is used only if every file still has the digest
its manifest names (the site holds hard links to these files), so a truncated or altered file is
never published; the index is made again. The bundle is copied in under a temporary name and
renamed, so an interrupted build leaves no entry that looks whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Collection
from pathlib import Path

from generator.infra.files import link_file, write_atomically
from generator.infra.output_cache import digest_bytes, make_folder


def search_folder(cache: Path) -> Path:
    return cache / "search"


def retain_parts(cache: Path, parts: Collection[str]) -> None:
    """Remove what the cache keeps for any part not in ``parts`` (a site whose index has fewer
    parts now, or a cache written before the index had parts)."""
    folder = search_folder(cache)
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name not in parts:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


class BundleCache:
    """The kept bundle of one part of the index."""

    def __init__(self, cache: Path, part: str):
        self.cache = cache
        self.folder = search_folder(cache) / part

    def _manifest(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def restore(self, key: str, destination: Path) -> bool:
        """Link the bundle kept under ``key`` to ``destination``; False if there is none intact
        (a damaged one is removed)."""
        kept = self.folder / key
        try:
            manifest = json.loads(self._manifest(key).read_text(encoding="utf-8"))
            intact = isinstance(manifest, dict) and bool(manifest) and all(
                isinstance(digest, str) and digest_bytes((kept / name).read_bytes()) == digest
                for name, digest in manifest.items())
        except (OSError, ValueError):
            intact = False
        if not intact:
            self._remove(key)
            return False
        shutil.rmtree(destination, ignore_errors=True)
        for name in manifest:
            link_file(kept / name, destination / name)
        return True

    def store(self, key: str, bundle: Path) -> None:
        """Keep ``bundle`` (just written) under ``key``, in place of any other bundle."""
        make_folder(search_folder(self.cache), self.folder)
        staging = Path(tempfile.mkdtemp(prefix=".new-", dir=self.folder))
        try:
            manifest = {}
            for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
                name = path.relative_to(bundle).as_posix()
                link_file(path, staging / name)
                manifest[name] = digest_bytes(path.read_bytes())
            for other in self.folder.iterdir():
                if not other.name.startswith(".new-"):  # another build's, still being written
                    self._remove(other.name.removesuffix(".json"))
            os.replace(staging, self.folder / key)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        write_atomically(self._manifest(key), json.dumps(manifest, sort_keys=True).encode("utf-8"))

    def _remove(self, key: str) -> None:
        with contextlib.suppress(OSError):
            self._manifest(key).unlink()
        shutil.rmtree(self.folder / key, ignore_errors=True)

