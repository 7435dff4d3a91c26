"""Incremental builds: which pages MkDocs need not render again, and their HTML from the cache.

MkDocs renders every page on every build. A page's HTML depends only on (a) its own source, (b)
which files the links in it resolve to, and (c) what every page shares: the generator's code, the
theme, mkdocs.yml, the versions of MkDocs, Material and Markdown, and the navigation bar. This
module digests exactly that into a key per page (``PageReuse.plan``); a page whose key has an
intact entry in ``infra/output_cache`` is linked into the site and MkDocs skips it, through its own
``dirty`` mechanism (``File.is_modified``), so the rest of MkDocs' build (navigation, sitemap,
static files, link checks of the rendered pages) runs as always.

The pages in the navigation are always rendered: their titles and front matter feed the navigation
of every other page, so they are part of (c) instead. A page whose rendering logged a warning is
not stored, so the warning comes again on the next build, as a full build would give it.
Known limit: a link into an unchanged page's anchor is not checked again when only that page
changes (MkDocs checks anchors of the pages it rendered).
"""

from __future__ import annotations

import contextlib
import json
import logging
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import meta as front_matter

from generator.infra.files import link_file, write_atomically
from generator.infra.output_cache import (
    OutputCache,
    code_fingerprint,
    digest_bytes,
    digest_parts,
    encode_page,
    folder_digest,
)
from generator.infra.records import RecordCodec, RecordUnreadable

# Link targets in Markdown ([text](target)) and in HTML inside Markdown (href, src), one pattern
# each: a pattern that starts with a literal is found by a fast scan, while one alternation of them
# all was tried at every character (two thirds of the keying time of a 1,000-profile site).
_INLINE_TARGETS = (re.compile(r"\]\(\s*<?([^)\s>]+)"), re.compile(r"href\s*=\s*[\"']([^\"']+)"),
                   re.compile(r"src\s*=\s*[\"']([^\"']+)"))
# Reference definitions ([id]: target), looked for only where "]:" occurs at all.
_REFERENCE_TARGET = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")

log = logging.getLogger("mkdocs.plugins.dienhinh")


def build_fingerprint(config, settings: str, nav_signature: str) -> str:
    """What every page's HTML shares: generator, theme, mkdocs.yml, libraries, settings, navigation."""
    custom_dir = config.theme.custom_dir
    return digest_parts([
        code_fingerprint(),
        folder_digest(Path(custom_dir)) if custom_dir else "",
        Path(config.config_file_path).read_bytes() if config.config_file_path else b"",
        # the values a page's template reads that mkdocs.yml may take from the environment (!ENV)
        str(config.site_url or ""), str(config.use_directory_urls), str(config.site_name),
        json.dumps(settings_text([config.extra, config.mdx_configs]), sort_keys=True),
        settings, nav_signature,
    ])


