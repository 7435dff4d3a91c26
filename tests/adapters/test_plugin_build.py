"""What the plugin does differently from a plain build of the emitted Markdown, and must not show.

It hands MkDocs each generated page's front matter as data rather than YAML, makes every page
NFC as it is written, and has a forked child write the deferred files (press kits, feeds,
embeds) while MkDocs renders pages. A failure in the child fails the build like any other, and
a build that fails elsewhere stops the child, so nothing is written into a discarded folder.
"""

from __future__ import annotations

import json
import os
import time
import unicodedata

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from generator.adapters.cli import main
from generator.adapters.unchanged import RECORD_FILE
from generator.infra.output import GeneratedAsset
from generator.infra.parallel import BackgroundFailed, BackgroundTask
from generator.render.pagefind import PARTS_FILE, index_site
from photo_support import write_themed_mkdocs_yml


def build(project):
    """`dienhinh build`, run whole even when nothing changed (some tests change the code between
    builds, which the record of an unchanged site does not see: test_unchanged.py)."""
    (project.root / ".cache" / "dienhinh" / RECORD_FILE).unlink(missing_ok=True)
    return CliRunner().invoke(main, ["--root", str(project.root), "build"], catch_exceptions=False)


def leftovers(project) -> list[str]:
    return sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site"))


def built_once(project, monkeypatch):
    """A one-profile site built once: its profile page, and that page's bytes, which a failed
    build after it must leave."""
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-01")
    project.write_profile("an")
    project.write_mkdocs_yml()
    assert build(project).exit_code == 0
    page = project.root / "site/ho-so/an/index.html"
    return page, page.read_bytes()


