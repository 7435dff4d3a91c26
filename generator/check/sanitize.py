"""One sanitiser for every channel the editor's story leaves by.

One allow-list (tags, attributes, URL schemes), declared here once, applied three ways:
- site pages, the EPUB and the PDF: ``sanitize_profile_html`` keeps the tags and attributes our
  theme styles;
- what the press takes away (ninjs, feeds, fragments, the kit's HTML and text):
  ``export_html`` keeps meaning only (no class or id) and makes links absolute;
- Markdown that leaves for other engines (``dienhinh emit``, the kit's ``ban-tin.md``):
  ``safe_markdown`` turns into plain text every tag, comment, attribute list or link that the
  HTML sanitiser would remove or change, since another engine will not sanitise it.
``check`` refuses active content before any of these runs (``find_active_content``); the
sanitisers are the second line, for whatever a new trick gets past the first.

nh3 (Ammonia) does the HTML; scripts, styles, iframes, event handlers and javascript:/data:
URLs are removed, and links to other hosts get rel="noopener noreferrer".
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Tags that carry meaning wherever the text is pasted: the press takes these.
_MEANING_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt", "em", "figcaption",
    "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "ul",
})
# Tags that make sense with our theme's styles and scripts, on our own pages only.
_SITE_TAGS = _MEANING_TAGS | {"details", "div", "h1", "ins", "kbd", "mark", "nav", "picture", "small", "source",
                              "span", "summary", "u"}
_MEANING_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}, "td": {"colspan", "rowspan"},
                       "th": {"colspan", "rowspan", "scope"}, "time": {"datetime"}, "ol": {"start"},
                       "abbr": {"title"}}
# Styling, accessibility and responsive images, on our own pages.
_PRESENTATION_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "role", "aria-label", "aria-hidden", "aria-describedby"},
    "a": {"hreflang"},
    "img": {"width", "height", "loading", "decoding", "srcset", "sizes", "fetchpriority"},
    "source": {"srcset", "sizes", "type", "width", "height", "media"},
    "li": {"aria-current"},
}
_EDITOR_ATTRIBUTES = {tag: _MEANING_ATTRIBUTES.get(tag, set()) | _PRESENTATION_ATTRIBUTES.get(tag, set())
                      for tag in {*_MEANING_ATTRIBUTES, *_PRESENTATION_ATTRIBUTES}}
# Attributes whose value is a URL, checked against _URL_SCHEMES.
_URL_ATTRIBUTES = frozenset({"href", "src", "srcset"})

# Site pages: the placeholder of a shelved region (infra/shelf.py) also passes, since the plugin
# sanitises before putting our own HTML back; an editor's Markdown may not carry it (safe_markdown).
_SITE_CLEANER = nh3.Cleaner(  # built once: nh3.clean() would convert the allow-lists on every page
    tags=set(_SITE_TAGS),
    attributes={**_EDITOR_ATTRIBUTES, "div": {"data-dh-shelf"}},
    url_schemes=set(_URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_profile_html(html: str) -> str:
    """The story's HTML for our own pages, the EPUB and the PDF."""
    return _SITE_CLEANER.clean(html)


def export_html(html: str, rewrite_url: Callable[[str], str]) -> str:
    """The story's HTML for other people's pages: meaning-carrying tags only; every link and image
    address passes through ``rewrite_url`` (to make it absolute)."""

    def url_filter(tag: str, attribute: str, value: str) -> str:
        return rewrite_url(value) if attribute in _URL_ATTRIBUTES else value

    return nh3.clean(html, tags=set(_MEANING_TAGS), attributes=_MEANING_ATTRIBUTES, url_schemes=set(_URL_SCHEMES),
                     attribute_filter=url_filter, link_rel=None, strip_comments=True)


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
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
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
    plain = _BACKSLASH_ESCAPE.sub(r"\1", html.unescape(url))  # CommonMark engines drop these backslashes
    plain = "".join(c for c in plain if c > " " and c != "\x7f").lower()
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


# Where Markdown may start markup: "<" before a letter, "/", "!" or "?".
_MARKUP_START = re.compile(r"<(?=[A-Za-z/!?])")
# Python-Markdown's attribute lists ("{: .class #id key=value }"), which MkDocs sites switch on.
_ATTRIBUTE_LIST = re.compile(r"\{:?[ ]*[^}\n ][^}\n]*\}")
_ATTRIBUTE_KEY = re.compile(r"([^\s=}\"']+)\s*=")


