"""Which feeds the site offers: the whole site, each movement, each district, each press column.

Every feed lists published profiles only (the catalogue holds nothing else), newest first; a
column lists the profiles whose slot in that column has come (slot date on or before today).
``feeds.feed_assets`` writes each one in three formats.
"""

from __future__ import annotations

import datetime as dt

from generator.core.catalog import Catalog, publication_date
from generator.core.columns import column_page_path
from generator.core.model import Profile
from generator.core.urls import locality_page_path, movement_page_path, profile_page_path
from generator.press.feed_formats import Feed, FeedImage, FeedItem
from generator.press.photos import PublishedPhotos, lead_image
from generator.press.site import FEEDS_DIR, PressSite, column_feed_dir, district_feed_dir, midnight, movement_feed_dir

FEED_LENGTH = 50
IMAGE_WIDTH = 960  # the photo size a feed reader shows


class SiteFeeds:
    def __init__(self, catalog: Catalog, site: PressSite, photos: PublishedPhotos | None = None):
        self.catalog, self.site, self.photos = catalog, site, photos

    def item(self, p: Profile, day: dt.date | None = None, key: str = "") -> FeedItem:
        """Without the story's text: ``Feed.with_contents`` adds it to the items a feed keeps."""
        image = lead_image(p, self.site, self.photos, IMAGE_WIDTH)
        return FeedItem(id=self.site.tag(key or f"ho-so/{p.slug}"), url=self.site.absolute(profile_page_path(p)),
                        title=p.title, summary=p.summary, published=midnight(day or publication_date(p)),
                        image=FeedImage(image.url, image.type, image.size) if image else None,
                        categories=(self.catalog.movements[p.movement].name, self.catalog.profile_district(p).name),
                        author=self.catalog.nominator_name(p))

    def feed(self, directory: str, title: str, description: str, home: str, items: list[FeedItem]) -> Feed:
        newest = sorted(items, key=lambda item: (item.published, item.id), reverse=True)[:FEED_LENGTH]
        return Feed(directory=directory, id=self.site.tag(directory), title=title, description=description,
                    home_url=self.site.absolute(home), author=self.site.name, updated=midnight(self.catalog.today),
                    items=tuple(newest), rights=self.site.licence, rights_url=self.site.licence_url)

    def whole_site(self) -> Feed:
        return self.feed(FEEDS_DIR, self.site.name, "Điển hình tiên tiến mới được giới thiệu", "index.md",
                         [self.item(p) for p in self.catalog.profiles])

    def movements(self) -> list[tuple[str, Feed]]:
        return [(m.label, self.feed(movement_feed_dir(code), f"{m.name} – {self.site.name}",
                                    f"Điển hình tiên tiến mới trong phong trào “{m.name}”", movement_page_path(code),
                                    [self.item(p) for p in self.catalog.by_movement.get(code, ())]))
                for code, m in self.catalog.movements.items()]

    def districts(self) -> list[tuple[str, Feed]]:
        return [(loc.name, self.feed(district_feed_dir(loc.id), f"{loc.name} – {self.site.name}",
                                     f"Điển hình tiên tiến mới ở {loc.name_in_phrase}", locality_page_path(loc.id),
                                     [self.item(p) for p in self.catalog.by_locality.get(loc.id, ())]))
                for loc in self.catalog.localities.values() if loc.holds_communes]

    def columns(self) -> list[tuple[str, Feed]]:
        c = self.catalog
        return [(column.name, self.feed(
            column_feed_dir(column.code), f"Chuyên mục “{column.name}” – {self.site.name}",
            column.description or f"Điển hình tiên tiến trong chuyên mục “{column.name}”",
            column_page_path(column.code),
            [self.item(p, slot.date, f"chuyen-muc/{column.code}/{p.slug}/{slot.date}")
             for p in c.profiles for slot in p.columns if slot.column == column.code and slot.date <= c.today]))
            for column in c.registries.columns]

    def by_group(self) -> dict[str, list[tuple[str, Feed]]]:
        """Every feed with a short label, by group, as the press page lists them."""
        return {"Toàn trang": [("Mọi điển hình mới", self.whole_site())],
                "Theo phong trào thi đua": self.movements(),
                "Theo địa phương": self.districts(),  # districts, and the city (not a district)
                "Theo chuyên mục báo chí": self.columns()}
