"""The live preview's server learns of changes from the system's notices, and keeps MkDocs'
polling where those cannot be had (adapters/watching.py). End to end, test_preview.py edits
files under a running `dienhinh serve`."""

from __future__ import annotations

import errno
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

from generator.adapters import build, watching
from generator.adapters.cli import main


def server_watching(*folders: Path) -> LiveReloadServer:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(folders[0]))
    for folder in folders:
        server.watch(str(folder))
    server.watch(str(folders[0]))  # twice: MkDocs counts, and unwatch must balance
    return server


def wait_for_rebuild(server: LiveReloadServer, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server._want_rebuild:
            return True
        time.sleep(0.05)
    return False


def test_the_server_watches_with_the_systems_notices(tmp_path):
    profiles, data = tmp_path / "profiles", tmp_path / "data"
    (profiles / "2024" / "an").mkdir(parents=True)
    data.mkdir()
    server = server_watching(profiles, data)
    assert isinstance(server.observer, PollingObserver)
    try:
        assert watching.watch_natively(server)
        assert not isinstance(server.observer, PollingObserver) and server.observer.is_alive()
        assert server._watched_paths == {str(profiles): 2, str(data): 1}
        server.observer.start()  # what the server does when it serves: nothing more now
        assert not wait_for_rebuild(server, 0.5)
        profile = profiles / "2024" / "an" / "index.md"
        profile.write_text("---\ntitle: An\n---\n", encoding="utf-8")
        assert wait_for_rebuild(server)
        time.sleep(0.3)  # the last notices of that write
        server._want_rebuild = False
        profile.read_bytes()  # what every rebuild does to every profile: no rebuild (else: no end)
        assert not wait_for_rebuild(server, 1)
        profile.write_bytes(profile.read_bytes() + "Thêm.\n".encode())
        assert wait_for_rebuild(server)
        server.unwatch(str(profiles))
        assert server._watched_paths == {str(profiles): 1, str(data): 1}
    finally:
        server.observer.stop()
        server.observer.join(timeout=10)


def test_where_the_notices_cannot_be_had_the_server_polls_as_before(tmp_path, monkeypatch):
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    server = server_watching(profiles)
    polling, watched = server.observer, dict(server._watched_paths)

    def limit_reached(self) -> None:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(watching._StartedEarly, "start", limit_reached)
    assert not watching.watch_natively(server)
    assert server.observer is polling and server._watched_paths == watched
    server.observer.start()
    try:
        (profiles / "index.md").write_text("x", encoding="utf-8")
        assert wait_for_rebuild(server)
    finally:
        server.observer.stop()
        server.observer.join(timeout=10)


@pytest.mark.parametrize(("options", "poll"), [((), False), (("--poll",), True)])
def test_serve_polls_only_when_asked(project, monkeypatch, options, poll):
    asked = {}
    monkeypatch.setattr(build, "serve_preview", lambda *args, **kwargs: asked.update(kwargs))
    result = CliRunner().invoke(main, ["--root", str(project.root), "serve", *options])
    assert result.exit_code == 0, result.output
    assert asked["poll"] is poll
