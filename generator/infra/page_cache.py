"""Rendered pages kept between builds, found again by a digest of everything they are made from.

A page's HTML is a function of its inputs: its own source, the build's fingerprint (generator,
theme, configuration, library versions, navigation) and whether the files its links name exist.
The adapter digests those inputs into a *key*; the same key always means the same HTML, so a
page whose key is here is linked into the site instead of being rendered again. Nothing else
decides what is fresh: there is no dependency graph that could forget an edge.

Layout under the cache folder (``<project>/.cache/dienhinh/``, git-ignored)::

    pages/manifest.json    key -> [digest of the HTML, day it was last used]
    pages/ab/<digest>.html the HTML, named by its own digest (pages with equal HTML share it)

An entry is used only if its file still has the digest it is named by, so a truncated or altered
entry (the site holds hard links to these files; a tool that edits a published page in place edits
the entry too) is never published: the page is rendered again and the entry replaced. Files are
written beside their target and renamed; the manifest is replaced whole at the end of a build, so
an interrupted build leaves the previous manifest. A manifest of another format version is
ignored. Keys hold no absolute path, so a cache carried to another checkout (CI restoring it) is
as good as this one's; keys made by another generator version simply never match.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from generator.infra.files import write_atomically

MANIFEST_VERSION = 1
KEEP_UNUSED_DAYS = 30  # as the photo cache: long enough for a branch switched away from and back
_DAY = 86_400


def digest_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def digest_parts(parts: Iterable[str | bytes]) -> str:
    """One digest of several parts, each length-prefixed so that no two sequences collide."""
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def folder_digest(folder: Path) -> str:
    """Digest of every file under ``folder`` (relative path and bytes); bytecode caches skipped."""
    parts: list[str | bytes] = []
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest_parts(parts)


def encode_page(html: str) -> bytes:
    """The bytes MkDocs writes for a page's HTML."""
    return html.encode("utf-8", errors="xmlcharrefreplace")


class PageCache:
    """One build's view of the page cache: read at the start, saved once at the end."""

    def __init__(self, folder: Path, today: int | None = None):
        self.folder = folder / "pages"
        self.today = int(time.time() // _DAY) if today is None else today
        self.entries: dict[str, list] = {}
        try:
            data = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if isinstance(data, dict) and data.get("version") == MANIFEST_VERSION and isinstance(data.get("pages"), dict):
            self.entries = {key: value for key, value in data["pages"].items()
                            if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)}
        self.changed = False

    def _blob(self, digest: str) -> Path:
        return self.folder / digest[:2] / f"{digest}.html"

    def lookup(self, key: str) -> Path | None:
        """The cached HTML for ``key``, if there is an entry and it is intact."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        blob = self._blob(entry[0])
        try:
            intact = digest_bytes(blob.read_bytes()) == entry[0]
        except OSError:
            intact = False
        if not intact:
            del self.entries[key]
            self.changed = True
            with contextlib.suppress(OSError):
                blob.unlink()
            return None
        if entry[1] != self.today:
            entry[1], self.changed = self.today, True
        return blob

    def store(self, key: str, digest: str, written: Path) -> None:
        """Remember ``written`` (a page just written, whose bytes have ``digest``) under ``key``."""
        blob = self._blob(digest)
        if not blob.exists():
            blob.parent.mkdir(parents=True, exist_ok=True)
            temporary = Path(tempfile.mkdtemp(prefix=".new-", dir=blob.parent)) / blob.name
            try:
                try:
                    os.link(written, temporary)
                except OSError:
                    shutil.copyfile(written, temporary)
                os.replace(temporary, blob)
            finally:
                shutil.rmtree(temporary.parent, ignore_errors=True)
        self.entries[key] = [digest, self.today]
        self.changed = True

    def save(self, prune: bool = False, keep_days: int = KEEP_UNUSED_DAYS) -> None:
        """Write the manifest; with ``prune`` (a full build), drop entries no build has used for
        ``keep_days`` and the files no entry names."""
        if prune:
            before = len(self.entries)
            self.entries = {key: entry for key, entry in self.entries.items() if self.today - entry[1] <= keep_days}
            self.changed = self.changed or len(self.entries) != before
        if self.changed:
            manifest = {"version": MANIFEST_VERSION, "pages": self.entries}
            write_atomically(self.folder / "manifest.json",
                             json.dumps(manifest, separators=(",", ":"), sort_keys=True).encode("utf-8"))
        if prune:
            named = {f"{entry[0]}.html" for entry in self.entries.values()}
            for path in self.folder.glob("??/*"):
                if path.name not in named and not path.name.startswith("."):  # ".new-": a running build's
                    with contextlib.suppress(OSError):
                        shutil.rmtree(path) if path.is_dir() else path.unlink()


def link_page(source: Path, target: Path) -> None:
    """Put a cached file at ``target`` as a hard link (a copy across file systems)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
