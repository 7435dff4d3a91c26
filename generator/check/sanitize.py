"""Sanitise the HTML of a profile page: editors' Markdown may carry raw HTML.

nh3 (Ammonia) keeps a small allow-list of tags and attributes; scripts, styles, iframes,
event handlers and javascript:/data: URLs are removed, and links to other hosts get
rel="noopener noreferrer".
"""

from __future__ import annotations

import re

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
# silently drops it, so a hostile or pasted snippet is seen by a person.
_ACTIVE_CONTENT = re.compile(
    r"(?i)<\s*(script|iframe|object|embed|style|form|input|button|meta|link|base|svg|math|frame|frameset)\b"
    r"|\son[a-z]+\s*="
    r"|(?:href|src|action|formaction|xlink:href)\s*=\s*[\"']?\s*(?:javascript|vbscript|data):"
    r"|\]\(\s*<?\s*(?:javascript|vbscript|data):"
)


def find_active_content(text: str) -> list[re.Match]:
    return list(_ACTIVE_CONTENT.finditer(text))