def head_and_article(page) -> tuple[dict, list, str]:
    """The page's head metadata, its article's elements (name, classes) in order, and its text."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    head = {m.get("property") or m.get("name"): m.get("content") for m in soup.head.find_all("meta", content=True)}
    head["<title>"] = soup.title.get_text()
    head["json-ld"] = soup.head.find("script", type="application/ld+json").get_text()
    article = soup.find("article")
    elements = [
        (e.name, e.get("class"))
        for e in article.find_all(True)
        if e.name != "a" or "headerlink" not in e.get("class", [])
    ]
    return head, elements, " ".join(article.get_text().split())


def test_front_matter_handed_over_as_data_gives_the_page_plain_mkdocs_gives(project, monkeypatch, tmp_path):
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-01")
    project.write_profile("an", replicated_in=[{"locality": "dien-ban", "year": 2025}])
    project.write_profile("binh")  # related to "an": same movement
    config = write_themed_mkdocs_yml(project.root)
    assert build(project).exit_code == 0
    docs = tmp_path / "emitted"
    assert CliRunner().invoke(main, ["--root", str(project.root), "emit", str(docs)]).exit_code == 0
    plain = yaml.safe_load(config.read_text(encoding="utf-8").replace("!!python/name:", ""))
    plain.update(docs_dir=str(docs), site_dir=str(tmp_path / "plain"), plugins=[])
    plain["markdown_extensions"] = ["attr_list", "tables", {"toc": {"permalink": True}}]  # ids are not compared
    plain_config = tmp_path / "plain.yml"
    plain_config.write_text(yaml.safe_dump(plain, allow_unicode=True), encoding="utf-8")
    mkdocs_build(load_config(str(plain_config)))
    for page in ("ho-so/an/index.html", "phong-trao/nong-thon-moi/index.html", "dia-phuong/dien-ban/index.html"):
        ours, theirs = (head_and_article(root / page) for root in (project.root / "site", tmp_path / "plain"))
        assert ours[0]["description"] and ours[1] and ours[2]
        assert ours == theirs, page


def test_pages_are_written_in_nfc(project, monkeypatch):
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-01")
    project.write_profile("an")
    project.write_mkdocs_yml()
    (project.root / "content" / "gioi-thieu.md").write_text(
        unicodedata.normalize("NFD", "# Giới thiệu\n\nĐiển hình tiên tiến.\n"), encoding="utf-8"
    )
    assert build(project).exit_code == 0
    html = (project.root / "site/gioi-thieu/index.html").read_text(encoding="utf-8")
    assert "Điển hình tiên tiến." in html and unicodedata.is_normalized("NFC", html)


def test_background_task_returns_the_result_and_carries_the_child_traceback():
    assert BackgroundTask(lambda: sum(range(10))).wait() == 45
    with pytest.raises(BackgroundFailed, match=r"(?s)Traceback.*ZeroDivisionError"):
        BackgroundTask(lambda: 1 / 0).wait()
    with pytest.raises(BackgroundFailed, match="mã thoát 3"):
        BackgroundTask(lambda: os._exit(3)).wait()


def test_kits_feeds_and_embeds_are_in_the_site_but_not_mkdocs_files(project, monkeypatch):
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-01")
    project.write_profile("an")
    project.write_mkdocs_yml()
    assert build(project).exit_code == 0
    site = project.root / "site"
    assert (site / "ho-so/an/tu-lieu-an.zip").read_bytes().startswith(b"PK")
    assert (site / "feeds/rss.xml").is_file() and (site / "nhung/ho-so/an.html").is_file()
    assert not list((project.root / ".cache/dienhinh").glob("spool-*"))


def test_a_failure_in_the_deferred_files_fails_the_build_and_keeps_the_old_site(project, monkeypatch, caplog):
    page, before = built_once(project, monkeypatch)

    def broken(*args, **kwargs):
        yield GeneratedAsset("feeds/rss.xml", content=b"<rss/>")
        raise ValueError("hỏng giữa chừng")

    monkeypatch.setattr("generator.render.site.press_assets", broken)  # the forked child inherits it
    result = build(project)
    assert result.exit_code == 1
    assert "Trang cũ (nếu có) được giữ nguyên." in result.output
    assert "Không ghi được tư liệu báo chí, nguồn tin và mã nhúng" in caplog.text  # MkDocs logs it
    assert "ValueError: hỏng giữa chừng" in caplog.text
    assert page.read_bytes() == before and leftovers(project) == []


def test_a_build_failing_elsewhere_stops_the_writer_before_the_staging_folder_goes(project, monkeypatch):
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-01")
    project.write_profile("an")
    project.write_mkdocs_yml()

    def slow(*args, **kwargs):
        for number in range(40):
            time.sleep(0.05)
            yield GeneratedAsset(f"cham/{number}.txt", content=b"x")

    def fail(self, html, page, config, files):
        raise RuntimeError("trang hỏng")

    monkeypatch.setattr("generator.render.site.press_assets", slow)
    monkeypatch.setattr("generator.adapters.plugin.DienHinhPlugin.on_page_content", fail)
    with pytest.raises(RuntimeError, match="trang hỏng"):
        build(project)
    time.sleep(2.5)  # longer than the writer would take: it must already be gone
    assert leftovers(project) == [] and not (project.root / "site").exists()


def test_the_search_index_is_made_while_the_writer_finishes(project, monkeypatch, tmp_path):
    """Pagefind reads the pages alone, never the writer's files, so it does not wait for them."""
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-01")
    project.write_profile("an")
    project.write_mkdocs_yml()
    indexed = tmp_path / "indexed"
    real_index_site = index_site

    def index_then_mark(*args, **kwargs):
        stats = real_index_site(*args, **kwargs)
        indexed.touch()
        return stats

    def waiting_for_the_index(*args, **kwargs):  # in the forked writer
        deadline = time.monotonic() + 20
        while not indexed.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        yield GeneratedAsset("cho/chi-muc.txt", content=b"sau" if indexed.exists() else b"het-gio")

    monkeypatch.setattr("generator.adapters.plugin.index_site", index_then_mark)
    monkeypatch.setattr("generator.render.site.press_assets", waiting_for_the_index)
    assert build(project).exit_code == 0
    site = project.root / "site"
    assert (site / "cho/chi-muc.txt").read_bytes() == b"sau"
    assert json.loads((site / PARTS_FILE).read_text(encoding="utf-8")) == {"merge": []}


