"""The ``dienhinh`` command: check, new, emit, build, serve. Messages are Vietnamese.

Exit codes: 0 clean, 1 problems found (or the build failed), 2 usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from generator.adapters.emit import emit_site
from generator.adapters.messages import VietnameseGroup
from generator.adapters.run import Run
from generator.check.project import CheckResult, ProjectPaths, Scope, check_project
from generator.core.model import Problem
from generator.infra.files import WRITE_REFUSED, UnsafeDestination, UnwritableFolder, unwritable


def _project(root: str) -> ProjectPaths:
    paths = ProjectPaths.at(Path(root))
    if not paths.data.is_dir():
        raise click.UsageError(f"Không tìm thấy thư mục danh mục “{paths.data}”; hãy chạy lệnh trong thư mục dự án "
                               "hoặc dùng --root.")
    return paths


def _workflow_command(problem: Problem) -> str:
    """One problem as a workflow command, which GitHub, Gitea and Forgejo Actions show as an
    annotation on the file and line. Values are escaped as the runners' toolkit does."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    where = [f"file={prop(problem.path)}", *([f"line={problem.line}"] if problem.line else []),
             f"title={prop(problem.code + (f' [{problem.field}]' if problem.field else ''))}"]
    message = problem.message + (f" Có phải ý bạn là “{problem.suggestion}”?" if problem.suggestion else "")
    return f"::{'error' if problem.severity == 'error' else 'warning'} {','.join(where)}::{data(message)}"


def _print_problems(result: CheckResult, output_format: str) -> None:
    if output_format == "github":
        for problem in result.problems:
            click.echo(_workflow_command(problem))
    elif output_format == "json":
        click.echo(json.dumps({
            "files_checked": result.files_checked, "profiles_valid": len(result.profiles),
            "errors": len(result.errors), "warnings": len(result.problems) - len(result.errors),
            "problems": [{"code": p.code, "severity": p.severity, "path": p.path, "line": p.line, "field": p.field,
                          "message": p.message, "suggestion": p.suggestion, "follows": p.follows}
                         for p in result.problems],
        }, ensure_ascii=False, indent=2))
        return
    else:
        for problem in result.problems:
            click.echo(problem.format(), err=problem.severity == "error")
    warnings = len(result.problems) - len(result.errors)
    summary = f"Đã kiểm tra {result.files_checked} hồ sơ: {len(result.errors)} lỗi, {warnings} cảnh báo."
    click.echo(summary, err=bool(result.errors))


@click.group(name="dienhinh", cls=VietnameseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", default=".", show_default=True, metavar="THƯ_MỤC",
              help="Thư mục dự án (chứa mkdocs.yml, data/, profiles/).")
@click.pass_context
def main(ctx: click.Context, root: str) -> None:
    """Công cụ biên tập trang Điển hình tiên tiến."""
    ctx.obj = root


@main.command()
@click.argument("targets", nargs=-1, metavar="[THƯ_MỤC_HỒ_SƠ]...", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text",
              help="Định dạng kết quả: json cho máy đọc; github để GitHub, Gitea, Forgejo Actions ghi chú lỗi "
                   "ngay trên dòng đã sửa.")
@click.option("--since", default="", metavar="MỐC_GIT",
              help="Chỉ kiểm tra hồ sơ thay đổi từ một mốc git (ví dụ origin/main).")
@click.pass_obj
def check(root: str, targets: tuple[Path, ...], output_format: str, since: str) -> None:
    """Kiểm tra hồ sơ và danh mục; không sửa tệp nào."""
    paths = _project(root)
    result = check_project(paths, Scope(paths=tuple(t.resolve() for t in targets), since=since))
    _print_problems(result, output_format)
    sys.exit(1 if result.errors else 0)


@main.command()
@click.argument("destination", metavar="THƯ_MỤC_ĐÍCH", type=click.Path(path_type=Path))
@click.option("--today", default=None, metavar="NGÀY",
              help="Ngày dựng (YYYY-MM-DD), quyết định hồ sơ nào đã đến ngày công bố.")
