"""Incremental builds give the site a clean full build gives, after every kind of edit.

One scratch project (our theme copied into it, so a template can change) goes through a sequence
of edits; after each, `dienhinh build` (which reuses unchanged pages, press kits and publication
files from .cache/dienhinh) and a full build without the cache must give the same files, byte for
byte. The search index is left out of that comparison (off in this project): its chunk names
differ between any two builds (test_reproducible); its own test checks when it is made again.
Each step also checks what really was reused, or not, so the comparison cannot pass by making
everything every time.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.adapters.build import build_site
from generator.adapters.cli import main
from generator.adapters.incremental import KeptLinkPaths, link_answers, link_paths
from generator.adapters.unchanged import RECORD_FILE
from generator.render import pagefind
from photo_support import MKDOCS_YML, REPO, phone_jpeg

IN_NAV = 3
REUSE_LINE = re.compile(r"Dựng lại (\d+) trang, dùng lại (\d+) trang")
KITS_LINE = re.compile(r"Tư liệu báo chí: làm mới (\d+) bộ, dùng lại (\d+) bộ")
EDITIONS_LINE = re.compile(r"Ấn phẩm PDF, EPUB: làm mới (\d+) tệp, dùng lại (\d+) tệp")


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


class Builds:
    def __init__(self, project, caplog, monkeypatch):
        self.project, self.caplog, self.monkeypatch = project, caplog, monkeypatch
        self.root: Path = project.root
        self.kits: tuple[int, ...] = ()  # the last incremental build's press kits: (made, reused)
        self.editions: tuple[int, ...] = ()  # and its PDF and EPUB files

    def incremental(self) -> tuple[int, int]:
        """`dienhinh build` into site/; (pages rendered, pages reused). Each build here runs, to
        test the caches of its parts: a build that may stop because nothing changed is tested in
        test_unchanged.py."""
        (self.root / ".cache" / "dienhinh" / RECORD_FILE).unlink(missing_ok=True)
        self.caplog.clear()
        with self.caplog.at_level(logging.INFO, logger="mkdocs"):
            result = CliRunner().invoke(main, ["--root", str(self.root), "build", "-v"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        messages = [r.getMessage() for r in self.caplog.records]
        rendered, reused = next(map(int, m.groups()) for m in map(REUSE_LINE.search, messages) if m)
        self.kits = next(tuple(map(int, m.groups())) for m in map(KITS_LINE.search, messages) if m)
        self.editions = next((tuple(map(int, m.groups())) for m in map(EDITIONS_LINE.search, messages) if m), ())
        return rendered, reused

    def compare(self, tmp: Path) -> tuple[int, int]:
        counts = self.incremental()
        full = build_site(self.root / "mkdocs.yml", tmp / "full", strict=True)
        incremental, clean = files_of(self.root / "site"), files_of(full)
        assert sorted(incremental) == sorted(clean)
        assert [path for path in clean if incremental[path] != clean[path]] == []
        return counts

    def edit_profile(self, slug: str, year: int = 2024, **changes) -> None:
        path = self.root / "profiles" / str(year) / slug / "index.md"
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        body = changes.pop("body", body)
        meta.update(changes)
        path.write_text(f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n{body}",
                        encoding="utf-8")


@pytest.fixture
def builds(project, caplog, monkeypatch) -> Builds:
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-15")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768435200")  # the same day: the sitemap's dates agree
    shutil.copytree(REPO / "theme", project.root / "theme")
    config = MKDOCS_YML.format(theme="theme").replace("  - dienhinh\n", "  - dienhinh:\n      search_index: false\n")
    # Without a nav, MkDocs lists every page in every page's navigation: each edit changes them all.
    config += (
        "nav:\n  - Trang chủ: index.md\n  - Phong trào: phong-trao/index.md\n  - Địa phương: dia-phuong/index.md\n"
    )
    (project.root / "mkdocs.yml").write_text(config, encoding="utf-8")
    project.write_profile("nguyen-van-an")
    project.write_profile("tran-thi-be", subject={"kind": "ca-nhan", "name": "Trần Thị Bé"}, locality="an-phu")
    project.write_profile("to-dan-van", movement="dan-van-kheo", consent=None,
                          subject={"kind": "tap-the", "name": "Tổ dân vận"})
    project.write_profile("cam-cong-bo", subject={"kind": "ca-nhan", "name": "Lê Thị Cam"}, publish_on="2026-02-01")
    phone_jpeg(project.root / "profiles" / "2024" / "nguyen-van-an" / "vuon-que.jpg")
    Builds(project, caplog, monkeypatch).edit_profile(
        "nguyen-van-an", photos=[{"file": "vuon-que.jpg", "alt": "Vườn quế", "caption": "Vườn quế của ông An."}])
    return Builds(project, caplog, monkeypatch)


def test_every_edit_gives_the_clean_build(builds, tmp_path):
    rendered, reused = builds.compare(tmp_path / "0")
    assert reused == 0 and rendered > 20  # a cold cache: every page rendered
    total = rendered

    kits = sum(builds.kits)
    assert builds.kits == (kits, 0) and kits >= 3

    rendered, reused = builds.compare(tmp_path / "nothing")
    assert (rendered, reused) == (IN_NAV, total - IN_NAV)  # the pages in the nav are always rendered
    assert builds.kits == (0, kits)

    builds.edit_profile("nguyen-van-an", body="\n## Thành tích nổi bật\n\nNội dung mới, viết lại.\n")
    rendered, reused = builds.compare(tmp_path / "body")
    assert rendered == IN_NAV + 1 and reused == total - IN_NAV - 1  # only that profile's page
    assert builds.kits == (1, kits - 1)  # and its kit

    builds.edit_profile("tran-thi-be", locality="dien-phuoc")
    rendered, reused = builds.compare(tmp_path / "locality")
    assert 1 < rendered < total and reused > 0

    builds.project.write_profile("moi-them", subject={"kind": "ca-nhan", "name": "Phạm Văn Mới"})
    rendered, reused = builds.compare(tmp_path / "added")
    assert rendered > 1 and reused > 0

    shutil.rmtree(builds.root / "profiles" / "2024" / "moi-them")
    rendered, reused = builds.compare(tmp_path / "deleted")
    assert rendered > 0 and reused > 0

    builds.edit_profile("tran-thi-be", consent={"obtained": False})
    rendered, reused = builds.compare(tmp_path / "consent")
    assert rendered > 0 and reused > 0
    assert not (builds.root / "site" / "ho-so" / "tran-thi-be").exists()

    builds.monkeypatch.setenv("DIENHINH_TODAY", "2026-02-02")  # the embargo of cam-cong-bo passes
    builds.monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769990400")
    rendered, reused = builds.compare(tmp_path / "embargo")
    assert (builds.root / "site" / "ho-so" / "cam-cong-bo" / "index.html").is_file()
    assert rendered > 0 and reused > 0

    movements = builds.root / "data" / "movements.yml"
    movements.write_text(movements.read_text(encoding="utf-8").replace("Dân vận khéo", "Dân vận khéo, sáng tạo"),
                         encoding="utf-8")
    rendered, reused = builds.compare(tmp_path / "registry")
    assert rendered > 0
    assert builds.kits[0] >= 1  # the kit of to-dan-van names its movement

    footer = builds.root / "theme" / "partials" / "copyright.html"
    footer.write_text(footer.read_text(encoding="utf-8") + "<p>Bản thử nghiệm.</p>\n", encoding="utf-8")
    rendered, reused = builds.compare(tmp_path / "template")
    assert reused == 0  # the theme is every page's input
    assert builds.kits[0] == 0  # and no kit's
    assert "Bản thử nghiệm." in (builds.root / "site" / "ho-so" / "nguyen-van-an" / "index.html").read_text("utf-8")


def test_a_damaged_cache_is_never_published(builds, tmp_path):
    builds.incremental()
    pages = builds.root / ".cache" / "dienhinh" / "pages"
    entries = sorted(pages.glob("??/*.html"))
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # truncated
    entries[1].write_bytes(entries[1].read_bytes().replace(b"<", b"&lt;", 1))  # altered in place
    kit = next(p for p in sorted((builds.root / ".cache" / "dienhinh" / "kits").glob("??/*"))
               if p.read_bytes().startswith(b"PK"))  # a zip: no two kits share one
    kit.write_bytes(kit.read_bytes()[:-1])
    rendered, reused = builds.compare(tmp_path / "damaged")
    assert rendered == IN_NAV + 2
    assert builds.kits[0] == 1
    (pages / "manifest.json").write_text('{"version": 0, "pages": {}}', encoding="utf-8")  # another version
    rendered, reused = builds.compare(tmp_path / "version")
    assert reused == 0
    (pages / "manifest.json").write_text('{"version": 1, "pa', encoding="utf-8")  # a build killed mid-write
    rendered, reused = builds.compare(tmp_path / "truncated")
    assert reused == 0
    builds.incremental()
    shard = next(pages.glob("??"))
    shutil.rmtree(shard)
    shard.write_text("một tệp nằm chỗ thư mục", encoding="utf-8")
    kits = builds.root / ".cache" / "dienhinh" / "kits"
    shutil.rmtree(kits)
    kits.write_text("", encoding="utf-8")
    rendered, reused = builds.compare(tmp_path / "in-the-way")
    assert rendered > IN_NAV and builds.kits[1] == 0
    shutil.rmtree(builds.root / ".cache")
    builds.compare(tmp_path / "deleted")


def test_a_page_with_a_warning_is_rendered_again(builds, tmp_path):
    """MkDocs warns of a broken link only while rendering the page: such a page is not kept, so
    the warning comes on every build, as it does without the cache."""
    builds.edit_profile("to-dan-van", year=2024, body="\n## Thành tích\n\n[Kế hoạch](khong-co.md)\n")
    for _ in range(2):
        builds.caplog.clear()
        with builds.caplog.at_level(logging.INFO, logger="mkdocs"):
            result = CliRunner().invoke(main, ["--root", str(builds.root), "build", "--no-strict", "-v"])
        assert result.exit_code == 0, result.output
        assert [r for r in builds.caplog.records if r.levelno == logging.WARNING and "khong-co.md" in r.getMessage()]


def test_only_the_parts_of_the_search_index_whose_pages_changed_are_made_again(builds, monkeypatch):
    config = builds.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("search_index: false", "search_index: true"),
                      encoding="utf-8")
    monkeypatch.setattr(pagefind, "PART_PAGES", 1)  # three profiles in three hash buckets, one empty
    runs: list[tuple[str, list[str]]] = []  # (part, the pages Pagefind was given)
    real_run = pagefind.run_pagefind

    def run_pagefind(site: Path, output: Path) -> None:
        runs.append((output.name, sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))))
        real_run(site, output)

    monkeypatch.setattr(pagefind, "run_pagefind", run_pagefind)
    real_key, known = pagefind.index_key, []  # (pages of a part, of them with a digest handed over)

    def index_key(site: Path, part: pagefind.IndexPart, page_digests) -> str:
        key = real_key(site, part, page_digests)
        assert key == real_key(site, part, {})  # the digests the plugin hands over are the pages' bytes'
        known.append((len(part.pages), sum(page in page_digests for page in part.pages)))
        return key

    monkeypatch.setattr(pagefind, "index_key", index_key)
    bundle = builds.root / "site" / "pagefind"
    kept = builds.root / ".cache" / "dienhinh" / "search"

    builds.incremental()
    assert len(known) == 3 and all(pages == handed for pages, handed in known)  # no page read back
    parts = json.loads((bundle / "parts.json").read_text(encoding="utf-8"))["merge"]
    assert sorted(name for name, _ in runs) == sorted(["chung", *(part.strip("/") for part in parts)])
    assert len(parts) == 2
    profile_pages = [page for _, pages in runs for page in pages if page.startswith("ho-so/")]
    assert len(profile_pages) == len(set(profile_pages)) == 3  # each profile in one part
    collections = tuple(f"{folder}/" for folder in pagefind.COLLECTIONS)  # movements, localities, columns
    assert dict(runs)["chung"] and all(page.startswith(collections) for page in dict(runs)["chung"])
    assert (bundle / "chung" / "pagefind.js").is_file()  # the engine, once: merged parts have none
    assert not [p for part in parts for p in (bundle / part).glob("pagefind*.js")]
    assert {p.name for p in kept.iterdir()} == {"chung", *(part.strip("/") for part in parts)}
    first = files_of(bundle)

    runs.clear()
    builds.incremental()  # nothing changed: the same bundles, Pagefind not run
    assert runs == [] and files_of(bundle) == first

    entry = next((kept / "chung").glob("*/pagefind-entry.json"))
    entry.write_bytes(entry.read_bytes()[:10])  # damaged (the published copy with it: a hard link)
    builds.incremental()
    assert [name for name, _ in runs] == ["chung"]
    entry = json.loads((bundle / "chung" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["vi"]["page_count"] > 0

    runs.clear()
    builds.edit_profile("nguyen-van-an", body="\n## Thành tích nổi bật\n\nTrồng quế hữu cơ.\n")
    builds.incremental()  # the story changed, not what the collection pages list: one part
    assert len(runs) == 1 and "ho-so/nguyen-van-an/index.html" in runs[0][1]
    assert len([p for p in (kept / runs[0][0]).iterdir() if p.is_dir()]) == 1  # the newest bundle only

    monkeypatch.setattr(pagefind, "PART_PAGES", 10)  # one part again: the cache keeps only that one
    runs.clear()
    builds.incremental()
    assert json.loads((bundle / "parts.json").read_text(encoding="utf-8"))["merge"] == []
    assert [name for name, _ in runs] == ["chung"] and [p.name for p in kept.iterdir()] == ["chung"]
    assert {"ho-so/nguyen-van-an/index.html", "phong-trao/nong-thon-moi/index.html"} <= set(runs[0][1])

    runs.clear()
    result = CliRunner().invoke(main, ["--root", str(builds.root), "build", "--full"], catch_exceptions=False)
    assert result.exit_code == 0 and len(runs) == 1  # --full reads no cache


def test_the_publication_is_rendered_again_only_when_what_it_prints_changes(builds, tmp_path):
    (builds.root / "data" / "editions.yml").write_text(yaml.safe_dump({"editions": [
        {"code": "dien-hinh-2024", "title": "Điển hình tiên tiến năm 2024", "year": 2024,
         "published_on": "2024-12-31", "foreword": "loi-noi-dau.md", "select": {"years": [2024]}}]},
        allow_unicode=True), encoding="utf-8")
    (builds.root / "data" / "forewords").mkdir(exist_ok=True)
    (builds.root / "data" / "forewords" / "loi-noi-dau.md").write_text("Những tấm gương bình dị.\n",
                                                                       encoding="utf-8")
    builds.compare(tmp_path / "0")
    assert builds.editions == (2, 0)  # the PDF and the EPUB
    assert (builds.root / "site" / "an-pham" / "dien-hinh-2024" / "dien-hinh-2024.pdf").read_bytes()[:5] == b"%PDF-"

    builds.compare(tmp_path / "nothing")
    assert builds.editions == (0, 2)

    builds.edit_profile("to-dan-van", body="\n## Thành tích nổi bật\n\nTổ hòa giải mọi mâu thuẫn trong thôn.\n",
                        nominated_by="ban-dan-van")
    builds.compare(tmp_path / "body")
    assert builds.editions == (2, 0)

    builds.project.write_profile("khac-nam", year=2023, subject={"kind": "ca-nhan", "name": "Năm Khác"})
    builds.compare(tmp_path / "not-selected")  # a profile of another year is not in the book
    assert builds.editions == (0, 2)

    agencies = builds.root / "data" / "agencies.yml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace("Ban Dân vận Tỉnh ủy", "Ban Dân vận Tỉnh ủy "
                                                                     "Quảng Nam"), encoding="utf-8")
    builds.compare(tmp_path / "registry")  # the book prints who nominated each entry, by name
    assert builds.editions == (2, 0)

    published = (builds.root / "site" / "an-pham" / "dien-hinh-2024" / "dien-hinh-2024.pdf").read_bytes()
    entry = next(p for p in (builds.root / ".cache" / "dienhinh" / "editions").glob("??/*")
                 if p.read_bytes() == published)
    entry.write_bytes(entry.read_bytes()[:-20])
    builds.compare(tmp_path / "damaged")
    assert builds.editions == (1, 1)


def test_a_page_key_names_each_relative_link_and_which_of_its_files_exist():
    source = ('[a](../b/) [c](https://x.y/z) <img src="p%20q.jpg"> [m](mailto:a@b) [h](#top) [q](x.md?y#z)\n'
              "[ref]: /abs\n[r2]: <rel.md>\n[again](x.md#other)")
    files = {"ho-so/b/index.md": 1, "ho-so/a/p q.jpg": 1, "ho-so/a/x.md": 1}
    paths = link_paths(source, "ho-so/a/index.md")
    assert paths == (("ho-so", "b/"), ("ho-so/a", "x.md"), ("ho-so/a", "p%20q.jpg"), ("ho-so/a", "rel.md"))
    # path itself, path/index.md, path.md, path/README.md
    assert link_answers(paths, files) == ["0100", "1000", "1000", "0000"]


def test_link_answers_shared_between_pages_follow_each_pages_own_folder():
    """One build's pages share what a link resolves to, by the folder it climbs to: the same text
    from another folder, a climb past the top and an encoded climb are each answered for themselves."""
    files = {"b/index.md": 1, "ho-so/b/index.md": 1, "ho-so/2024/b.md": 1}
    resolved: dict[tuple[str, str], str] = {}
    links = {uri: link_answers(link_paths("[x](../b/) [y](../../b/) [z](%2E%2E/b.md) [w](../../../b/)", uri),
                               files, resolved)
             for uri in ("ho-so/2024/a/index.md", "ho-so/a/index.md", "a/index.md", "ho-so/2024/a/index.md")}
    assert links == {
        "ho-so/2024/a/index.md": ["0010", "0100", "1000", "0100"],
        "ho-so/a/index.md": ["0100", "0100", "0000", "0000"],
        "a/index.md": ["0100", "0000", "0000", "0000"],
    }


def test_link_paths_kept_between_builds_are_those_a_scan_finds(tmp_path):
    """Kept by the digest of the page's folder and text: the same text in another folder, or a
    changed text, is scanned again; a damaged or foreign file is ignored and written anew."""
    source, other = "[a](../b/) [c](x.md)", "[a](../c/)"
    first = KeptLinkPaths(tmp_path)
    assert first.of("t1", source, "ho-so/a/index.md") == link_paths(source, "ho-so/a/index.md")
    first.of("t2", source, "ho-so/a/b/index.md")
    first.save(prune=True)
    second = KeptLinkPaths(tmp_path)
    assert second.known == {"t1": link_paths(source, "ho-so/a/index.md"),
                            "t2": link_paths(source, "ho-so/a/b/index.md")}
    assert second.of("t1", "not scanned", "ho-so/a/index.md") == (("ho-so", "b/"), ("ho-so/a", "x.md"))
    second.of("t3", other, "ho-so/a/index.md")
    assert second.scanned == 1
    second.save(prune=True)  # t2 not used: dropped
    assert set(KeptLinkPaths(tmp_path).known) == {"t1", "t3"}
    for damaged in (b"{", b'{"paths": [["a", "b"]], "pages": {"t1": [5]}}',
                    b'{"paths": [["a", "b"]], "pages": {"t1": [-1]}}', b'{"paths": [["a"]], "pages": {}}', b"[]"):
        (tmp_path / KeptLinkPaths.FILE).write_bytes(damaged)
        kept = KeptLinkPaths(tmp_path)
        assert kept.known == {}
        kept.of("t1", source, "ho-so/a/index.md")
        kept.save(prune=True)
        assert KeptLinkPaths(tmp_path).known == {"t1": (("ho-so", "b/"), ("ho-so/a", "x.md"))}


def test_the_fingerprint_of_our_own_configuration_is_the_same_in_every_process():
    """mkdocs.yml names a Python function (the toc extension's slugify): a key that held its repr,
    with a memory address, would differ in every build and nothing would ever be reused."""
    program = ("import sys; from mkdocs.config import load_config; "
               "from generator.adapters.incremental import build_fingerprint; "
               "print(build_fingerprint(load_config(sys.argv[1]), '', ''))")
    prints = {subprocess.run([sys.executable, "-c", program, str(REPO / "mkdocs.yml")], capture_output=True,
                             text=True, check=True, cwd=REPO).stdout.strip() for _ in range(2)}
    assert len(prints) == 1 and len(next(iter(prints))) == 40
