"""Pagefind's full-text index over the built HTML: profiles, movements, localities and columns.

Run after MkDocs has written the site (the plugin's ``on_post_build``): Pagefind reads the
pages, keeps only their ``<article>`` minus the site chrome listed in ``EXCLUDED``, files
each under the filters and metadata that ``search_macros.j2`` put on it, and writes a bundle.
Every page is made NFC first, so text typed or pasted in decomposed form is found like any other.

Each part of the index (``index_parts``) is a bundle of its own under ``pagefind/``; the search
page merges them in the browser (Pagefind's ``mergeIndex``), as ``parts.json`` lists them.
``chung/`` holds the search engine itself and, up to ``PART_PAGES`` profiles, every page. A larger
site has its profiles in ``ho-so-1/``, ``ho-so-2/``, ..., each profile in the part its address
hashes to, and ``chung/`` keeps the movement, locality and column pages. Pagefind's memory grows
with the pages one run reads (about 1.2 GB for ten thousand profiles in one bundle), so a part
bounds it; and a changed profile changes only its own part's pages (and the collection pages that
list it), so a rebuild indexes only those parts again and takes the others from the cache.
"""

from __future__ import annotations

import json
import math
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from generator.core.urls import LOCALITIES_DIR, MOVEMENTS_DIR, PROFILES_DIR
from generator.infra.bundle_cache import BundleCache, retain_parts
from generator.infra.files import link_file, write_atomically
from generator.infra.output_cache import digest_bytes, digest_parts
from generator.render.search import COLUMNS_DIR

BUNDLE_DIR = "pagefind"
COLLECTIONS = (MOVEMENTS_DIR, LOCALITIES_DIR, COLUMNS_DIR)
INDEXED = (PROFILES_DIR, *COLLECTIONS)
GLOB = "{" + ",".join(INDEXED) + "}/*/index.html"  # one level down: not the section index pages
PRIMARY_PART = "chung"  # the collection pages, and the engine (pagefind.js, its worker, its WebAssembly)
ENGINE_JS = f"{BUNDLE_DIR}/{PRIMARY_PART}/pagefind.js"
PARTS_FILE = f"{BUNDLE_DIR}/parts.json"  # {"merge": ["ho-so-1/", ...]}: the parts merged into the primary
# Profile pages per part, at most. Measured on 10,008 synthetic profiles (bench_search.py): one
# index, Pagefind peaks at 1.27 GB and a first full-text query downloads 1.78 MB; in three parts
# (this value), 393 MB and 2.49 MB; in five (2,500), 235 MB and 2.82 MB. Each part costs readers an
# index chunk per word searched, so the parts are as large as a process under 1 GB allows.
PART_PAGES = 5000
# The engine, loaded from the primary part only: a merged part is searched by the primary's.
ENGINE_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")
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
class IndexPart:
    name: str  # its folder under BUNDLE_DIR
    pages: tuple[str, ...]  # the pages it indexes, relative to the site, in a stable order


@dataclass(frozen=True)
class IndexStats:
    pages: int
    normalized: int  # pages that were not NFC and were rewritten
    seconds: float
    peak_mb: float  # largest resident size of a child process of this one so far: Pagefind's
    parts: int = 1
    parts_reused: int = 0  # parts none of whose pages changed: the last build's bundle, from the cache
    pages_indexed: int = 0  # pages read by Pagefind in this run (those of the parts not reused)

    @property
    def reused(self) -> bool:
        return self.parts_reused == self.parts


class IndexingFailed(Exception):
    pass


def index_site(site_dir: Path | str, normalize: bool = True, cache_dir: Path | None = None,
               page_digests: Mapping[str, str] | None = None) -> IndexStats:
    """``normalize=False``: the pages were made NFC as they were written (``nfc_page``).
    ``cache_dir``: reuse the last bundle of each part whose pages are the ones it was made from.
    ``page_digests``: the digest of the bytes of pages the caller wrote or linked from the build
    cache, by their path in the site (reading 11,000 pages back to key the parts took 1.6 s)."""
    site = Path(site_dir)
    start = time.perf_counter()
    normalized = normalize_pages(site) if normalize else 0
    parts = index_parts(indexed_pages(site))
    bundle = site / BUNDLE_DIR
    shutil.rmtree(bundle, ignore_errors=True)
    reused = indexed = 0
    for part in parts:
        cache = BundleCache(cache_dir, part.name) if cache_dir else None
        key = index_key(site, part, page_digests or {}) if cache else ""
        if cache and cache.restore(key, bundle / part.name):
            reused += 1
            continue
        index_part(site, part, bundle / part.name)
        indexed += len(part.pages)
        if cache:
            cache.store(key, bundle / part.name)
    if cache_dir:
        retain_parts(cache_dir, [part.name for part in parts])
    merged = [f"{part.name}/" for part in parts if part.name != PRIMARY_PART]
    write_atomically(site / PARTS_FILE, json.dumps({"merge": merged}).encode("utf-8"))
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return IndexStats(sum(len(part.pages) for part in parts), normalized, time.perf_counter() - start, peak_mb,
                      len(parts), reused, indexed)


