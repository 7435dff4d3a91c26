"""The shelf: our own HTML set aside during Markdown conversion and put back unchanged."""

from __future__ import annotations

import re

import markdown
import pytest

from conftest import REPO, SAMPLE_TODAY
from generator.adapters.run import build_today
from generator.check.project import ProjectPaths, check_project
from generator.core.catalog import build_catalog
from generator.infra.shelf import CLOSE, OPEN, shelve, shelved, unmark, unshelve
from generator.render.options import RenderOptions
from generator.render.site import render_site

BLOCK = '<dl class="dh-facts">\n<dt>Năm</dt><dd>2024</dd>\n</dl>\n'


def test_regions_go_out_and_come_back_and_markdown_around_them_is_converted():
    text = (
        f"# Tiêu đề\n\n{shelved(BLOCK)}\n## Thành tích *nổi bật*\n\n{shelved('<p>a</p>' + str(shelved('<p>b</p>')))}\n"
    )
    assert unmark(text) == f"# Tiêu đề\n\n{BLOCK}\n## Thành tích *nổi bật*\n\n<p>a</p><p>b</p>\n"
    lean, regions = shelve(text)
    assert regions == (BLOCK.strip("\n"), "<p>a</p><p>b</p>") and OPEN not in lean and CLOSE not in lean
    html = unshelve(markdown.markdown(lean), regions)
    assert "<h2>Thành tích <em>nổi bật</em></h2>" in html and BLOCK.strip("\n") in html
    assert "<p>a</p><p>b</p>" in html and "dh-shelf" not in html


def test_a_page_without_regions_is_left_alone():
    assert shelve("## Chỉ có Markdown\n") == ("## Chỉ có Markdown\n", ())
    assert unshelve('<div data-dh-shelf="0"></div>', ()) == '<div data-dh-shelf="0"></div>'


@pytest.fixture(scope="module")
def sample_pages():
    result = check_project(ProjectPaths.at(REPO))
    catalog = build_catalog(result.registries, result.profiles, build_today(SAMPLE_TODAY))
    options = RenderOptions(site_url="https://example.test/")
    return render_site(catalog, "", options, all_profiles=result.profiles, media=result.media).pages


def test_every_region_of_the_sample_site_is_whole_html_blocks(sample_pages):
    """What a region may hold: HTML blocks only, never a Markdown heading or an editor's story."""
    shelved_pages = 0
    for page in sample_pages:
        _, regions = shelve(page.body)
        shelved_pages += bool(regions)
        for region in regions:
            assert region.startswith("<"), (page.path, region[:80])
            assert not re.search(r"(?m)^#{1,6} ", region), (page.path, region[:80])
            assert "Thành tích nổi bật" not in region, page.path  # the editors' customary section
    assert shelved_pages > 45  # every profile, movement and locality page
