"""Helpers for the quality gates and browser tests: test tools, serving the built site, choosing
pages to visit. The tools are installed by scripts/setup-test.sh; without them a test skips on a
developer's machine and fails in CI (where the CI variable is set)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
VNU_JAR = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"
AXE_JS = REPO / "node_modules/axe-core/axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = REPO / "artifacts/screenshots"


def require(available: bool, what: str) -> None:
    """Skip when a test tool is missing, except in CI, where a missing tool is a failure."""
    if available:
        return
    message = f"{what} is missing; install it with `make setup-test`"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_java_and_vnu() -> None:
    require(shutil.which("java") is not None, "java (a Java runtime for the Nu Html Checker)")
    require(VNU_JAR.is_file(), str(VNU_JAR.relative_to(REPO)))


def require_chromium_and_axe() -> None:
    require(CHROMIUM.is_file(), str(CHROMIUM))
    require(AXE_JS.is_file(), str(AXE_JS.relative_to(REPO)))


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 at a free port in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            thread.join()


def _links(page: Path, selector: str) -> list[tuple[str, int]]:
    """(href, count) of the links under ``selector`` on a built page, in document order."""
    found = []
    for a in parse(page).select(selector):
        count = a.find_next_sibling(class_="dh-count")
        found.append((a["href"], int(count.get_text()) if count else 0))
    return found


def _first_url(page: Path, selector: str) -> str | None:
    """The URL (site-absolute, directory form) of the first link under ``selector`` that has
    profiles, else of the first link at all."""
    links = _links(page, selector)
    if not links:
        return None
    href = next((h for h, n in links if n > 0), links[0][0])
    rel = page.parent.relative_to(page.parents[len(page.relative_to(page.anchor).parts) - 2])
    return _absolute(page, href) if rel else href


def _absolute(page: Path, href: str) -> str:
    return "/" + os.path.normpath(os.path.join(page.parent.as_posix(), href)).replace("\\", "/") + "/"


def pages_to_visit(site: Path) -> dict[str, str | None]:
    """One real page of each kind, as a site-absolute URL path (None when the site has none)."""
    def first(rel_page: str, selector: str) -> str | None:
        if rel_page is None or not (site / rel_page).is_file():
            return None
        links = _links(site / rel_page, selector)
        if not links:
            return None
        href = next((h for h, n in links if n > 0), links[0][0])
        base = "/" + str(Path(rel_page).parent.as_posix()).strip(".") + "/"
        return _resolve(base, href)

    district = first("dia-phuong/index.html", ".dh-entry-list a")
    commune = first(_index_of(district), ".dh-communes a")
    profile = next((_resolve(_dir_of(site, p), a["href"]) for p in html_files(site)
                    for a in parse(p).select("a.dh-item__name")), None)
    return {"home": "/", "movements": "/phong-trao/",
            "movement": first("phong-trao/index.html", ".dh-entry-list a"),
            "district": district, "commune": commune, "profile": profile}
