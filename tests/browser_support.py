"""Helpers for the quality gates and browser tests: test tools, serving the built site, choosing
pages to visit. The tools are installed by scripts/setup-test.sh; without them a test skips on a
developer's machine and fails in CI (where the CI variable is set)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

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
    def log_message(self, format, *args):
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


def url_to_file(site: Path, url_path: str) -> Path:
    """The file a site-absolute URL path is served from (directory URLs -> index.html)."""
    path = site / unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def file_to_url(site: Path, path: Path) -> str:
    url = "/" + path.relative_to(site).as_posix()
    return url[: -len("index.html")] if url.endswith("/index.html") else url


def first_link(site: Path, url_path: str | None, selector: str) -> str | None:
    """The site-absolute URL of the first link under ``selector`` on a page, preferring one
    whose count badge (.dh-count) is not zero."""
    if url_path is None or not url_to_file(site, url_path).is_file():
        return None
    links = parse(url_to_file(site, url_path)).select(selector)
    counts = [a.find_next_sibling(class_="dh-count") for a in links]
    counted = [a for a, n in zip(links, counts) if n and n.get_text() != "0"]
    chosen = (counted or links or [None])[0]
    return urljoin(url_path, chosen["href"]) if chosen else None


def pages_to_visit(site: Path) -> dict[str, str | None]:
    """One real page of each kind, as a site-absolute URL path (None when the site has none)."""
    district = first_link(site, "/dia-phuong/", ".dh-entry-list a")
    return {
        "home": "/",
        "movements": "/phong-trao/",
        "movement": first_link(site, "/phong-trao/", ".dh-entry-list a"),
        "localities": "/dia-phuong/",
        "district": district,
        "commune": first_link(site, district, ".dh-communes a"),
        "profile": first_link(site, "/", "a.dh-item__name"),
        "search": "/tim-kiem/",
        "browse": "/tra-cuu/",
        "columns": "/chuyen-muc/",
        "column": first_link(site, "/chuyen-muc/", "article a[href^='../chuyen-muc/']"),
        "calendar": "/lich-tuyen-truyen/",
        "publications": "/an-pham/",
        "edition": first_link(site, "/an-pham/", "article a[href^='../an-pham/']"),
        "statistics": "/thong-ke/",
        "replication": "/nhan-rong/",
        "press": "/bao-chi/",
    }


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser), one per test module."""
    require_chromium_and_axe()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob") or parts.hostname == "127.0.0.1"
