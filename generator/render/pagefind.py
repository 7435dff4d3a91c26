"""Pagefind's full-text index over the built HTML: profiles, movements, localities and columns.

Run after MkDocs has written the site (the plugin's ``on_post_build``): Pagefind reads the
pages, keeps only their ``<article>`` minus the site chrome listed in ``EXCLUDED``, files
each under the filters and metadata that ``search_macros.j2`` put on it, and writes its
bundle to ``pagefind/`` in the site. Every page is made NFC first, so text typed or pasted
in decomposed form is found like any other.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from generator.core.urls import LOCALITIES_DIR, MOVEMENTS_DIR, PROFILES_DIR
from generator.infra.bundle_cache import BundleCache
from generator.infra.output_cache import digest_parts
from generator.render.search import COLUMNS_DIR

BUNDLE_DIR = "pagefind"
INDEXED = (PROFILES_DIR, MOVEMENTS_DIR, LOCALITIES_DIR, COLUMNS_DIR)
GLOB = "{" + ",".join(INDEXED) + "}/*/index.html"  # one level down: not the section index pages
LANGUAGE = "vi"
# Text that every page repeats, and so tells no page apart: labels, notices, boilerplate blocks and
# the headings of the sections every profile has (templates mark them {: .dh-boilerplate }).
EXCLUDED = (
    ".headerlink",
    ".dh-boilerplate",
    ".dh-sample",
    ".dh-breadcrumbs",
    ".dh-dateline",
    ".dh-facts dt",
    ".dh-timeline__label",
    ".dh-timeline__status",
    "[class*='dh-press']",
    ".dh-snippet",
)
# Pagefind's other front ends; the site has its own (theme/assets/search*.js).
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


@dataclass(frozen=True)
class IndexStats:
    pages: int
    normalized: int  # pages that were not NFC and were rewritten
    seconds: float
    peak_mb: float  # largest resident size of a child process of this one so far: Pagefind's
    reused: bool = False  # no indexed page changed: the last build's bundle, from the cache


class IndexingFailed(Exception):
    pass


def index_site(site_dir: Path | str, normalize: bool = True, cache: BundleCache | None = None) -> IndexStats:
    """``normalize=False``: the pages were made NFC as they were written (``nfc_page``).
    ``cache``: reuse the last bundle if the pages to index are the ones it was made from."""
    site = Path(site_dir)
    start = time.perf_counter()
    normalized = normalize_pages(site) if normalize else 0
    pages = indexed_pages(site)
    key = index_key(site, pages) if cache else ""
    if cache and cache.restore(key, site / BUNDLE_DIR):
        return IndexStats(len(pages), normalized, time.perf_counter() - start, 0.0, reused=True)
    run_pagefind(site)
    for name in UNUSED:
        (site / BUNDLE_DIR / name).unlink(missing_ok=True)
    if cache:
        cache.store(key, site / BUNDLE_DIR)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return IndexStats(len(pages), normalized, time.perf_counter() - start, peak_mb)


def indexed_pages(site: Path) -> list[Path]:
    """The pages Pagefind reads (``GLOB``), in a stable order."""
    return sorted(page for folder in INDEXED for page in site.glob(f"{folder}/*/index.html"))


def index_key(site: Path, pages: list[Path]) -> str:
    """Everything the bundle is made from: Pagefind's version, our settings, and each page read."""
    parts: list[str | bytes] = [metadata.version("pagefind"), "\0".join(pagefind_settings())]
    for page in pages:
        parts += [page.relative_to(site).as_posix(), page.read_bytes()]
    return digest_parts(parts)


def nfc_page(html: str) -> str:
    """One page in NFC, for a writer that has it in memory (the plugin's ``on_post_page``)."""
    return html if unicodedata.is_normalized("NFC", html) else unicodedata.normalize("NFC", html)


def normalize_pages(site: Path) -> int:
    """Rewrite the pages to be indexed in NFC where they are not; return how many were."""
    count = 0
    for folder in INDEXED:
        for page in site.glob(f"{folder}/*/index.html"):
            text = page.read_text(encoding="utf-8")
            if not unicodedata.is_normalized("NFC", text):
                page.write_text(unicodedata.normalize("NFC", text), encoding="utf-8")
                count += 1
    return count


def pagefind_command(site: Path) -> list[str]:
    """The binary shipped in the ``pagefind`` wheel, through its module, with our settings."""
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(site / BUNDLE_DIR),
            *pagefind_settings()]


def pagefind_settings() -> list[str]:
    """What Pagefind is told besides where the site is: which pages, which part of each, how."""
    settings = ["--glob", GLOB, "--root-selector", "article", "--force-language", LANGUAGE, "--quiet"]
    for selector in EXCLUDED:
        settings += ["--exclude-selectors", selector]
    return settings


def run_pagefind(site: Path) -> None:
    result = subprocess.run(pagefind_command(site), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise IndexingFailed(
            f"Không lập được chỉ mục tìm kiếm (Pagefind): {result.stderr.strip() or result.stdout.strip()}"
        )
