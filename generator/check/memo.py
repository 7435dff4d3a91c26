"""The check of each profile file, kept between builds (issue 31).

Checking a bundle (reading, decoding, parsing its YAML, validating it against the registries,
scanning for personal data, unsafe HTML and pasted legacy text) depends on nothing but:

- the file's bytes, its absolute path (a profile names its folder) and the names of the files
  beside it (DH065 names stray Markdown there);
- the registries and privacy rules, i.e. the bytes of every file under ``data/``;
- the generator's code and the libraries' versions (``code_fingerprint``).

So its result, the profile and the problems found, is kept in the build cache (section
``checks``) under a digest of exactly these, and a rebuild checks again only the files whose key
changed. Results are stored as typed JSON (``infra/records``), never pickled. The cross-profile
rules (duplicate folders, quotas, column slots, photos, events) always run on the whole set.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.core.model import Problem, Profile
from generator.infra.output_cache import OutputCache, code_fingerprint, digest_parts, folder_digest
from generator.infra.records import RecordCodec, RecordUnreadable
from generator.load.profiles import MAX_PROFILE_BYTES

CheckedFile = tuple[Profile | None, list[Problem]]
_CODEC: RecordCodec[CheckedFile] = RecordCodec(tuple[Profile | None, list[Problem]])
SECTION = "checks"


class CheckMemo:
    """One build's view of the kept checks: ``key`` each file, ``recall`` or ``remember`` its result."""

    def __init__(self, cache_dir: Path, data_dir: Path):
        self.cache = OutputCache(cache_dir, section=SECTION, suffix=".json")
        self._shared = digest_parts([code_fingerprint(), folder_digest(data_dir)])
        self.recalled = self.remembered = 0

    def key(self, path: Path) -> str | None:
        """The digest a file's check depends on; None for what is not a plain, readable profile
        file of an acceptable size (a link, a folder, a file too large): checked every time."""
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_PROFILE_BYTES:
                return None
            data = path.read_bytes()
            beside = sorted(os.listdir(path.parent))
        except OSError:
            return None
        return digest_parts([self._shared, path.as_posix(), data, "\0".join(beside)])

    def recall(self, key: str) -> CheckedFile | None:
        data = self.cache.read(key)
        if data is None:
            return None
        try:
            checked = _CODEC.decode(data)
        except RecordUnreadable:  # intact bytes of another shape: checked again, and replaced
            return None
        self.recalled += 1
        return checked

    def remember(self, key: str, checked: CheckedFile) -> None:
        self.cache.put(key, _CODEC.encode(checked))
        self.remembered += 1

    def save(self, prune: bool) -> None:
        self.cache.save(prune=prune)
