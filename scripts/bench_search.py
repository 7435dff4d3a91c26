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
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# (query as typed, the page it should find first)
QUERIES = (
    ("Hồ Thị Xuân Hương", "ho-so/ho-thi-xuan-huong/"),
    ("ho thi xuan huong", "ho-so/ho-thi-xuan-huong/"),
    (nfd("Hồ Thị Xuân Hương"), "ho-so/ho-thi-xuan-huong/"),
    ("Trương Đình Quý", "ho-so/truong-dinh-quy/"),
    ("truong dinh quy", "ho-so/truong-dinh-quy/"),
    ("TRƯƠNG ĐÌNH QUÝ", "ho-so/truong-dinh-quy/"),
    ("Lê Văn Ẩn", "ho-so/le-van-an-dien-phuoc/"),
    ("Điện Phước", "dia-phuong/dien-phuoc/"),
    ("dien phuoc", "dia-phuong/dien-phuoc/"),
    ("xã trà giác", "dia-phuong/tra-giac/"),
    ("tra giac", "dia-phuong/tra-giac/"),
    ("Bình Hải", "dia-phuong/binh-hai/"),
    (nfd("Bình Hải"), "dia-phuong/binh-hai/"),
    ("Điện Bàn", "dia-phuong/dien-ban/"),
    ("dien ban", "dia-phuong/dien-ban/"),
    ("Núi Thành", "dia-phuong/nui-thanh/"),
    ("nui thanh", "dia-phuong/nui-thanh/"),
    ("tien phuoc", "dia-phuong/tien-phuoc/"),
    ("Nông thôn mới", "phong-trao/nong-thon-moi/"),
    ("nong thon moi", "phong-trao/nong-thon-moi/"),
    ("dan van kheo", "phong-trao/dan-van-kheo/"),
    ("Chuyển đổi số", "phong-trao/chuyen-doi-so/"),
    ("Hộ gia đình ông Đinh Văn Đức", "ho-so/ho-dinh-van-duc/"),
    ("ho gia dinh ong dinh van duc", "ho-so/ho-dinh-van-duc/"),
    ("dinh van duc", "ho-so/ho-dinh-van-duc/"),
    ("Hợp tác xã Dịch vụ nông nghiệp Điện Quang", "ho-so/htx-dien-quang/"),
    ("hop tac xa dich vu nong nghiep dien quang", "ho-so/htx-dien-quang/"),
    ("to hop tac det tho cam zo ram", "ho-so/to-det-zo-ram/"),
    (nfd("Tổ hợp tác dệt thổ cẩm Zơ Râm"), "ho-so/to-det-zo-ram/"),
)


def add_named_profiles(root: Path) -> None:
    for slug, kind, name, commune in NAMED:
        meta = {"title": f"Điển hình {name}", "summary": f"{name}, điển hình tiên tiến.",
                "subject": {"kind": kind, "name": name}, "movement": "nong-thon-moi", "locality": commune,
                "nominated_by": f"ubnd-{commune}", "year": 2024, "stage": "gioi-thieu", "sample": True}
        if kind != "tap-the":
            meta["consent"] = {"obtained": True, "date": "2024-01-10"}
        folder = root / "profiles" / "2024" / slug
        folder.mkdir(parents=True)
        body = f"## Thành tích nổi bật\n\n{name} làm kinh tế giỏi và giúp đỡ cộng đồng.\n"
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


def browse(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    server, sent, base = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            cold = cold_start(browser, base, sent)
            warm = warm_queries(browser, base)
            browser.close()
    finally:
        server.shutdown()
    return {"cold": cold, "warm": warm}


def cold_start(browser, base: str, sent: list) -> dict:
    context = browser.new_context()
    page = context.new_page()
    query = QUERIES[0][0]
    sent.clear()
    start = time.perf_counter()
    page.goto(base + "/tim-kiem/", wait_until="domcontentloaded")
    page.fill("#dh-q", query)
    page.wait_for_function(FIRST_RESULT, polling="raf", timeout=60_000)
    first = time.perf_counter()
    page.wait_for_function(ALL_RESULTS, arg=query, polling="raf", timeout=60_000)
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


def warm_queries(browser, base: str) -> list[dict]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/tim-kiem/")
    rows = []
    for query, expected in (("nguyen van", ""), *QUERIES):  # the first one warms the caches
        page.fill("#dh-q", "")
        page.wait_for_function("() => !document.querySelector('#dh-results li')")
        start = time.perf_counter()
        page.fill("#dh-q", query)
        page.wait_for_function(FIRST_RESULT, polling="raf", timeout=60_000)
        first = time.perf_counter()
        page.wait_for_function(ALL_RESULTS, arg=query, polling="raf", timeout=60_000)
        full = time.perf_counter()
        href = page.eval_on_selector("#dh-results li a", "a => a.getAttribute('href')")
        found = href.removeprefix(base + "/")
        if expected:
            rows.append(
                {
                    "query": query,
                    "expected": expected,
                    "found": found,
                    "ok": found == expected,
                    "first_ms": (first - start) * 1000,
                    "full_ms": (full - start) * 1000,
                }
            )
    context.close()
    return rows


# --- report ------------------------------------------------------------------------------------------------


def report(count: int, pages: int, build: dict, index: dict, site: Path, result: dict) -> None:
    cold, rows = result["cold"], result["warm"]
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
    print(f"cold start, first query {QUERIES[0][0]!r}:")
    print(f"  first result: {cold['first_ms']:.0f} ms, {cold['first_bytes'] / 1e6:.3f} MB downloaded")
    print(f"  all results:  {cold['full_ms']:.0f} ms, {cold['full_bytes'] / 1e6:.3f} MB downloaded")
    print(
        "  largest downloads before the first result: "
        + ", ".join(f"{path} {size / 1e3:.0f} kB" for size, path in cold["largest"])
    )
    print(
        f"warm queries ({len(rows)}): median {statistics.median(r['first_ms'] for r in rows):.0f} ms to the first "
        f"result, {statistics.median(r['full_ms'] for r in rows):.0f} ms to all results "
        f"(slowest {max(r['full_ms'] for r in rows):.0f} ms)"
    )
    print(f"\n{'query':<44} {'expected':<32} {'first result':<32} {'ok':<3} {'first':>6} {'all':>6}")
    for r in rows:
        shown = (
            r["query"]
            if unicodedata.is_normalized("NFC", r["query"])
            else "NFD: " + unicodedata.normalize("NFC", r["query"])
        )
        print(
            f"{shown[:44]:<44} {r['expected']:<32} {r['found'][:32]:<32} {'ok' if r['ok'] else 'NO':<3} "
            f"{r['first_ms']:>6.0f} {r['full_ms']:>6.0f}"
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