@click.pass_obj
def emit(root: str, destination: Path, today: str | None) -> None:
    """Ghi các trang Markdown đã sinh (cùng content/) ra một thư mục."""
    paths = _project(root)
    run = Run.from_config_file(paths, today)
    result = run.check()
    if result.errors:
        _print_problems(result, "text")
        sys.exit(1)
    intro_file = paths.content / "index.md"
    intro = intro_file.read_text(encoding="utf-8") if intro_file.is_file() else ""
    output = run.render(result, intro)
    try:
        count = emit_site(output, paths.content, destination, paths.editors_folders)
    except UnsafeDestination as error:
        raise click.UsageError(str(error)) from None
    except UnwritableFolder as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(f"Đã ghi {count} trang vào {destination}.")


@main.command()
@click.option("--strict/--no-strict", default=True, help="Dừng khi MkDocs có cảnh báo.")
@click.option("--site-dir", type=click.Path(path_type=Path), default=None, metavar="THƯ_MỤC",
              help="Thư mục xuất (mặc định site/).")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, metavar="TỆP",
              help="Tệp cấu hình MkDocs.")
@click.option("-v", "--verbose", is_flag=True, help="In cả thông báo INFO của MkDocs.")
@click.option("--full", is_flag=True,
              help="Dựng lại mọi thứ (trang, tư liệu báo chí, ấn phẩm, chỉ mục tìm kiếm), không dùng những "
                   "gì đã dựng lưu trong .cache/dienhinh.")
@click.pass_obj
def build(root: str, strict: bool, site_dir: Path | None, config_file: str, verbose: bool, full: bool) -> None:
    """Dựng trang web; thư mục cũ chỉ được thay khi bản dựng mới hoàn tất."""
    from mkdocs.exceptions import Abort, MkDocsException

    from generator.adapters.build import build_site, show_build_messages

    show_build_messages(verbose)
    try:
        try:
            destination = build_site(Path(root) / config_file, site_dir, strict, reuse=not full)
        except OSError as error:  # a read-only project, a full disk: anywhere in the build
            if error.errno not in WRITE_REFUSED:
                raise
            raise unwritable(error, Path(root)) from None
    except (MkDocsException, UnsafeDestination, UnwritableFolder) as error:
        # MkDocs' own Abort says only "Aborted with a BuildError!": the reasons are logged above it.
        reason = "xem các thông báo ở trên" if isinstance(error, Abort) else str(error)
        click.echo(f"Dựng trang thất bại: {reason.rstrip('.')}.", err=True)
        click.echo("Trang cũ (nếu có) được giữ nguyên.", err=True)
        sys.exit(1)
    click.echo(f"Đã dựng trang vào {destination}.")


@main.command()
@click.argument("scope", nargs=-1, metavar="[THƯ_MỤC_HỒ_SƠ]...", type=click.Path(exists=True))
@click.option("--since", default="", metavar="MỐC_GIT", help="Chỉ xem trước hồ sơ thay đổi từ một mốc git.")
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="ĐỊA_CHỈ:CỔNG",
              help="Địa chỉ và cổng của trang xem trước.")
@click.option("--poll", is_flag=True,
              help="Phát hiện tệp thay đổi bằng cách quét định kỳ thay vì nhận thông báo của hệ điều hành "
                   "(dùng khi thư mục dự án nằm trên ổ mạng hoặc là thư mục Windows mở từ WSL).")
@click.pass_obj
def serve(root: str, scope: tuple[str, ...], since: str, dev_addr: str, poll: bool) -> None:
    """Xem trước và tự tải lại khi sửa hồ sơ; có thể thu hẹp vào một số thư mục hồ sơ."""
    from generator.adapters.build import serve_preview

    serve_preview(Path(root), Scope(paths=tuple(Path(p).resolve() for p in scope), since=since), dev_addr,
                  poll=poll)


from generator.adapters.editor import editor  # noqa: E402
from generator.adapters.fix import fix  # noqa: E402
from generator.adapters.report import report  # noqa: E402
from generator.adapters.scaffold import new  # noqa: E402

main.add_command(new)
main.add_command(editor)
main.add_command(fix)
main.add_command(report)