def indexed_pages(site: Path) -> list[str]:
    """The pages Pagefind reads (``GLOB``), relative to the site, in a stable order."""
    return sorted(page.relative_to(site).as_posix()
                  for folder in INDEXED for page in site.glob(f"{folder}/*/index.html"))


def index_parts(pages: Sequence[str]) -> list[IndexPart]:
    """One part while there are at most ``PART_PAGES`` profiles; beyond, the primary part (every
    page not a profile's), then the profiles in ``ceil(n / PART_PAGES)`` parts. A profile's part is
    a hash of its address, so it stays in the same part while the number of parts does, whatever
    else is added or removed; the parts come out about equal.

    Why not always in parts: Pagefind searches each part on its own, and ignores a word of the
    query that a part does not hold at all (its "best effort": some results rather than none), so
    a part may add pages that hold only the other words. One index is exact; parts are the price
    of bounding the indexer's memory on a large site."""
    profiles = [page for page in pages if page.startswith(PROFILES_DIR + "/")]
    if len(profiles) <= PART_PAGES:
        return [IndexPart(PRIMARY_PART, tuple(pages))]
    count = math.ceil(len(profiles) / PART_PAGES)
    buckets: list[list[str]] = [[] for _ in range(count)]
    for page in profiles:
        buckets[int(digest_bytes(page.encode("utf-8"))[:12], 16) % count].append(page)
    primary = IndexPart(PRIMARY_PART, tuple(page for page in pages if not page.startswith(PROFILES_DIR + "/")))
    return [primary, *(IndexPart(f"{PROFILES_DIR}-{number}", tuple(bucket))
                       for number, bucket in enumerate(buckets, start=1) if bucket)]


def index_key(site: Path, part: IndexPart, page_digests: Mapping[str, str]) -> str:
    """Everything a part's bundle is made from: Pagefind's version, our settings, the digest of
    each page's bytes (from ``page_digests``, else read)."""
    def parts() -> Iterator[str | bytes]:  # one page at a time: a part's pages are hundreds of MB
        yield from (metadata.version("pagefind"), "\0".join(pagefind_settings()), part.name)
        for page in part.pages:
            yield page
            yield page_digests.get(page) or digest_bytes((site / page).read_bytes())
    return digest_parts(parts())


def index_part(site: Path, part: IndexPart, output: Path) -> None:
    """Pagefind over ``part``'s pages alone: linked into a folder of their own beside the site (at
    the same addresses, so results link to the pages), which Pagefind reads as the site."""
    try:  # beside the site, so the pages can be hard links; else anywhere, as copies
        staging = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site.parent))
    except OSError:
        staging = Path(tempfile.mkdtemp(prefix="dienhinh-pagefind-"))
    try:
        for page in part.pages:
            link_file(site / page, staging / page)
        run_pagefind(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    unused = UNUSED if part.name == PRIMARY_PART else (*UNUSED, *ENGINE_FILES)
    for pattern in unused:
        for path in output.glob(pattern):
            path.unlink()


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


def pagefind_command(site: Path, output: Path) -> list[str]:
    """The binary shipped in the ``pagefind`` wheel, through its module, with our settings."""
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(output),
            *pagefind_settings()]


def pagefind_settings() -> list[str]:
    """What Pagefind is told besides where the site is: which pages, which part of each, how."""
    settings = ["--glob", GLOB, "--root-selector", "article", "--force-language", LANGUAGE, "--quiet"]
    for selector in EXCLUDED:
        settings += ["--exclude-selectors", selector]
    return settings


def run_pagefind(site: Path, output: Path) -> None:
    result = subprocess.run(pagefind_command(site, output), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise IndexingFailed(
            f"Không lập được chỉ mục tìm kiếm (Pagefind): {result.stderr.strip() or result.stdout.strip()}"
        )
