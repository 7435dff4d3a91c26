"""A profile as an IPTC ninjs 2.1 news item (https://iptc.org/standards/ninjs/), as JSON data.

Validated in the tests against ``schemas/ninjs-2.x.json``. Dates are instants in Vietnam time;
ids are the stable tag: URIs of ``press_site``.
"""

from __future__ import annotations

import json

from generator.core.model import PERSONAL_KINDS
from generator.core.urls import locality_page_path, movement_page_path
from generator.press.site import fragment_path, midnight
from generator.press.story import Story

NINJS_VERSION = "2.1"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"
SAMPLE_NOTE = "Dữ liệu minh họa: điển hình hư cấu dùng để trình bày, không phải người, tập thể có thật; không đăng."
PROFILE_GENRE = "http://cv.iptc.org/newscodes/genre/Profile"  # IPTC NewsCodes genre "Profile"


def profile_ninjs(story: Story) -> dict:
    p, site = story.profile, story.site
    text = story.body_text
    item = {
        "uri": site.tag(f"ho-so/{p.slug}"),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI},
        "type": "text",
        "representationtype": "full",
        "profile": "dienhinh-ho-so",
        "firstcreated": midnight(p.nominated_on or story.published).isoformat(),
        "versioncreated": midnight(story.published).isoformat(),
        "pubstatus": "usable",
        "language": "vi",
        "title": p.title,
        "slugline": p.slug,
        "located": story.locality,
        "copyrightholder": site.name,
        "usageterms": site.licence,
        "headlines": [{"role": "main", "value": p.title}],
        "descriptions": [{"role": "summary", "contenttype": "text/plain", "value": p.summary}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": str(story.body_html)},
                   {"role": "main", "contenttype": "text/plain", "value": text,
                    "charcount": len(text), "wordcount": len(text.split())}],
        "genres": [{"name": "Gương điển hình tiên tiến", "uri": PROFILE_GENRE}],
        "places": [{"name": story.locality, "rel": "located", "uri": site.absolute(locality_page_path(p.locality))}],
        "subjects": [_movement_subject(story)] + [{"name": tag, "rel": "keyword"} for tag in p.tags],
        "renditions": [{"name": "web", "href": story.url, "contenttype": "text/html", "title": p.title},
                       {"name": "html-fragment", "href": site.absolute(fragment_path(p)),
                        "contenttype": "text/html"}],
        "associations": [_photo(story, i, photo) for i, photo in enumerate(story.photos, start=1)],
    }
    if p.sample:
        item["ednote"] = SAMPLE_NOTE
    subject = {"name": p.subject.name, "rel": "subject"}
    item["people" if p.subject.kind in PERSONAL_KINDS else "organisations"] = [subject]
    return {key: value for key, value in item.items() if value != []}


def _movement_subject(story: Story) -> dict:
    movement = story.profile.movement
    return {"name": story.movement.name, "rel": "movement", "literal": movement,
            "uri": story.site.absolute(movement_page_path(movement))}


def _photo(story: Story, index: int, photo) -> dict:
    association = {"name": f"anh-{index}", "uri": story.site.tag(f"ho-so/{story.profile.slug}/anh/{index}"),
                   "type": "picture", "versioncreated": midnight(story.published).isoformat(),
                   "descriptions": [{"role": "alt", "contenttype": "text/plain", "value": photo.alt}],
                   "renditions": [{"name": "full", "href": photo.url, "contenttype": photo.type,
                                   "width": photo.width, "height": photo.height}]}
    if photo.caption:
        association["headlines"] = [{"role": "caption", "value": photo.caption}]
    if photo.credit:
        association["by"] = photo.credit
        association["copyrightholder"] = photo.credit
    association["usageterms"] = story.site.licence
    return association


def ninjs_bytes(item: dict) -> bytes:
    return (json.dumps(item, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
