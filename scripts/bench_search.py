"""Benchmark: search on a synthetic site of N profiles (default 10,000), in headless Chromium.

It synthesises a project with scripts/bench.py (names from short lists, so most repeat), adds a
few profiles with names of their own, builds the site with search wired in, indexes it with
Pagefind, serves it on 127.0.0.1 and measures, with Debian's chromium driven by Playwright:

  cold   - bytes downloaded and milliseconds from opening the search page to the first result of
           the first query, and to its full-text results too (a fresh browser context, no cache)
  warm   - for every query of the fixed set below: milliseconds to the first result and to the
           complete result list; medians
  table  - each query, the page it should find first, the page found first, ok

Build and indexing each run in a fresh process, which reports its time and peak memory (for the
index, the peak of the Pagefind binary). Bytes are counted by the server as it sends them, so
the requests of Pagefind's web worker count too. Not a test: run it with
``.venv/bin/python scripts/bench_search.py`` (about five minutes at 10,000 profiles).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from pathlib import Path

import yaml

SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent
sys.path[:0] = [str(SCRIPTS), str(REPO / "tests")]

from bench import synthesise
from search_support import build_search_site, project_copy

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
# (slug, kind, name, commune): names that the synthetic lists never produce.
NAMED = (
    ("ho-thi-xuan-huong", "ca-nhan", "Hồ Thị Xuân Hương", "tra-giac"),
    ("truong-dinh-quy", "ca-nhan", "Trương Đình Quý", "dien-quang"),
    ("le-van-an-dien-phuoc", "ca-nhan", "Lê Văn Ẩn", "dien-phuoc"),
    ("ho-dinh-van-duc", "ho-gia-dinh", "Hộ gia đình ông Đinh Văn Đức", "binh-hai"),
    ("htx-dien-quang", "tap-the", "Hợp tác xã Dịch vụ nông nghiệp Điện Quang", "dien-quang"),
    ("to-det-zo-ram", "tap-the", "Tổ hợp tác dệt thổ cẩm Zơ Râm", "a-xan"),
    ("nuoi-ong-lay-mat", "tap-the", "Tổ hợp tác Hoa Rừng", "tra-giac"),
    ("ong-mat-ca-nuoi", "tap-the", "Tổ hợp tác Suối Mơ", "tra-giac"),
)
# Bodies of their own: the first says a phrase, the second has its words apart and more often.
BODIES = {
    "nuoi-ong-lay-mat": "Tổ viên nuôi ong lấy mật rừng, mỗi năm thu hơn hai tấn.",
    "ong-mat-ca-nuoi": "Ong thợ về tổ; tổ viên lấy cá từ ao nuôi, mật độ vừa phải. Ong, mật, cá, nuôi, lấy.",
}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# (query as typed, what should come first, kind). What: a page, or "=Name" for any page whose title
# is that name, or "^Words" for any whose title starts with them (the synthetic names repeat).
EXACT, TYPO, D_BAR, TONE, PHRASE = "exact", "typo", "đ/d", "tone", "phrase"
QUERIES = (
    ("Hồ Thị Xuân Hương", "ho-so/ho-thi-xuan-huong/", EXACT),
    ("ho thi xuan huong", "ho-so/ho-thi-xuan-huong/", EXACT),
    (nfd("Hồ Thị Xuân Hương"), "ho-so/ho-thi-xuan-huong/", EXACT),
    ("Trương Đình Quý", "ho-so/truong-dinh-quy/", EXACT),
    ("truong dinh quy", "ho-so/truong-dinh-quy/", EXACT),
    ("TRƯƠNG ĐÌNH QUÝ", "ho-so/truong-dinh-quy/", EXACT),
    ("Lê Văn Ẩn", "ho-so/le-van-an-dien-phuoc/", EXACT),
    ("Điện Phước", "dia-phuong/dien-phuoc/", EXACT),
    ("dien phuoc", "dia-phuong/dien-phuoc/", EXACT),
    ("xã trà giác", "dia-phuong/tra-giac/", EXACT),
    ("tra giac", "dia-phuong/tra-giac/", EXACT),
    ("Bình Hải", "dia-phuong/binh-hai/", EXACT),
    (nfd("Bình Hải"), "dia-phuong/binh-hai/", EXACT),
    ("Điện Bàn", "dia-phuong/dien-ban/", EXACT),
    ("dien ban", "dia-phuong/dien-ban/", EXACT),
    ("Núi Thành", "dia-phuong/nui-thanh/", EXACT),
    ("nui thanh", "dia-phuong/nui-thanh/", EXACT),
    ("tien phuoc", "dia-phuong/tien-phuoc/", EXACT),
    ("Nông thôn mới", "phong-trao/nong-thon-moi/", EXACT),
    ("nong thon moi", "phong-trao/nong-thon-moi/", EXACT),
    ("dan van kheo", "phong-trao/dan-van-kheo/", EXACT),
    ("Chuyển đổi số", "phong-trao/chuyen-doi-so/", EXACT),
    ("Hộ gia đình ông Đinh Văn Đức", "ho-so/ho-dinh-van-duc/", EXACT),
    ("ho gia dinh ong dinh van duc", "ho-so/ho-dinh-van-duc/", EXACT),
    ("Hợp tác xã Dịch vụ nông nghiệp Điện Quang", "ho-so/htx-dien-quang/", EXACT),
    ("hop tac xa dich vu nong nghiep dien quang", "ho-so/htx-dien-quang/", EXACT),
    ("to hop tac det tho cam zo ram", "ho-so/to-det-zo-ram/", EXACT),
    (nfd("Tổ hợp tác dệt thổ cẩm Zơ Râm"), "ho-so/to-det-zo-ram/", EXACT),
    ("Nguyễn Kim Lna", "=Nguyễn Kim Lan", TYPO),
    ("tran ngoc ann", "=Trần Ngọc An", TYPO),
    ("nong thon moj", "phong-trao/nong-thon-moi/", TYPO),
    ("ho thi xuan huogn", "ho-so/ho-thi-xuan-huong/", TYPO),
    ("truong dinh qyu", "ho-so/truong-dinh-quy/", TYPO),
    ("dinh van dcu", "ho-so/ho-dinh-van-duc/", TYPO),
    ("tho cam zo rma", "ho-so/to-det-zo-ram/", TYPO),
    ("dien phuco", "dia-phuong/dien-phuoc/", TYPO),
    ("nui thnah", "dia-phuong/nui-thanh/", TYPO),
    ("dan van khoe", "phong-trao/dan-van-kheo/", TYPO),
    ("dinh van duc", "ho-so/ho-dinh-van-duc/", D_BAR),
    ("Đinh Văn Đức", "ho-so/ho-dinh-van-duc/", D_BAR),
    ("dien quang", "dia-phuong/dien-quang/", D_BAR),
    ("Đông Giang", "dia-phuong/dong-giang/", D_BAR),
    ("dong giang", "dia-phuong/dong-giang/", D_BAR),
    ("Hòa Hương", "dia-phuong/hoa-huong/", TONE),
    ("Hoà Hương", "dia-phuong/hoa-huong/", TONE),
    ("Duy Hoà", "dia-phuong/duy-hoa/", TONE),
    ("duy hoa", "dia-phuong/duy-hoa/", TONE),
    ("nguyen thi", "^Nguyễn Thị", PHRASE),
    ("nuoi ong lay mat", "ho-so/nuoi-ong-lay-mat/", PHRASE),
    ("nuôi ong lấy mật", "ho-so/nuoi-ong-lay-mat/", PHRASE),
    ("xuan huong", "ho-so/ho-thi-xuan-huong/", PHRASE),
)
KINDS = (EXACT, TYPO, D_BAR, TONE, PHRASE)


def add_named_profiles(root: Path) -> None:
    for slug, kind, name, commune in NAMED:
        meta = {"title": f"Điển hình {name}", "summary": f"{name}, điển hình tiên tiến.",
                "subject": {"kind": kind, "name": name}, "movement": "nong-thon-moi", "locality": commune,
                "nominated_by": f"ubnd-{commune}", "year": 2024, "stage": "gioi-thieu", "sample": True}
        if kind != "tap-the":
            meta["consent"] = {"obtained": True, "date": "2024-01-10"}
        folder = root / "profiles" / "2024" / slug
        folder.mkdir(parents=True)
        story = BODIES.get(slug, f"{name} làm kinh tế giỏi và giúp đỡ cộng đồng.")
        body = f"## Thành tích nổi bật\n\n{story}\n"
        (folder / "index.md").write_text(
            f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n\n{body}", encoding="utf-8"
        )


# --- build and index, each in a fresh process ----------------------------------------------------------


def child(task: str, root: Path) -> None:
    import os

    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    start = time.perf_counter()
    if task == "build":
        build_search_site(root / "mkdocs.yml", root / "site", index=False)
        result = {}
    else:
        from generator.render.pagefind import index_site

        stats = index_site(root / "site")
        result = {"pages": stats.pages, "index_peak_mb": stats.peak_mb}
    result.update(
        seconds=time.perf_counter() - start, peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    )
    print(json.dumps(result))


def measure(task: str, root: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", task, str(root)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- the browser -----------------------------------------------------------------------------------------


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    sent: list[tuple[float, int, str]]  # set per server: (time, bytes, path)

    def log_message(self, format, *args):
        pass

    def copyfile(self, source, outputfile):
        before = source.tell()
        super().copyfile(source, outputfile)
        self.sent.append((time.perf_counter(), source.tell() - before, self.path))


def serve(site: Path):
    sent: list = []
    handler = functools.partial(type("Handler", (CountingHandler,), {"sent": sent}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, sent, f"http://127.0.0.1:{server.server_address[1]}"


FIRST_RESULT = "() => document.querySelectorAll('#dh-results li').length > 0"
ALL_RESULTS = """(q) => { const s = document.querySelector('#dh-status').textContent;
  return s.includes('“' + q.trim().normalize('NFC') + '”') || s.startsWith('Không tìm'); }"""


# A phone on a middling mobile network (Chrome DevTools' "Fast 3G"): 150 ms round trips,
# 1.6 Mbit/s down, 750 kbit/s up; the CPU is the machine's.
PHONE_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}


def browse(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    server, sent, base = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            cold = cold_start(browser, base, sent)
            phone = cold_start(browser, base, sent, PHONE_NETWORK)
            warm = warm_queries(browser, base, sent)
            browser.close()
    finally:
        server.shutdown()
    return {"cold": cold, "phone": phone, "warm": warm}


def cold_start(browser, base: str, sent: list, network: dict | None = None) -> dict:
    context = browser.new_context()
    page = context.new_page()
    if network:
        context.new_cdp_session(page).send("Network.emulateNetworkConditions", network)
    query = QUERIES[0][0]
    sent.clear()
    start = time.perf_counter()
    page.goto(base + "/tim-kiem/", wait_until="domcontentloaded")
    page.fill("#dh-q", query)
    page.wait_for_function(FIRST_RESULT, polling="raf", timeout=120_000)
    first = time.perf_counter()
    page.wait_for_function(ALL_RESULTS, arg=query, polling="raf", timeout=120_000)
    full = time.perf_counter()
    context.close()

    def upto(moment: float) -> int:
        return sum(size for at, size, _ in sent if at <= moment)

    return {
        "first_ms": (first - start) * 1000,
        "first_bytes": upto(first),
        "full_ms": (full - start) * 1000,
        "full_bytes": upto(full),
        "largest": sorted(((size, path) for at, size, path in sent if at <= first), reverse=True)[:6],
    }


def is_expected(expected: str, href: str, title: str) -> bool:
    from generator.render.search import words

    if expected.startswith("="):
        return words(title)[1] == words(expected[1:])[1]
    if expected.startswith("^"):
        wanted = words(expected[1:])[1]
        return words(title)[1][:len(wanted)] == wanted
    return href == expected


def warm_queries(browser, base: str, sent: list) -> list[dict]:
    """Each query typed into a page that has already answered others (its index of names and
    Pagefind loaded): the time to the first result and to all, and the bytes that query fetched."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/tim-kiem/")
    rows = []
    for query, expected, kind in (("nguyen van", "", ""), *QUERIES):  # the first one warms the caches
        page.fill("#dh-q", "")
        page.wait_for_function("() => !document.querySelector('#dh-results li')")
        before = len(sent)
        start = time.perf_counter()
        page.fill("#dh-q", query)
        page.wait_for_function(FIRST_RESULT, polling="raf", timeout=60_000)
        first = time.perf_counter()
        page.wait_for_function(ALL_RESULTS, arg=query, polling="raf", timeout=60_000)
        full = time.perf_counter()
        href = page.eval_on_selector("#dh-results li a", "a => a.getAttribute('href')")
        title = page.text_content("#dh-results li .dh-result__title") or ""
        found = href.removeprefix(base + "/")
        if expected:
            rows.append(
                {
                    "query": query,
                    "kind": kind,
                    "expected": expected,
                    "found": found,
                    "ok": is_expected(expected, found, title),
                    "first_ms": (first - start) * 1000,
                    "full_ms": (full - start) * 1000,
                    "bytes": sum(size for _, size, _ in sent[before:]),
                }
            )
    context.close()
    return rows


