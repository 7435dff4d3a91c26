"""Build a site with search wired in, for the search tests and scripts/bench_search.py.

The wiring (a line in site.py, the plugin's on_post_build, the sanitiser's allow-list and three
entries in mkdocs.yml) belongs to files this feature does not own. Until they carry it, ``wired``
applies it for the length of a build; each piece steps aside once the real one is there.
"""

from __future__ import annotations

import re
import shutil
from contextlib import ExitStack, contextmanager
from pathlib import Path
from collections.abc import Iterator

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = ("search-index.js", "search.js", "browse.js")  # in this order
SEARCH_ATTRIBUTES = {"span": {"data-pagefind-filter", "data-pagefind-meta"}, "ul": {"data-pagefind-ignore"}}


@contextmanager
def _patched(target, name: str, value) -> Iterator[None]:
    missing = object()
    old = target.__dict__.get(name, missing) if isinstance(target, type) else getattr(target, name, missing)
    setattr(target, name, value)
    try:
        yield
    finally:
        if old is missing:
            delattr(target, name)
        else:
            setattr(target, name, old)


@contextmanager
def wired(index: bool = True) -> Iterator[None]:
    """The search wiring for the builds inside; ``index=False`` leaves out Pagefind."""
    from generator import plugin, sanitize
    from generator.pagefind_index import index_site
    from generator.render import SiteOutput
    from generator.render_search import SEARCH_PAGE, render_search

    def render_site(catalog, *args, **kwargs):
        output = original(catalog, *args, **kwargs)
        if any(page.path == SEARCH_PAGE for page in output.pages):
            return output
        extra = render_search(catalog, kwargs.get("options", args[1] if len(args) > 1 else None))
        return SiteOutput(output.pages + extra.pages, output.assets + extra.assets)

    def on_post_build(self, config) -> None:
        if index:
            index_site(config.site_dir)

    original = plugin.render_site
    attributes = {tag: set(names) for tag, names in sanitize._ATTRIBUTES.items()}
    for tag, names in SEARCH_ATTRIBUTES.items():
        attributes[tag] = attributes.get(tag, set()) | names
    with ExitStack() as stack:
        stack.enter_context(_patched(plugin, "render_site", render_site))
        stack.enter_context(_patched(sanitize, "_ATTRIBUTES", attributes))
        if not index or "on_post_build" not in plugin.DienHinhPlugin.__dict__:
            stack.enter_context(_patched(plugin.DienHinhPlugin, "on_post_build", on_post_build))
        yield


def wired_config(text: str) -> str:
    """mkdocs.yml with the search script, stylesheet and navigation entries, if it lacks them."""
    if "assets/search.js" not in text:
        scripts = "".join(f"  - assets/{name}\n" for name in SCRIPTS)
        text = text.rstrip("\n") + "\n\nextra_javascript:\n" + scripts
    if "assets/search.css" not in text:
        text = re.sub(r"(?m)^(extra_css:\n(?:  - .*\n)*)", r"\1  - assets/search.css\n", text, count=1)
    if "tim-kiem/index.md" not in text:
        text = re.sub(r"(?m)^(nav:\n(?:  - .*\n)*)", r"\1  - Tìm kiếm: tim-kiem/index.md\n  - Tra cứu: tra-cuu/index.md\n",
                      text, count=1)
    return text


def project_copy(root: Path, source: Path = REPO, link: bool = True) -> Path:
    """A project at ``root``: the registries, content and theme of ``source`` (linked, or copied
    when ``link`` is false), its profiles if it has them, and the wired mkdocs.yml."""
    for name in ("data", "content", "theme", "profiles"):
        if (source / name).exists() and not (root / name).exists():
            if link:
                (root / name).symlink_to(source / name, target_is_directory=True)
            else:
                shutil.copytree(source / name, root / name)
    config = root / "mkdocs.yml"
    config.write_text(wired_config((source / "mkdocs.yml").read_text(encoding="utf-8")), encoding="utf-8")
    return config


def build_search_site(config: Path, site: Path, strict: bool = False, index: bool = True) -> Path:
    from generator.build import build_site

    with wired(index):
        return build_site(config, site, strict=strict)
