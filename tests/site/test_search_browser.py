"""Search and browse in a real browser (Debian's chromium driven by Playwright) on the sample
site (the session's one build, its Pagefind index included): queries with and without diacritics,
in NFD, a filter and its counts, following a result by keyboard, the browse list with and without
JavaScript, no request to another host, and no serious or critical axe violation; and the same
site with its profiles indexed in several parts, merged in the browser, finding the same pages."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import unicodedata
from collections import Counter

import pytest

from browser_support import AXE_JS, browser, is_local, serve  # noqa: F401 (browser: a fixture)
from conftest import REPO, SAMPLE_TODAY
from generator.check.project import ProjectPaths, check_project
from generator.core.catalog import build_catalog
from generator.render import pagefind
from generator.render.browse import facets, name_order, profile_facets
from generator.render.search import exact_form

pytestmark = pytest.mark.browser


def NFD(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# (query as typed, the page it must find first), all on the sample data
QUERIES = [
    ("Nguyễn Thị An", "ho-so/nguyen-thi-an-tieu-tien-cam/"),
    ("nguyen thi an", "ho-so/nguyen-thi-an-tieu-tien-cam/"),
    (NFD("Nguyễn Thị An"), "ho-so/nguyen-thi-an-tieu-tien-cam/"),
    ("TRƯƠNG VĂN ÂN", "ho-so/truong-van-an-mot-cua-vinh-dien/"),
    ("truong van an", "ho-so/truong-van-an-mot-cua-vinh-dien/"),
    ("Điện Bàn", "dia-phuong/dien-ban/"),
    ("dien ban", "dia-phuong/dien-ban/"),
    ("Xã Tam Dân", "dia-phuong/tam-dan-20392/"),  # "xa tam dan" is both; the exact diacritics decide
    ("Xã Tam Đàn", "dia-phuong/tam-dan-20374/"),
    ("nong thon moi", "phong-trao/nong-thon-moi/"),
    (NFD("Dân vận khéo"), "phong-trao/dan-van-kheo/"),
    ("ho gia dinh ong vo van sau", "ho-so/ho-vo-van-sau-hien-dat-tam-dan/"),
    ("hop tac xa nong nghiep dong xanh", "ho-so/htx-dong-xanh-tam-dan/"),
    ("tiết kiệm điện", "ho-so/tran-an-ky-su-tre-chu-lai/"),  # full text only: no name holds it
    ("tiet kiem dien", "ho-so/tran-an-ky-su-tre-chu-lai/"),
    # slips in the names: letters swapped, doubled, wrong; a word still being typed
    ("Nguyễn Thị Ann", "ho-so/nguyen-thi-an-tieu-tien-cam/"),
    ("truong van ann", "ho-so/truong-van-an-mot-cua-vinh-dien/"),
    ("nong thon moj", "phong-trao/nong-thon-moi/"),
    ("dien bna", "dia-phuong/dien-ban/"),
    ("dan van khoe", "phong-trao/dan-van-kheo/"),
    # đ typed as d, and both places of the tone mark
    ("doi xung kich", "ho-so/doi-xung-kich-phong-chong-thien-tai-son-vien/"),
    ("Đội xung kích", "ho-so/doi-xung-kich-phong-chong-thien-tai-son-vien/"),
    ("Hoà Hương", "dia-phuong/hoa-huong/"),
    ("Hòa Hương", "dia-phuong/hoa-huong/"),
]
RESULTS_FOR = """(q) => { const s = document.querySelector('#dh-status').textContent;
  return s.includes('“' + q.trim().normalize('NFC') + '”') || s.startsWith('Không tìm'); }"""


@pytest.fixture(scope="module")
def catalog():
    result = check_project(ProjectPaths.at(REPO))
    return build_catalog(result.registries, result.profiles, dt.date.fromisoformat(SAMPLE_TODAY))


@pytest.fixture(scope="module")
def base_url(sample_site):
    with serve(sample_site) as url:
        yield url


@contextlib.contextmanager
def visitor(browser, base_url):
    """Open pages of the site in fresh contexts; afterwards, no request may have left 127.0.0.1."""
    contexts, requests, errors = [], [], []

    def open_page(path: str, width: int = 1280, javascript: bool = True):
        context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce",
                                      java_script_enabled=javascript)
        context.on("request", lambda request: requests.append(request.url))
        context.route(lambda url: not is_local(url), lambda route: route.abort())
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        assert page.goto(base_url + path, wait_until="load").ok, path
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert [url for url in requests if not is_local(url)] == []
    assert errors == []


@pytest.fixture
def visit(browser, base_url):
    with visitor(browser, base_url) as open_page:
        yield open_page


def search(page, query: str) -> list[str]:
    page.fill("#dh-q", query)
    page.wait_for_function(RESULTS_FOR, arg=query, timeout=15_000)
    base = page.url.split("/tim-kiem/")[0] + "/"
    return [
        href.removeprefix(base) for href in page.eval_on_selector_all("#dh-results li a", "as => as.map(a => a.href)")
    ]


def option_counts(page, name: str) -> dict[str, int]:
    texts = page.eval_on_selector_all(f"select[name={name}] option", "os => os.map(o => [o.value, o.textContent])")
    return {value: int(text.rsplit("(", 1)[1].rstrip(")").replace(".", "")) for value, text in texts if value}


def test_queries_with_and_without_diacritics_find_the_intended_page_first(visit):
    page = visit("/tim-kiem/")
    wrong = {}
    for query, expected in QUERIES:
        found = search(page, query)
        if not found or found[0] != expected:
            wrong[query] = found[:3]
    assert wrong == {}


def test_spelling_does_not_change_what_is_found(visit):
    page = visit("/tim-kiem/")
    assert search(page, NFD("Tiết kiệm điện")) == search(page, "tiết kiệm điện")
    assert search(page, "TIẾT KIỆM ĐIỆN") == search(page, "tiết kiệm điện")
    # the folded query also finds more (bàn, bản...), so only the first page of results is compared:
    # what the accented query ranks on top is still listed for the unaccented one
    assert set(search(page, "tiết kiệm điện")[:3]) <= set(search(page, "tiet kiem dien"))


def status(page) -> str:
    return page.text_content("#dh-status")


@pytest.mark.parametrize("one, other", [
    ("Đội xung kích", "doi xung kich"), ("Điện Bàn", "dien ban"), ("Đông Giang", "dong giang"),
    ("hoà", "hòa"), ("Hoà Hương", "Hòa Hương"), ("thuỷ", "thủy"), (NFD("hoà"), "HÒA"),
])
def test_d_bar_and_tone_placement_find_the_same_pages(visit, one, other):
    """Typed with đ or d, with the tone on either vowel, a word finds as many pages (the counts in
    the status line, names and full text together); where both spellings fold alike, the same list."""
    page = visit("/tim-kiem/")
    first, first_status = search(page, one), status(page)
    second, second_status = search(page, other), status(page)
    count = re.compile(r"\d[\d.]*")
    assert count.findall(first_status)[:1] == count.findall(second_status)[:1] != []
    if exact_form(one).replace("đ", "d") == exact_form(other).replace("đ", "d"):
        assert first == second


def test_words_side_by_side_rank_above_the_same_words_apart(visit):
    """"nguyen thi": pages that say "Nguyễn Thị" come before the one that says "tình nguyện"."""
    found = search(visit("/tim-kiem/"), "nguyen thi")
    assert found[0] == "ho-so/nguyen-thi-an-tieu-tien-cam/"
    assert found.index("phong-trao/phu-nu-thoi-dai-moi/") < found.index("phong-trao/thanh-nien-tinh-nguyen/")


def test_filter_counts_equal_counts_of_profiles(visit, catalog):
    page = visit("/tim-kiem/")
    page.click("summary.dh-filters__summary")
    totals = {f.key: {o.value: o.count for o in f.options} for f in facets(catalog)}
    page.select_option("select[name=huyen]", "dien-ban")
    in_district = [p for p in catalog.profiles if profile_facets(catalog, p)["huyen"] == "dien-ban"]
    page.wait_for_function(
        "n => document.querySelector('#dh-status').textContent.startsWith(n + ' kết quả')", arg=str(len(in_district))
    )
    expected_communes = Counter(profile_facets(catalog, p)["xa"] for p in in_district)
    expected_communes.pop("", None)
    communes = next(f for f in facets(catalog) if f.key == "xa")
    elsewhere = next(o.value for o in communes.options if o.value not in expected_communes)
    page.wait_for_function(
        "v => document.querySelector(`select[name=xa] option[value='${v}']`).textContent.endsWith('(0)')", arg=elsewhere
    )
    assert option_counts(page, "huyen") == dict(totals["huyen"])  # as if no district were chosen
    assert {k: v for k, v in option_counts(page, "xa").items() if v} == dict(expected_communes)
    years = Counter(profile_facets(catalog, p)["nam"] for p in in_district)
    assert {k: v for k, v in option_counts(page, "nam").items() if v} == dict(years)
    results = page.eval_on_selector_all("#dh-results li a", "as => as.map(a => a.getAttribute('href'))")
    slugs = {p.slug for p in in_district}
    assert results and all(href.rstrip("/").split("/")[-1] in slugs for href in results)


def test_a_result_is_followed_by_keyboard(visit, base_url):
    page = visit("/tim-kiem/")
    search(page, "dan van kheo")
    page.focus("#dh-q")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('#dh-results') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "/phong-trao/dan-van-kheo/")
    assert page.locator("h1").inner_text().startswith("Dân vận khéo")


def test_a_search_link_carries_the_query(visit):
    page = visit("/tim-kiem/?q=dien+ban&loai=dia-phuong")
    page.wait_for_function(RESULTS_FOR, arg="dien ban")
    assert page.input_value("#dh-q") == "dien ban"
    hrefs = page.eval_on_selector_all("#dh-results li a", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all("/dia-phuong/" in href for href in hrefs)


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at " + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [360, 1280])
def test_search_page_is_accessible_and_fits_a_phone(visit, width):
    page = visit("/tim-kiem/", width=width)
    search(page, "dien ban")
    page.click("summary.dh-filters__summary")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    assert serious_violations(page) == []


def test_search_page_without_javascript_points_to_the_browse_lists(visit):
    page = visit("/tim-kiem/", javascript=False)
    assert page.is_visible("[data-dh-nojs] a[href='../tra-cuu/']")
    assert page.is_hidden("form.dh-search__form") and page.is_hidden("[data-dh-more]")


def test_browse_works_without_javascript(visit, catalog):
    page = visit("/tra-cuu/", javascript=False)
    assert page.is_hidden("form.dh-browse__form")
    names = page.eval_on_selector_all("ol.dh-browse__list a", "as => as.map(a => a.textContent)")
    assert names == [p.subject.name for p in name_order(catalog)][: len(names)]
    page.click("summary:text('Loại')")
    page.click("ul.dh-facets__list a:text('Tập thể')")
    shown = page.eval_on_selector_all("ol.dh-browse__list a", "as => as.map(a => a.textContent)")
    assert shown == [p.subject.name for p in name_order(catalog) if p.subject.kind == "tap-the"]


@pytest.mark.parametrize("width", [360, 1280])
def test_browse_filters_with_javascript(visit, catalog, width):
    page = visit("/tra-cuu/", width=width)
    page.select_option("select[name=loai]", "tap-the")
    page.wait_for_function("() => document.querySelector('.dh-browse__status').textContent.includes('phù hợp')")
    expected = [p for p in name_order(catalog) if p.subject.kind == "tap-the"]
    shown = page.eval_on_selector_all("ol.dh-browse__list a", "as => as.map(a => a.textContent)")
    assert shown == [p.subject.name for p in expected][:50]
    # Each row the script draws is a card, led by a photo or its movement's emblem, none broken.
    assert page.locator("ol.dh-browse__list li").count() == page.locator("ol.dh-browse__list .dh-card__media").count()
    # Lazy images load as a reader scrolls to them: each brought into view, as a reader would
    # (switching them all to eager at once once left one unrequested under a loaded machine).
    images = page.locator("ol.dh-browse__list img")
    for number in range(images.count()):
        image = images.nth(number)
        image.scroll_into_view_if_needed()
        page.wait_for_function("image => image.complete", arg=image.element_handle())
    assert page.evaluate("[...document.querySelectorAll('ol.dh-browse__list img')]"
                         ".filter(i => i.naturalWidth === 0).map(i => i.src)") == []
    assert page.locator("ol.dh-browse__list picture img").count() >= 1
    districts = Counter(d for p in expected if (d := profile_facets(catalog, p)["huyen"]))  # the city is none
    assert {k: v for k, v in option_counts(page, "huyen").items() if v} == dict(districts)
    page.fill("input[name=ten]", "dong xanh")
    page.wait_for_function("() => document.querySelectorAll('ol.dh-browse__list li').length === 1")
    shown = page.eval_on_selector_all("ol.dh-browse__list a", "as => as.map(a => a.textContent)")
    assert shown == ["Hợp tác xã Nông nghiệp Đồng Xanh Tam Dân"]
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    assert serious_violations(page) == []


@pytest.fixture(scope="module")
def split_url(sample_site, tmp_path_factory):
    """The sample site with its profiles indexed in six parts of about eight pages (beside "chung")."""
    site = tmp_path_factory.mktemp("split") / "site"
    shutil.copytree(sample_site, site, copy_function=os.link)  # the index is removed and made anew
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pagefind, "PART_PAGES", 8)
        pagefind.index_site(site, normalize=False)  # the pages are NFC already (and links to the sample's)
    assert len(json.loads((site / pagefind.PARTS_FILE).read_text(encoding="utf-8"))["merge"]) == 6
    with serve(site) as url:
        yield url


FULL_TEXT_PAGES = """async (q) => {
  const root = document.querySelector("[data-dh-search]");
  const full = new DienHinhSearch.FullText(new URL(root.dataset.pagefind, document.baseURI).href,
    new URL(root.dataset.pagefindParts, document.baseURI).href);
  const results = await full.search(q, {});
  return (await Promise.all(results.map((r) => r.data()))).map((d) => d.url).sort(); }"""


def test_an_index_in_many_parts_finds_what_one_finds(browser, base_url, split_url):
    """Each query finds its page first, and the full text every page one index finds; the filters
    count the same. A part may add pages: Pagefind ignores a word that a part does not hold at all,
    so there the other words alone match (see ``pagefind.index_parts``)."""
    with visitor(browser, base_url) as visit_one, visitor(browser, split_url) as visit_parts:
        one, parts = visit_one("/tim-kiem/"), visit_parts("/tim-kiem/")
        for query, expected in QUERIES:
            assert search(parts, query)[:1] == [expected], query
            found = one.evaluate(FULL_TEXT_PAGES, query)
            assert found and set(found) <= set(parts.evaluate(FULL_TEXT_PAGES, query)), query
        for page in (one, parts):
            page.fill("#dh-q", "")
            page.click("summary.dh-filters__summary")
            page.select_option("select[name=huyen]", "dien-ban")
        for page in (one, parts):  # the counts come after the results: wait for a commune elsewhere
            page.wait_for_function("() => document.querySelector("
                                   "\"select[name=xa] option[value='tam-thanh-tam-ky']\").textContent.endsWith('(0)')")
        assert status(parts) == status(one)
        assert option_counts(parts, "xa") == option_counts(one, "xa")
        assert option_counts(parts, "nam") == option_counts(one, "nam")
