"""Outputs kept between builds, found again by a digest of everything they are made from.

An output (a page's HTML, a press kit) is a function of its inputs. The caller digests those
inputs into a *key*; the same key always means the same bytes, so an output whose key is here is
taken from the cache instead of being made again. Nothing else decides what is fresh: there is no
dependency graph that could forget an edge.

Layout under the cache folder (``<project>/.cache/dienhinh/``, git-ignored), one section per kind
of output (``pages`` for rendered pages, ``kits`` for press kits and fragments)::

    <section>/manifest.json      key -> [digest of the bytes, day the entry was last used,
                                 size, modification time (ns) and inode the file had when its
                                 bytes were last found to have that digest]
    <section>/ab/<digest><suffix> the bytes, named by their own digest (equal outputs share a file)

An entry is used only if its file still has the digest it is named by, so a truncated or altered
entry (the site holds hard links to page entries; a tool that edits a published page in place
edits the entry too) is never published: the output is made again and the entry replaced. As git
trusts its index, a file whose size, modification time and inode are still those recorded when
its bytes were last digested is not read again: any write changes them (reading and digesting
every kept page, kit and check was a fifth of a no-change build). A file restored from elsewhere
(CI's cache) has another inode, so it is read and digested once, and its new signature recorded;
so is a file written less than two seconds before it was digested (a second write within the same
tick of the clock would keep its time). Only a same-size change that also restores the old
modification time goes unseen. Files
are written beside their target and renamed; the manifest is replaced whole at the end of a
build, so an interrupted build leaves the previous manifest. A manifest of another format version
is ignored. Page keys hold no absolute path, so a cache carried to another checkout (CI restoring
it) serves its pages; kit and edition keys name the profiles' folders, so a checkout at another
path makes those again (never reuses a wrong one). Keys made by another generator version simply
never match.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

import msgspec

from generator.infra.files import link_file, write_atomically

MANIFEST_VERSION = 2  # 2: each entry also holds its file's signature (size, mtime, inode)
GENERATOR_DIR = Path(__file__).resolve().parent.parent
# The libraries whose code turns our sources into pages, press files and the publication.
RENDERING_LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "markupsafe",
                       "pygments", "babel", "weasyprint", "pydyf", "fonttools", "ebooklib")
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


@cache
def code_fingerprint() -> str:
    """The generator's own files and the versions of Python and the rendering libraries: an input
    of every output (computed once per process; a forked writer inherits it)."""
    versions = [f"python {sys.version_info[0]}.{sys.version_info[1]}"]
    for name in RENDERING_LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} -")
    return digest_parts([folder_digest(GENERATOR_DIR), *versions])


def encode_page(html: str) -> bytes:
    """The bytes MkDocs writes for a page's HTML."""
    return html.encode("utf-8", errors="xmlcharrefreplace")


