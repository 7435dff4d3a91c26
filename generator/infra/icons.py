"""Emblems: the Material Design Icons that Material for MkDocs installs (Apache 2.0), read from
its package, so no icon file is copied here and none is fetched from another host."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def emblem_svg(name: str) -> str | None:
    """The SVG markup of Material Design Icon ``name`` ("sprout"), or None if there is none."""
    if not name or not all(c.isascii() and (c.isalnum() or c == "-") for c in name):
        return None  # also keeps a name from reaching outside the icons folder
    icon = files("material") / "templates" / ".icons" / "material" / f"{name}.svg"
    return icon.read_text(encoding="utf-8") if icon.is_file() else None
