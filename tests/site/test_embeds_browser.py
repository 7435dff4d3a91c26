"""Embeds on another site's page, in real Chromium: the card snippet a profile page offers, pasted
into plain host pages at 320, 600 and 1200 px, sizes itself to its content, with our host script
(nhung.js, which the snippet loads) and with a host that speaks WordPress' embed protocol
instead; without any host script it keeps the height the snippet gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser_support import browser, parse, serve  # noqa: F401 (browser: a fixture)
from conftest import REPO

pytestmark = pytest.mark.browser

WIDTHS = (320, 600, 1200)
CARDS = 8  # the profiles with the longest summaries: the tallest cards

# What a WordPress page does with embeds (its wp-embed.js), written here from the protocol: ask
# each frame with a data-secret for its height, take {message: "height", value, secret} from the
# frame it came from, within 200-1000 px. Our host script is not on this page.
WORDPRESS_HOST = """<script>
window.addEventListener("message", function (e) {
  var d = e.data;
  if (!d || !d.secret || /[^a-zA-Z0-9]/.test(d.secret) || d.message !== "height") return;
  document.querySelectorAll('iframe[data-secret="' + d.secret + '"]').forEach(function (f) {
    if (e.source !== f.contentWindow) return;
    f.removeAttribute("style");
    f.height = Math.min(1000, Math.max(200, parseInt(d.value, 10)));
  });
});
window.addEventListener("load", function () {
  document.querySelectorAll("iframe[data-secret]").forEach(function (f) {
    f.contentWindow.postMessage({message: "ready", secret: f.getAttribute("data-secret")}, "*");
  });
});
</script>"""


def site_url() -> str:
    return re.search(r"^site_url: *(\S+)", (REPO / "mkdocs.yml").read_text(encoding="utf-8"), re.M)[1]


def card_snippets(site: Path, base_url: str) -> list[str]:
    """The snippet each of the tallest cards' pages offers, pointing at the local server."""
    snippets = []
    for page in (site / "ho-so").glob("*/index.html"):
        html = parse(page)
        code = html.select_one("#tu-lieu-cho-bao-chi pre.dh-snippet code")
        summary = html.select_one('meta[name="description"]')
        if code and summary:
            snippets.append((len(summary["content"]), code.get_text().replace(site_url(), base_url + "/")))
    return [snippet for _, snippet in sorted(snippets, reverse=True)[:CARDS]]


def host_page(folder: Path, name: str, snippets: list[str], host: str) -> str:
    blocks = "\n".join(f"<section><h2>Bài {n}</h2>{snippet}</section>" for n, snippet in enumerate(snippets))
    if host == "wordpress":  # the page has WordPress' script, and no trace of ours
        blocks = WORDPRESS_HOST + re.sub(r"<script src=[^>]*nhung\.js[^>]*></script>", "", blocks)
    elif host == "none":
        blocks = re.sub(r"<script src=[^>]*></script>", "", blocks)
    (folder / name).write_text(f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
                               f"<meta name='viewport' content='width=device-width'><title>Báo</title></head>"
                               f"<body style='margin:0 8px'>{blocks}</body></html>", encoding="utf-8")
    return name


def frame_fits(page, resized: bool) -> list[dict]:
    """For each embed, scrolled to as a reader would (the snippet loads frames lazily): the
    frame's height and its content's, as the browser lays them out once it has settled."""
    result = []
    for element in page.query_selector_all("iframe[data-secret]"):
        element.scroll_into_view_if_needed()
        frame = element.content_frame()
        frame.wait_for_load_state("load", timeout=15_000)
        if resized:
            page.wait_for_function("f => f.getAttribute('height') !== '420'", arg=element, timeout=15_000)
        result.append(settled(page, element, frame))
    return result


def settled(page, element, frame) -> dict:
    """The frame's inner height and its content's once neither has changed for a moment (a host
    may restyle the frame after the first message, WordPress does, and the embed answers again)."""
    last: dict = {}
    for _ in range(30):
        now = {"frame": element.evaluate("f => f.clientHeight"),
               "content": frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")}
        if now == last:
            return now
        last = now
        page.wait_for_timeout(100)
    return last


@pytest.fixture(scope="module")
def urls(sample_site, tmp_path_factory):
    with serve(sample_site) as embeds:
        host_folder = tmp_path_factory.mktemp("host")
        snippets = card_snippets(sample_site, embeds)
        assert len(snippets) == CARDS
        names = {host: host_page(host_folder, f"{host}.html", snippets, host) for host in ("ours", "wordpress", "none")}
        with serve(host_folder) as host:  # another port: another origin, as a newsroom's site is
            assert host != embeds
            yield {name: f"{host}/{file}" for name, file in names.items()}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("host", ["ours", "wordpress"])
def test_each_card_takes_its_contents_height_on_a_host_page(browser, urls, host, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(urls[host], wait_until="load")
    fits = frame_fits(page, resized=True)
    page.close()
    assert errors == []
    assert len(fits) == CARDS
    cut = [f for f in fits if f["content"] > f["frame"] + 1]
    blank = [f for f in fits if f["frame"] - f["content"] > 4]
    assert (cut, blank) == ([], []), fits


def test_without_a_host_script_a_card_keeps_the_snippets_height(browser, urls):
    page = browser.new_page(viewport={"width": 600, "height": 800})
    page.goto(urls["none"], wait_until="load")
    fits = frame_fits(page, resized=False)
    page.close()
    assert {f["frame"] for f in fits} == {420}
