"""The index of names and the browse data: folding, ranking, the files the browser loads, and
the same folding and ranking in theme/assets/search-index.js (run in Node) as in generator/search.py."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import unicodedata
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, SAMPLE_TODAY
from generator.check.project import ProjectPaths, check_project
from generator.core.catalog import build_catalog
from generator.render import pagefind
from generator.render.browse import FACETS, PAGE_SIZE, facets, listings, name_order, pager, profile_facets
from generator.render.context import SiteContext
from generator.render.search import (
    LOCALITY,
    MOVEMENT,
    Entity,
    catalog_entities,
    edit_distance,
    exact_form,
    fold,
    rank_entities,
    shard_key,
    words,
)
from generator.render.search_pages import BROWSE_DATA, ENTITIES, SEARCH_PAGE, render_search
from search_support import indexed_fragments

SEARCH_JS = REPO / "theme/assets/search-index.js"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- folding ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, folded", [
    ("Điện Bàn", "dien ban"), ("ĐIỆN BÀN", "dien ban"), (nfd("Điện Bàn"), "dien ban"),
    ("Nguyễn Văn Ân", "nguyen van an"), ("Ủy ban", "uy ban"), ("Quảng Nam", "quang nam"),
    ("Ch'ơm", "ch'om"), ("Laêê", "laee"), ("dien ban", "dien ban"),
])
def test_fold_strips_tones_marks_and_d_bar(text, folded):
    assert fold(text) == folded


def test_exact_form_keeps_diacritics_and_unifies_tone_placement():
    assert exact_form("Hoà Thuận") == exact_form("Hòa Thuận") == "hòa thuận"
    assert exact_form("THUỶ") == "thủy"
    assert exact_form("Quý") == "quý" and exact_form("quà") == "quà"  # qu- is one consonant
    assert exact_form("thuận") == "thuận" and exact_form("hoạ") == "họa"
    assert exact_form(nfd("Điện Bàn")) == "điện bàn"
    assert exact_form("Điện Bàn") != exact_form("Diện Bàn")


def test_words_are_aligned_in_both_forms():
    exact, folded = words("Hộ gia đình ông Võ Văn Sáu, xã Tam Đàn")
    assert exact == ("hộ", "gia", "đình", "ông", "võ", "văn", "sáu", "xã", "tam", "đàn")
    assert folded == ("ho", "gia", "dinh", "ong", "vo", "van", "sau", "xa", "tam", "dan")


# --- ranking ------------------------------------------------------------------------------------------

PEOPLE = [
    Entity("ca-nhan", "le-van-an", "Lê Văn An", place="tra-giac"),
    Entity("ca-nhan", "le-van-an-2", "Lê Văn Ân", place="vinh-dien"),
    Entity("ca-nhan", "tran-van-an-binh", "Trần Văn An Bình", place="vinh-dien"),
    Entity("tap-the", "htx-dien-ban", "Hợp tác xã Điện Bàn Xanh", place="dien-ban"),
    Entity("ho-gia-dinh", "ho-vo-van-sau", "Hộ gia đình ông Võ Văn Sáu", place="tam-dan"),
]
PLACES = [
    Entity(LOCALITY, "dien-ban", "Thị xã Điện Bàn", "Điện Bàn", weight=40),
    Entity(LOCALITY, "dien-ban-2025", "Phường Điện Bàn", "Điện Bàn", "da-nang", weight=2),
    Entity(LOCALITY, "dien-ban-dong", "Phường Điện Bàn Đông", "Điện Bàn Đông", "da-nang", weight=5),
    Entity(LOCALITY, "hoa-thuan", "Phường Hoà Thuận", "Hoà Thuận", "tam-ky", weight=1),
    Entity(MOVEMENT, "nong-thon-moi", "Quảng Nam chung sức xây dựng nông thôn mới", "Nông thôn mới", weight=9),
    Entity(MOVEMENT, "toan-dan", "Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh", "Toàn dân đoàn kết"),
]
ENTITIES_FIXTURE = PEOPLE + PLACES


def first(query: str) -> str:
    ranked = rank_entities(ENTITIES_FIXTURE, query)
    return ranked[0].id if ranked else ""


@pytest.mark.parametrize("query, expected", [
    ("dien ban", "dien-ban"), ("Điện Bàn", "dien-ban"), ("ĐIỆN BÀN", "dien-ban"), (nfd("Điện Bàn"), "dien-ban"),
    ("Phường Điện Bàn", "dien-ban-2025"), ("phuong dien ban", "dien-ban-2025"), ("dien ban dong", "dien-ban-dong"),
    ("le van an", "le-van-an"), ("Lê Văn An", "le-van-an"), ("Lê Văn Ân", "le-van-an-2"), ("le van ân", "le-van-an-2"),
    (nfd("Lê Văn Ân"), "le-van-an-2"), ("nong thon moi", "nong-thon-moi"), ("Nông thôn mới", "nong-thon-moi"),
    ("vo van sau", "ho-vo-van-sau"), ("ho vo van sau", "ho-vo-van-sau"), ("Hòa Thuận", "hoa-thuan"),
    ("an le van", "le-van-an"),  # every word, in another order (the roster order)
    ("le van a", "le-van-an"), ("Điện Bà", "dien-ban"),  # still typing
])
def test_the_intended_entity_comes_first(query, expected):
    assert first(query) == expected


def test_exact_diacritics_rank_above_folded_and_whole_above_part():
    assert [e.id for e in rank_entities(ENTITIES_FIXTURE, "Lê Văn Ân")][:2] == ["le-van-an-2", "le-van-an"]
    ids = [e.id for e in rank_entities(ENTITIES_FIXTURE, "Điện Bàn")]
    assert ids[:3] == ["dien-ban", "dien-ban-2025", "dien-ban-dong"]  # whole names by weight, then longer
    assert ids.index("htx-dien-ban") > ids.index("dien-ban-dong")
    assert [e.id for e in rank_entities(ENTITIES_FIXTURE, "an")][:1] == ["le-van-an"]


def test_no_match_and_empty_query():
    assert rank_entities(ENTITIES_FIXTURE, "") == []
    assert rank_entities(ENTITIES_FIXTURE, "xyz") == []
    assert rank_entities(ENTITIES_FIXTURE, "dien ban xyz") == []


# --- slips: typed letters swapped, doubled, wrong or missing ------------------------------------------------

@pytest.mark.parametrize("typed, target, shortest, distance", [
    ("lna", "lan", None, 1), ("ann", "an", None, 1), ("moj", "moi", None, 1), ("nguyen", "nguyen", None, 0),
    ("ngyuen", "nguyen", None, 1), ("nguen", "nguyen", None, 1), ("xyz", "xanh", None, 3),
    ("moj", "moinh", 1, 1), ("xyz", "xanh", 1, 2),  # still typing: against the closest prefix
])
def test_edit_distance_counts_a_swap_of_neighbours_as_one_slip(typed, target, shortest, distance):
    assert edit_distance(typed, target, shortest) == distance


@pytest.mark.parametrize("query, expected", [
    ("le vna an", "le-van-an"), ("lee van an", "le-van-an"), ("nong thon moj", "nong-thon-moi"),
    ("nong thon moj ", "nong-thon-moi"), ("dien bna", "dien-ban"), ("ĐIỆN BNA", "dien-ban"),
    ("vo van saau", "ho-vo-van-sau"), ("hoa thaun", "hoa-thuan"), ("Hoà Thuân", "hoa-thuan"),
])
def test_a_name_with_a_slip_in_it_is_still_found(query, expected):
    assert first(query) == expected


def test_a_word_being_typed_is_not_matched_by_dropping_what_was_typed():
    """"phuco" is "phước" with two letters swapped, not the start of "phương" with a letter dropped."""
    places = [Entity(LOCALITY, "dien-phuong", "Xã Điện Phương", "Điện Phương", weight=9),
              Entity(LOCALITY, "dien-phuoc", "Xã Điện Phước", "Điện Phước", weight=1)]
    assert [e.id for e in rank_entities(places, "dien phuco")] == ["dien-phuoc"]
    assert [e.id for e in rank_entities(places, "dien phuon")] == ["dien-phuong"]  # a prefix, exactly


def test_slips_are_forgiven_only_in_words_long_enough_and_never_above_a_phrase():
    for query in ("xyz", "dien ban xyz", "lan", "an vna", "le vn an"):  # "vn": two letters, nothing forgiven
        assert rank_entities(ENTITIES_FIXTURE, query) == [], query
    # the exact phrase is there: names a slip away ("Lê Văn Ân" is one) do not follow it in
    assert [e.id for e in rank_entities(ENTITIES_FIXTURE, "le van an ")] == ["le-van-an", "le-van-an-2"]
    assert [e.id for e in rank_entities(ENTITIES_FIXTURE, "tran van an binh")] == ["tran-van-an-binh"]


# --- the sample catalogue: entities, files, browse ----------------------------------------------------------


@pytest.fixture(scope="module")
def catalog():
    result = check_project(ProjectPaths.at(REPO))
    return build_catalog(result.registries, result.profiles, dt.date.fromisoformat(SAMPLE_TODAY))


@pytest.fixture(scope="module")
def output(catalog):
    return render_search(SiteContext(catalog))


@pytest.fixture(scope="module")
def files(output) -> dict[str, object]:
    return {a.path: json.loads(a.content) for a in output.assets}


def test_every_page_a_name_leads_to_exists(catalog, output):
    from generator.render.pages import SiteRenderer

    renderer = SiteRenderer(catalog)
    entities = catalog_entities(catalog, renderer.localities_with_pages())
    generated = {p.path for p in output.pages}
    expected = {f"ho-so/{p.slug}/" for p in catalog.profiles}
    expected |= {f"dia-phuong/{loc.id}/" for loc in renderer.localities_with_pages()}
    expected |= {f"phong-trao/{code}/" for code in catalog.movements}
    expected |= {f"tra-cuu/chuyen-muc/{c.code}/" for c in catalog.registries.columns}
    assert {e.url for e in entities} == expected
    assert {f"tra-cuu/chuyen-muc/{c.code}/index.md" for c in catalog.registries.columns} <= generated


def test_index_files_are_small_and_complete(catalog, files):
    manifest = files[ENTITIES]
    shards = {path.removeprefix("tim-kiem/ten/").removesuffix(".json"): rows
              for path, rows in files.items() if path.startswith("tim-kiem/ten/")}
    assert manifest["shards"] == {key: len(rows) for key, rows in shards.items()}
    assert not any(manifest["kinds"][row[0]] in ("ca-nhan", "tap-the", "ho-gia-dinh") for row in manifest["core"])
    for p in catalog.profiles:  # each profile sits in the shard of each of its words
        for word in words(p.subject.name)[1]:
            assert p.slug in {row[1] for row in shards[shard_key(word)]}, (p.slug, word)
    assert all(unicodedata.is_normalized("NFC", row[2]) for row in manifest["core"])


def test_browse_data_follows_vietnamese_name_order(catalog, files):
    data = files[BROWSE_DATA]
    assert [row[0] for row in data["rows"]] == [p.slug for p in name_order(catalog)]
    assert data["keys"] == [key for key, _ in FACETS] and data["page_size"] == PAGE_SIZE
    by_slug = {p.slug: p for p in catalog.profiles}
    for row in data["rows"]:
        values = profile_facets(catalog, by_slug[row[0]])
        for k, key in enumerate(data["keys"]):
            assert (data["facets"][key][row[k + 2]][0] if row[k + 2] >= 0 else "") == values[key]


def test_facet_counts_are_counts_of_profiles(catalog):
    for facet in facets(catalog):
        expected = Counter(profile_facets(catalog, p)[facet.key] for p in catalog.profiles)
        expected.pop("", None)
        assert {o.value: o.count for o in facet.options} == dict(expected), facet.key


def test_browse_pages_paginate_every_profile_once(catalog, output):
    every = listings(catalog)[0]
    pages = [p for p in output.pages if p.path == "tra-cuu/index.md" or p.path.startswith("tra-cuu/trang-")]
    assert len(pages) == every.page_count
    listed = []
    for page in pages:
        soup = BeautifulSoup(page.markdown, "html.parser")
        listed += [a["href"].rstrip("/").split("/")[-1] for a in soup.select("ol.dh-browse__list a.dh-item__name")]
    assert listed == [p.slug for p in name_order(catalog)]


def test_pager_shows_ends_and_neighbours():
    assert pager(1, 1) == [1]
    assert pager(1, 9) == [1, 2, 3, None, 9]
    assert pager(5, 9) == [1, None, 3, 4, 5, 6, 7, None, 9]
    assert pager(9, 9) == [1, None, 7, 8, 9]


def test_search_page_offers_registry_values_with_counts(catalog, output):
    page = next(p for p in output.pages if p.path == SEARCH_PAGE)
    soup = BeautifulSoup(page.markdown, "html.parser")
    district = soup.select_one("select[name=huyen]")
    shown = {o["value"]: o.get_text() for o in district.select("option") if o["value"]}
    assert shown["dien-ban"] == f"Thị xã Điện Bàn ({len(catalog.by_locality['dien-ban'])})"
    kinds = [o["value"] for o in soup.select("select[name=loai] option") if o["value"]]
    assert kinds == ["ca-nhan", "tap-the", "ho-gia-dinh", "dia-phuong", "phong-trao", "chuyen-muc"]
    assert soup.select_one("[data-dh-search]")["data-pagefind"] == "../pagefind/chung/pagefind.js"
    assert soup.select_one("[data-dh-search]")["data-pagefind-parts"] == "../pagefind/parts.json"


def test_profile_page_carries_its_facets_as_pagefind_filters(catalog):
    from generator.render.site import render_site

    pages = {p.path: p.markdown for p in render_site(catalog).pages}
    for p in catalog.profiles[:10]:
        soup = BeautifulSoup(pages[f"ho-so/{p.slug}/index.md"], "html.parser")
        record = soup.select_one(".dh-search-record")
        filters = dict(span["data-pagefind-filter"].split(":", 1) for span in record.select("[data-pagefind-filter]"))
        assert filters == {k: v for k, v in profile_facets(catalog, p).items() if v}
        meta = dict(span["data-pagefind-meta"].split(":", 1) for span in record.select("[data-pagefind-meta]"))
        assert meta["title"] == p.title and meta["name"] == p.subject.name


# --- the same ranking in the browser's script ---------------------------------------------------------------

NODE_DRIVER = """
const fs = require("fs"), vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const context = { URL: URL };
vm.createContext(context);
vm.runInContext(fs.readFileSync(input.script, "utf8"), context);
const api = context.DienHinhSearch;
const index = new api.NameIndex("http://127.0.0.1/tim-kiem/entities.json",
  (url) => Promise.resolve(JSON.parse(JSON.stringify(input.files[url.replace("http://127.0.0.1/", "")]))));
