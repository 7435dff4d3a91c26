"""ASCII slugs for URLs and heading anchors (Điện Bàn -> dien-ban, never "ien-ban")."""

from __future__ import annotations

from functools import lru_cache

from slugify import slugify

# Python-Markdown's default slug drops Đ/đ (NFKD has no decomposition for them); map first.
_REPLACEMENTS = [["Đ", "D"], ["đ", "d"]]


@lru_cache(maxsize=8192)  # headings such as "Thành tích nổi bật" recur on every profile page
def make_slug(text: str, separator: str = "-") -> str:
    return slugify(text, separator=separator, replacements=_REPLACEMENTS)


def heading_slug(value: str, separator: str) -> str:
    """Slug function for the ``toc`` Markdown extension (configured in mkdocs.yml)."""
    return make_slug(value, separator) or "muc"


def is_valid_slug(text: str) -> bool:
    return bool(text) and make_slug(text) == text
