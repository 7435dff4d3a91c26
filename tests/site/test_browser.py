"""Real-browser checks of one page of each kind in the built sample site (Debian's chromium, driven
by Playwright; never a downloaded browser): every request stays on the local server and is
answered, no image is broken, axe finds no serious or critical accessibility violation, and
nothing overflows sideways on a 360 px phone or a 1280 px desktop. Full-page screenshots go to
artifacts/screenshots/ for a human to look at (CI keeps them)."""

from __future__ import annotations

import pytest

from browser_support import AXE_JS, SCREENSHOTS, browser, is_local, pages_to_visit, serve  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

WIDTHS = (360, 1280)
PAGE_KINDS = ("home", "movements", "movement", "localities", "district", "commune", "profile", "search", "browse",
              "columns", "column", "calendar", "publications", "edition", "statistics", "replication", "press")
# Images that failed, once every lazy image has been scrolled into view by the full-page screenshot.
BROKEN_IMAGES = "[...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.currentSrc || i.src)"
FONT_LOADED = """document.fonts.ready.then(
    () => document.fonts.check('1em "Be Vietnam Pro"', 'Điển hình ệ'))"""


@pytest.fixture(scope="module")
def base_url(sample_site):
    with serve(sample_site) as url:
        yield url


@pytest.fixture(scope="module")
def pages(sample_site) -> dict[str, str | None]:
    return pages_to_visit(sample_site)


