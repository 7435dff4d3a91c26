"""Profile pages' Markdown kept between builds (SiteRenderer.profile_pages): taken from the cache
only while everything the page shows is unchanged, and then equal to a page rendered anew."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, DictLoader, UndefinedError

from generator.adapters.run import Run
from generator.check.project import ProjectPaths
from generator.infra.output_cache import OutputCache
from generator.render.pages import SiteRenderer, page_environment
from generator.render.site import plan_site

REPO = Path(__file__).resolve().parents[2]


def profile_pages(run: Run, cache: Path | None, registries=None) -> tuple[dict, OutputCache | None]:
    result = run.check()
    if registries is not None:
        result = dataclasses.replace(result, registries=registries)
    kept = OutputCache(cache, section="generated", suffix=".md") if cache else None
    plan = plan_site(run.catalog(result), "", run.options, all_profiles=result.profiles, generated=kept)
    if kept is not None:
        kept.save()
    return {page.path: page for page in plan.output.pages if page.path.startswith("ho-so/")}, kept


def test_kept_profile_pages_of_the_sample_site_equal_pages_rendered_anew(tmp_path):
    """Photos, awards, replications, events, press blocks: Markdown and front matter alike."""
    run = Run.from_config_file(ProjectPaths.at(REPO), "2026-12-07")
    fresh, _ = profile_pages(run, None)
    first, kept = profile_pages(run, tmp_path)
    assert kept is not None and (kept.used, kept.added) == (0, len(fresh))
    second, kept = profile_pages(run, tmp_path)
    assert kept is not None and (kept.used, kept.added) == (len(fresh), 0)
    assert second == first == fresh


def test_a_kept_page_is_made_again_when_what_it_shows_changes(project, tmp_path):
    for slug, name in (("an", "Nguyễn Văn An"), ("binh", "Trần Thị Bình"), ("chau", "Lê Văn Châu")):
        project.write_profile(slug, subject={"kind": "ca-nhan", "name": name},
                              replicated_in=[{"locality": "an-phu", "year": 2024}] if slug == "an" else [])
    run = Run.from_config_file(ProjectPaths.at(project.root), "2026-12-07")
    profile_pages(run, tmp_path)

    project.write_profile("binh", subject={"kind": "ca-nhan", "name": "Trần Thị Bình Minh"})
    pages, kept = profile_pages(run, tmp_path)
    assert kept is not None and kept.added == 3  # Bình's page, and the two that list her as related
    assert all("Bình Minh" in page.body for page in pages.values())

    result = run.check()  # a registry name: every page shows its movement
    movement = result.registries.movements[0]
    renamed = dataclasses.replace(result.registries, movements=(dataclasses.replace(movement, name="Phong trào mới"),
                                                                *result.registries.movements[1:]))
    pages, kept = profile_pages(run, tmp_path, renamed)
    assert kept is not None and kept.added == 3 and all("Phong trào mới" in p.body for p in pages.values())

    # a place only Ân's replications name: read through the registries alone, not its own facts
    an_phu = next(loc for loc in result.registries.localities if loc.id == "an-phu")
    localities = tuple(dataclasses.replace(loc, name="Xã An Phú Mới") if loc is an_phu else loc
                       for loc in result.registries.localities)
    moved = dataclasses.replace(result.registries, localities=localities)
    pages, kept = profile_pages(run, tmp_path, moved)
    assert kept is not None and "Xã An Phú Mới" in pages["ho-so/an/index.md"].body

    later = dataclasses.replace(run, today=dt.date(2027, 1, 1))  # the day: "nay là ..." follows it
    pages, kept = profile_pages(later, tmp_path)
    assert kept is not None and kept.used == 0


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
