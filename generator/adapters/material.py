"""Corrections to Material's own script in the built site, each found by an exact string that a
test checks against the installed Material (tests/site/test_quality_gates.py).

Material fetches ``sitemap.xml`` beside every ``<link rel="alternate">`` of a page, to map the
pages of a site's other language versions; our feed links are alternates too, so every page
asked for a missing /feeds/sitemap.xml three times (upstream: zensical/zensical#908). Only
alternates with ``hreflang`` are language versions: the script is narrowed to those, the change
proposed upstream. The site has no language versions, so the script now fetches nothing.
"""

from __future__ import annotations

from pathlib import Path

from generator.infra.files import write_atomically

ALTERNATES = ('"link[rel=alternate]"', '"link[rel=alternate][hreflang]"')


class MaterialChanged(Exception):
    """The installed Material no longer has the code this module corrects."""


def narrow_alternate_links(site_dir: Path) -> Path:
    """Correct Material's bundle in ``site_dir``; the file corrected."""
    bundles = sorted((site_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    old, new = ALTERNATES
    for bundle in bundles:
        script = bundle.read_text(encoding="utf-8")
        if script.count(old) == 1:
            write_atomically(bundle, script.replace(old, new).encode("utf-8"))
            return bundle
        if new in script:
            return bundle  # already narrowed (a `serve` that kept the file)
    raise MaterialChanged(f"Material's bundle no longer selects {old}: {', '.join(map(str, bundles)) or 'none'}")
