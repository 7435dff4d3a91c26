"""The editors' guide's screenshots of the web editor, made again from the real thing.

Runs `dienhinh editor` over a copy of this project (so nothing here is written), opens the new
profile form in Debian's Chromium at 1280 and 390 px, picks a place typed without diacritics,
and saves both views into content/assets/huong-dan/ as palette PNGs (small enough for the guide).

    .venv/bin/python scripts/editor_screenshots.py
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "content" / "assets" / "huong-dan"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PORT = 8765


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for name in ("data", "content", "theme", "profiles"):
            shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        editor = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root), "editor", "-a",
                                   f"127.0.0.1:{PORT}"], cwd=REPO, start_new_session=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  env={**os.environ, "DIENHINH_TODAY": "2026-01-15"})
        try:
            _wait(f"http://127.0.0.1:{PORT}/quan-tri/")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                for width in (1280, 390):
                    _shoot(browser, width)
                browser.close()
        finally:
            os.killpg(editor.pid, signal.SIGTERM)
            editor.wait(timeout=30)


def _wait(url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def _shoot(browser, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900 if width > 600 else 800})
    base = f"http://127.0.0.1:{PORT}/quan-tri/"
    page.goto(base)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Hồ sơ điển hình").first.wait_for()
    page.goto(base + "#/collections/ho-so/new")
    page.get_by_label("Tiêu đề", exact=True).fill("Hợp tác xã đưa cây quế lên đồi")
    if width > 600:
        page.get_by_label("Tóm tắt", exact=True).fill("Hợp tác xã trồng quế hữu cơ trên 50 ha đất đồi.")
    else:
        page.get_by_label("Địa phương", exact=True).scroll_into_view_if_needed()
        page.get_by_label("Địa phương", exact=True).fill("dien ban dong")
        page.get_by_role("option").first.wait_for()
    page.wait_for_timeout(500)
    path = OUT / f"quan-tri-{width}.png"
    page.screenshot(path=str(path))
    page.close()
    Image.open(path).convert("RGB").quantize(colors=128).save(path, optimize=True)
    print(f"{path.relative_to(REPO)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
