"""The command line speaks Vietnamese, Click's own words included.

Click marks its messages ("Usage:", "Error: ...", "No such option ...") for gettext in the
default domain; its maintainers leave translating them to the application (pallets/click#2320).
Ours are in ``locale/vi/LC_MESSAGES/dienhinh.po`` (compiled beside it by
scripts/compile-messages.sh). The catalogue and the language are switched on only while a
command runs, so nothing else in the process (tests, a browser they start) changes language.
What Click spells itself rather than translating (the "[OPTIONS]" placeholders, type names such
as TEXT) is named in Vietnamese by the command classes below and by each option's metavar.
"""

from __future__ import annotations

import gettext
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "dienhinh"
OPTIONS_METAVAR = "[TÙY_CHỌN]"


@contextmanager
def vietnamese_messages() -> Iterator[None]:
    """Click's messages from our catalogue while the block runs; gettext as it was afterwards."""
    domain, language = gettext.textdomain(), os.environ.get("LANGUAGE")
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = "vi"  # gettext picks the catalogue's language from the environment
    try:
        yield
    finally:
        gettext.textdomain(domain)
        if language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = language


class _Vietnamese:
    """Click's command classes with Vietnamese placeholders, run with Vietnamese messages."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)

    def main(self, *args, **kwargs):
        with vietnamese_messages():
            return super().main(*args, **kwargs)


class VietnameseCommand(_Vietnamese, click.Command):
    pass


class VietnameseGroup(_Vietnamese, click.Group):
    command_class = VietnameseCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM_SỐ]...")
        super().__init__(*args, **kwargs)


# MkDocs' own warnings about content pages and the nav, said in Vietnamese; anything else keeps
# MkDocs' words behind a Vietnamese level.
_LEVELS = {"DEBUG": "Gỡ lỗi", "INFO": "Thông tin", "WARNING": "Cảnh báo", "ERROR": "Lỗi", "CRITICAL": "Lỗi"}
_HINT = r"(?: Did you mean '(?P<hint>[^']*)'\?)?"
_MKDOCS_MESSAGES = [(re.compile(pattern + _HINT + r"$", re.DOTALL), text) for pattern, text in (
    (r"Doc file '(?P<page>[^']*)' contains a link '(?P<link>[^']*)', but the target(?: '[^']*')? is not found "
     r"among documentation files\.",
     "Trang “{page}” có liên kết “{link}” tới một tệp không có trong thư mục nội dung."),
    (r"Doc file '(?P<page>[^']*)' contains a link '(?P<link>[^']*)', but there is no such anchor on this page\.(?:.*)",
     "Trang “{page}” có liên kết “{link}” tới một mục không có trên chính trang đó."),
    (r"Doc file '(?P<page>[^']*)' contains a link '(?P<link>[^']*)', but the doc '(?P<target>[^']*)' does not "
     r"contain an anchor '#(?P<anchor>[^']*)'\.(?:.*)", "Trang “{page}” có liên kết “{link}”, nhưng trang “{target}” "
     "không có mục “#{anchor}”."),
    (r"Doc file '(?P<page>[^']*)' contains an absolute link '(?P<link>[^']*)', it was left as is\.",
     "Trang “{page}” có liên kết tuyệt đối “{link}”; liên kết được giữ nguyên."),
    (r"Doc file '(?P<page>[^']*)' contains an unrecognized relative link '(?P<link>[^']*)', it was left as is\.",
     "Trang “{page}” có liên kết tương đối “{link}” không trỏ tới tệp nào; liên kết được giữ nguyên."),
    (r"Doc file '(?P<page>[^']*)' contains a link to '(?P<target>[^']*)' which is excluded from the built site\.",
     "Trang “{page}” có liên kết tới “{target}”, tệp không được đưa lên trang."),
    (r"A reference to '(?P<target>[^']*)' is included in the 'nav' configuration, which is not found in the "
     r"documentation files\.", "Mục “{target}” trong phần nav của mkdocs.yml không có trong thư mục nội dung."),
    (r"Excluding '(?P<target>[^']*)' from the site because it conflicts with '(?P<other>[^']*)'\.",
     "Bỏ qua “{target}” vì trùng địa chỉ trang với “{other}”."),
)]


def vietnamese_mkdocs_message(record: logging.LogRecord) -> str:
    """One line for an MkDocs log record: its level, and its message in Vietnamese when known."""
    message = record.getMessage()
    for pattern, text in _MKDOCS_MESSAGES:
        match = pattern.match(message)
        if match:
            message = text.format(**match.groupdict())
            if match["hint"]:
                message += f" Có phải ý bạn là “{match['hint']}”?"
            break
    return f"{_LEVELS.get(record.levelname, record.levelname)}: {message}"


class VietnameseMkDocsFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return vietnamese_mkdocs_message(record)