# --- report ------------------------------------------------------------------------------------------------


def report(count: int, pages: int, build: dict, index: dict, site: Path, result: dict) -> None:
    rows = result["warm"]
    entities = (site / "tim-kiem/entities.json").stat().st_size
    shards = sorted(p.stat().st_size for p in (site / "tim-kiem/ten").glob("*.json"))
    bundle = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    print(f"\n{count} profiles, {pages} pages; Pagefind indexed {index['pages']} pages")
    print(f"build (MkDocs + dienhinh, no index): {build['seconds']:.1f} s, peak {build['peak_mb']:.0f} MB")
    print(
        f"index (Pagefind):                    {index['seconds']:.1f} s, peak {index['index_peak_mb']:.0f} MB "
        f"(Python side {index['peak_mb']:.0f} MB); bundle {bundle / 1e6:.1f} MB on disk"
    )
    print(
        f"index of names: entities.json {entities / 1e3:.0f} kB, {len(shards)} shards, median "
        f"{statistics.median(shards) / 1e3:.1f} kB, largest {shards[-1] / 1e3:.0f} kB"
    )
    for label, cold in (("localhost", result["cold"]), ("phone, Fast 3G", result["phone"])):
        print(f"cold start ({label}), first query {QUERIES[0][0]!r}:")
        print(f"  first result: {cold['first_ms']:.0f} ms, {cold['first_bytes'] / 1e6:.3f} MB downloaded")
        print(f"  all results:  {cold['full_ms']:.0f} ms, {cold['full_bytes'] / 1e6:.3f} MB downloaded")
    print(
        "  largest downloads before the first result: "
        + ", ".join(f"{path} {size / 1e3:.0f} kB" for size, path in result["cold"]["largest"])
    )
    print(
        f"warm queries ({len(rows)}): median {statistics.median(r['first_ms'] for r in rows):.0f} ms to the first "
        f"result, {statistics.median(r['full_ms'] for r in rows):.0f} ms to all results "
        f"(slowest {max(r['full_ms'] for r in rows):.0f} ms)"
    )
    print(f"\n{'kind':<7} {'right first':>11} {'first ms':>9} {'all ms':>7} {'kB fetched':>10}  (medians)")
    for kind in KINDS:
        of_kind = [r for r in rows if r["kind"] == kind]
        print(
            f"{kind:<7} {sum(r['ok'] for r in of_kind):>5}/{len(of_kind):<5} "
            f"{statistics.median(r['first_ms'] for r in of_kind):>9.0f} "
            f"{statistics.median(r['full_ms'] for r in of_kind):>7.0f} "
            f"{statistics.median(r['bytes'] for r in of_kind) / 1e3:>10.1f}"
        )
    print(f"\n{'query':<40} {'kind':<6} {'expected':<30} {'first result':<30} {'ok':<3} "
          f"{'first':>6} {'all':>6} {'kB':>6}")
    for r in rows:
        shown = (
            r["query"]
            if unicodedata.is_normalized("NFC", r["query"])
            else "NFD: " + unicodedata.normalize("NFC", r["query"])
        )
        print(
            f"{shown[:40]:<40} {r['kind']:<6} {r['expected'][:30]:<30} {r['found'][:30]:<30} "
            f"{'ok' if r['ok'] else 'NO':<3} {r['first_ms']:>6.0f} {r['full_ms']:>6.0f} {r['bytes'] / 1e3:>6.1f}"
        )
    print(f"\n{sum(r['ok'] for r in rows)}/{len(rows)} queries found the intended page first")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    parser.add_argument("--child", nargs=2, metavar=("TASK", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory(prefix="dienhinh-search-") as temp:
        root = args.keep or Path(temp)
        root.mkdir(parents=True, exist_ok=True)
        if not (root / "profiles").exists():
            synthesise(root, args.profiles)
            add_named_profiles(root)
        shutil.rmtree(root / "theme", ignore_errors=True)  # the theme as it is now, kept or not
        project_copy(root, REPO)
        build = measure("build", root)
        index = measure("index", root)
        site = root / "site"
        pages = sum(1 for _ in site.rglob("index.html"))
        report(args.profiles + len(NAMED), pages, build, index, site, browse(site))


if __name__ == "__main__":
    main()
