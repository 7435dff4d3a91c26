"""Render the catalogue into Markdown pages (headings in Markdown, everything else HTML).

Templates are Jinja with autoescaping on, so no editor-typed string can become markup;
links are relative, so the site works under any base path and offline from disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache, partial

from jinja2 import Environment
from markupsafe import Markup, escape

from generator.core.catalog import Catalog, group_by_place, stated_publication_date
from generator.core.facts import FactsLayout, profile_facts
from generator.core.media_model import EMPTY_MEDIA, MediaRegistries
from generator.core.model import Locality, Problem, Profile
from generator.core.propagation import CALENDAR_PAGE, profile_events
from generator.core.urls import (
    LOCALITIES_DIR,
    MOVEMENTS_DIR,
    emblem_path,
    file_url,
    locality_page_path,
    movement_page_path,
    profile_page_path,
    relative_url,
)
from generator.infra.icons import emblem_svg
from generator.infra.output import GeneratedAsset, GeneratedPage, SiteOutput
from generator.infra.parallel import map_on_cores
from generator.infra.shelf import shelved
from generator.infra.templates import new_environment
from generator.photos.planning import CARD_SIZES, NO_PHOTOS, SIZES, PhotoSet, PhotoView
from generator.render.browse import profile_facets
from generator.render.context import SiteContext
from generator.render.metadata import PageMetadata
from generator.render.options import RenderOptions

MOVEMENTS_INDEX = f"{MOVEMENTS_DIR}/index.md"
_MD_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_[]#|"})


def md_text(value: object) -> Markup:
    """Escape for a Markdown heading or inline position: HTML first, then Markdown syntax."""
    return Markup(str(escape(value)).translate(_MD_SPECIALS))


@cache
def page_environment() -> Environment:
    """The pages' environment, one per process: what differs between renderers is passed in
    each page's context, never set on it."""
    env = new_environment()
    env.filters.update(md=md_text, shelved=shelved)
    env.globals.update(profile_page_path=profile_page_path, movement_page_path=movement_page_path,
                       locality_page_path=locality_page_path, MOVEMENTS_INDEX=MOVEMENTS_INDEX,
                       emblem_path=emblem_path, LEAD_SIZES=SIZES)
    return env


