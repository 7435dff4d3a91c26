"""Pages' Markdown kept between builds (SiteRenderer.profile_pages and kept_page): taken from the
cache only while everything the page shows is unchanged, and then equal to a page rendered anew."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, DictLoader, UndefinedError

from generator.adapters.run import Run
from generator.check.project import ProjectPaths
from generator.infra.output import GeneratedPage
from generator.infra.output_cache import OutputCache
from generator.render.options import EditorSetup
from generator.render.pages import SiteRenderer, page_environment
from generator.render.site import plan_site

REPO = Path(__file__).resolve().parents[2]


def site_pages(run: Run, cache: Path | None, registries=None) -> tuple[dict[str, GeneratedPage], OutputCache | None]:
    result = run.check()
    if registries is not None:
        result = dataclasses.replace(result, registries=registries)
    kept = OutputCache(cache, section="generated", suffix=".md") if cache else None
    plan = plan_site(run.catalog(result), "", run.options, all_profiles=result.profiles, generated=kept)
    if kept is not None:
        kept.save()
    return {page.path: page for page in plan.output.pages}, kept


def test_kept_pages_of_the_sample_site_equal_pages_rendered_anew(tmp_path):
    """Profile pages (photos, awards, replications, events, press blocks) and the pages that list
    profiles (movements, places, browse lists): Markdown and front matter alike."""
    run = Run.from_config_file(ProjectPaths.at(REPO), "2026-12-07")
    fresh, _ = site_pages(run, None)
    first, kept = site_pages(run, tmp_path)
    assert kept is not None and kept.used == 0
    made = kept.added
    kinds = {path.split("/")[0] for path in fresh if path.count("/") > 1}
    assert {"ho-so", "phong-trao", "dia-phuong", "tra-cuu"} <= kinds
    assert made > sum(path.startswith("ho-so/") for path in fresh)  # more than the profile pages
    second, kept = site_pages(run, tmp_path)
    assert kept is not None and (kept.used, kept.added) == (made, 0)
    assert second == first == fresh


def changed(before: dict[str, GeneratedPage], after: dict[str, GeneratedPage]) -> set[str]:
    return {path for path, page in after.items() if before.get(path) != page}


def test_a_kept_page_is_made_again_when_what_it_shows_changes(project, tmp_path):
    for slug, name in (("an", "Nguyễn Văn An"), ("binh", "Trần Thị Bình"), ("chau", "Lê Văn Châu")):
        project.write_profile(slug, subject={"kind": "ca-nhan", "name": name},
                              replicated_in=[{"locality": "an-phu", "year": 2024}] if slug == "an" else [])
    run = Run.from_config_file(ProjectPaths.at(project.root), "2026-12-07")
    cache = tmp_path / "cache"
    before, _ = site_pages(run, cache)

    project.write_profile("binh", subject={"kind": "ca-nhan", "name": "Trần Thị Bình Minh"})
    pages, kept = site_pages(run, cache)
    assert pages == site_pages(run, None)[0]
    # exactly the pages that show her were made again: her page, the two that list her as related,
    # her movement's and places' pages and the browse lists she is in
    remade = changed(before, pages) - {"index.md", "phong-trao/index.md", "dia-phuong/index.md", "tim-kiem/index.md"}
    assert kept is not None and kept.added == len(remade)
    assert {"ho-so/an/index.md", "ho-so/binh/index.md", "ho-so/chau/index.md", "tra-cuu/index.md"} <= remade
    assert any(path.startswith("phong-trao/") for path in remade) and any(p.startswith("dia-phuong/") for p in remade)

    result = run.check()  # a registry name: every page shows its movement
    movement = result.registries.movements[0]
    renamed = dataclasses.replace(result.registries, movements=(dataclasses.replace(movement, name="Phong trào mới"),
                                                                *result.registries.movements[1:]))
    pages, kept = site_pages(run, cache, renamed)
    assert pages == site_pages(run, None, renamed)[0]
    assert kept is not None and kept.used == 0
    assert all("Phong trào mới" in p.body for path, p in pages.items() if path.startswith("ho-so/"))

    # a place only Ân's replications name: read through the registries alone, not its own facts
    an_phu = next(loc for loc in result.registries.localities if loc.id == "an-phu")
    localities = tuple(dataclasses.replace(loc, name="Xã An Phú Mới") if loc is an_phu else loc
                       for loc in result.registries.localities)
    moved = dataclasses.replace(result.registries, localities=localities)
    pages, kept = site_pages(run, cache, moved)
    assert kept is not None and "Xã An Phú Mới" in pages["ho-so/an/index.md"].body
    assert pages == site_pages(run, None, moved)[0]

    later = dataclasses.replace(run, today=dt.date(2027, 1, 1))  # the day: "nay là ..." follows it
    pages, kept = site_pages(later, cache)
    assert kept is not None and kept.used == 0
    assert pages == site_pages(later, None)[0]


@pytest.mark.parametrize("reads", ["catalog.by_movement", "catalog.profiles|length", "photo_for(p)"])
def test_a_profile_template_that_reads_beyond_its_key_fails_to_render(project, monkeypatch, reads):
    """A kept profile page is keyed by the registries and its own context, never by the catalogue's
    lists or other profiles' photos: a template reading them must fail, not be kept stale."""
    project.write_profile("an")
    run = Run.from_config_file(ProjectPaths.at(project.root), "2026-12-07")
    catalog = run.catalog(run.check())
    renderer = SiteRenderer(catalog)
    assert "Nguyễn Văn An" in renderer.profile(catalog.profiles[0]).body
    env = page_environment()
    monkeypatch.setattr(env, "loader", ChoiceLoader([DictLoader({"profile.md.j2": f"{{{{ {reads} }}}}"}), env.loader]))
    env.cache.clear()
    try:
        with pytest.raises((UndefinedError, RuntimeError)):
            renderer.profile(catalog.profiles[0])
        assert renderer.page("x/index.md", "profile.md.j2", {}, p=catalog.profiles[0]).body  # other pages may
    finally:
        env.cache.clear()


