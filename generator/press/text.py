"""The editor's Markdown body made fit to leave the site: clean HTML, and plain text.

Clean HTML keeps meaning and drops styling: semantic tags only, no class, id or style (nothing
that needs our CSS), no script; relative links and images become absolute, since the text is
pasted into someone else's page.
"""

from __future__ import annotations

import re
from functools import partial
from html.parser import HTMLParser
from urllib.parse import urljoin

import markdown

from generator.check.sanitize import export_html
from generator.load.schema import BODY_MARKDOWN_EXTENSIONS


class BodyConverter:
    """Markdown to clean HTML; one converter serves every profile of a build (setting one up is slow)."""

    def __init__(self) -> None:
        self._markdown = markdown.Markdown(extensions=list(BODY_MARKDOWN_EXTENSIONS), output_format="html")

    def html(self, body_markdown: str, base_url: str) -> str:
        self._markdown.reset()
        return clean_html(self._markdown.convert(body_markdown), base_url)


def clean_html(html: str, base_url: str) -> str:
    """The press's HTML (check/sanitize.py); links relative to the profile page resolve against ``base_url``."""
    # h1 is the headline's; an editor's "# ..." in the body becomes a section heading.
    html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
    return export_html(html, partial(urljoin, base_url)).strip()


_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "table", "figure",
          "pre", "hr", "article", "header", "footer", "section"}
_LINE = {"li", "tr", "dt", "dd", "figcaption", "caption", "br"}


class _TextWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []
        self.pre = 0

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK:
            self.out.append("\n\n")
        elif tag in _LINE:
            self.out.append("\n")
        if tag == "li":
            self.out.append("- ")
        elif tag in ("td", "th"):
            self.out.append(" | ")
        elif tag == "pre":
            self.pre += 1
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
        elif tag == "img" and dict(attrs).get("alt"):
            self.out.append(f"[Ảnh: {dict(attrs)['alt']}]")

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href = self.links.pop()
            if href and not href.startswith(("#", "mailto:")):
                self.out.append(f" ({href})")
        elif tag == "pre":
            self.pre -= 1
        if tag in _BLOCK:
            self.out.append("\n\n")

    def handle_data(self, data):
        self.out.append(data if self.pre else re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Readable plain text: paragraphs apart, list items as "- ", links followed by their address."""
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    text = "".join(writer.out)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
