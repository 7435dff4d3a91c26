"""Run settings shared by the CLI and the plugin: the build date and the preview scope."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .pipeline import Scope

# Vietnam has had no daylight saving time since 1975, so a fixed offset is exact.
VIETNAM_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")


def build_today(explicit: str | None = None) -> dt.date:
    """The date that decides embargoes: explicit, DIENHINH_TODAY, SOURCE_DATE_EPOCH, or now in Vietnam."""
    value = explicit or os.environ.get("DIENHINH_TODAY")
    if value:
        return dt.date.fromisoformat(value)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), VIETNAM_TZ).date()
    return dt.datetime.now(VIETNAM_TZ).date()


def scope_from_environment(root: Path) -> Scope:
    """DIENHINH_SCOPE (paths separated by ':') and DIENHINH_SINCE (a git ref) narrow a preview."""
    paths = tuple(root / p for p in os.environ.get("DIENHINH_SCOPE", "").split(os.pathsep) if p)
    return Scope(paths=paths, since=os.environ.get("DIENHINH_SINCE", ""))
