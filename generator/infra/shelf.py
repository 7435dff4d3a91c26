"""Our own HTML, set aside while MkDocs converts a generated page's Markdown.

Most of a generated page is HTML written by our templates (facts, lists, timelines, search
records). Python-Markdown passes raw HTML blocks through unchanged, but first runs each through
the pure-Python ``html.parser`` to find where it ends: on a profile page that costs more than
the Markdown itself. Page templates wrap such regions, made only of whole HTML blocks, in
``{% filter shelved %}``. The plugin replaces each region with a one-tag placeholder before
conversion and puts it back after (``on_page_content``, before sanitising); everyone else
(``emit``, tests) reads the page with the marks removed, so the Markdown is unchanged.
"""

from __future__ import annotations

import re

from markupsafe import Markup

OPEN, CLOSE = "\x02dh-shelf\x02", "\x03dh-shelf\x03"  # control characters: never in a template's text
_REGION = re.compile(re.escape(OPEN) + r"(.*?)" + re.escape(CLOSE), re.DOTALL)
_PLACEHOLDER = re.compile(r'<div data-dh-shelf="(\d+)"></div>')


def shelved(html: str) -> Markup:
    """Jinja filter: mark ``html`` (whole HTML blocks) as a region to set aside; inner marks go."""
    return Markup(OPEN + unmark(str(html)) + CLOSE)


def unmark(text: str) -> str:
    """The text as Markdown with its regions in place: what a plain MkDocs build reads."""
    return text.replace(OPEN, "").replace(CLOSE, "")


def shelve(text: str) -> tuple[str, tuple[str, ...]]:
    """The text with each marked region replaced by a placeholder block, and the regions."""
    regions: list[str] = []

    def place(match: re.Match) -> str:
        regions.append(match.group(1).strip("\n"))
        return f'\n\n<div data-dh-shelf="{len(regions) - 1}"></div>\n\n'  # a block of its own

    return _REGION.sub(place, text), tuple(regions)


def unshelve(html: str, regions: tuple[str, ...]) -> str:
    """Put the regions back into the converted HTML, where their placeholders came through."""
    if not regions:
        return html
    return _PLACEHOLDER.sub(lambda match: regions[int(match.group(1))], html)
