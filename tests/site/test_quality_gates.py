"""Quality gates over the built sample site: valid HTML (Nu Html Checker), no broken internal
links or anchors, nothing loaded from another host; and the Material templates copied into
theme/ still match the installed Material apart from our documented changes."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from browser_support import REPO, VNU_JAR, file_to_url, html_files, parse, require_java_and_vnu, url_to_file

pytestmark = pytest.mark.gates

MKDOCS_YML = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
SITE_URL = re.search(r"^site_url:\s*(\S+)", MKDOCS_YML, re.M)[1]

# (tag, attribute) pairs that refer to another file; srcset holds a list of candidates.
REFERENCES = [("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("img", "srcset"),
              ("source", "src"), ("source", "srcset")]
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def test_every_page_is_valid_html(sample_site: Path):
    require_java_and_vnu()
    command = ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout",
               "--skip-non-html", str(sample_site)]
    run = subprocess.run(command, capture_output=True, text=True)
    assert run.stdout, f"the Nu Html Checker gave no report: {run.stderr}"
    prefix = f"file:{sample_site}"
    errors = [f"{m.get('url', '?').removeprefix(prefix)}:{m.get('lastLine', '?')}: {m['message']}"
              for m in json.loads(run.stdout)["messages"] if m["type"] != "info"]
    assert not errors, f"{len(errors)} Nu Html Checker errors:\n" + "\n".join(errors)
    assert run.returncode == 0, run.stderr


def test_every_page_is_in_vietnamese(sample_site: Path):
    wrong = [str(p.relative_to(sample_site)) for p in html_files(sample_site)
             if parse(p).html.get("lang") != "vi"]
    assert not wrong, "pages without <html lang=\"vi\">: " + ", ".join(wrong)


def _urls(tag, attribute: str) -> list[str]:
    value = tag.get(attribute, "").strip()
    if attribute == "srcset":
        return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
    return [value] if value else []


def test_links_resolve_and_nothing_comes_from_other_hosts(sample_site: Path):
    pages = {path: parse(path) for path in html_files(sample_site)}
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            soup = pages[path] if path in pages else parse(path)
            ids[path] = ({t["id"] for t in soup.find_all(id=True)}
                         | {t["name"] for t in soup.find_all("a", attrs={"name": True})})
        return ids[path]

    problems = []
    for path, soup in pages.items():
        page_url = file_to_url(sample_site, path)
        for tag_name, attribute in REFERENCES:
            for tag in soup.find_all(tag_name, attrs={attribute: True}):
                for url in _urls(tag, attribute):
                    problem = _check(sample_site, page_url, tag_name, url, ids_of)
                    if problem:
                        problems.append(f"{page_url}: <{tag_name} {attribute}={url!r}>: {problem}")
    for path in sorted(sample_site.rglob("*.css")):  # fonts and images named in stylesheets
        css_url = file_to_url(sample_site, path)
        for url in CSS_URL.findall(path.read_text(encoding="utf-8")):
            if not url.startswith("data:"):
                problem = _check(sample_site, css_url, "link", url, ids_of)
                if problem:
                    problems.append(f"{css_url}: url({url}): {problem}")
    assert not problems, f"{len(problems)} link problems:\n" + "\n".join(problems)


def _check(site: Path, page_url: str, tag_name: str, url: str, ids_of) -> str | None:
    """What is wrong with one reference from ``page_url``, or None."""
    if url.startswith(SITE_URL):
        url = "/" + url.removeprefix(SITE_URL)  # our own absolute URL (canonical): check it too
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel"):
        return None
    if parts.scheme or parts.netloc:
        return None if tag_name == "a" else "loads a resource from another host"
    target_url = urljoin(page_url, parts.path) if parts.path else page_url
    target = url_to_file(site, target_url)
    if not target.resolve().is_relative_to(site.resolve()) or not target.is_file():
        return f"no file {target.relative_to(site) if target.is_relative_to(site) else target}"
    fragment = unquote(parts.fragment)
    if fragment and target.suffix == ".html" and fragment not in ids_of(target):
        return f"no id {fragment!r} in {file_to_url(site, target)}"
    return None


# Material's web-font block (Google Fonts when theme.font is set); ours names no font host at all.
BASE_FONTS_BLOCK = """    {% block fonts %}
      {% if config.theme.font != false %}
        {% set text = config.theme.font.text | d("Roboto", true) %}
        {% set code = config.theme.font.code | d("Roboto Mono", true) %}
        <link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>
        <link rel="stylesheet" href="https://fonts.googleapis.com/css?family={{
            text | replace(' ', '+') + ':300,300i,400,400i,700,700i%7C' +
            code | replace(' ', '+') + ':400,400i,700,700i'
          }}&display=fallback">
        <style>:root{--md-text-font:"{{ text }}";--md-code-font:"{{ code }}"}</style>
      {% endif %}
    {% endblock %}
"""

# Material templates copied into theme/, with the only changes we made to each (old, new).
MATERIAL_COPIES = {
    "base.html": [(' id="__drawer" autocomplete="off">', ' id="__drawer">'),
                  (' id="__search" autocomplete="off">', ' id="__search">'),
                  (BASE_FONTS_BLOCK, '    {% block fonts %}{# Be Vietnam Pro ships with the theme (assets/fonts): '
                                     'no font host is ever named. #}{% endblock %}\n')],
    "partials/toc.html": [(
        '<label class="md-nav__title" for="__toc">',
        '<label class="md-nav__title"{% if page in nav.pages %} for="__toc"{% endif %}>')],
    "partials/header.html": [(
        '    {% if "material/search" in config.plugins %}',
        '    <a href="{{ \'tim-kiem/\' | url }}" class="md-header__button md-icon dh-header__search" title="Tìm kiếm" '
        'aria-label="Tìm kiếm">\n      {% include ".icons/material/magnify.svg" %}\n    </a>\n'
        '    {% if "material/search" in config.plugins %}')],
    "partials/search.html": [(
        'role="dialog">',
        'role="dialog" aria-label="{{ lang.t(\'search\') }}">')],
}


@pytest.mark.parametrize("name", MATERIAL_COPIES)
def test_theme_copies_follow_installed_material(name: str):
    """After a Material upgrade this fails until the copy is refreshed from the new template."""
    import material

    def body(path: Path) -> str:  # without the leading {#- ... -#} comment
        return re.sub(r"\A\{#-.*?-#\}\n", "", path.read_text(encoding="utf-8"), flags=re.S)

    expected = body(Path(material.__file__).parent / "templates" / name)
    for old, new in MATERIAL_COPIES[name]:
        assert old in expected, f"Material's {name} no longer contains {old!r}"
        expected = expected.replace(old, new)
    assert body(REPO / "theme" / name) == expected, f"theme/{name} differs from Material's copy"


def test_material_asks_for_no_sitemap_beside_the_feed_links(sample_site):
    """Material fetched sitemap.xml beside every <link rel="alternate">, so each page asked for a
    missing /feeds/sitemap.xml three times; the built site's bundle follows only language versions."""
    from generator.adapters.material import ALTERNATES

    old, new = ALTERNATES
    bundles = list((sample_site / "assets" / "javascripts").glob("bundle.*.min.js"))
    assert len(bundles) == 1
    script = bundles[0].read_text(encoding="utf-8")
    assert new in script and old not in script
