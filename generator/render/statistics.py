"""Public figures over the published catalogue: counts for charts, and how far models spread.

Pure: counts and chart geometry are numbers computed here; the SVG markup lives in the
``workflow_chart.j2`` template.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from generator.core.catalog import Catalog
from generator.core.labels import KIND_LABELS, STAGE_LABELS, vn_number
from generator.core.model import KINDS, STAGES, Profile, Replication

CSV_HEADER = ("Tiêu chí", "Mã", "Tên", "Số điển hình")


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int
    in_phrase: str = ""  # the label inside a sentence (the text alternative), when it differs


@dataclass(frozen=True)
class Chart:
    id: str  # also the dimension code: movement, district, kind, stage, year
    title: str
    dimension: str  # column heading in the data table
    bars: tuple[Bar, ...]

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def description(self) -> str:
        """The text alternative: every figure in one sentence."""
        parts = "; ".join(f"{bar.in_phrase or bar.label}: {vn_number(bar.value)}" for bar in self.bars)
        return f"{self.title}. {parts}." if parts else f"{self.title}: chưa có số liệu."


def count_charts(catalog: Catalog) -> tuple[Chart, ...]:
    """Published profiles counted by movement, district, kind, stage and year."""
    profiles = catalog.profiles
    by_movement = Counter(p.movement for p in profiles)
    by_district = Counter(catalog.profile_district(p).id for p in profiles)
    by_kind = Counter(p.subject.kind for p in profiles)
    by_stage = Counter(p.stage for p in profiles)
    by_year = Counter(p.year for p in profiles)
    return (
        Chart("movement", "Số điển hình theo phong trào thi đua", "Phong trào thi đua",
              tuple(Bar(m.code, m.label, by_movement[m.code]) for m in catalog.movements.values()
                    if by_movement[m.code])),
        Chart("district", "Số điển hình theo huyện, thị xã, thành phố", "Địa phương",
              tuple(Bar(loc.id, loc.name, by_district[loc.id], loc.name_in_phrase)
                    for loc in catalog.localities.values() if loc.is_district and by_district[loc.id])),
        Chart("kind", "Số điển hình theo loại đối tượng", "Loại đối tượng",
              tuple(Bar(kind, KIND_LABELS[kind], by_kind[kind], KIND_LABELS[kind].lower()) for kind in KINDS)),
        Chart("stage", "Số điển hình theo giai đoạn", "Giai đoạn",
              tuple(Bar(stage, STAGE_LABELS[stage], by_stage[stage], STAGE_LABELS[stage].lower()) for stage in STAGES)),
        Chart("year", "Số điển hình theo năm giới thiệu", "Năm",
              tuple(Bar(str(year), str(year), by_year[year]) for year in sorted(by_year))),
    )


def csv_records(charts: tuple[Chart, ...]) -> list[tuple[str, str, str, int]]:
    return [(chart.dimension, bar.key, bar.label, bar.value) for chart in charts for bar in chart.bars]


# --- chart geometry (SVG user units) ---------------------------------------------------------

WIDTH, LABEL_WIDTH, VALUE_WIDTH, ROW, BAR, PAD, FONT = 640, 260, 40, 26, 16, 8, 14
MAX_LABEL = 32  # about what fits in LABEL_WIDTH at FONT
# A phone's chart: drawn for a ~330 px column at about one user unit per pixel, each label on its
# own line above its bar, so labels stay 13 px where the wide chart would shrink them to 7 px.
NARROW_WIDTH, NARROW_ROW, NARROW_BAR, NARROW_FONT = 320, 40, 14, 13


@dataclass(frozen=True)
class BarShape:
    label: str  # shortened to fit; the full label is in the data table
    value: int
    y: float  # top of the bar
    width: float
    text_y: float  # the value's baseline
    label_y: float  # the label's baseline


@dataclass(frozen=True)
class ChartShape:
    width: int
    height: int
    font_size: int
    label_x: int
    label_anchor: str  # "end": labels left of the bars; "start": labels above them
    bar_x: int
    bar_height: int
    bars: tuple[BarShape, ...]


def chart_shape(chart: Chart, narrow: bool = False) -> ChartShape:
    """A horizontal bar chart: labels right-aligned at the left (``narrow``: above each bar), the
    value after each bar."""
    top = max((bar.value for bar in chart.bars), default=0) or 1
    width, row, bar_height, font = (NARROW_WIDTH, NARROW_ROW, NARROW_BAR, NARROW_FONT) if narrow \
        else (WIDTH, ROW, BAR, FONT)
    bar_x = PAD if narrow else LABEL_WIDTH
    room = width - bar_x - VALUE_WIDTH - PAD
    shapes = []
    for i, bar in enumerate(chart.bars):
        bar_top = PAD + i * row + (row - bar_height - (font + 4 if narrow else 0)) / 2 + (font + 4 if narrow else 0)
        middle = bar_top + bar_height / 2
        text_y = round(middle + font * 0.35, 1)
        shapes.append(BarShape(label=_shorten(bar.label), value=bar.value, y=bar_top,
                               width=round(room * bar.value / top, 1), text_y=text_y,
                               label_y=round(bar_top - 5, 1) if narrow else text_y))
    return ChartShape(width=width, height=2 * PAD + max(1, len(shapes)) * row, font_size=font,
                      label_x=PAD if narrow else LABEL_WIDTH - PAD, label_anchor="start" if narrow else "end",
                      bar_x=bar_x, bar_height=bar_height, bars=tuple(shapes))

def _shorten(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


# --- replication (nhân rộng) ----------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """A published model and the places that took it up, by year."""

    profile: Profile
    by_year: tuple[tuple[int, tuple[Replication, ...]], ...]
    localities: int  # distinct localities reached
    districts: int  # distinct districts reached


def replication_spread(catalog: Catalog) -> tuple[Spread, ...]:
    """Models with replications, furthest first (districts, then localities, then catalogue order)."""
    spreads = []
    for profile in catalog.profiles:
        if not profile.replicated_in:
            continue
        years: dict[int, list[Replication]] = {}
        for rep in sorted(profile.replicated_in, key=lambda r: (r.year, catalog.localities[r.locality].order)):
            years.setdefault(rep.year, []).append(rep)
        places = {rep.locality for rep in profile.replicated_in}
        districts = {above.id for rep in profile.replicated_in
                     if (above := catalog.district_of(rep.locality, rep.on)).is_district}
        spreads.append(Spread(profile, tuple((y, tuple(r)) for y, r in years.items()), len(places), len(districts)))
    order = {p.slug: i for i, p in enumerate(catalog.profiles)}
    return tuple(sorted(spreads, key=lambda s: (-s.districts, -s.localities, order[s.profile.slug])))


def replications_by_year(spreads: tuple[Spread, ...]) -> tuple[tuple[int, int, int], ...]:
    """(year, replications, models) per year."""
    counts: Counter[int] = Counter()
    models: dict[int, set[str]] = {}
    for spread in spreads:
        for year, reps in spread.by_year:
            counts[year] += len(reps)
            models.setdefault(year, set()).add(spread.profile.slug)
    return tuple((year, counts[year], len(models[year])) for year in sorted(counts))

