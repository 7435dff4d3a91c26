"""``dienhinh new``: scaffold a profile bundle with the customary sections.

Codes are chosen from the registries (a name or a near miss is resolved or suggested);
an existing bundle is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from jinja2 import Environment, PackageLoader

from generator.adapters.messages import VietnameseCommand
from generator.check.project import ProjectPaths
from generator.core.lookup import Lookup
from generator.core.model import KINDS, STAGES
from generator.core.slugs import make_slug
from generator.load.registries import load_registries
from generator.load.schema import CUSTOMARY_SECTIONS, PLACEHOLDER_SUMMARY


def _choose(prompt: str, value: str | None, valid: set[str], suggest) -> str:
    while True:
        value = value or click.prompt(prompt)
        if value in valid:
            return value
        hint = suggest(value)
        click.echo(f"Không có mã “{value}”." + (f" Có phải ý bạn là “{hint}”?" if hint else ""), err=True)
        value = None


@click.command(cls=VietnameseCommand)
@click.option("--name", metavar="TÊN", help="Họ tên cá nhân hoặc tên tập thể, hộ gia đình.")
@click.option("--kind", type=click.Choice(KINDS), help="Loại đối tượng.")
@click.option("--movement", metavar="MÃ", help="Mã phong trào (data/movements.yml).")
@click.option("--locality", metavar="MÃ_HOẶC_TÊN", help="Mã hoặc tên địa phương.")
@click.option("--nominated-by", metavar="MÃ", help="Mã cơ quan giới thiệu (data/agencies.yml).")
@click.option("--year", type=int, default=lambda: dt.date.today().year, show_default="năm nay", metavar="NĂM",
              help="Năm của hồ sơ.")
@click.option("--stage", type=click.Choice(STAGES), default="phat-hien", show_default=True,
              help="Giai đoạn của điển hình.")
@click.option("--slug", metavar="TÊN_THƯ_MỤC", help="Tên thư mục (mặc định: từ tên, không dấu).")
@click.pass_obj
def new(root: str, name, kind, movement, locality, nominated_by, year, stage, slug) -> None:
    """Tạo hồ sơ mới profiles/<năm>/<tên>/index.md với các mục thường dùng."""
    paths = ProjectPaths.at(Path(root))
    registries, _ = load_registries(paths.data, paths.root)
    lookup = Lookup(registries)
    name = name or click.prompt("Họ tên / tên tập thể")
    kind = kind or click.prompt("Loại", type=click.Choice(KINDS))
    movement = _choose("Mã phong trào", movement, {m.code for m in registries.movements}, lookup.suggest_movement)
    while True:
        locality = locality or click.prompt("Địa phương (mã hoặc tên)")
        match = lookup.resolve_locality(locality, year)
        if match.id:
            break
        click.echo(
            match.problem[1] + (f" Có phải ý bạn là “{match.suggestion}”?" if match.suggestion else ""), err=True
        )
        locality = None
    nominated_by = _choose(
        "Mã cơ quan giới thiệu", nominated_by, {a.code for a in registries.agencies}, lookup.suggest_agency
    )
    slug = slug or make_slug(name)
    bundle = paths.profiles / str(year) / slug
    if bundle.exists():
        raise click.UsageError(f"Thư mục “{bundle}” đã có; hãy chọn --slug khác.")
    env = Environment(
        loader=PackageLoader("generator", "templates"), autoescape=False, keep_trailing_newline=True, trim_blocks=True
    )
    # JSON strings are valid YAML double-quoted scalars: quotes and colons in names stay safe.
    env.filters["yq"] = lambda value: json.dumps(value, ensure_ascii=False)
    text = env.get_template("new_profile.md.j2").render(
        title=name,
        name=name,
        kind=kind,
        movement=movement,
        locality=match.id,
        nominated_by=nominated_by,
        year=year,
        stage=stage,
        today=dt.date.today().isoformat(),
        needs_consent=kind != "tap-the",
        placeholder_summary=PLACEHOLDER_SUMMARY,
        sections=CUSTOMARY_SECTIONS,
    )
    bundle.mkdir(parents=True)
    (bundle / "index.md").write_text(text, encoding="utf-8")
    click.echo(f"Đã tạo {bundle / 'index.md'}. Hãy điền nội dung rồi chạy “dienhinh check”.")
