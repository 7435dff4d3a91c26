"""`dienhinh editor`: the web editor on this machine, writing into the working copy, with the
live preview beside it (README: "The web editor")."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import click

from generator.adapters.build import serve_preview
from generator.adapters.editor_app import DECAP_SERVER, EditorUnavailable, installed
from generator.adapters.messages import VietnameseCommand
from generator.check.project import Scope
from generator.render.options import LOCAL_BACKEND_PORT


@contextlib.contextmanager
def local_backend(root: Path, port: int = LOCAL_BACKEND_PORT, log_level: str = "warn") -> Iterator[subprocess.Popen]:
    """decap-server on 127.0.0.1 only, writing into the working copy at ``root`` (its "fs" mode:
    files are written, never committed; the editor commits as with any other change)."""
    server_js = installed(root, DECAP_SERVER)
    node = shutil.which("node")
    if server_js is None or node is None:
        raise EditorUnavailable(f"Không tìm thấy decap-server ({root / DECAP_SERVER}) hoặc Node.js: hãy chạy "
                                "“make setup-editor” (hoặc “npm ci --omit=dev”) trong thư mục dự án.")
    host = "127.0.0.1"
    if _answers(host, port):
        raise EditorUnavailable(f"Cổng {port} trên {host} đang được một chương trình khác dùng (có thể là một "
                                "“dienhinh editor” khác đang chạy); hãy tắt chương trình đó, hoặc chọn cổng khác "
                                "bằng --api-port.")
    env = {**os.environ, "PORT": str(port), "BIND_HOST": host, "GIT_REPO_DIRECTORY": str(root), "MODE": "fs",
           "LOG_LEVEL": log_level}
    # its own session: Ctrl-C reaches the preview, which then stops this server itself, in order
    server = subprocess.Popen([node, str(server_js)], env=env, cwd=root, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while not _answers(host, port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise EditorUnavailable(f"Không khởi động được decap-server trên {host}:{port} (mã thoát "
                                        f"{server.poll()}); xem thông báo ở trên.")
            time.sleep(0.1)
        yield server
    finally:
        _stop(server)


def _answers(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.command(cls=VietnameseCommand)
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="ĐỊA_CHỈ:CỔNG",
              help="Địa chỉ và cổng của trang xem trước (trang quản trị ở /quan-tri/).")
@click.option("--api-port", default=LOCAL_BACKEND_PORT, show_default=True, type=click.IntRange(1, 65535),
              metavar="CỔNG", help="Cổng trên 127.0.0.1 của máy chủ ghi hồ sơ (decap-server).")
@click.pass_context
def editor(ctx: click.Context, dev_addr: str, api_port: int) -> None:
    """Mở trang quản trị hồ sơ trên máy này: biểu mẫu ghi hồ sơ vào thư mục dự án, trang xem trước tự cập
    nhật. Dừng bằng Ctrl-C."""
    root = Path(ctx.obj).resolve()
    try:
        with local_backend(root, api_port):
            click.echo(f"Trang quản trị hồ sơ: http://{dev_addr}/quan-tri/ (bấm “Đăng nhập” để bắt đầu).")
            click.echo(f"Hồ sơ được ghi vào {root}; sau khi kiểm tra, hãy commit như mọi thay đổi khác. "
                       "Dừng bằng Ctrl-C.")
            # Stopped by a service manager or a test (SIGTERM) as by Ctrl-C: the preview shuts down
            # and decap-server, in its own session, is stopped by local_backend, not left running.
            previous = signal.signal(signal.SIGTERM, _interrupt)
            try:
                serve_preview(root, Scope(), dev_addr, api_port)
            finally:
                signal.signal(signal.SIGTERM, previous)
    except EditorUnavailable as error:
        raise click.ClickException(str(error)) from None