class OutputCache:
    """One build's view of one section of the cache: read at the start, saved once at the end."""

    def __init__(self, folder: Path, today: int | None = None, section: str = "pages", suffix: str = ".html"):
        self.folder = folder / section
        self.suffix = suffix
        self.today = int(time.time() // _DAY) if today is None else today
        self.entries: dict[str, list] = {}
        try:
            data = msgspec.json.decode((self.folder / "manifest.json").read_bytes())
        except (OSError, msgspec.DecodeError):
            data = {}
        if isinstance(data, dict) and data.get("version") == MANIFEST_VERSION and isinstance(data.get("pages"), dict):
            self.entries = {key: value for key, value in data["pages"].items()
                            if isinstance(value, list) and len(value) == 5 and isinstance(value[0], str)}
        self.changed = False
        self.used = self.added = 0  # entries read intact, and put, by this build

    def _blob(self, digest: str) -> Path:
        return self.folder / digest[:2] / f"{digest}{self.suffix}"

    def __contains__(self, key: str) -> bool:
        """An entry is listed (not yet checked: ``read`` and ``lookup`` do)."""
        return key in self.entries

    def lookup(self, key: str) -> Path | None:
        """The cached file for ``key``, if there is an entry and it is intact."""
        found = self._intact(key, read=False)
        return found[0] if found else None

    def digest(self, key: str) -> str | None:
        """The digest of the bytes of ``key``'s entry, as listed (``lookup`` first, to check it)."""
        entry = self.entries.get(key)
        return entry[0] if entry else None

    def read(self, key: str) -> bytes | None:
        """The cached bytes for ``key``, if there is an entry and it is intact."""
        found = self._intact(key, read=True)
        return found[1] if found else None

    def _intact(self, key: str, read: bool) -> tuple[Path, bytes | None] | None:
        """The entry's file (and its bytes, if ``read``) if it is intact; else the entry is dropped."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        blob = self._blob(entry[0])
        signature: list[int] | None = None
        data: bytes | None = None
        try:
            signature = _signature(blob)
            data = None if signature == entry[2:] and not read else blob.read_bytes()
        except OSError:
            signature = None
        if signature is None or (signature != entry[2:] and (data is None or digest_bytes(data) != entry[0])):
            del self.entries[key]
            self.changed = True
            with contextlib.suppress(OSError):
                blob.unlink()
            return None
        if entry[2:] != signature:  # digested again just now: found intact
            entry[2:], self.changed = _trusted_signature(blob), True
        if entry[1] != self.today:
            entry[1], self.changed = self.today, True
        self.used += 1
        return blob, data

    def put(self, key: str, data: bytes) -> None:
        """Remember ``data`` under ``key``."""
        digest = digest_bytes(data)
        blob = self._blob(digest)
        if not _holds(blob, digest):  # a file already there is vouched for only once digested
            make_folder(self.folder, blob.parent)
            write_atomically(blob, data)
        self.entries[key] = [digest, self.today, *_trusted_signature(blob)]
        self.changed = True
        self.added += 1

    def store(self, key: str, digest: str, written: Path) -> None:
        """Remember ``written`` (a page just written, whose bytes have ``digest``) under ``key``."""
        blob = self._blob(digest)
        if not _holds(blob, digest):
            make_folder(self.folder, blob.parent)
            temporary = Path(tempfile.mkdtemp(prefix=".new-", dir=blob.parent)) / blob.name
            try:
                link_file(written, temporary)
                os.replace(temporary, blob)
            finally:
                shutil.rmtree(temporary.parent, ignore_errors=True)
        self.entries[key] = [digest, self.today, *_trusted_signature(blob)]
        self.changed = True

    def save(self, prune: bool = False, keep_days: int = KEEP_UNUSED_DAYS) -> None:
        """Write the manifest; with ``prune`` (a full build), drop entries no build has used for
        ``keep_days`` and the files no entry names."""
        if prune:
            before = len(self.entries)
            self.entries = {key: entry for key, entry in self.entries.items() if self.today - entry[1] <= keep_days}
            self.changed = self.changed or len(self.entries) != before
        if self.changed:
            make_folder(self.folder)
            # compact JSON, keys sorted (json.dumps' form), encoded in C: a 10,000-profile site's
            # manifests hold 100,000 entries and more, which json.dumps took 0.3-0.9 s a section to
            # write. Sorted here, not by msgspec's order="sorted": a manifest is in order but for
            # the entries this build added, which Python's sort takes in one pass, and on which
            # msgspec's took 25 s (100,000 entries, all in order but the last).
            manifest = {"pages": dict(sorted(self.entries.items())), "version": MANIFEST_VERSION}
            write_atomically(self.folder / "manifest.json", msgspec.json.encode(manifest))
        if prune:
            named = {f"{entry[0]}{self.suffix}" for entry in self.entries.values()}
            for path in self.folder.glob("??/*"):
                if path.name not in named and not path.name.startswith("."):  # ".new-": a running build's
                    with contextlib.suppress(OSError):
                        shutil.rmtree(path) if path.is_dir() else path.unlink()


def _holds(blob: Path, digest: str) -> bool:
    """Whether ``blob`` is a file with the bytes ``digest`` names."""
    try:
        return digest_bytes(blob.read_bytes()) == digest
    except OSError:
        return False


UNSIGNED = [0, 0, 0]  # no file has inode 0: digested again when next used
RACY_SECONDS = 2.0  # file times advance in clock ticks (up to 2 s on some file systems)


def _signature(path: Path) -> list[int]:
    """What any write to a file changes: its size, modification time and inode (a list, as JSON keeps it)."""
    status = os.stat(path)
    return [status.st_size, status.st_mtime_ns, status.st_ino]


def _trusted_signature(path: Path) -> list[int]:
    """The signature to record for a file just found to hold its bytes, unless it was modified
    within the last tick of the clock: another write in that tick would leave the same time
    (git's "racily clean" entries), so such a file is digested again on its next use instead."""
    signature = _signature(path)
    return UNSIGNED if time.time_ns() - signature[1] < RACY_SECONDS * 1e9 else signature


def make_folder(*folders: Path) -> None:
    """Each of ``folders`` (outermost first) as a folder. A file standing where one of the cache's
    folders belongs is damage like a truncated entry: it is removed, so the build goes on."""
    for folder in folders:
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            folder.unlink()
        folder.mkdir(parents=True, exist_ok=True)