def test_a_failing_indexer_fails_the_build_and_keeps_the_old_site(project, monkeypatch, caplog):
    page, before = built_once(project, monkeypatch)
    project.write_profile("an", body="## Thành tích nổi bật\n\nĐã sửa.\n")
    monkeypatch.setattr("generator.render.pagefind.pagefind_settings", lambda: ["--khong-co-tuy-chon-nay"])
    result = build(project)
    assert result.exit_code == 1
    assert "Không lập được chỉ mục tìm kiếm (Pagefind)" in caplog.text
    assert page.read_bytes() == before and leftovers(project) == []


def test_the_preview_writes_the_deferred_files_before_the_pages(project, monkeypatch, tmp_path):
    """`mkdocs serve` runs threads, which must not be forked: there the files are written in-process."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-01")
    project.write_profile("an")
    config = load_config(str(project.write_mkdocs_yml()), site_dir=str(tmp_path / "preview"))
    plugin = config.plugins["dienhinh"]
    plugin.on_startup(command="serve", dirty=False)
    forked = []
    monkeypatch.setattr("generator.infra.parallel.BackgroundTask", lambda work: forked.append(work))
    mkdocs_build(config, serve_url="http://127.0.0.1:8000/")
    assert forked == [] and plugin.deferred_writer is None
    assert (tmp_path / "preview/ho-so/an/tu-lieu-an.zip").is_file()
    assert (tmp_path / "preview/noi-bo").is_dir()  # the preview shows the internal pages too


def test_an_editor_cannot_write_search_filters_but_the_page_record_keeps_them(project, monkeypatch):
    """Profile HTML is sanitised before our shelved HTML goes back: data-pagefind-* is ours alone."""
    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-01")
    body = (
        '## Thành tích nổi bật\n\nÔng An <span data-pagefind-filter="phong-trao:dan-van-kheo">trồng quế</span>.\n\n'
        '<div data-pagefind-meta="title:Giả mạo">Hợp tác xã</div>\n'
    )
    project.write_profile("an", body=body)
    project.write_mkdocs_yml()
    assert build(project).exit_code == 0
    soup = BeautifulSoup((project.root / "site/ho-so/an/index.html").read_text(encoding="utf-8"), "html.parser")
    filters = [span["data-pagefind-filter"] for span in soup.select("[data-pagefind-filter]")]
    assert "phong-trao:nong-thon-moi" in filters and "phong-trao:dan-van-kheo" not in filters
    metas = [m["data-pagefind-meta"] for m in soup.select("[data-pagefind-meta]")]
    assert any(m.startswith("title:") for m in metas) and not any("Giả mạo" in m for m in metas)
    assert "trồng quế" in soup.article.get_text() and soup.select_one(".dh-search-record")


def test_a_full_build_prunes_cache_entries_unused_for_a_month_and_a_preview_does_not(project, monkeypatch):
    from photo_support import phone_jpeg

    monkeypatch.setenv("DIENHINH_TODAY", "2026-01-01")
    path = project.write_profile("an", photos=[{"file": "que.jpg", "alt": "Đồi quế"}])
    phone_jpeg(path.parent / "que.jpg")
    project.write_mkdocs_yml()
    assert build(project).exit_code == 0
    cache = project.root / ".cache/dienhinh"
    [used] = cache.glob("photos/??/*")
    cards = list(cache.glob("cards/??/*.jpg"))  # the profile's and the site's
    stale_photo, stale_card = cache / "photos/zz/zz-old", cache / "cards/zz/zz-old.jpg"
    stale_photo.mkdir(parents=True)
    stale_card.parent.mkdir(parents=True)
    stale_card.write_bytes(b"old card")
    month_ago = time.time() - 31 * 86_400
    for entry in (used, *cards, stale_photo, stale_card):
        os.utime(entry, (month_ago, month_ago))

    monkeypatch.setenv("DIENHINH_SCOPE", "profiles/2024/an")  # a scoped preview build: nothing goes
    assert build(project).exit_code == 0
    assert stale_photo.exists() and stale_card.exists()

    monkeypatch.delenv("DIENHINH_SCOPE")
    assert build(project).exit_code == 0
    assert not stale_photo.exists() and not stale_card.exists()
    assert used.is_dir() and all(card.is_file() for card in cards) and used.stat().st_mtime > time.time() - 3600
    site_photo = next((project.root / "site/ho-so/an").rglob("*.webp"))
    assert site_photo.stat().st_size > 0
