"""Two builds of the same input give the same site, byte for byte, but for what Pagefind cannot
make stable: since Pagefind 1.3 its index and fragment files are stable between builds, while its
filter chunks and metadata index still come out in a different order each time (its maintainer
says so in Pagefind issue #638). For those, this test holds that the filters hold the same entries
and that the metadata index, which names the filter chunks by hash, keeps its size."""

from __future__ import annotations

import contextlib
import gzip
import os
import re
from pathlib import Path

from conftest import REPO, SAMPLE_EPOCH, SAMPLE_TODAY
from generator.adapters.build import build_site

# in each part of the index (pagefind/<part>/)
UNSTABLE = re.compile(r"pagefind/[^/]+/(filter/|pagefind\.|pagefind-entry\.json)")
FILTERS = re.compile(r"pagefind/[^/]+/filter/")
METADATA = re.compile(r"pagefind/[^/]+/pagefind\.")


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _content(data: bytes) -> list[int]:
    """The bytes of a Pagefind chunk whatever their order (chunks are gzip'd when Pagefind writes them)."""
    with contextlib.suppress(OSError):  # not gzip'd: compared as it is
        data = gzip.decompress(data)
    return sorted(data)


def test_two_builds_give_the_same_site(sample_site, tmp_path, monkeypatch):
    monkeypatch.setenv("DIENHINH_TODAY", SAMPLE_TODAY)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SAMPLE_EPOCH)  # as the session's build: a run may cross midnight
    again = build_site(REPO / "mkdocs.yml", tmp_path / "site", strict=True)
    first, second = _files(sample_site), _files(again)
    stable = {path for path in first if not UNSTABLE.match(path)}
    assert stable == {path for path in second if not UNSTABLE.match(path)}
    assert [path for path in sorted(stable) if first[path] != second[path]] == []
    assert any(path.startswith("pagefind/chung/fragment/") for path in stable)  # the bulk of the index is compared
    filters = [sorted(_content(data) for path, data in site.items() if FILTERS.match(path))
               for site in (first, second)]
    assert filters[0] == filters[1] and filters[0]  # the same filter entries, in another order
    metadata = [[len(_content(data)) for path, data in site.items() if METADATA.match(path)]
                for site in (first, second)]
    assert metadata[0] == metadata[1]  # it names the filter chunks by their hashes, so only its size holds
    assert os.environ["DIENHINH_TODAY"] == SAMPLE_TODAY