def settings_text(value: object) -> object:
    """Settings as JSON-ready data: mappings, lists and scalars as they are, any other object by its
    type's name. mkdocs.yml can hold Python objects (the toc extension's ``slugify`` function)
    whose ``repr`` names a memory address, different in every process; the file's own bytes are in
    the fingerprint already, so the type's name loses nothing."""
    if isinstance(value, Mapping):
        return {str(key): settings_text(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [settings_text(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


def link_paths(source: str, src_uri: str) -> tuple[tuple[str, str], ...]:
    """Where each relative link in ``source`` leads, once each in the order of the text: the folder
    of the site it climbs to and the rest of its path, still quoted. Markdown links first, then
    ``href``, ``src`` and reference definitions. A page's HTML changes when one of the files MkDocs
    may resolve them to (``link_answers``) appears or goes, and only then."""
    found: dict[tuple[str, str], None] = {}
    folder = posixpath.dirname(src_uri)
    for target in _targets(source):
        # What urllib.parse.urlsplit would call a scheme or a network location: not a file of the
        # site. (urlsplit itself took half the planning time of a 1,000-profile site.)
        if target.startswith(("/", "\\")) or _SCHEME.match(target):
            continue
        path = target.partition("#")[0].partition("?")[0]
        if not path:
            continue
        base, rest = folder, path
        while rest.startswith("../") and base:  # the folder's own names hold no "..": plain climbing
            base, rest = posixpath.dirname(base), rest[3:]
        found[base, rest] = None
    return tuple(found)


def link_answers(paths: Iterable[tuple[str, str]], src_uris: Mapping[str, object],
                 resolved: dict[tuple[str, str], str] | None = None) -> list[str]:
    """For each of ``link_paths``, which of the files MkDocs may resolve it to exist. ``resolved``:
    the answers of earlier pages of the same build (thousands of profile pages link the same few
    pages from their own folders)."""
    resolved = {} if resolved is None else resolved
    answers = []
    for path in paths:
        existing = resolved.get(path)
        if existing is None:
            existing = resolved[path] = _existing_candidates(path[0], unquote(path[1]), src_uris)
        answers.append(existing)
    return answers


def _targets(source: str) -> Iterator[str]:
    for pattern in _INLINE_TARGETS:
        for match in pattern.finditer(source):
            yield match[1]
    if "]:" in source:
        for match in _REFERENCE_TARGET.finditer(source):
            yield match[1]


def _existing_candidates(folder: str, path: str, src_uris: Mapping[str, object]) -> str:
    """'1' or '0' for each file MkDocs tries for a link to ``path`` from ``folder``: the path itself,
    its index.md, path.md and its README.md. Plain string keys: ``Files.get_file_from_path`` builds a
    PurePath per call, which at thousands of links a page was most of the planning time."""
    joined = posixpath.normpath(posixpath.join(folder, path))
    inside = "" if joined == "." else joined + "/"
    candidates = (joined, inside + "index.md", joined + ".md", inside + "README.md")
    return "".join("1" if candidate in src_uris else "0" for candidate in candidates)


@dataclass(frozen=True)
class GeneratedSource:
    """What a page is made from: ``text`` (everything its HTML is rendered from) and its front matter."""

    text: str
    meta: dict


@dataclass(frozen=True)
class LinkPathsRecord:
    """``links.json`` in the pages' cache: each page's ``link_paths`` by the digest of its folder and
    text, as indexes into one list of paths (thousands of pages share most of theirs)."""

    paths: tuple[tuple[str, str], ...]
    pages: dict[str, tuple[int, ...]]


_LINK_PATHS: RecordCodec[LinkPathsRecord] = RecordCodec(LinkPathsRecord)


class KeptLinkPaths:
    """Each page's ``link_paths``, kept between builds by the digest of the code, its folder and its
    text, which are all they depend on: finding them scans the whole text, most of the time of
    keying an unchanged site's pages. A file that cannot be read, or names a path it has not, is
    ignored (every page scanned again) and written anew."""

    FILE = "links.json"

    def __init__(self, folder: Path):
        self.file = folder / self.FILE
        self.known: dict[str, tuple[tuple[str, str], ...]] = {}
        with contextlib.suppress(OSError, RecordUnreadable, IndexError):
            record = _LINK_PATHS.decode(self.file.read_bytes())
            if all(index >= 0 for indexes in record.pages.values() for index in indexes):
                self.known = {text: tuple(record.paths[index] for index in indexes)
                              for text, indexes in record.pages.items()}
        self.used: dict[str, tuple[tuple[str, str], ...]] = {}
        self.scanned = 0

    def of(self, text: str, source: str, src_uri: str) -> tuple[tuple[str, str], ...]:
        """The link paths of ``source`` at ``src_uri``, whose digest (with the code's) is ``text``."""
        paths = self.known.get(text)
        if paths is None:
            paths = link_paths(source, src_uri)
            self.scanned += 1
        self.used[text] = paths
        return paths

    def save(self, prune: bool) -> None:
        """Keep what this build used (and, unless ``prune``, what earlier builds did)."""
        if not self.scanned and (not prune or len(self.used) == len(self.known)):
            return
        pages = self.used if prune else {**self.known, **self.used}
        numbers: dict[tuple[str, str], int] = {}
        indexed = {text: tuple(numbers.setdefault(path, len(numbers)) for path in paths)
                   for text, paths in pages.items()}
        write_atomically(self.file, _LINK_PATHS.encode(LinkPathsRecord(tuple(numbers), indexed)))


@dataclass
class PageReuse:
    """One build's reuse of rendered pages: planned in ``on_nav``, recorded in ``on_post_page``,
    stored in ``on_post_build``."""

    cache: OutputCache
    links: KeptLinkPaths
    keys: dict[str, str] = field(default_factory=dict)  # src_uri -> key, of the pages to render
    rendered: dict[str, tuple[str, Path]] = field(default_factory=dict)  # src_uri -> (digest, written to)
    warned: set[str] = field(default_factory=set)
    digests: dict[str, str] = field(default_factory=dict)  # dest_uri -> digest of the bytes in the site
    pages: int = 0
    reused: int = 0

    def plan(self, files: Files, nav: Navigation, config, settings: str,
             generated: Callable[[File], GeneratedSource | None]) -> None:
        """Key every page; link those with an intact entry into the site and mark them unchanged.

        ``generated``: the source of one of our generated pages, which reach MkDocs as a body with
        their HTML and front matter beside it (None for others, read from their files)."""
        def source_of(file: File) -> GeneratedSource:
            known = generated(file)
            if known is not None:
                return known
            text = file.content_string
            return GeneratedSource(text, front_matter.get_data(text)[1])

        in_nav = {page.file.src_uri for page in nav.pages}
        fingerprint = build_fingerprint(config, settings, nav_signature(nav.items, source_of))
        resolved: dict[tuple[str, str], str] = {}
        code = code_fingerprint()
        for file in files.documentation_pages():
            self.pages += 1
            if file.src_uri in in_nav:
                continue
            source = source_of(file).text
            text = digest_parts([code, posixpath.dirname(file.src_uri), source])  # all the links depend on
            links = self.links.of(text, source, file.src_uri)
            key = digest_parts([fingerprint, file.src_uri, text, *link_answers(links, files.src_uris, resolved)])
            cached = self.cache.lookup(key)
            if cached is None:
                self.keys[file.src_uri] = key
                continue
            link_file(cached, Path(file.abs_dest_path))
            self.digests[file.dest_uri] = self.cache.digest(key) or ""
            file.is_modified = _unchanged  # type: ignore[method-assign]  # MkDocs' dirty build skips it
            self.reused += 1

    def record(self, page: Page, html: str) -> None:
        """A page MkDocs just rendered (``on_post_page``, which MkDocs writes as it is); stored
        once MkDocs has written it."""
        digest = self.digests[page.file.dest_uri] = digest_bytes(encode_page(html))
        key = self.keys.get(page.file.src_uri)
        if key is not None and page.file.src_uri not in self.warned:
            self.rendered[page.file.src_uri] = (digest, Path(page.file.abs_dest_path))

    def finish(self, prune: bool) -> None:
        for src_uri, (digest, written) in self.rendered.items():
            if written.is_file():
                self.cache.store(self.keys[src_uri], digest, written)
        self.cache.save(prune=prune)
        self.links.save(prune=prune)
        log.info(f"Dựng lại {self.pages - self.reused} trang, dùng lại {self.reused} trang đã dựng.")


def _unchanged() -> bool:
    return False


def nav_signature(items, source_of) -> str:
    """The navigation as every page shows it: titles, addresses and the nav pages' front matter.
    A page without a title in mkdocs.yml takes it from its own text, so then its text counts."""
    parts: list[str] = []
    for item in items:
        if isinstance(item, Section):
            parts += ["section", str(item.title), nav_signature(item.children, source_of)]
        elif isinstance(item, Link):
            parts += ["link", str(item.title), str(item.url)]
        elif isinstance(item, Page):
            source = source_of(item.file)
            parts += ["page", item.file.src_uri, str(item.title), repr(sorted(source.meta.items(), key=str)),
                      source.text if item.title is None else ""]
    return digest_parts(parts)


class WarningWatch(logging.Handler):
    """Notes the page being rendered when MkDocs or a plugin logs a warning about it."""

    def __init__(self, reuse: PageReuse):
        super().__init__(logging.WARNING)
        self.reuse = reuse
        self.current: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.current is not None:
            self.reuse.warned.add(self.current)
