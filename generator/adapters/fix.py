"""``dienhinh fix --nfc``: the one command that rewrites sources, and only when asked.

Each changed file is first copied to ``<name>.bak`` (never overwriting an older backup),
then replaced atomically; a unified diff of what changed is printed.
"""

from __future__ import annotations

import difflib
import unicodedata
from pathlib import Path

import click

from generator.adapters.messages import VietnameseCommand
from generator.check.project import ProjectPaths
from generator.infra.files import write_atomically
from generator.load.encodings import EncodingProblem, decode_source
from generator.load.profiles import find_profile_files


def nfc_fix(path: Path) -> str | None:
    """The NFC text of ``path`` if it differs from what is on disk, else None."""
    data = path.read_bytes()
    text = data.decode("utf-8-sig")
    fixed = unicodedata.normalize("NFC", text)
    return None if fixed == text and not data.startswith(b"\xef\xbb\xbf") else fixed


def write_with_backup(path: Path, text: str) -> Path:
    backup = path.with_name(path.name + ".bak")
    counter = 1
    while backup.exists():
        backup = path.with_name(f"{path.name}.bak{counter}")
        counter += 1
    backup.write_bytes(path.read_bytes())
    write_atomically(path, text.encode("utf-8"))
    return backup


@click.command(cls=VietnameseCommand)
@click.argument("targets", nargs=-1, metavar="[THƯ_MỤC_HỒ_SƠ]...", type=click.Path(exists=True, path_type=Path))
@click.option("--nfc", is_flag=True, help="Chuẩn hóa Unicode về dạng NFC (dựng sẵn) và bỏ BOM.")
@click.option("--dry-run", is_flag=True, help="Chỉ in phần thay đổi, không ghi tệp.")
@click.pass_obj
def fix(root: str, targets: tuple[Path, ...], nfc: bool, dry_run: bool) -> None:
    """Sửa tệp hồ sơ theo yêu cầu (giữ bản sao .bak và in phần thay đổi)."""
    if not nfc:
        raise click.UsageError("Hãy chọn việc cần sửa, ví dụ: dienhinh fix --nfc")
    paths = ProjectPaths.at(Path(root))
    files = [t for t in targets if t.is_file()] + [f for t in targets if t.is_dir() for f in find_profile_files(t)]
    changed = 0
    for path in files or find_profile_files(paths.profiles):
        try:
            decode_source(path.read_bytes())
            fixed = nfc_fix(path)
        except (EncodingProblem, UnicodeDecodeError):
            click.echo(f"{path}: bỏ qua, tệp không phải UTF-8 (chạy “dienhinh check” để biết bảng mã).", err=True)
            continue
        if fixed is None:
            continue
        old = path.read_bytes().decode("utf-8-sig").splitlines(keepends=True)
        new = fixed.splitlines(keepends=True)
        click.echo("".join(difflib.unified_diff(old, new, f"{path} (cũ)", f"{path} (NFC)")), nl=False)
        changed += 1
        if not dry_run:
            backup = write_with_backup(path, fixed)
            click.echo(f"Đã chuẩn hóa {path} (bản sao: {backup.name}).")
    click.echo(f"{changed} tệp cần chuẩn hóa." if dry_run else f"Đã chuẩn hóa {changed} tệp.")
