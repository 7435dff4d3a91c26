"""Sanitise the HTML of a profile page: editors' Markdown may carry raw HTML.

nh3 (Ammonia) keeps a small allow-list of tags and attributes; scripts, styles, iframes,
event handlers and javascript:/data: URLs are removed, and links to other hosts get
rel="noopener noreferrer".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "s",
    "small",
    "source",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
}
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "role", "aria-label", "aria-hidden", "aria-describedby"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes", "fetchpriority"},
    "source": {"srcset", "sizes", "type", "width", "height", "media"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
    "li": {"aria-current"},
    # Pagefind's filters and metadata on the record our template adds (values from registries)
    # The placeholder of a shelved region (shelf.py): the plugin sanitises before putting our own
    # HTML back, so the search record's data-pagefind-* attributes are ours alone to write.
    "div": {"data-dh-shelf"},
}


# Built once: nh3.clean() would convert the allow-lists on every page.
_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_profile_html(html: str) -> str:
    return _CLEANER.clean(html)


# Active content an editor never needs; reported by `dienhinh check` before the sanitiser
# silently drops it, so a hostile or pasted snippet is seen by a person. Found twice over: by
# these patterns, and by parsing the text as a browser tokenises HTML (below), which also sees
# the disguised forms: attributes after "/" (<img/src/onerror=...>), entity-encoded schemes
# (&#106;avascript:), closing tags (</script>) and Markdown link definitions ([1]: javascript:).
_ACTIVE_CONTENT = re.compile(
    r"(?i)<\s*(script|iframe|object|embed|style|form|input|button|meta|link|base|svg|math|frame|frameset)\b"
    r"|\son[a-z]+\s*="
    r"|(?:href|src|action|formaction|xlink:href)\s*=\s*[\"']?\s*(?:javascript|vbscript|data):"
    r"|\]\(\s*<?\s*(?:javascript|vbscript|data):"
)


_ACTIVE_TAGS = frozenset({"script", "iframe", "object", "embed", "style", "form", "input", "button", "meta",
                          "link", "base", "svg", "math", "frame", "frameset", "template", "textarea", "noscript"})
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background",
                             "srcset", "cite", "longdesc", "ping"})
_ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:")
# Markdown link destinations: inline [a](url), reference definitions [1]: url, autolinks <url>.
_MARKDOWN_URLS = re.compile(r"\]\(\s*<?(?P<inline>[^)\s>]+)"
                            r"|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?(?P<reference>[^\s>]+)"
                            r"|<(?P<auto>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>", re.MULTILINE)


@dataclass(frozen=True)
class ActiveContent:
    offset: int  # where it starts in the text
    fragment: str  # what the editor sees in the message: "<script", "onerror=", "javascript:"


def find_active_content(text: str) -> list[ActiveContent]:
    """Each active thing once per line, however many ways it was found; a closing tag only when
    its opening tag was not reported (a lone </script> closes a script in other outputs)."""
    patterns = [ActiveContent(m.start(), m.group(0).strip()) for m in _ACTIVE_CONTENT.finditer(text)]
    found: dict[tuple[int, str], ActiveContent] = {}
    for finding in sorted([*patterns, *_parsed_html(text), *_markdown_links(text)], key=lambda f: f.offset):
        what = _what(finding.fragment)
        opened = finding.fragment.startswith("</") and any(key[1] == what for key in found)
        key = (text.count("\n", 0, finding.offset), what)
        if key not in found and not opened:
            found[key] = finding
    return sorted(found.values(), key=lambda f: f.offset)


def _what(fragment: str) -> str:
    """"<script", "</script" and "< script" are one thing; 'href="javascript:' and "href=javascript:" too."""
    return "".join(c for c in fragment.lower() if c.isalnum())


def _active_scheme(url: str) -> str | None:
    """The scheme that makes ``url`` run code, as a browser reads it: entities decoded, and the
    whitespace and control characters it ignores removed."""
    plain = "".join(c for c in html.unescape(url) if c > " " and c != "\x7f").lower()
    return next((scheme for scheme in _ACTIVE_SCHEMES if plain.startswith(scheme)), None)


def _markdown_links(text: str) -> list[ActiveContent]:
    found = []
    for match in _MARKDOWN_URLS.finditer(text):
        group = match.lastgroup or "inline"
        scheme = _active_scheme(match.group(group))
        if scheme:
            found.append(ActiveContent(match.start(group), scheme))
    return found


class _ActiveHtml(HTMLParser):
    """Start and end tags as a browser tokenises them; attribute values arrive decoded."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.found: list[ActiveContent] = []

    def _here(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _ACTIVE_TAGS:  # the whole element goes: its attributes need no word of their own
            self.found.append(ActiveContent(self._here(), f"<{tag}"))
            return
        for name, value in attrs:
            scheme = _active_scheme(value or "") if name in _URL_ATTRIBUTES else None
            if name.startswith("on"):
                self.found.append(ActiveContent(self._here(), f"{name}="))
            elif scheme:
                self.found.append(ActiveContent(self._here(), f"{name}={scheme}"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _ACTIVE_TAGS:
            self.found.append(ActiveContent(self._here(), f"</{tag}"))


def _parsed_html(text: str) -> list[ActiveContent]:
    if "<" not in text:
        return []
    parser = _ActiveHtml(text)
    parser.feed(text)
    parser.close()
    return parser.found