def safe_markdown(text: str) -> str:
    """``text`` with every piece of raw HTML, attribute list and link destination that the
    sanitiser would not keep as it is turned into text; HTML comments removed. What passes is
    an allowed tag with allowed attributes and safe URLs, nothing else: whatever this parser
    cannot vouch for is escaped, so engines that read HTML differently get less markup, not more.
    Lines stay where they were, so problems found later still point at the editor's line."""
    if "<" not in text and "](" not in text and "]:" not in text and "{" not in text:
        return text
    return _escape_markup(_safe_attribute_lists(_safe_link_destinations(text)))


def _escape_markup(text: str) -> str:
    markup = _Markup(text)
    pieces, done = [], 0
    for start in sorted({m.start() for m in _MARKUP_START.finditer(text)} | set(markup.comments)):
        if start < done:  # inside a comment already removed
            continue
        pieces.append(text[done:start])
        if start in markup.comments:
            end = markup.comments[start]
            pieces.append("\n" * text.count("\n", start, end))
            done = end
        else:
            pieces.append("<" if start in markup.safe or _safe_autolink(text, start) else "&lt;")
            done = start + 1
    pieces.append(text[done:])
    return "".join(pieces)


def _safe_link_destinations(text: str) -> str:
    """A link or image to an active address becomes the text it was written as (its "(" or its
    definition's "[" escaped), so the reader sees what was there and nothing follows it."""

    def inert(match: re.Match[str]) -> str:
        group = match.lastgroup or "inline"
        if group == "auto" or not _active_scheme(match.group(group)):
            return match.group(0)
        bracket = match.group(0).index("(" if group == "inline" else "[")
        return match.group(0)[:bracket] + "\\" + match.group(0)[bracket:]

    return _MARKDOWN_URLS.sub(inert, text)


def _safe_attribute_lists(text: str) -> str:
    allowed = _EDITOR_ATTRIBUTES["*"]

    def inert(match: re.Match[str]) -> str:
        keys = {key.lower() for key in _ATTRIBUTE_KEY.findall(match.group(0))}
        return match.group(0) if keys <= allowed else "\\" + match.group(0)

    return _ATTRIBUTE_LIST.sub(inert, text)


_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}):[^\s<>]*>|<[^\s<>@]+@[^\s<>@]+>")


def _safe_autolink(text: str, start: int) -> bool:
    """<https://…> and <ten@mien.vn>, which Markdown makes links, to an address we allow."""
    match = _AUTOLINK.match(text, start)
    return match is not None and (match.group(1) is None or match.group(1).lower() in _URL_SCHEMES)


class _Markup(HTMLParser):
    """The tags of a text as HTMLParser reads them: where each allowed one starts, and where each
    comment starts and ends. Script and style content is read as markup too, not as text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.safe: set[int] = set()
        self.comments: dict[int, int] = {}
        self.feed(text)
        self.close()

    def set_cdata_mode(self, *args, **kwargs) -> None:
        """Never: text inside <script> or <style> is read for tags like any other text."""

    def _here(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        allowed = _EDITOR_ATTRIBUTES.get(tag, set()) | _EDITOR_ATTRIBUTES["*"]
        if (tag in _SITE_TAGS and "<" not in raw[1:] and ">" not in raw[:-1]
                and all(name in allowed and _safe_url(name, value) for name, value in attrs)):
            self.safe.add(self._here())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SITE_TAGS:
            self.safe.add(self._here())

    def handle_comment(self, data: str) -> None:
        start = self._here()
        end = self.text.find(">", start + 4 + len(data))
        self.comments[start] = len(self.text) if end < 0 else end + 1


def _safe_url(attribute: str, value: str | None) -> bool:
    if attribute not in _URL_ATTRIBUTES or not value:
        return True
    urls = [part.strip().split(" ")[0] for part in value.split(",")] if attribute == "srcset" else [value]
    return all(_url_scheme_allowed(url) for url in urls)


def _url_scheme_allowed(url: str) -> bool:
    plain = "".join(c for c in url if c > " " and c != "\x7f").lower()
    scheme = re.match(r"([a-z][a-z0-9+.\-]*):", plain)
    return scheme is None or scheme.group(1) in _URL_SCHEMES