@pytest.mark.parametrize("template", ["movement.md.j2", "locality.md.j2", "search_browse.md.j2"])
@pytest.mark.parametrize("reads", ["catalog.by_movement", "catalog.profiles|length", "press(p)", "photo_for(p)"])
def test_a_listing_template_that_reads_beyond_its_key_fails_to_render(project, monkeypatch, template, reads):
    """A kept movement, place or browse page is keyed by the registries, its own context and the
    photos of the profiles it shows: reading the catalogue's lists, press blocks or the photo of a
    profile it was not given must fail, with or without the cache."""
    project.write_profile("an")
    run = Run.from_config_file(ProjectPaths.at(project.root), "2026-12-07")
    catalog = run.catalog(run.check())
    renderer = SiteRenderer(catalog)
    an = catalog.profiles[0]
    env = page_environment()
    monkeypatch.setattr(env, "loader", ChoiceLoader([DictLoader({template: f"{{{{ {reads} }}}}"}), env.loader]))
    env.cache.clear()
    try:
        if reads == "photo_for(p)":  # a profile it shows may be read
            assert renderer.kept_page("x/index.md", template, {}, (an,), p=an).body == "None"
        with pytest.raises((UndefinedError, RuntimeError)):
            renderer.kept_page("x/index.md", template, {}, (), p=an)
    finally:
        env.cache.clear()


def test_a_preview_takes_the_markdown_a_build_kept_and_shows_the_same_pages(tmp_path):
    """The live preview (scheduled items and internal pages shown, the web editor on) renders
    only what it shows differently; the rest it takes from what `dienhinh build` kept."""
    build = Run.from_config_file(ProjectPaths.at(REPO), "2026-12-07")
    editor = EditorSetup((), "profiles", view_url="http://127.0.0.1:8000/")
    preview = dataclasses.replace(build, options=dataclasses.replace(build.options, preview=True, internal=True,
                                                                      editor=editor))
    built, _ = site_pages(build, tmp_path)
    fresh, _ = site_pages(preview, None)
    shown, kept = site_pages(preview, tmp_path)
    assert shown == fresh
    assert kept is not None and kept.used >= sum(path.startswith("ho-so/") for path in fresh)
    assert changed(built, fresh) and kept.added == 0  # what it shows otherwise (scheduled items, reports)
    # is not on a kept page
