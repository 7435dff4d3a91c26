"""``dienhinh new``: scaffold a profile bundle with the customary sections.

Each code is chosen from its registry: typed, searched by its Vietnamese name (without
diacritics, with typos: core/choices.py) or picked by number from the list shown. Prompts are
Click's, line by line, so they work in any terminal and in a pipe (scripts, the web editor's
tests); every answer can also be given as a flag. An existing bundle is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from generator.adapters.messages import VietnameseCommand
from generator.check.project import ProjectPaths
from generator.core.catalog import build_catalog
from generator.core.choices import Choice, find_choices
from generator.core.labels import KIND_LABELS
from generator.core.lookup import Lookup
from generator.core.model import KINDS, PERSONAL_KINDS, STAGES, Registries
from generator.core.slugs import make_slug
from generator.infra.templates import new_environment
from generator.load.registries import load_registries
from generator.load.schema import CUSTOMARY_SECTIONS, PLACEHOLDER_SUMMARY

SHOWN = 15  # choices listed at once; more are narrowed by typing


def _ask(title: str, choices: Sequence[Choice], typed: str | None = None) -> str:
    """A code from ``choices``: typed as the code, searched by name (with or without diacritics,
    with typos), or picked by its number in the list shown; "?" lists them all."""
    shown: list[Choice] = []
    while True:
        if typed is None:
            typed = click.prompt(f"{title} (gõ tên hoặc mã để tìm, ? để xem danh sách)", default="?",
                                 show_default=False)
        typed, answer = None, str(typed).strip()
        if answer.isdigit() and 1 <= int(answer) <= len(shown):
            return shown[int(answer) - 1].code
        found = list(choices) if answer == "?" else find_choices(answer, choices, limit=len(choices))
        if len(found) == 1 and found[0].code == answer:
            return answer
        if not found:
            click.echo(f"Không tìm thấy “{answer}”. Gõ ? để xem danh sách.", err=True)
            continue
        shown = found[:SHOWN]
        for number, choice in enumerate(shown, start=1):
            click.echo(f"  {number:>2}. {choice.code}: {choice.label}")
        more = len(found) - len(shown)
        click.echo(f"Gõ số thứ tự để chọn{f', hoặc gõ thêm chữ để lọc ({more} mục nữa)' if more > 0 else ''}.")


def _choices(registries: Registries, year: int) -> dict[str, list[Choice]]:
    """What each prompt offers, with the Vietnamese names beside the codes; places valid in ``year``."""
    places = build_catalog(registries, (), dt.date(year, 12, 31))  # no profiles: its place labels only
    return {
        "kind": [Choice(kind, KIND_LABELS[kind]) for kind in KINDS],
        "movement": [Choice(m.code, m.name) for m in registries.movements],
        "locality": [Choice(loc.id, places.place_label(loc.id, dt.date(year, 1, 1))) for loc in registries.localities
                     if loc.is_valid_in_year(year)],
        "nominated_by": [Choice(a.code, a.name) for a in registries.agencies],
        **{f"award:{kind}": [Choice(a.code, a.name) for a in registries.awards if kind in a.eligible]
           for kind in KINDS},
    }


@click.command(cls=VietnameseCommand)
@click.option("--name", metavar="TÊN", help="Họ tên cá nhân hoặc tên tập thể, hộ gia đình.")
@click.option("--kind", metavar="MÃ", help="Loại đối tượng: ca-nhan, tap-the, ho-gia-dinh.")
@click.option("--movement", metavar="MÃ", help="Mã phong trào (data/movements.yml).")
@click.option("--locality", metavar="MÃ_HOẶC_TÊN", help="Mã hoặc tên địa phương.")
@click.option("--nominated-by", metavar="MÃ", help="Mã cơ quan giới thiệu (data/agencies.yml).")
@click.option("--year", type=int, default=lambda: dt.date.today().year, show_default="năm nay", metavar="NĂM",
              help="Năm của hồ sơ.")
@click.option("--stage", type=click.Choice(STAGES), default="phat-hien", show_default=True,
              help="Giai đoạn của điển hình.")
@click.option("--award", metavar="MÃ_HOẶC_TÊN", help="Danh hiệu, hình thức khen thưởng đã có (data/awards.yml).")
@click.option("--slug", metavar="TÊN_THƯ_MỤC", help="Tên thư mục (mặc định: từ tên, không dấu).")
@click.pass_obj
def new(root: str, name, kind, movement, locality, nominated_by, year, stage, award, slug) -> None:
    """Tạo hồ sơ mới profiles/<năm>/<tên>/index.md với các mục thường dùng."""
    paths = ProjectPaths.at(Path(root))
    registries, _ = load_registries(paths.data, paths.root)
    lookup = Lookup(registries)
    name = name or click.prompt("Họ tên / tên tập thể")
    offered = _choices(registries, year)
    kind = _ask("Loại đối tượng", offered["kind"], kind)
    movement = _ask("Phong trào", offered["movement"], movement)
    match = lookup.resolve_locality(locality, year) if locality else None  # a full name or code, as typed
    locality = match.id if match and match.id else _ask(f"Địa phương (năm {year})", offered["locality"], locality)
    nominated_by = _ask("Cơ quan giới thiệu", offered["nominated_by"], nominated_by)
    if award is None and sys.stdin.isatty():  # optional: asked at a terminal, a flag in scripts
        award = click.prompt("Danh hiệu, hình thức khen thưởng đã có (Enter để bỏ qua)", default="",
                             show_default=False).strip() or ""
    award = _ask("Danh hiệu, hình thức khen thưởng", offered[f"award:{kind}"], award) if award else ""
    slug = slug or make_slug(name)
    bundle = paths.profiles / str(year) / slug
    if bundle.exists():
        raise click.UsageError(f"Thư mục “{bundle}” đã có; hãy chọn --slug khác.")
    env = new_environment(markup=False)
    # JSON strings are valid YAML double-quoted scalars: quotes and colons in names stay safe.
    env.filters["yq"] = lambda value: json.dumps(value, ensure_ascii=False)
    text = env.get_template("new_profile.md.j2").render(
        title=name,
        name=name,
        kind=kind,
        movement=movement,
        locality=locality,
        nominated_by=nominated_by,
        year=year,
        stage=stage,
        today=dt.date.today().isoformat(),
        needs_consent=kind in PERSONAL_KINDS,
        award=award,
        placeholder_summary=PLACEHOLDER_SUMMARY,
        sections=CUSTOMARY_SECTIONS,
    )
    bundle.mkdir(parents=True)
    (bundle / "index.md").write_text(text, encoding="utf-8")
    click.echo(f"Đã tạo {bundle / 'index.md'}. Hãy điền nội dung rồi chạy “dienhinh check”.")
