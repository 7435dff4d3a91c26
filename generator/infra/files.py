"""Files on disk: a folder swapped in whole, a destination that must not hold the sources, and
generated assets written as they come. Shared by ``dienhinh build``, ``emit`` and the plugin."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from generator.infra.output import GeneratedAsset, OutputCollision


class UnsafeDestination(Exception):
    pass


class UnwritableFolder(Exception):
    """The file system refused a write (read-only, no permission, full): said in Vietnamese."""


_REASONS = {errno.EROFS: "hệ thống tệp chỉ cho phép đọc", errno.EACCES: "không có quyền ghi",
            errno.EPERM: "không có quyền ghi", errno.ENOSPC: "ổ đĩa đã đầy", errno.EDQUOT: "hết hạn mức dung lượng"}
WRITE_REFUSED = frozenset(_REASONS)  # errno values that mean "this folder cannot be written"


def unwritable(error: OSError, folder: Path) -> UnwritableFolder:
    reason = _REASONS.get(error.errno or 0, error.strerror or str(error))
    return UnwritableFolder(f"Không ghi được vào “{error.filename or folder}”: {reason}. Hãy dựng trang trong một "
                            "bản sao có quyền ghi, hoặc chọn thư mục đích khác (--site-dir).")


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs; another user's process we may not signal counts as running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def staging_folder(destination: Path) -> Path:
    """A new empty folder beside ``destination``, named after this process so that a later build
    can tell a folder left by a killed build from one that a running build still fills."""
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        remove_left_behind(destination)
        return Path(tempfile.mkdtemp(prefix=f".{destination.name}.tmp-{os.getpid()}-", dir=destination.parent))
    except OSError as error:
        raise unwritable(error, destination.parent) from None


_LEFT_BEHIND = re.compile(r"\.(?P<name>.+)\.(?:tmp|old)-(?:(?P<pid>\d+)(?:-[^/]*)?|(?P<unnamed>[^/]+))")
# Builds before staging folders carried their pid named them ".site.tmp-<random>": no process to
# ask, so such a folder counts as left behind once nothing has touched it for longer than any build.
UNNAMED_STALE_AFTER = 24 * 3600  # seconds


def remove_left_behind(destination: Path, now: float | None = None) -> list[str]:
    """Staging and old folders beside ``destination`` that a killed build (kill -9, a power cut)
    left: their process is gone. Returns the names removed."""
    now = time.time() if now is None else now
    removed = []
    for folder in sorted(destination.parent.glob(f".{destination.name}.*-*")):
        match = _LEFT_BEHIND.fullmatch(folder.name)
        if not (match and match["name"] == destination.name and folder.is_dir() and not folder.is_symlink()):
            continue
        if (not process_alive(int(match["pid"])) if match["pid"]
                else now - folder.stat().st_mtime > UNNAMED_STALE_AFTER):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


def replace_directory(staging: Path, destination: Path, trash: Path | None = None) -> None:
    """Move ``staging`` to ``destination``, keeping the old tree until the new one is in place.

    ``trash``: a folder the old tree is moved into rather than removed now (``Trash``: the next
    build removes it while it works); removed here if it cannot be moved there."""
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
    if old is not None and not (trash is not None and _moved_into(old, trash)):
        shutil.rmtree(old, ignore_errors=True)


def _moved_into(folder: Path, trash: Path) -> bool:
    try:
        trash.mkdir(parents=True, exist_ok=True)
        folder.rename(Path(tempfile.mkdtemp(prefix="site-", dir=trash)) / folder.name)
    except OSError:  # another file system (--site-dir elsewhere), no room, no permission
        return False
    return True


class Trash:
    """Old site trees set aside by earlier builds (removing the 70,000 files of a 10,000-profile
    site took five seconds at the end of every build): emptied by ``rm -r`` in a process of its own
    while this build works. Not a thread: Python's removal loop holds the interpreter's lock between
    its system calls, and measured no faster than removing at the end; ``rm`` runs on the other core."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._remover: subprocess.Popen | None = None

    def __enter__(self) -> Trash:
        if self.folder.is_dir() and not self.folder.is_symlink():
            self._remover = remove_in_background(self.folder)
        return self

    def __exit__(self, *exc) -> None:
        if self._remover is not None:
            self._remover.wait()


def empty_folder(folder: Path) -> subprocess.Popen | None:
    """Empty ``folder`` now (hidden entries aside, as MkDocs' own cleaning leaves them) by moving
    its entries into a new folder beside it, which ``rm -r`` removes in a process of its own:
    removing the 72,000 files of a 10,000-profile preview took 6-12 s of each of its rebuilds.
    Returns that process, to wait on once the build is done (None: nothing was left to remove)."""
    entries = [entry for entry in folder.iterdir() if not entry.name.startswith(".")] if folder.is_dir() else []
    if not entries:
        return None
    # named as a staging folder is, so that a later build removes it if this process is killed first
    aside = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old-{os.getpid()}-", dir=folder.parent))
    for entry in entries:
        try:
            entry.rename(aside / entry.name)
        except OSError:  # not movable beside it: removed here
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    return remove_in_background(aside)


def remove_in_background(folder: Path) -> subprocess.Popen | None:
    """``rm -r folder`` in a process of its own, to wait on later; where there is no ``rm``, the
    folder is removed here and None returned."""
    try:
        return subprocess.Popen(["rm", "-rf", "--", str(folder)], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return None


def link_file(source: Path, target: Path) -> None:
    """Put a cached file at ``target`` as a hard link (a copy across file systems). The link is
    tried first: in a new site most folders already exist and no file does (one call, not three)."""
    try:
        os.link(source, target)
        return
    except FileNotFoundError:  # no folder yet (or no source: the copy below says so)
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        target.unlink()
    except OSError:  # another file system, or no hard links there
        pass
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def write_atomically(target: Path, data: bytes) -> None:
    """Write beside the target, then rename: a reader never sees a half-written file, and a failed
    write leaves the old one. A file that existed keeps its permissions; a new one is 0644."""
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = target.stat().st_mode & 0o7777 if target.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def guard_destination(destination: Path, protected: Iterable[Path]) -> None:
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
        elif asset.source is not None:
            (link_file if asset.link else shutil.copy2)(asset.source, target)
        else:
            raise ValueError(f"{asset.path}: an asset needs content or a source file")
        written += 1
    return written
