"""Benchmark: synthetic sites of N profiles, our build against plain MkDocs on the same Markdown.

For each size it synthesises a project (the real registries, theme and content, N generated
profiles), then, in the same run and each in a fresh process:
  check  - `dienhinh check` (load + validate every profile)
  build  - the full site build through the dienhinh plugin
  plain  - plain MkDocs + Material building the very Markdown pages our plugin generates
           (written out with `dienhinh emit`), same theme, same navigation, no plugin; the
           files our build writes beside MkDocs (press kits, feeds, embeds) are left out,
           so the baseline renders the same pages and nothing more
  plain+search - the same with Material's built-in lunr search, which a plain site ships with
           (our build replaces it with a Pagefind index)
  no change  - `dienhinh build` of the same sources after ``build`` made the site folder anew (as a
           CI run starts without one): every page, kit and the search index from the build cache
           (.cache/dienhinh)
  unchanged  - `dienhinh build` again right after it: nothing changed and its site folder is as
           it left it, so the build leaves it (adapters/unchanged.py)
  one change - `dienhinh build` after one profile's body changed (a sentence added)
and prints medians of --repeat runs: seconds, pages per second, peak memory (of the build
process, and separately of its largest helper: forked workers and Pagefind), and the ratio
build / plain. Not a test: run it with `make bench`.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
WORDS = ("phong trào thi đua yêu nước nông thôn mới hợp tác xã trồng quế sâm Ngọc Linh giúp đỡ hộ nghèo "
         "thanh niên tình nguyện phụ nữ sáng tạo cựu chiến binh làm kinh tế giỏi chuyển đổi số dân vận khéo "
         "mô hình cách làm hay hiệu quả lan tỏa cộng đồng sản xuất kinh doanh bền vững").split()
GIVEN = "An Bình Châu Dũng Đào Giang Hà Hùng Lan Linh Mai Nam Phúc Quang Sơn Tâm Thảo Trang Vân Yến".split()
FAMILY = "Nguyễn Trần Lê Phạm Huỳnh Võ Phan Đặng Bùi Đỗ Hồ Ngô".split()
MIDDLE = "Văn Thị Minh Ngọc Hữu Thanh Đức Kim".split()


def synthesise(root: Path, count: int, seed: int = 658) -> None:
    """Copy the project skeleton and write ``count`` valid profiles with ~250-word bodies."""
    for name in ("data", "content", "theme", "mkdocs.yml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    # The publication and the propagation events name the bundled sample profiles; the synthetic
    # project has none of them, and the publication has its own benchmark (bench_publication.py).
    (root / "data" / "editions.yml").write_text("editions: []\n", encoding="utf-8")
    (root / "data" / "events.yml").write_text("events: []\n", encoding="utf-8")
    rng = random.Random(seed)
    data = {
        name: yaml.safe_load((REPO / "data" / f"{name}.yml").read_text(encoding="utf-8"))
        for name in ("movements", "localities")
    }
    movements = [m["code"] for m in data["movements"]["movements"]]
    communes = [
        loc
        for loc in data["localities"]["localities"]
        if loc["level"] == "xa"
        and loc["valid_to"]
        and str(loc["valid_to"]) >= "2024-12-31"
        and loc.get("valid_from") is None
    ]
    for index in range(count):
        year = rng.choice((2022, 2023, 2024))
        commune = rng.choice(communes)
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        body = "\n\n".join(
            f"## {title}\n\n" + " ".join(rng.choice(WORDS) for _ in range(80)).capitalize() + "."
            for title in ("Thành tích nổi bật", "Cách làm hay, sáng tạo", "Hiệu quả và sức lan tỏa")
        )
        meta = {
            "title": f"Điển hình {name}",
            "summary": f"{name} là điển hình tiên tiến ở {commune['name']}.",
            "subject": {"kind": "ca-nhan", "name": name},
            "movement": rng.choice(movements),
            "locality": commune["id"],
            "nominated_by": f"ubnd-{commune['id']}",
            "year": year,
            "stage": rng.choice(("phat-hien", "boi-duong", "gioi-thieu", "nhan-rong", "ton-vinh")),
            "consent": {"obtained": True, "date": f"{year}-01-10"},
            "sample": True,
        }
        folder = root / "profiles" / str(year) / f"dien-hinh-{index:05d}"
        folder.mkdir(parents=True)
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        (folder / "index.md").write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")


def plain_config(root: Path, docs: Path, search: bool = False) -> Path:
    """Our mkdocs.yml without the dienhinh plugin, pointed at the emitted Markdown.

    ``search``: with Material's built-in (lunr) search plugin, what a plain site would ship with.
    """
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.UnsafeLoader)
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(root / "site-plain")
    config["theme"]["custom_dir"] = str(root / "theme")
    config["plugins"] = [p for p in config.get("plugins", []) if p != "dienhinh" and "dienhinh" not in p]
    if search:
        config["plugins"].append("search")
        config["site_dir"] = str(root / "site-plain-search")
    config["markdown_extensions"] = [
        e for e in config["markdown_extensions"] if not (isinstance(e, dict) and "toc" in e)
    ]
    config["markdown_extensions"].append({"toc": {"permalink": True}})
    path = root / ("mkdocs-plain-search.yml" if search else "mkdocs-plain.yml")
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def child(task: str, root: Path) -> None:
    """Run one task in this fresh process and print its time and peak memory as JSON."""
    import os

    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    start = time.perf_counter()
    if task == "check":
        from generator.check.project import ProjectPaths, check_project

        result = check_project(ProjectPaths.at(root))
        assert not result.errors, result.errors[:3]
    elif task == "build":
        from generator.adapters.build import build_site

        build_site(root / "mkdocs.yml", root / "site", strict=False)
    elif task in ("no change", "unchanged", "one change"):
        from generator.adapters.build import build_site

        build_site(root / "mkdocs.yml", root / "site", strict=False, reuse=True)
    elif task in ("plain", "plain+search"):
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        build(load_config(str(root / ("mkdocs-plain.yml" if task == "plain" else "mkdocs-plain-search.yml"))))
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    helper_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "helper_mb": helper_mb}))


def measure(task: str, root: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", task, str(root)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def change_one_profile(root: Path, run: int) -> None:
    """Add a sentence to the first profile's body: its page, kit and feeds change, and the index."""
    path = sorted((root / "profiles").glob("*/dien-hinh-00000/index.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + f"\nLần cập nhật thứ {run + 1}.\n", encoding="utf-8")


def remove_deferred_files(root: Path, docs: Path) -> int:
    """Delete from ``docs`` the files our build writes beside MkDocs rather than through it."""
    from generator.adapters.run import Run
    from generator.check.project import ProjectPaths

    run = Run.from_config_file(ProjectPaths.at(root))
    plan = run.plan(run.check())
    count = 0
    for asset in plan.deferred_assets():
        (docs / asset.path).unlink()
        count += 1
    return count


def bench_size(count: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"dienhinh-bench-{count}-") as temp:
        root = Path(temp)
        synthesise(root, count)
        # The first build renders every share card into the photo cache (a one-off per profile, as on
        # a real site); it is reported as "cold", the measured builds after it are warm.
        cold = measure("build", root)
        subprocess.run(
            [sys.executable, "-m", "generator", "--root", str(root), "emit", str(root / "plain-docs")],
            check=True,
            capture_output=True,
        )
        remove_deferred_files(root, root / "plain-docs")
        plain_config(root, root / "plain-docs")
        plain_config(root, root / "plain-docs", search=True)
        pages = sum(1 for _ in (root / "plain-docs").rglob("*.md"))
        fill = measure("no change", root)  # the first build that keeps its pages, kits and index
        runs: dict[str, list[dict]] = {task: [] for task in ("check", "build", "plain", "plain+search", "no change",
                                                             "unchanged", "one change")}
        for run in range(repeat):  # interleaved, so machine noise hits all tasks alike
            for task in runs:
                if task == "one change":
                    change_one_profile(root, run)
                runs[task].append(measure(task, root))
        median = {
            task: {key: statistics.median(r[key] for r in results) for key in ("seconds", "peak_mb", "helper_mb")}
            for task, results in runs.items()
        }
        return {
            "profiles": count,
            "pages": pages,
            "cold": cold,
            "fill": fill,
            **median,
            "ratio": median["build"]["seconds"] / median["plain"]["seconds"],
            "ratio_search": median["build"]["seconds"] / median["plain+search"]["seconds"],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("TASK", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    print(
        f"{'profiles':>8} {'pages':>6} | {'check s':>7} | {'cold s':>7} | {'build s':>7} {'pages/s':>7} "
        f"{'peak MB':>7} {'helper':>6} | {'plain s':>7} {'pages/s':>7} {'peak MB':>7} | {'ratio':>5} | "
        f"{'+lunr s':>7} {'ratio':>5} | {'fill s':>6} {'no change s':>11} {'unchanged s':>11} {'one change s':>12} "
        f"{'helper':>6}"
        f"  (medians of {args.repeat})"
    )
    for count in args.sizes:
        r = bench_size(count, args.repeat)
        print(
            f"{r['profiles']:>8} {r['pages']:>6} | {r['check']['seconds']:>7.2f} | {r['cold']['seconds']:>7.1f} | "
            f"{r['build']['seconds']:>7.1f} "
            f"{r['pages'] / r['build']['seconds']:>7.1f} {r['build']['peak_mb']:>7.0f} "
            f"{r['build']['helper_mb']:>6.0f} | "
            f"{r['plain']['seconds']:>7.1f} {r['pages'] / r['plain']['seconds']:>7.1f} {r['plain']['peak_mb']:>7.0f} | "
            f"{r['ratio']:>5.2f} | {r['plain+search']['seconds']:>7.1f} {r['ratio_search']:>5.2f} | "
            f"{r['fill']['seconds']:>6.1f} {r['no change']['seconds']:>11.2f} {r['unchanged']['seconds']:>11.2f} "
            f"{r['one change']['seconds']:>12.2f} "
            f"{r['one change']['helper_mb']:>6.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