(async () => {
  const out = {};
  for (const q of input.queries) out[q] = (await index.search(q, 6)).map((e) => e.path);
  out.folds = input.folds.map(api.fold);
  out.exact = input.folds.map(api.exactForm);
  process.stdout.write(JSON.stringify(out));
})();
"""


def test_search_js_ranks_like_search_py(catalog, files):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    from generator.render.pages import SiteRenderer

    entities = catalog_entities(catalog, SiteRenderer(catalog).localities_with_pages())
    queries = ["dien ban", "Điện Bàn", nfd("Điện Bàn"), "nguyen thi an", "Nguyễn Thị An", "le van an", "truong van an",
               "nong thon moi", "ho vo van sau", "hop tac xa", "tam hai", "xa tam hai", "do thi dao", "an", "ho v",
               "guong nguoi tot", "Hoà Hương", "hoa huong", "tra my", "van", "zz", "a", "lang", "dan van kheo",
               # slips: a swap, a letter too many, one wrong, still typing, in the first word
               "nguyen thi na", "nong thon moj", "truong van ann", "dien bna", "ngyuen thi an", "hoa huogn ",
               "dien phuco", "tam hia", "nguyen thi an tieu tien cma", "dan van khoe", "ngyuen", "nong thon mo"]
    folds = ["Điện Bàn", nfd("Nguyễn Ân"), "ĐỖ THỊ ĐÀO", "Ch'ơm", "Hoà Thuận", "QUÝ", "thuận", "hoạ"]
    payload = {"script": str(SEARCH_JS), "files": files, "queries": queries, "folds": folds}
    result = json.loads(subprocess.run([node, "-e", NODE_DRIVER], input=json.dumps(payload), capture_output=True,
                                       text=True, check=True).stdout)
    for query in queries:
        assert result[query] == [e.url for e in rank_entities(entities, query, 6)], query
    assert result["folds"] == [fold(text) for text in folds]
    assert result["exact"] == [exact_form(text) for text in folds]


def test_headings_every_profile_repeats_are_not_indexed(sample_site):
    """A search for "báo chí" or "quá trình" must not return every profile for its section headings."""
    fragments = indexed_fragments(sample_site)
    profiles = [f for f in fragments if f["url"].startswith("/ho-so/")]
    assert len(profiles) >= 40
    for boilerplate in ("Tư liệu cho báo chí", "Trích dẫn nguồn", "Quá trình", "Điển hình liên quan",
                        "Tệp ZIP có một thư mục", "Theo dõi tin mới"):
        assert not [f["url"] for f in profiles if boilerplate in f["content"]], boilerplate
    assert all(f["content"].startswith(f["meta"]["title"]) for f in profiles)  # the story itself is there
    assert sum("Thành tích nổi bật" in f["content"] for f in profiles) >= 30


def test_the_index_is_one_part_up_to_part_pages_profiles_then_parts_a_profile_keeps(monkeypatch):
    monkeypatch.setattr(pagefind, "PART_PAGES", 100)
    collections = ["dia-phuong/dien-ban/index.html", "phong-trao/nong-thon-moi/index.html",
                   "tra-cuu/chuyen-muc/guong-nguoi-tot-viec-tot/index.html"]
    profiles = [f"ho-so/ho-so-thu-{number}/index.html" for number in range(990)]  # one more: still ten parts
    parts = pagefind.index_parts(sorted(collections + profiles))
    assert parts[0] == pagefind.IndexPart("chung", tuple(collections))
    assert [part.name for part in parts[1:]] == [f"ho-so-{number}" for number in range(1, 11)]
    assert sorted(page for part in parts[1:] for page in part.pages) == sorted(profiles)  # each once
    assert all(50 <= len(part.pages) <= 150 for part in parts[1:])  # about equal
    added = pagefind.index_parts(sorted([*collections, *profiles, "ho-so/moi/index.html"]))
    assert [set(before.pages) <= set(after.pages) for before, after in zip(parts, added)] == [True] * 11
    monkeypatch.setattr(pagefind, "PART_PAGES", 1000)
    assert pagefind.index_parts(sorted(collections + profiles)) == [
        pagefind.IndexPart("chung", tuple(sorted(collections + profiles)))]


def test_the_index_is_made_where_the_site_folder_has_no_room_beside_it(tmp_path, monkeypatch):
    """The pages are linked into a folder beside the site for Pagefind; where none can be made
    there, it is made in the system's temporary folder (as copies) and nothing is left behind."""
    site = tmp_path / "site"
    page = site / "phong-trao" / "nong-thon-moi" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<html lang="vi"><body><article><h1>Nông thôn mới</h1><p>Xây dựng nông thôn mới.</p>'
                    "</article></body></html>", encoding="utf-8")
    real_mkdtemp = pagefind.tempfile.mkdtemp

    def mkdtemp(prefix: str = "", dir: str | None = None) -> str:
        if dir is not None:
            raise PermissionError(f"read-only: {dir}")
        return real_mkdtemp(prefix=prefix, dir=str(tmp_path / "elsewhere"))

    (tmp_path / "elsewhere").mkdir()
    monkeypatch.setattr(pagefind.tempfile, "mkdtemp", mkdtemp)
    stats = pagefind.index_site(site)
    assert stats.pages == 1 and (site / pagefind.ENGINE_JS).is_file()
    assert list((tmp_path / "elsewhere").iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == [
        "elsewhere", "site"]