class SiteRenderer:
    def __init__(self, catalog: Catalog, photos: PhotoSet = NO_PHOTOS, site: RenderOptions | None = None,
                 press=None, media: MediaRegistries = EMPTY_MEDIA):
        self.catalog = catalog
        self.photos = photos
        self.media = media
        self.meta = PageMetadata(catalog, site, photos)
        self.env = page_environment()
        self.press = press  # render_press.PressBlocks: the "Tư liệu cho báo chí" block
        # "nay là ..." links a successor only where it has a page
        self.locality_pages = frozenset(loc.id for loc in self.localities_with_pages())
        self.linkable = frozenset(locality_page_path(code) for code in self.locality_pages) | frozenset(
            movement_page_path(code) for code in catalog.movements)

    @classmethod
    def of(cls, ctx: SiteContext) -> SiteRenderer:
        """The renderer of this run: every section renders with the run's photos, options and press."""
        return cls(ctx.catalog, ctx.photos, ctx.options, ctx.press, ctx.media)

    def page(self, path: str, template: str, meta: dict, **context) -> GeneratedPage:
        body = self.env.get_template(template).render(
            catalog=self.catalog, url=partial(relative_url, path), page_path=path,
            locality_label=self.catalog.place_label, place_in_phrase=self.catalog.place_in_phrase,
            profile_place=self.catalog.profile_place, profile_place_in_phrase=self.catalog.profile_place_in_phrase,
            press=self.press, locality_pages=self.locality_pages, linkable=self.linkable,
            photo_for=partial(self.photo_for, path), file_url=partial(file_url, path), **context)
        return GeneratedPage(path, body, meta)

    def photo_for(self, page_path: str, profile: Profile, sizes: str = CARD_SIZES) -> PhotoView | None:
        """The profile's first photo as the page at ``page_path`` shows it (a card, a lead story)."""
        return self.photos.first_view(profile.slug, relative_url(page_path, profile_page_path(profile)), sizes)


    def render_all(self, intro_markdown: str) -> SiteOutput:
        pages = [self.home(intro_markdown), self.movements_index(), self.localities_index()]
        pages += [self.movement(code) for code in self.catalog.movements]
        pages += [self.locality(loc) for loc in self.localities_with_pages()]
        pages += map_on_cores(_profile_page, self.catalog.profiles, self)  # the bulk: both cores
        # photos: only stripped derivatives, from render_photos; here the movements' emblems
        emblems = sorted({m.emblem for m in self.catalog.movements.values()})
        return SiteOutput(tuple(pages), tuple(GeneratedAsset(emblem_path(name), content=svg.encode("utf-8"))
                                              for name in emblems if (svg := emblem_svg(name))))

    def localities_with_pages(self) -> list[Locality]:
        """Every district that has ever existed here and the city, plus communes with profiles, with
        replications, or that took over a former commune with profiles."""
        c = self.catalog
        return [loc for loc in c.localities.values()
                if loc.holds_communes or loc.id in c.by_locality or loc.id in c.replicated_into
                or c.former_profiles(loc.id)]

    def home(self, intro_markdown: str) -> GeneratedPage:
        meta = self.meta.home("index.md", "Trang chủ", "")  # description: the site_description
        newest = self.catalog.newest(12)
        # the lead story: the newest profile with a photo, so the home page opens on a picture
        lead = next((p for p in newest if self.photos.published(p.slug)), newest[0] if newest else None)
        return self.page("index.md", "home.md.j2", {"title": "Trang chủ", "hide": ["navigation"], **meta},
                         intro=intro_markdown, lead=lead, newest=tuple(p for p in newest if p is not lead))

    def movements_index(self) -> GeneratedPage:
        groups: dict[str, list] = {}
        for movement in self.catalog.movements.values():
            groups.setdefault(movement.group or "Phong trào khác", []).append(movement)
        path, title, description = (
            MOVEMENTS_INDEX,
            "Phong trào thi đua",
            "Các phong trào thi đua và điển hình tiên tiến",
        )
        return self.page(
            path,
            "movements.md.j2",
            {"title": title, "description": description, **self.meta.collection(path, title, description)},
            groups=groups,
        )

    def localities_index(self) -> GeneratedPage:
        with_pages = self.localities_with_pages()
        districts = sorted((loc for loc in with_pages if loc.is_district),
                           key=lambda loc: loc.code_order)  # as the page says: in code order
        # a province-level city (Đà Nẵng from 2025-07-01) is not a district: its own list, with its communes
        c = self.catalog

        def with_former(x: Locality) -> tuple[Locality, int]:
            return x, len(c.by_locality.get(x.id, ())) + sum(len(models) for _, models in c.former_profiles(x.id))

        in_order = sorted(with_pages, key=lambda loc: loc.code_order)
        cities = [(city, [with_former(x) for x in in_order if x.parent == city.id])
                  for city in in_order if city.is_province]
        path, title = f"{LOCALITIES_DIR}/index.md", "Địa phương"
        description = "Điển hình tiên tiến theo huyện, thị xã, thành phố và xã, phường"
        return self.page(
            path,
            "localities.md.j2",
            {"title": title, "description": description, **self.meta.collection(path, title, description)},
            districts=districts,
            cities=cities,
        )

    def movement(self, code: str) -> GeneratedPage:
        movement = self.catalog.movements[code]
        profiles = self.catalog.by_movement.get(code, ())
        path, description = movement_page_path(code), movement.description or movement.name
        return self.page(
            path,
            "movement.md.j2",
            {
                "title": movement.name,
                "description": description,
                **self.meta.collection(path, movement.name, description),
            },
            movement=movement,
            groups=group_by_place(self.catalog, profiles, lambda p: p),
        )

    def locality(self, loc: Locality) -> GeneratedPage:
        c = self.catalog
        loc = loc.latest  # the page names the unit as it is now, or as it was when it ended
        profiles = c.by_locality.get(loc.id, ())
        by_movement: dict[str, list[Profile]] = {}
        for p in profiles:
            by_movement.setdefault(p.movement, []).append(p)
        replicated = list(c.replicated_into.get(loc.id, ()))
        if loc.is_district:
            for commune in c.localities_in_district(loc.id):
                replicated += c.replicated_into.get(commune.id, ())
        # "from elsewhere": a model that spread inside its own district is not news to that district
        home = (lambda p: c.profile_district(p).id) if loc.is_district else (lambda p: p.locality)
        replicated = [(p, rep) for p, rep in replicated if home(p) != loc.id]
        former = c.former_profiles(loc.id)
        in_district = {p.slug for p in profiles} if loc.is_district else set()
        path, description = locality_page_path(loc.id), f"Điển hình tiên tiến ở {loc.name_in_phrase}"
        return self.page(
            path,
            "locality.md.j2",
            {
                "title": loc.name,
                "description": description,
                **self.meta.collection(path, loc.name, description, loc.id),
            },
            loc=loc,
            by_movement=by_movement,
            replicated=replicated,
            communes=[  # as they were in the district's last days (Xã Quế Trung in Nông Sơn), with the
                        # models they had while in it
                (c.unit(x.id, loc.valid_to), models) for x in c.localities_in_district(loc.id)
                if (models := sum(1 for p in c.by_locality.get(x.id, ()) if p.slug in in_district))
                or x.id in c.replicated_into
            ],
            parent=c.unit(loc.parent) if loc.parent else None,
            successors=c.successors_now(loc.id),
            changes=[(state, c.unit(state.parent, since) if state.parent else None)
                     for since, state in c.localities[loc.id].states()[1:]],
            former=former,
            former_count=sum(len(models) for _, models in former),
        )

    def profile(self, p: Profile) -> GeneratedPage:
        c = self.catalog
        path = profile_page_path(p)
        return self.page(
            path,
            "profile.md.j2",
            {"title": p.title, "description": p.summary, **self.meta.profile(path, p)},
            p=p,
            photos=self.photos.views(p.slug),
            facts=profile_facts(p, c, FactsLayout.PAGE),
            movement=c.movements[p.movement],
            published=stated_publication_date(p),
            facets=profile_facets(c, p),
            related=c.related(p),
            events=profile_events(self.media, c, p),
            calendar_page=CALENDAR_PAGE,
        )


def _profile_page(renderer: SiteRenderer, profile: Profile) -> GeneratedPage:
    return renderer.profile(profile)


def render_core(ctx: SiteContext) -> SiteOutput:
    """Home, movements, localities and every profile page."""
    return SiteRenderer.of(ctx).render_all(ctx.intro_markdown)


PROBLEMS_PAGE = "index.md"


def problems_page(problems: Sequence[Problem]) -> GeneratedPage:
    """What the live preview shows while the project has errors: each problem with its file, line
    and suggestion, in place of the home page (and, copied, of every other address)."""
    stamp = hashlib.sha256("\n".join(p.format() for p in problems).encode()).hexdigest()[:16]
    body = page_environment().get_template("preview_problems.md.j2").render(problems=problems, stamp=stamp)
    return GeneratedPage(PROBLEMS_PAGE, body, {"title": "Chưa xem trước được", "hide": ["navigation"]})
