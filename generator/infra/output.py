"""What a build produces: Markdown pages for MkDocs and the files copied or written beside them."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.infra.shelf import unmark

_TEXT_FIELDS = ("title", "description")
YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # LibYAML: the pure-Python emitter is slow


@dataclass(frozen=True)
class GeneratedPage:
    path: str  # docs-relative source path, e.g. "ho-so/nguyen-van-an/index.md"
    body: str  # the Markdown after the front matter, with its shelved regions marked (shelf.py)
    meta: dict = field(default_factory=dict)  # the front matter, as data (read-only)

    @property
    def theme_meta(self) -> dict:
        """The front matter as MkDocs themes read it: they print a page's title and description as
        HTML (Material's navigation, header, <title> and <meta name="description">), while ours are
        text, so those two go in escaped."""
        return {**self.meta, **{key: html.escape(self.meta[key]) for key in _TEXT_FIELDS if key in self.meta}}

    @property
    def markdown(self) -> str:
        """The page as one Markdown file with YAML front matter, as ``emit`` writes it.

        The plugin hands MkDocs ``body`` and ``meta`` apart instead, which spares it parsing
        the YAML again with the pure-Python loader: several milliseconds per profile page.
        """
        front = yaml.dump(self.theme_meta, Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False, width=10_000)
        return f"---\n{front}---\n\n{unmark(self.body)}"


@dataclass(frozen=True)
class GeneratedAsset:
    """A non-Markdown output: copied from ``source`` or written from ``content``."""

    path: str  # docs-relative destination
    source: Path | None = None
    content: bytes | None = None
    link: bool = False  # ``source`` is a build-cache file: hard-linked, as kept pages are, not copied


@dataclass(frozen=True)
class SiteOutput:
    pages: tuple[GeneratedPage, ...]
    assets: tuple[GeneratedAsset, ...]


class OutputCollision(Exception):
    pass


def refuse_collisions(paths: list[str]) -> None:
    """Two outputs on one path would silently overwrite each other (Pelican's writer refuses too)."""
    seen: set[str] = set()
    for path in paths:
        if path in seen:
            raise OutputCollision(f"Hai trang cùng ghi vào “{path}”.")
        seen.add(path)