def serious_violations(page) -> list[str]:
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['impact']} {v['id']}: {v['help']} at "
            + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_is_local_accessible_and_fits(kind, pages, browser, base_url):
    path = pages[kind]
    assert path, f"the sample site has no {kind} page to check"
    # Reduced motion turns Material's transitions off, so axe sees the settled page, not a fade.
    context = browser.new_context(viewport={"width": WIDTHS[-1], "height": 900},
                                  reduced_motion="reduce")
    requests: list[str] = []
    unanswered: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.on("requestfailed", lambda request: unanswered.append(f"{request.url} ({request.failure})"))
    context.on("response", lambda response: response.status >= 400
               and unanswered.append(f"{response.url} ({response.status})"))
    # Anything bound for another host is refused (and reported below), so nothing waits on it.
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    page = context.new_page()
    problems: list[str] = []
    try:
        assert page.goto(base_url + path, wait_until="load").ok, path
        if not page.evaluate(FONT_LOADED):
            problems.append("the Be Vietnam Pro font (Vietnamese subset) did not load")
        page.add_script_tag(path=str(AXE_JS))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 1:
                problems.append(f"{width} px: the page is {overflow} px wider than the window")
            problems += [f"{width} px: {v}" for v in serious_violations(page)]
            page.screenshot(path=SCREENSHOTS / f"{kind}-{width}.png", full_page=True)
            problems += [f"{width} px: broken image {src}" for src in page.evaluate(BROKEN_IMAGES)]
    finally:
        context.close()
    problems += [f"requested another host: {url}" for url in requests if not is_local(url)]
    problems += [f"request not answered: {what}" for what in unanswered if is_local(what.split(" ")[0])]
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_a_reader_on_a_phone_finds_search_and_opens_the_press_block(pages, browser, base_url):
    context = browser.new_context(viewport={"width": 360, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto(base_url + pages["profile"], wait_until="load")
        press = page.locator("details#tu-lieu-cho-bao-chi")
        kit = press.get_by_text("Tải bộ tư liệu cho báo chí (tệp ZIP)")
        assert press.bounding_box()["height"] < 80 and not kit.is_visible()
        press.locator("summary").click()
        assert kit.is_visible()
        search = page.locator(".md-header a.dh-header__search")
        assert search.is_visible() and search.get_attribute("aria-label") == "Tìm kiếm"
        search.click()
        page.wait_for_url("**/tim-kiem/")
    finally:
        context.close()


def test_the_copy_link_button_copies_the_page_address(pages, browser, base_url):
    context = browser.new_context(viewport={"width": 360, "height": 800}, reduced_motion="reduce",
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(base_url + pages["profile"], wait_until="load")
        canonical = page.locator('link[rel="canonical"]').get_attribute("href")
        page.get_by_role("button", name="Sao chép liên kết").click()
        page.get_by_role("status").filter(has_text="Đã sao chép liên kết.").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == canonical
        # The share-sheet button is there exactly where the browser has a share sheet.
        has_share = page.evaluate("'share' in navigator")
        assert page.locator("[data-dh-share]").is_visible() == has_share
    finally:
        context.close()


# The size a chart's text is drawn at: its font size in user units, scaled as the SVG is.
CHART_TEXT_PX = """[...document.querySelectorAll('svg.dh-chart__svg')].filter(s => s.getClientRects().length)
    .map(s => s.getBoundingClientRect().width / s.viewBox.baseVal.width * parseFloat(s.getAttribute('font-size')))"""


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_labels_are_readable_on_a_phone_and_a_desktop(width, browser, base_url):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(base_url + "/thong-ke/", wait_until="load")
        sizes = page.evaluate(CHART_TEXT_PX)
        assert len(sizes) == 5 and min(sizes) >= 12, sizes
    finally:
        context.close()


def test_the_calendar_is_folded_by_month_and_opens_where_a_link_points(browser, base_url):
    context = browser.new_context(viewport={"width": 360, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto(base_url + "/lich-tuyen-truyen/", wait_until="load")
        months = page.locator("details.dh-month")
        opened = page.locator("details.dh-month[open]")
        assert months.count() > 12 and opened.count() == 1
        assert page.evaluate("document.documentElement.scrollHeight") < 8000  # was some 19,000 px
        # The link at the top leads to the open month; a folded month opens with a tap.
        page.locator(".dh-month__jump a").click()
        assert opened.first.locator(".dh-keydate, .dh-event").first.is_visible()
        folded_id = page.locator("details.dh-month:not([open])").first.get_attribute("id")
        folded = page.locator(f"details#{folded_id}")
        assert not folded.locator(".dh-keydate, .dh-event").first.is_visible()
        folded.locator("summary").click()
        assert folded.locator(".dh-keydate, .dh-event").first.is_visible()
        # A profile's link to an event in a folded month opens that month.
        page.goto(base_url + "/lich-tuyen-truyen/#su-kien-dai-hoi-thi-dua-yeu-nuoc-tinh-lan-thu-ix")
        assert page.locator("#su-kien-dai-hoi-thi-dua-yeu-nuoc-tinh-lan-thu-ix").is_visible()
    finally:
        context.close()


# The home page on a phone, over a phone-class network (Chrome DevTools' "Fast 3G": 150 ms
# round trip, 1.6 Mbit/s down, 750 kbit/s up): what it may cost. Lighthouse-style budgets.
FAST_3G = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 // 8, "uploadThroughput": 750_000 // 8}
HOME_BUDGET = {"bytes": 600_000, "requests": 30, "lcp_ms": 4000, "cls": 0.1}
PAINT_AND_SHIFTS = """new Promise(resolve => {
  let lcp = 0, cls = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) lcp = e.startTime; })
    .observe({type: 'largest-contentful-paint', buffered: true});
  new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) cls += e.value; })
    .observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve({lcp, cls}), 1500);
})"""


def test_the_home_page_on_a_phone_keeps_to_its_budget(browser, base_url):
    context = browser.new_context(viewport={"width": 360, "height": 800}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    sizes: list[int] = []
    cdp.on("Network.loadingFinished", lambda event: sizes.append(event["encodedDataLength"]))
    try:
        page.goto(base_url + "/", wait_until="load")
        measured = page.evaluate(PAINT_AND_SHIFTS)
        page.wait_for_timeout(500)  # the last loadingFinished events
    finally:
        context.close()
    figures = {"bytes": sum(sizes), "requests": len(sizes), "lcp_ms": measured["lcp"], "cls": measured["cls"]}
    over = {k: v for k, v in figures.items() if v > HOME_BUDGET[k]}
    print(f"home page on a phone (Fast 3G): {figures}")
    assert not over, f"over budget {HOME_BUDGET}: {over}"
