"""Our generated pages and files as MkDocs files.

A generated page reaches MkDocs as its body, with its front matter as data; the plugin sets our
own HTML aside (``infra/shelf.py``) as MkDocs reads the page, so Python-Markdown parses neither
again, and puts both back (``ShelvedPages``). A page taken from the build cache is never read, so
its regions are never set aside (for every page at once that was 1.8 s of a 10,000-profile
rebuild). Small generated files are spooled to disk and cached derivatives are linked,
so MkDocs never holds them in memory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.structure.files import File, Files

from generator.infra.output import GeneratedAsset, GeneratedPage
from generator.infra.spool import remove_stale_spools, spool


class LinkedFile(File):
    """A cached derivative (photo rendition, share card): hard-linked into the site, not copied.

    Cache entries are written once under a content hash and never modified in place, so a link
    is as safe as a copy and costs nothing; across file systems it falls back to copying.
    """

    def copy_file(self, dirty: bool = False) -> None:
        if self.abs_src_path is None or f"{os.sep}.cache{os.sep}" not in self.abs_src_path:  # never link an
            return super().copy_file(dirty)  # editor's own file
        try:
            os.makedirs(os.path.dirname(self.abs_dest_path), exist_ok=True)
            if os.path.lexists(self.abs_dest_path):
                os.unlink(self.abs_dest_path)
            os.link(self.abs_src_path, self.abs_dest_path)
        except OSError:
            super().copy_file(dirty)


@dataclass
class ShelvedPages:
    """One build's generated pages as MkDocs reads them: front matter by source path, taken back
    once (by ``on_page_markdown``), and the HTML regions shelved there, taken back once (by
    ``on_page_content``)."""

    meta: dict[str, dict] = field(default_factory=dict)
    regions: dict[str, tuple[str, ...]] = field(default_factory=dict)


def add_pages(files: Files, config, pages: tuple[GeneratedPage, ...]) -> ShelvedPages:
    shelved = ShelvedPages()
    for page in pages:
        shelved.meta[page.path] = page.theme_meta
        files.append(File.generated(config, page.path, content=page.body))
    return shelved


def add_assets(files: Files, config, cache: Path, assets: tuple[GeneratedAsset, ...]) -> None:
    remove_stale_spools(cache)
    for asset in assets:
        source = spool(cache, asset.path, asset.content) if asset.content is not None else asset.source
        files.append(LinkedFile.generated(config, asset.path, abs_src_path=str(source)))
