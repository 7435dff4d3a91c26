"""Links between pages and files: the fast relative file URL agrees with posixpath.relpath."""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.core.urls import file_url

NAME = st.sampled_from(["ho-so", "a", "b", "index.md", "tai-lieu.zip", ".", "..", "", "x y", "ảnh"])
PATH = st.lists(NAME, min_size=1, max_size=5).map("/".join)


@given(PATH, PATH)
def test_a_file_url_is_what_relpath_gives(from_page, to_file):
    start = posixpath.dirname(from_page)
    try:
        expected = posixpath.relpath(to_file, start or ".")
    except ValueError:  # relpath refuses an empty path; so must we
        expected = None
    try:
        found = file_url(from_page, to_file)
    except ValueError:
        found = None
    assert found == expected


def test_plain_paths_take_the_short_road():
    assert file_url("ho-so/an/index.md", "ho-so/an/tu-lieu.zip") == "tu-lieu.zip"
    assert file_url("ho-so/an/index.md", "feeds/x.xml") == "../../feeds/x.xml"
    assert file_url("index.md", "feeds/x.xml") == "feeds/x.xml"
    assert file_url("ho-so/an/index.md", "ho-so/an") == "."
    assert file_url("ho-so/an/index.md", "ho-so") == ".."


def test_an_empty_path_is_refused_as_relpath_refuses_it():
    with pytest.raises(ValueError):
        file_url("ho-so", "")
