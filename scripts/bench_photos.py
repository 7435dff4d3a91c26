"""Benchmark: the photo pipeline on a synthetic site of N profiles with 2 photos each.

Photos are 4000x3000 JPEGs (quality 90, grain over drawn landscapes: they do not compress
trivially), each one different, generated once into .cache/dienhinh-bench/ and hard-linked
into the bundles. Each measurement runs in a fresh process:

  naive  - a plain Pillow pipeline on a few photos, one core: full decode, each width resized
           from the full image, WebP (default effort) and JPEG: the cost the issue starts from
  cold   - a full `dienhinh build` with an empty photo cache
  warm   - the same build again: no photo may be processed; prints the share of its time spent
           in the photo stage (check, cache look-ups, card look-ups) and in copying the photos
Prints photos per second, seconds and peak memory (main process and largest worker). Needs the
photo stage wired into site.py and the plugin. Not a test:

    .venv/bin/python scripts/bench_photos.py [--profiles 1000]
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import multiprocessing
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from PIL import Image, ImageChops, ImageDraw

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from bench import synthesise
from make_sample_photos import cinnamon_hills, grain, mountains, rice_field, stilt_house

SIZE = (4000, 3000)
SCENES = (mountains, rice_field, cinnamon_hills, stilt_house)
POOL = REPO / ".cache" / "dienhinh-bench"


@functools.lru_cache(maxsize=8)  # per worker: eight scenes, drawn once each
def _base(index: int) -> Image.Image:
    rng = random.Random(index)
    return grain(SCENES[index % len(SCENES)](SIZE, rng), rng, 0.12)


def _variant(job: tuple[int, Path]) -> None:
    """Photo ``n``: a base scene shifted and marked, so every file and every pixel grid differs."""
    n, target = job
    rng = random.Random(n)
    image = ImageChops.offset(_base(n % 8), rng.randrange(SIZE[0]), rng.randrange(SIZE[1]))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
        draw.ellipse((x, y, x + rng.randint(100, 600), y + rng.randint(100, 600)),
                     fill=tuple(rng.randrange(256) for _ in range(3)))
    image.save(target, "JPEG", quality=90)


def photo_pool(count: int) -> list[Path]:
    POOL.mkdir(parents=True, exist_ok=True)
    paths = [POOL / f"{n:05d}.jpg" for n in range(count)]
    missing = [(n, p) for n, p in enumerate(paths) if not p.is_file()]
    if missing:
        print(f"generating {len(missing)} photos into {POOL} (once)...", flush=True)
        with multiprocessing.get_context("fork").Pool() as pool:
            pool.map(_variant, missing, chunksize=8)
    return paths


def add_photos(root: Path, pool: list[Path]) -> int:
    bundles = sorted(p.parent for p in (root / "profiles").rglob("index.md"))
    for index, bundle in enumerate(bundles):
        path = bundle / "index.md"
        front, body = path.read_text(encoding="utf-8").split("---\n", 2)[1:]
        meta = yaml.safe_load(front)
        meta["photos"] = []
        for k in range(2):
            name = f"anh-{k + 1}.jpg"
            os.link(pool[2 * index + k], bundle / name)
            meta["photos"].append({"file": name, "alt": f"Ảnh {k + 1} của {meta['subject']['name']}",
                                   "caption": "Ảnh minh họa tổng hợp.", "credit": "Máy tạo ảnh thử nghiệm"})
        path.write_text(f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n{body}",
                        encoding="utf-8")
    return 2 * len(bundles)


def naive(photos: list[Path]) -> float:
    """Seconds per photo for the straightforward pipeline, one core."""
    start = time.perf_counter()
    for path in photos:
        with Image.open(path) as image:
            image.load()
            for width in (480, 960, 1600):
                resized = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
                for fmt in ("WEBP", "JPEG"):
                    resized.save(io.BytesIO(), fmt, quality=80)
    return (time.perf_counter() - start) / len(photos)


def child(task: str, root: Path) -> None:
    """One measured build in this fresh process; the photo stage's functions are timed in place."""
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.environ.setdefault("DIENHINH_TODAY", "2026-11-27")
    from mkdocs.structure.files import File

    from generator.adapters.build import build_site
    from generator.check import project as pipeline
    from generator.photos import cache as photo_cache
    from generator.render import site

    if "cache_dir" not in site.RenderOptions.__dataclass_fields__:
        sys.exit("the photo stage is not wired into site.py and the plugin yet")
    spent = {"photos": 0.0, "copy": 0.0}
    work = {"_process": 0, "_draw_card": 0}  # items handed to the worker pool, by task

    def timed(function, bucket):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[bucket] += time.perf_counter() - start
        return wrapper

    site.process_photos = timed(site.process_photos, "photos")
    site.render_photos = timed(site.render_photos, "photos")
    pipeline.check_photos = timed(pipeline.check_photos, "photos")
    original_copy, original_map = File.copy_file, photo_cache.parallel_map

    def copy_file(self, dirty=False):
        is_photo = "/anh/" in self.dest_uri or self.dest_uri.endswith("the-chia-se.jpg")
        return (timed(original_copy, "copy") if is_photo else original_copy)(self, dirty)
    File.copy_file = copy_file
    def parallel_map(function, items):
        items = list(items)
        work[function.__name__] = work.get(function.__name__, 0) + len(items)
        return original_map(function, items)
    photo_cache.parallel_map = parallel_map
    start = time.perf_counter()
    build_site(root / "mkdocs.yml", root / "site", strict=False)
    seconds = time.perf_counter() - start
    times = os.times()
    print(json.dumps({"seconds": seconds, **spent, "cpu": times.user + times.system + times.children_user
                      + times.children_system, "processed": work["_process"], "cards": work["_draw_card"],
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))


def measure(task: str, root: Path) -> dict:
    run = subprocess.run([sys.executable, __file__, "--child", task, str(root)],
                         capture_output=True, text=True, check=False)
    if run.returncode:
        sys.exit(run.stderr[-3000:])
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--naive", type=int, default=4, help="photos for the naive baseline (0: skip)")
    parser.add_argument("--child", nargs=2, metavar=("TASK", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    pool = photo_pool(2 * args.profiles)
    if args.naive:
        print(f"naive: {naive(pool[: args.naive]):.2f} s per photo on one core", flush=True)
    with tempfile.TemporaryDirectory(prefix="dienhinh-bench-photos-", dir=POOL) as temp:
        root = Path(temp)
        synthesise(root, args.profiles)
        for name in ("events.yml", "editions.yml"):  # they name sample bundles this project lacks
            (root / "data" / name).unlink(missing_ok=True)
        photos = add_photos(root, pool)
        cold = measure("build", root)
        warm = measure("build", root)
        shutil.rmtree(root / "site", ignore_errors=True)
    print(f"{args.profiles} profiles, {photos} photos of {SIZE[0]}x{SIZE[1]}, {os.cpu_count()} cores")
    print(
        f"cold build: {cold['seconds']:.1f} s; photo stage {cold['photos']:.1f} s = "
        f"{photos / cold['photos']:.1f} photos/s; peak memory {cold['peak_mb']:.0f} MB main, "
        f"{cold['worker_peak_mb']:.0f} MB largest worker; CPU {cold['cpu']:.0f} s in all processes "
        f"({cold['cpu'] / photos:.2f} s per photo), load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"warm build: {warm['seconds']:.1f} s; photo stage {warm['photos']:.2f} s "
        f"({100 * warm['photos'] / warm['seconds']:.1f} %), copying photos into the site {warm['copy']:.2f} s "
        f"({100 * warm['copy'] / warm['seconds']:.1f} %); processed {warm['processed']} photos, {warm['cards']} cards "
        f"(cold: {cold['processed']}, {cold['cards']})"
    )


if __name__ == "__main__":
    main()
