"""Run-wide constants every stage may read; nothing here imports another stage."""

from __future__ import annotations

import datetime as dt

# Vietnam has had no daylight saving time since 1975, so a fixed offset is exact.
VIETNAM_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")
