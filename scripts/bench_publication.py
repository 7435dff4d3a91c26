"""Benchmark: one edition of N profiles with photos, to PDF and to EPUB.

Synthesises a project (the real registries, N generated profiles from scripts/bench.py, each
with a camera-sized JPEG), then measures in fresh processes, each timed from a loaded
catalogue:
  pdf   - photos prepared, fonts merged, the PDF laid out by WeasyPrint
  epub  - photos prepared, fonts merged, the EPUB written by EbookLib
  both  - everything a build does for the edition (render_media: pages, PDF, EPUB)
and prints seconds, peak memory (max RSS of the process) and output size. Not a test:
  .venv/bin/python scripts/bench_publication.py --profiles 300
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from bench import synthesise

TODAY = dt.date(2025, 1, 15)


def photo(size: tuple[int, int], rng: random.Random):
    """Blurred shapes with sensor-like noise: decodes and compresses like a camera photo (~0.6 MB)."""
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.new("RGB", size, (120, 150, 90))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y, w = rng.randrange(size[0]), rng.randrange(size[1]), rng.randrange(100, 900)
        draw.ellipse((x, y, x + w, y + w * 2 // 3), fill=tuple(rng.randrange(256) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(6))
    return Image.blend(image, Image.effect_noise(size, 30).convert("RGB"), 0.08)


def add_photos(root: Path, size: tuple[int, int]) -> None:
    """A camera-sized JPEG for every profile, and an edition that selects them all."""
    rng = random.Random(658)
    for page in sorted((root / "profiles").glob("*/*/index.md")):
        photo(size, rng).save(page.parent / "anh.jpg", "JPEG", quality=88)
        text = page.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        meta["photos"] = [{"file": "anh.jpg", "alt": f"Ảnh {meta['subject']['name']}", "credit": "Tư liệu"}]
        page.write_text(f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n{body}",
                        encoding="utf-8")
    (root / "data" / "forewords").mkdir(exist_ok=True)
    (root / "data" / "forewords" / "loi-noi-dau.md").write_text("Lời nói đầu của ấn phẩm thử.\n", encoding="utf-8")
    editions = {"editions": [{"code": "bench", "title": "Ấn phẩm thử", "year": 2024, "foreword": "loi-noi-dau.md"}]}
    (root / "data" / "editions.yml").write_text(yaml.safe_dump(editions, allow_unicode=True), encoding="utf-8")


def child(task: str, root: Path) -> None:
    from generator.check.project import ProjectPaths, check_project
    from generator.core.catalog import build_catalog
    from generator.core.editions import build_book
    from generator.load.media_registries import load_media_registries
    from generator.publication.epub import render_epub
    from generator.publication.fonts import book_fonts
    from generator.publication.images import prepare_photos
    from generator.publication.pdf import render_pdf
    from generator.render.context import SiteContext
    from generator.render.media import render_media
    from generator.render.options import RenderOptions

    result = check_project(ProjectPaths.at(root))
    media, problems = load_media_registries(root / "data", root, result.registries)
    assert not result.errors and not problems, [p.format() for p in list(result.errors) + problems][:5]
    catalog = build_catalog(result.registries, result.profiles, TODAY)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if task == "both":
        output = render_media(SiteContext(catalog, RenderOptions(), media=media))
        size = sum(len(a.content) for a in output.assets if a.path.endswith((".pdf", ".epub")))
    else:
        book = build_book(media.editions[0], catalog)
        render = render_pdf if task == "pdf" else render_epub
        size = len(render(book, catalog, book_fonts(), prepare_photos(book)))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"task": task, "seconds": round(seconds, 2), "peak_mib": round(peak / 1024),
                      "before_mib": round(before / 1024), "size_mib": round(size / 2**20, 1),
                      "profiles": len(catalog.profiles)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=300)
    parser.add_argument("--photo", default="3000x2000", help="photo size in pixels, WIDTHxHEIGHT")
    parser.add_argument("--keep", type=Path, help="synthesise into this folder and keep it")
    parser.add_argument("--child", nargs=2, metavar=("TASK", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory(prefix="dienhinh-bench-pub-") as tmp:
        root = args.keep or Path(tmp)
        synthesise(root, args.profiles)
        add_photos(root, tuple(int(x) for x in args.photo.split("x")))
        photo_mib = sum(p.stat().st_size for p in root.rglob("anh.jpg")) / 2**20
        print(f"{args.profiles} profiles, photos {args.photo} ({photo_mib:.0f} MiB)")
        for task in ("pdf", "epub", "both"):
            run = subprocess.run(
                [sys.executable, __file__, "--child", task, str(root)], capture_output=True, text=True, check=True
            )
            row = json.loads(run.stdout.strip().splitlines()[-1])
            print(
                f"{row['task']:5} {row['seconds']:7.2f} s  peak {row['peak_mib']:5d} MiB "
                f"(catalogue loaded: {row['before_mib']} MiB)  output {row['size_mib']} MiB"
            )


if __name__ == "__main__":
    main()
