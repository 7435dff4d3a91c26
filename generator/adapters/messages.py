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
import os
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


class VietnameseCommand(click.Command):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)

    def main(self, *args, **kwargs):
        with vietnamese_messages():
            return super().main(*args, **kwargs)


class VietnameseGroup(click.Group):
    command_class = VietnameseCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM_SỐ]...")
        super().__init__(*args, **kwargs)

    def main(self, *args, **kwargs):
        with vietnamese_messages():
            return super().main(*args, **kwargs)
