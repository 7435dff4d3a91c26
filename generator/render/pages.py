"""Render the catalogue into Markdown pages (headings in Markdown, everything else HTML).

Templates are Jinja with autoescaping on, so no editor-typed string can become markup;
links are relative, so the site works under any base path and offline from disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, cached_property, partial

from jinja2 import Environment
from markupsafe import Markup, escape

from generator.core.catalog import Catalog, group_by_place, stated_publication_date
from generator.core.facts import FactsLayout, profile_facts
from generator.core.media_model import EMPTY_MEDIA, MediaRegistries
from generator.core.model import Agency, Locality, Movement, Problem, Profile
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
from generator.infra.output_cache import OutputCache, code_fingerprint, digest_bytes, digest_parts
from generator.infra.parallel import map_on_cores
from generator.infra.records import key_bytes
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


@dataclass(frozen=True)
class RegistryView:
    """What a kept page reads of the catalogue besides its own context: the registries. Kept pages
    are keyed by the registries and the page's context, never by the catalogue's lists, so their
    templates are given only this as ``catalog`` (StrictUndefined stops any other read)."""

    movements: Mapping[str, Movement]
    localities: Mapping[str, Locality]
    agencies: Mapping[str, Agency]
    unit: Callable[..., Locality]  # Catalog.unit: a unit as it was on a day, from the registry alone


class SiteRenderer:
    def __init__(self, catalog: Catalog, photos: PhotoSet = NO_PHOTOS, site: RenderOptions | None = None,
                 press=None, media: MediaRegistries = EMPTY_MEDIA, generated: OutputCache | None = None):
        self.catalog = catalog
        self.site = site
        self.generated = generated  # profile pages' Markdown kept by earlier builds (the caller saves it)
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
        return cls(ctx.catalog, ctx.photos, ctx.options, ctx.press, ctx.media, ctx.generated)

    def page(self, path: str, template: str, meta: dict, **context) -> GeneratedPage:
        """``context``: the template's own values; it may also stand in for a shared one (``catalog``)."""
        shared = dict(
            catalog=self.catalog, url=partial(relative_url, path), page_path=path,
            locality_label=self.catalog.place_label, place_in_phrase=self.catalog.place_in_phrase,
            profile_place=self.catalog.profile_place, profile_place_in_phrase=self.catalog.profile_place_in_phrase,
            press=self.press, locality_pages=self.locality_pages, linkable=self.linkable,
            photo_for=partial(self.photo_for, path), file_url=partial(file_url, path))
        body = self.env.get_template(template).render({**shared, **context})
        return GeneratedPage(path, body, meta)

    def photo_for(self, page_path: str, profile: Profile, sizes: str = CARD_SIZES) -> PhotoView | None:
        """The profile's first photo as the page at ``page_path`` shows it (a card, a lead story)."""
        return self.photos.first_view(profile.slug, relative_url(page_path, profile_page_path(profile)), sizes)


    def render_all(self, intro_markdown: str) -> SiteOutput:
        pages = [self.home(intro_markdown), self.movements_index(), self.localities_index()]
        pages += [self.movement(code) for code in self.catalog.movements]
        pages += [self.locality(loc) for loc in self.localities_with_pages()]
        pages += self.profile_pages()  # the bulk
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
        return self.kept_page(
            path,
            "movement.md.j2",
            {
                "title": movement.name,
                "description": description,
                **self.meta.collection(path, movement.name, description),
            },
            profiles,
            movement=movement,
            profile_count=len(profiles),
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
        return self.kept_page(
            path,
            "locality.md.j2",
            {
                "title": loc.name,
                "description": description,
                **self.meta.collection(path, loc.name, description, loc.id),
            },
            (*profiles, *(p for _, models in former for p in models)),
            loc=loc,
            profile_count=len(profiles),
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
        # the shared values a profile page must not read (see RegistryView): a key that left them
        # out would keep a page they changed
        return self.page(profile_page_path(p), "profile.md.j2", self.profile_meta(p),
                         catalog=self.registry_view, photo_for=_not_on_profile_pages, **self.profile_context(p))

    def profile_meta(self, p: Profile) -> dict:
        return {"title": p.title, "description": p.summary, **self.meta.profile(profile_page_path(p), p)}

    def profile_context(self, p: Profile) -> dict:
        """Everything the profile template is given of its own (beside the registries)."""
        c = self.catalog
        return dict(
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

    def profile_pages(self) -> list[GeneratedPage]:
        """Every profile page, on both cores. With the build cache, a page whose inputs did not
        change since a build made it (its key: ``profile_key``) is taken from there, not rendered."""
        profiles, kept = self.catalog.profiles, self.generated
        if kept is None:
            return map_on_cores(_profile_page, profiles, self)
        keys = [self.profile_key(p) for p in profiles]
        bodies = {index: body for index, key in enumerate(keys) if (body := kept.read(key)) is not None}
        made = iter(map_on_cores(_profile_page, [p for i, p in enumerate(profiles) if i not in bodies], self))
        pages = []
        for index, (p, key) in enumerate(zip(profiles, keys)):
            body = bodies.get(index)
            if body is None:
                page = next(made)
                kept.put(key, page.body.encode("utf-8"))
            else:
                page = GeneratedPage(profile_page_path(p), body.decode("utf-8"), self.profile_meta(p))
            pages.append(page)
        return pages

    def profile_key(self, p: Profile) -> str:
        """Everything a profile page's Markdown is made from: the code and templates, what every
        page shares (``shared_key``), its path, its context and its press block."""
        context = self.profile_context(p)
        profiles = [self.profile_digests[shown.slug] for shown in (context.pop("p"), *context.pop("related"))]
        return digest_parts([self.shared_key, profile_page_path(p), *profiles, key_bytes(context),
                             key_bytes(self.press(p) if self.press else None)])

    @cached_property
    def registry_view(self) -> RegistryView:
        c = self.catalog
        return RegistryView(c.movements, c.localities, c.agencies, c.unit)

    def kept_page(self, path: str, template: str, meta: dict, shown: Sequence[Profile], **context) -> GeneratedPage:
        """A page that lists profiles (a movement's, a place's, a browse list's), its Markdown kept
        between builds when the run has the cache: keyed by what every page shares (``shared_key``),
        its path and template, its context (each profile in it by its digest) and the card photos of
        the profiles it ``shown``. Its template gets the catalogue only as its registries and the
        photos of ``shown`` only, with or without the cache, so a read beyond the key fails."""
        views = {p.slug: self.photo_for(path, p) for p in shown}
        restricted = dict(catalog=self.registry_view, photo_for=partial(_card_photo, views), press=_not_on_kept_pages)
        if self.generated is None:
            return self.page(path, template, meta, **context, **restricted)
        key = digest_parts([self.shared_key, path, template, key_bytes(self.by_digest(context)), key_bytes(views)])
        body = self.generated.read(key)
        if body is not None:
            return GeneratedPage(path, body.decode("utf-8"), meta)
        page = self.page(path, template, meta, **context, **restricted)
        self.generated.put(key, page.body.encode("utf-8"))
        return page

    def by_digest(self, value: object) -> object:
        """``value`` for a key, each profile in it by its digest (a page lists the catalogue's
        profiles, whose digests are made once); mappings, lists and tuples gone through."""
        if isinstance(value, Profile):
            return self.profile_digests.get(value.slug) or digest_bytes(key_bytes(value))
        if isinstance(value, Mapping):
            return {key: self.by_digest(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.by_digest(item) for item in value]
        return value

    @cached_property
    def profile_digests(self) -> dict[str, str]:
        """Each published profile's digest, made once: a page shows its own and its neighbours'."""
        return {p.slug: digest_bytes(key_bytes(p)) for p in self.catalog.profiles}

    @cached_property
    def shared_key(self) -> str:
        """What every profile page reads beside its own context: the registries (through
        ``RegistryView`` and the place labels), the day, the run's options and which places and
        movements have pages. Not whether the run is a preview, shows the internal pages or has
        the web editor: no template of a kept page is given the options, and what a preview lists
        otherwise (scheduled items) is in the page's own context; so the live preview takes the
        Markdown a build kept, and the reverse."""
        c = self.catalog
        options = replace(self.site, preview=False, internal=False, editor=None) if self.site else None
        return digest_parts([code_fingerprint(), key_bytes((c.registries, c.today, options, sorted(self.linkable),
                                                            sorted(self.locality_pages)))])


def _profile_page(renderer: SiteRenderer, profile: Profile) -> GeneratedPage:
    return renderer.profile(profile)


def _card_photo(views: Mapping[str, PhotoView | None], p: Profile, sizes: str = CARD_SIZES) -> PhotoView | None:
    if sizes != CARD_SIZES or p.slug not in views:
        raise RuntimeError(f"a kept page is keyed by the card photos of the profiles it lists, not {p.slug}'s "
                           f"at {sizes}: pass the profile in kept_page's shown")
    return views[p.slug]


def _not_on_kept_pages(*args, **kwargs):
    raise RuntimeError("a kept page is not keyed by press blocks")


def _not_on_profile_pages(*args, **kwargs):
    raise RuntimeError("photo_for reads other profiles' photos, which a kept profile page is not keyed by: "
                       "give the profile template what it needs in profile_context")


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
