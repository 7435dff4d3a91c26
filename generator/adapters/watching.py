"""How the live preview learns that a file changed: from the operating system, not by polling.

MkDocs' live reload polls every watched folder twice a second (watchdog's ``PollingObserver``),
which reads the status of every file each time. On a 10,000-profile project that polling thread
was busy for 75 of the 91 s between saving an edit and its page showing it, and every second of
it held Python's lock that the rebuild needs. The operating system's notifications (inotify on
Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows, through watchdog's ``Observer``) cost
nothing while nothing changes.

They miss changes made from outside the machine that watches (a network share, a Windows folder
seen from WSL), and Linux caps the folders one user may watch: where the native observer cannot
start, the preview keeps MkDocs' polling, and `dienhinh serve --poll` asks for polling outright.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    EventsLostEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

# What a save, a new file, a removal or a rename gives. Not the notices of a file opened or closed
# unwritten: MkDocs rebuilds on any event it is given, and the rebuild itself reads every profile,
# so those would start the next rebuild, and that one the next, without end.
WRITES: list[type[FileSystemEvent]] = [
    FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileAttribEvent, FileDeletedEvent, FileMovedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent, EventsLostEvent,
]


class _StartedEarly(Observer):  # type: ignore[misc,valid-type]  # the platform's observer class
    """Started by ``watch_natively``, so that a failure to watch is known before the server runs;
    the server's own ``start`` then does nothing. Each path is watched for ``WRITES`` only."""

    def start(self) -> None:
        if not self.is_alive():
            super().start()

    def schedule(self, event_handler: FileSystemEventHandler, path: str | Path, *, recursive: bool = False,
                 event_filter: list[type[FileSystemEvent]] | None = None, **options: Any) -> ObservedWatch:
        return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or WRITES,
                                **options)


def watch_natively(server: Any) -> bool:
    """Move every path ``server`` (MkDocs' ``LiveReloadServer``, before it serves) watches to the
    native observer. False, with the server left polling as before, where that cannot be done:
    the watch limit reached, or a MkDocs whose server no longer keeps its paths where it did."""
    watched, refs = getattr(server, "_watched_paths", None), getattr(server, "_watch_refs", None)
    if not (isinstance(watched, dict) and isinstance(refs, dict)):
        return False
    polling, kept = server.observer, (dict(watched), dict(refs))
    native = _StartedEarly()
    server.observer = native
    watched.clear()
    refs.clear()
    try:
        for path in kept[0]:
            for _ in range(kept[0][path]):  # as often as it was asked for, so that unwatch balances
                server.watch(path)
        native.start()
    except OSError:  # e.g. "inotify watch limit reached": each watched folder takes one
        if native.is_alive():
            native.stop()
        server.observer = polling
        watched.clear()
        watched.update(kept[0])
        refs.clear()
        refs.update(kept[1])
        return False
    return True
