"""What the live preview shows while the project has errors: the list of problems, as the home
page and as the answer to every other address, instead of a failed build, which would leave
every request hanging. It shows the real site again after the fix, without a restart."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import markdown
from jinja2 import Environment, FileSystemLoader, TemplateSyntaxError
from mkdocs.structure.files import Files

from generator.adapters.mkdocs_files import ShelvedPages, add_pages
from generator.core.model import Problem
from generator.infra.shelf import shelve, unshelve
from generator.load.profiles import display_path
from generator.render.pages import PROBLEMS_PAGE, problems_page


def show_problems(files: Files, config, problems: Sequence[Problem]) -> ShelvedPages:
    """The content pages as they are, and the problems in place of the home page."""
    home = files.get_file_from_path("index.md")
    if home:
        files.remove(home)
    return add_pages(files, config, (problems_page(problems),))


def without_broken_theme(env: Environment, config, files: Files, problems: Sequence[Problem]) -> bool:
    """A theme override that does not compile is one more problem to show, and the preview goes on
    with Material's own templates. ``env`` loses the override and the home page, already converted
    by now, becomes the list of problems; False where the override compiles."""
    custom = config.theme.custom_dir
    if not (custom and isinstance(env.loader, FileSystemLoader)):
        return False
    broken = list(_broken_templates(env, Path(custom), Path(config.config_file_path).parent))
    home = files.get_file_from_path(PROBLEMS_PAGE)
    if not (broken and home and home.page):
        return False
    env.loader = FileSystemLoader([d for d in env.loader.searchpath if Path(d) != Path(custom)])
    page = problems_page((*problems, *broken))
    body, regions = shelve(page.body)
    home.page.meta = dict(page.theme_meta)
    home.page.content = unshelve(markdown.markdown(body, extensions=["attr_list"]), regions)
    return True


def answer_every_address(site_dir: Path, site_url: str) -> None:
    """The preview answers a missing page with its 404.html: make that the list of problems,
    served at any depth (its links, relative to the site's root, resolve from there)."""
    root = urlsplit(site_url or "").path or "/"
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    (site_dir / "404.html").write_text(home.replace("<head>", f'<head><base href="{root}">', 1), encoding="utf-8")


def _broken_templates(env: Environment, custom: Path, root: Path) -> Iterator[Problem]:
    """A Problem for each template of the theme override that does not compile."""
    for template in sorted(custom.rglob("*.html")):
        name = template.relative_to(custom).as_posix()
        try:
            env.get_template(name)
        except TemplateSyntaxError as error:
            yield Problem("", display_path(template, root), f"Mẫu giao diện có lỗi cú pháp: {error.message}. "
                          "Bản xem trước tạm dùng giao diện mặc định.", error.lineno)
