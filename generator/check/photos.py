"""``dienhinh check`` for photo contents: unreadable, truncated, unsupported or oversized images.

Each distinct file content is inspected once (a reduced-scale decode, on every core) and its
verdict kept in the photo cache, so a check or build with no photo changed decodes nothing.
A bad photo is a warning: the profile is published without it, the rest of the site builds.
That verdict is the only one: the profiles handed on carry only the photos that passed, so the
site, the press kits and the publication never open a file the check refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from generator.core.model import Problem, Profile
from generator.photos.cache import SourceIndex, parallel_map
from generator.photos.imaging import PhotoError, inspect_photo
from generator.photos.planning import MAX_PHOTO_BYTES, SUPPORTED_EXTENSIONS


def file_problem(target: Path, name: str) -> tuple[str, str] | None:
    """Extension and size of a photo file, before anything opens it: (code, message) or None."""
    if target.suffix.lower() not in SUPPORTED_EXTENSIONS:
        kinds = ", ".join(ext.lstrip(".") for ext in SUPPORTED_EXTENSIONS)
        return ("DH053", f"Tệp “{name}” không phải định dạng ảnh được hỗ trợ ({kinds}); hãy lưu lại dưới dạng JPEG.")
    size = target.stat().st_size
    if size > MAX_PHOTO_BYTES:
        limit = MAX_PHOTO_BYTES // 2**20
        return (
            "DH054",
            f"Tệp ảnh “{name}” nặng {size / 2**20:.0f} MB, quá giới hạn {limit} MB; hãy giảm kích thước ảnh.",
        )
    return None


def verdict_of(path: Path) -> dict:
    """JSON-ready result of inspecting one file: its upright size, or the problem found."""
    try:
        info = inspect_photo(path)
    except PhotoError as error:
        return {"error": [error.code, error.message]}
    return {"width": info.width, "height": info.height, "format": info.format}


def check_photos(profiles: Iterable[Profile],
                 cache_dir: Path | None = None) -> tuple[list[Profile], list[Problem]]:
    """The profiles without their unreadable photos, and a warning for each photo dropped."""
    profiles = list(profiles)
    index = SourceIndex(cache_dir)
    named: list[tuple[Profile, int, str]] = []  # (profile, photo index, digest)
    pending: dict[str, Path] = {}
    for profile in profiles:
        for number, photo in enumerate(profile.photos):
            source = profile.bundle_dir / photo.file
            if not source.is_file():
                continue  # validation has reported it (DH050/DH051)
            digest = index.digest(source)
            named.append((profile, number, digest))
            if index.verdict(digest) is None:
                pending.setdefault(digest, source)
    for digest, verdict in zip(pending, parallel_map(verdict_of, pending.values())):
        index.record(digest, verdict)
    index.save()
    refused = [(profile, number, found["error"]) for profile, number, digest in named
               if "error" in (found := index.verdict(digest) or {})]
    problems = [photo_problem(profile, number, error) for profile, number, error in refused]
    dropped = {(profile.slug, number) for profile, number, _ in refused}
    return [_without(profile, dropped) for profile in profiles], problems


def _without(profile: Profile, dropped: set[tuple[str, int]]) -> Profile:
    if not any(slug == profile.slug for slug, _ in dropped):
        return profile
    kept = tuple(photo for number, photo in enumerate(profile.photos) if (profile.slug, number) not in dropped)
    return replace(profile, photos=kept)


def photo_problem(profile: Profile, number: int, error: list[str]) -> Problem:
    code, message = error
    return Problem(
        code,
        profile.source_path.as_posix(),
        message.format(name=profile.photos[number].file),
        field=f"photos.{number}.file",
        severity="warning",
    )
