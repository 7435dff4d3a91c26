"""What a folder holds, told from its files' status alone, as git's index tells a clean work tree.

Each file is recorded by its path, size, modification time (ns) and inode: any write to a file
changes one of them, and a file replaced by another has another inode, so a walk of ``stat``
calls tells "not one file changed" without reading a byte (reading back a 10,000-profile site
would take longer than building what changed). A file modified less than ``RACY_SECONDS`` before
it was recorded also has its bytes' digest recorded and compared: another write within the same
tick of the clock would leave the same time (git's "racily clean" entries).

Symbolic links and special files are not recorded: such a tree has no state (``None``), and
callers treat it as changed.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from generator.infra.output_cache import RACY_SECONDS, digest_bytes

# (path relative to the folder, POSIX; size; modification time in ns; inode; digest of the bytes
# of a file recorded within RACY_SECONDS of its last write, else "")
FileState = tuple[str, int, int, int, str]


class _Unrecordable(Exception):
    """A symbolic link or a special file: the tree's state cannot be told from ``stat`` alone."""


def _walk(folder: Path) -> Iterator[tuple[str, os.stat_result, str]]:
    """Every file under ``folder``: its relative path, its status and its full path."""
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, path = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_symlink():
                    raise _Unrecordable(entry.path)
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append((relative + "/", entry.path))
                    continue
                status = entry.stat(follow_symlinks=False)
                if not stat.S_ISREG(status.st_mode):
                    raise _Unrecordable(entry.path)
                yield relative, status, entry.path


def _racy(status: os.stat_result, now_ns: int) -> bool:
    return now_ns - status.st_mtime_ns < RACY_SECONDS * 1e9


def tree_state(folder: Path) -> list[FileState] | None:
    """The state of every file under ``folder``, sorted by path; None if the folder is missing
    or holds a link or a special file."""
    now_ns = time.time_ns()
    states: list[FileState] = []
    try:
        for relative, status, full in _walk(folder):
            digest = digest_bytes(Path(full).read_bytes()) if _racy(status, now_ns) else ""
            states.append((relative, status.st_size, status.st_mtime_ns, status.st_ino, digest))
    except (OSError, _Unrecordable):
        return None
    states.sort()
    return states


def file_state(path: Path) -> FileState | None:
    """The state of one regular file, by its name alone; None if it is not one."""
    try:
        status = os.stat(path, follow_symlinks=False)
        if not stat.S_ISREG(status.st_mode):
            return None
        digest = digest_bytes(path.read_bytes()) if _racy(status, time.time_ns()) else ""
    except OSError:
        return None
    return path.name, status.st_size, status.st_mtime_ns, status.st_ino, digest


def tree_unchanged(folder: Path, states: Sequence[FileState]) -> bool:
    """Whether ``folder`` holds exactly the files of ``states`` (no more, no fewer), each with
    the size, time and inode recorded, and a racy one still with the bytes recorded."""
    recorded = {state[0]: state for state in states}
    seen = 0
    try:
        for relative, status, full in _walk(folder):
            state = recorded.get(relative)
            if state is None or (status.st_size, status.st_mtime_ns, status.st_ino) != state[1:4]:
                return False
            if state[4] and digest_bytes(Path(full).read_bytes()) != state[4]:
                return False
            seen += 1
    except (OSError, _Unrecordable):
        return False
    return seen == len(recorded)
