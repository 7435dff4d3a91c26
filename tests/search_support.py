"""Build a copy of the project's site, for the search tests and scripts/bench_search.py."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def project_copy(root: Path, source: Path = REPO, link: bool = True) -> Path:
    """A project at ``root``: the registries, content and theme of ``source`` (linked, or copied
    when ``link`` is false), its profiles if it has them, and its mkdocs.yml."""
    for name in ("data", "content", "theme", "profiles"):
        if (source / name).exists() and not (root / name).exists():
            if link:
                (root / name).symlink_to(source / name, target_is_directory=True)
            else:
                shutil.copytree(source / name, root / name)
    config = root / "mkdocs.yml"
    shutil.copy(source / "mkdocs.yml", config)
    return config


def build_search_site(config: Path, site: Path, strict: bool = False, index: bool = True) -> Path:
    """``index=False``: without the Pagefind index, to time building and indexing apart."""
    from generator.adapters.build import build_site

    if not index:
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("\n  - dienhinh\n", "\n  - dienhinh:\n      search_index: false\n", 1),
                          encoding="utf-8")
    return build_site(config, site, strict=strict)


def indexed_fragments(site) -> list[dict]:
    """Every page Pagefind indexed, as it stored it: a gzip of a signature and the page's JSON."""
    fragments = []
    for path in (site / "pagefind").glob("*/fragment/*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        fragments.append(json.loads(data[data.index(b"{"):]))
    return fragments
