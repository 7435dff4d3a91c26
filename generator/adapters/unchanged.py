"""A rebuild in which nothing changed leaves the site the last build made, as ``make`` does.

Even with every page, kit and index part from the cache (adapters/incremental.py), a rebuild of
10,000 profiles still loads, checks, plans and keys them all to learn that nothing changed (about
25 s). Yet the whole site is a function of few things: the generator's code and libraries, the
project's source folders and mkdocs.yml, the day, and the few environment variables the build
reads. ``site_key`` digests them, each file by its status (infra/tree_state.py), so it costs a
walk of ``stat`` calls. After a build that gave no warning, ``SiteRecord`` keeps that key with the
state of every file of the site folder and the notes the check gave; a later ``dienhinh build``
whose key is the same, and whose site folder still holds exactly those files untouched, stops
there: the notes are shown again and the folder is left as it is. Anything else (one edited
file, a file touched, another day, a site file removed or edited, another site folder) builds as
before.

What the key does not see is not an input: a file read by the build must be under one of
``input_paths``, in the code or in the libraries named in ``code_fingerprint``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import msgspec
from mkdocs.utils import get_build_date

from generator.adapters.editor_app import EditorUnavailable, editor_setup
from generator.adapters.incremental import build_fingerprint, settings_text
from generator.adapters.run import build_today
from generator.infra.files import write_atomically
from generator.infra.output_cache import code_fingerprint, digest_parts, make_folder
from generator.infra.tree_state import FileState, file_state, tree_state, tree_unchanged
from generator.publication.fonts import default_fonts_dir

RECORD_VERSION = 1
RECORD_FILE = "site.json"  # in the build cache's folder
PLUGIN = "dienhinh"
# The environment variables the build reads (adapters/run.py, publication/book.py, MkDocs' date).
ENVIRONMENT_PREFIXES = ("DIENHINH_", "SOURCE_DATE_EPOCH")
SCOPE_VARIABLES = ("DIENHINH_SCOPE", "DIENHINH_SINCE")
_INHERIT = re.compile(r"^INHERIT:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)

class SiteRecord(msgspec.Struct, frozen=True):
    """What the last warning-free build made: its key, its site folder, each file of that folder
    and the check's notes, in the order they were shown."""

    version: int
    key: str
    destination: str
    files: list[FileState]
    notes: list[str]


_DECODER = msgspec.json.Decoder(SiteRecord)


def input_paths(config) -> list[Path] | None:
    """Every file and folder the build reads besides the code: mkdocs.yml (and a file it
    inherits), the profiles, registries and content, the theme's own folder, the folders
    mkdocs.yml asks to watch, its hooks, the web editor's files and the book's fonts. None when
    the build is not ours (no dienhinh plugin) or cannot say (the editor's files are missing)."""
    plugin = config.plugins.get(PLUGIN)
    if plugin is None or not config.config_file_path:
        return None
    paths = plugin.project_paths(config)
    config_file = Path(config.config_file_path)
    found = [config_file, paths.profiles, paths.data, paths.content, default_fonts_dir()]
    inherited = _INHERIT.search(config_file.read_text(encoding="utf-8", errors="replace"))
    if inherited:
        found.append(config_file.parent / inherited[1])
    if config.theme.custom_dir:
        found.append(Path(config.theme.custom_dir))
    found += [Path(path) for path in config.watch or ()]
    found += [Path(module.__file__) for module in (config.hooks or {}).values() if getattr(module, "__file__", None)]
    try:
        editor = editor_setup(plugin.config.editor, paths, plugin.local_backend_port)
    except EditorUnavailable:
        return None
    if editor is not None:
        found += editor.app_files
    return found


def site_key(config, destination: Path) -> str | None:
    """The digest of everything the site built into ``destination`` is made from; None when it
    cannot be told: not our build, an input is a link or a special file, or one was written
    within the last tick of the clock (then this build is not recorded; the next one will be)."""
    paths = input_paths(config)
    if paths is None:
        return None
    if any(os.environ.get(name) for name in SCOPE_VARIABLES):
        return None  # a narrowed build: which profiles it covers may follow git's history
    plugin = config.plugins[PLUGIN]
    parts: list[str | bytes] = [str(RECORD_VERSION), code_fingerprint(), sys.version, *installed_versions(),
                                str(destination)]
    for path in paths:
        states = _states(path)
        if states is None or any(state[4] for state in states):
            return None  # racy: a file written just now may be written again within its time's tick
        parts += [str(path), msgspec.json.encode(states)]
    # mkdocs.yml as loaded (values it takes from the environment with !ENV included), each plugin's settings
    settings = {name: value for name, value in config.items() if name not in ("site_dir", "plugins", "strict")}
    settings["plugins"] = {name: dict(item.config) for name, item in config.plugins.items()}
    parts += [build_fingerprint(config, msgspec.json.encode(settings_text(settings), order="sorted").decode(), ""),
              build_today(plugin.config.today).isoformat(), get_build_date(),
              *sorted(f"{name}={value}" for name, value in os.environ.items() if name.startswith(ENVIRONMENT_PREFIXES))]
    return digest_parts(parts)


def _states(path: Path) -> list[FileState] | None:
    """A folder's files, or a file alone (as a folder of one), or nothing for a missing path."""
    if path.is_symlink():
        return None
    if path.is_dir():
        return tree_state(path)
    if not path.exists():
        return []
    state = file_state(path)
    return None if state is None else [state]


def installed_versions() -> list[str]:
    """Every installed distribution and its version: MkDocs' plugins and Markdown extensions
    named in mkdocs.yml, Pagefind's binary and whatever else the build may load."""
    return sorted(f"{dist.metadata['Name']} {dist.version}" for dist in metadata.distributions())


@dataclass
class UnchangedSite:
    """Whether a build may stop before it starts, and what it leaves for the next one to ask."""

    cache: Path  # the build cache's folder (.cache/dienhinh)
    destination: Path

    @property
    def record_file(self) -> Path:
        return self.cache / RECORD_FILE

    def recall(self, key: str) -> list[str] | None:
        """The notes to show again if the site folder is the one the last build made from the
        same inputs, untouched; None if a build must run."""
        try:
            record = _DECODER.decode(self.record_file.read_bytes())
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            return None
        if (record.version != RECORD_VERSION or record.key != key or record.destination != str(self.destination)
                or not tree_unchanged(self.destination, record.files)):
            return None
        return record.notes

    def forget(self) -> None:
        """Before a build replaces the site folder: whatever happens next, the record no longer holds."""
        with contextlib.suppress(FileNotFoundError):
            self.record_file.unlink()

    def remember(self, key: str, notes: list[str]) -> None:
        """After a warning-free build: the site folder as it now is, for the next build to compare."""
        files = tree_state(self.destination)
        if files is None:
            return
        record = SiteRecord(RECORD_VERSION, key, str(self.destination), files, notes)
        with contextlib.suppress(OSError):  # a cache that cannot be written: the next build runs
            make_folder(self.cache)
            write_atomically(self.record_file, msgspec.json.encode(record))


class WarningSeen(logging.Handler):
    """Whether a build warned: then nothing is recorded, so the warning comes again on the next
    build (and fails it, if strict), as it would without this module."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.warned = False

    def emit(self, record: logging.LogRecord) -> None:
        self.warned = True
