"""Where each page lives in the built site, and how one page links to another.

Paths are docs-relative Markdown sources ("ho-so/<slug>/index.md"); MkDocs turns each into a
directory URL, so links between pages are directory-style and relative.
"""

from __future__ import annotations

import posixpath

from generator.core.model import Profile

PROFILES_DIR = "ho-so"
MOVEMENTS_DIR = "phong-trao"
LOCALITIES_DIR = "dia-phuong"
EDITOR_DIR = "quan-tri"  # the web editor (render/editor.py): kept out of the navigation, sitemap and search


def profile_page_path(profile: Profile) -> str:
    return f"{PROFILES_DIR}/{profile.slug}/index.md"


def movement_page_path(code: str) -> str:
    return f"{MOVEMENTS_DIR}/{code}/index.md"


def locality_page_path(locality_id: str) -> str:
    return f"{LOCALITIES_DIR}/{locality_id}/index.md"


def relative_url(from_page: str, to_page: str) -> str:
    """Directory-style URL of ``to_page`` relative to ``from_page`` (both docs source paths).

    Up to the root, then down: not always the shortest form, but computed without a
    filesystem-style relpath for each of the many links of every page.
    """
    start = posixpath.dirname(from_page)
    target = posixpath.dirname(to_page)
    if start == target:
        return "./"
    up = "../" * (start.count("/") + 1) if start else ""
    return f"{up}{target}/" if target else (up or "./")


def file_url(from_page: str, to_file: str) -> str:
    """Relative URL of a file (not a page: a CSV, a zip, a feed) from a Markdown page served as a
    directory; the one helper every page uses for its downloads. What ``posixpath.relpath`` gives,
    computed on the names alone for the plain paths the generator makes (relpath asks the operating
    system for the working folder twice per call: most of the time of a profile's press block)."""
    start = posixpath.dirname(from_page)
    if not (to_file and _plain(start) and _plain(to_file)):  # relpath refuses an empty path
        return posixpath.relpath(to_file, start or ".")
    here, there = start.split("/") if start else [], to_file.split("/")
    common = 0
    for mine, theirs in zip(here, there):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."


def _plain(path: str) -> bool:
    """A relative path whose every part is a name: no "", ".", ".." parts, no leading or trailing "/"."""
    if not path:
        return True
    return not (path.startswith("/") or path.endswith("/") or "//" in path
                or any(part in (".", "..") for part in path.split("/")))


def emblem_path(name: str) -> str:
    """A movement's emblem (a Material Design Icon), one file the whole site shares."""
    return f"assets/emblems/{name}.svg"
