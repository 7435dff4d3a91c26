"""Shared by the feed and press tests: a small project with published, unconsented, embargoed
and column-scheduled profiles; schema validators; and ``press_files``, the press section's
page and files by path."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from PIL import Image

from generator.check.project import ProjectPaths, check_project
from generator.core.catalog import Catalog, build_catalog
from generator.infra.output import SiteOutput
from generator.photos.planning import PhotoSet, PublishedPhoto, Rendition
from generator.render.context import SiteContext
from generator.render.options import RenderOptions
from generator.render.press import press_assets, render_press

SCHEMAS = Path(__file__).resolve().parent.parent / "generator" / "schemas"
SITE_URL = "https://example.test/"  # the scratch project's mkdocs.yml says the same
LICENCE = "Được phép sử dụng lại, ghi rõ nguồn: Thử nghiệm."
TODAY = dt.date(2026, 1, 15)
OPTIONS = RenderOptions(site_url=SITE_URL, licence=LICENCE)
PUBLISHED = {"nguyen-van-an", "hop-tac-xa", "tran-thi-be"}
UNPUBLISHED = {"chua-dong-y", "cam-cong-bo"}


def _small_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#2e7d32").save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


PHOTO = _small_jpeg()  # a real JPEG, which check accepts; the stand-in pipeline copies it byte for byte


def write_press_project(project) -> None:
    index = project.write_profile(
        "nguyen-van-an", nominated_on="2025-11-20",
        body=("## Thành tích nổi bật\n\nXem [hồ sơ bạn](../tran-thi-be/) và [tin](https://example.org/tin).\n\n"
              "- một\n- hai\n"),
        photos=[{"file": "ruong-que.jpg", "alt": "Ông An bên rừng quế", "caption": "Rừng quế 10 năm tuổi",
                 "credit": "Lê Văn Ảnh"}],
        columns=[{"column": "guong-nguoi-tot-viec-tot", "date": "2025-12-01"},
                 {"column": "guong-nguoi-tot-viec-tot", "date": "2026-06-01"}])
    (index.parent / "ruong-que.jpg").write_bytes(PHOTO)
    project.write_profile("hop-tac-xa", subject={"kind": "tap-the", "name": "Hợp tác xã <b>Điện</b> & Bàn"},
                          consent=None, locality="dien-ban", nominated_by="so-nnptnt", publish_on="2026-01-10")
    project.write_profile("tran-thi-be", subject={"kind": "ca-nhan", "name": "Trần Thị Bé"}, locality="an-phu",
                          movement="dan-van-kheo", nominated_on="2024-05-02")
    project.write_profile("chua-dong-y", consent={"obtained": False},
                          columns=[{"column": "guong-nguoi-tot-viec-tot", "date": "2025-12-02"}])
    project.write_profile("cam-cong-bo", publish_on="2027-01-01",
                          columns=[{"column": "guong-nguoi-tot-viec-tot", "date": "2025-12-03"}])


def press_catalog(project) -> Catalog:
    result = check_project(ProjectPaths.at(project.root))
    assert result.errors == (), [p.format() for p in result.errors]
    return build_catalog(result.registries, result.profiles, TODAY)


def photo_set(catalog: Catalog, cache: Path) -> PhotoSet:
    """What the photo pipeline gives for the scratch photos: each "processed" at 480, 960 and 1600
    pixels (the bytes are simply copied; the press section never decodes them)."""
    by_profile = {}
    for p in catalog.profiles:
        published = []
        for number, photo in enumerate(p.photos):
            entry = cache / f"{p.slug}-{number}"
            entry.mkdir(parents=True, exist_ok=True)
            renditions = tuple(Rendition(w, w * 2 // 3, fmt) for w in (1600, 960, 480) for fmt in ("webp", "jpg"))
            for rendition in renditions:
                data = (p.bundle_dir / photo.file).read_bytes() + bytes(rendition.width)
                (entry / rendition.filename).write_bytes(data)
            published.append(PublishedPhoto(photo, Path(photo.file).stem, entry, renditions))
        if published:
            by_profile[p.slug] = tuple(published)
    return PhotoSet(by_profile)


def outputs(output: SiteOutput) -> dict[str, bytes]:
    files = {asset.path: asset.content for asset in output.assets}
    files.update({page.path: page.markdown.encode("utf-8") for page in output.pages})
    return files


def press_files(catalog, options: RenderOptions, photos: PhotoSet | None = None) -> dict[str, bytes]:
    """The press page and every file ``press_assets`` streams, by path."""
    page = render_press(SiteContext(catalog, options, photos=photos))
    return outputs(SiteOutput(page.pages, tuple(press_assets(catalog, options, photos))))


def format_checker() -> FormatChecker:
    """The two formats the schemas use, checked with the standard library only."""
    checker = FormatChecker(formats=())

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value) -> bool:
        return not isinstance(value, str) or ("T" in value and dt.datetime.fromisoformat(value).tzinfo is not None)

    @checker.checks("uri")
    def is_uri(value) -> bool:
        parts = urlsplit(value) if isinstance(value, str) else None
        return parts is None or bool(parts.scheme and (parts.netloc or parts.scheme in ("tag", "urn")))

    return checker


def validator(schema_name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / schema_name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=format_checker())
