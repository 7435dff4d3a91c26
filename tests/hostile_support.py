"""Hostile text, and a reader of every kind of file we write that finds what of it came alive.

Every payload calls ``dhxss``: our own scripts never do, so a script, an event handler or a
javascript: address holding that name in an output is a payload that got through. Markdown
outputs are rendered twice before they are read: by Python-Markdown as MkDocs sets it up, and by
markdown-it-py as a CommonMark engine that trusts its input (no link validation), since the
Markdown we hand out is for other engines.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
import zipfile
from pathlib import Path

import markdown
import yaml
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from lxml import etree
from markdown_it import MarkdownIt
from openpyxl import load_workbook
from pypdf import PdfReader

MARKER = "dhxss"
BODY_PAYLOADS = [
    "<script>dhxss(1)</script>", "<img src=x onerror=dhxss(1)>", "<img/src/onerror=dhxss(2)>",
    "<svg/onload=dhxss(3)>", "[bấm](javascript:dhxss(4))", "[bấm][1]\n\n[1]: &#106;avascript:dhxss(5)",
    "[bấm](javascript\\:dhxss(6))", '<a href="java&#9;script:dhxss(7)">bấm</a>', "<JAVASCRIPT:dhxss(8)>",
    "Lời kể </script><script>dhxss(9)</script>", "<style><img src=x onerror=dhxss(10)></style>",
    '<a title="<img src=x onerror=dhxss(11)>">bấm</a>', "## Mục {: onclick=\"dhxss(12)\" }",
    "[bấm](https://example.org){: href=\"javascript:dhxss(13)\" }", "<!-- <script>dhxss(14)</script> -->",
    '<div markdown="1">*<img src=x onerror=dhxss(15)>*</div>', "<iframe srcdoc=\"<script>dhxss(16)</script>\">",
    "![ảnh](javascript:dhxss(17))", '<p onclick="dhxss(18)">đoạn</p>', "<img src=x onerror=dhxss(19)//",
]
FIELD_PAYLOADS = ["<img src=x onerror=dhxss(20)>", "</script><script>dhxss(21)</script>",
                  "[bấm](javascript:dhxss(22))", "=HYPERLINK(\"http://x\",\"dhxss\")", "@SUM(1)", "-1+1 dhxss",
                  "+dhxss"]
SINGLE_LINE = ("title", "subject.name", "subject.position", "photos.0.alt", "awards.0.title", "sources.0.title")


def with_field(meta: dict, dotted: str, value: str) -> dict:
    """``meta`` with one field set: "title", "subject.name", "photos.0.alt" (one photo, a.jpg)."""
    head, _, rest = dotted.partition(".")
    if not rest:
        return {**meta, head: value}
    if rest.startswith("0."):
        key = rest[2:]
        base = {"photos": {"file": "a.jpg"}, "awards": {"year": 2023}, "sources": {}}[head]
        return {**meta, head: [{**base, key: value}]}
    return {**meta, head: {**meta[head], rest: value}}


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Elements that run or hold what runs (<meta>, <link> and <base> count through their addresses).
ACTIVE_TAGS = {"script", "iframe", "object", "embed", "style", "form", "svg", "math", "frame", "frameset",
               "template", "noscript", "textarea", "input", "button"}


def _live_url(value: str) -> bool:
    plain = "".join(c for c in value if c > " " and c != "\x7f").lower()
    return plain.startswith(("javascript:", "vbscript:")) or (plain.startswith("data:")
                                                                and not plain.startswith("data:image/"))


# Attributes a browser only shows or reads aloud: a payload there is text (an oEmbed answer's
# iframe is titled with the profile's name, whatever that name holds).
TEXT_ATTRIBUTES = {"title", "alt", "aria-label"}


def _runs_marker(tag) -> bool:
    """An active element with the payload inside it or in an attribute that is more than text."""
    return MARKER in tag.decode_contents() or any(
        MARKER in (" ".join(value) if isinstance(value, list) else str(value))
        for name, value in tag.attrs.items() if name not in TEXT_ATTRIBUTES)


def live_in_html(text: str) -> list[str]:
    """Elements, handlers and addresses that would run, as lxml's HTML parser reads ``text``."""
    if "<" not in text:
        return []
    found = []
    with warnings.catch_warnings():  # feeds are read as HTML too, for the XHTML they may hold
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(text, "lxml")
    for tag in soup.find_all(True):
        if tag.name in ACTIVE_TAGS and _runs_marker(tag):
            found.append(f"<{tag.name}>")
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if (name.startswith("on") and MARKER in value) or _live_url(value):
                found.append(f"<{tag.name} {name}={value!r}>")
    return found


_MKDOCS_MARKDOWN = markdown.Markdown(extensions=["attr_list", "md_in_html", "tables", "toc"])
_COMMONMARK = MarkdownIt("commonmark")
_COMMONMARK.validateLink = lambda url: True  # an engine that trusts what it is given


def live_in_markdown(text: str) -> list[str]:
    """``text`` as two engines render it. Its YAML front matter is read as MkDocs reads it: the
    engine does not render it, and themes print its title and description as HTML."""
    front, body = _front_matter(text)
    found = [f for key in ("title", "description") for f in live_in_html(str(front.get(key, "")))]
    _MKDOCS_MARKDOWN.reset()
    return found + [*live_in_html(_MKDOCS_MARKDOWN.convert(body)), *live_in_html(_COMMONMARK.render(body))]


def _front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---\n") or "\n---\n" not in text[3:]:
        return {}, text
    front, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(front) or {}, body


def _html_strings(data, contenttype: str = "") -> list[str]:
    """The strings a JSON format declares to be HTML: keys ending in "html" (JSON Feed's
    content_html, oEmbed's html) and ninjs values whose contenttype is text/html. The rest is
    text by the format's own definition, and our scripts only ever set it as text."""
    if isinstance(data, dict):
        found = [value for key, value in data.items() if isinstance(value, str)
                 and (key.endswith("html") or (key == "value" and data.get("contenttype") == "text/html"))]
        return found + [s for value in data.values() if not isinstance(value, str) for s in _html_strings(value)]
    if isinstance(data, list):
        return [s for item in data for s in _html_strings(item)]
    return []


def _formula_like(text: str) -> bool:
    if not text.startswith(FORMULA_START):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False  # a negative number stays a number


def formula_cells(name: str, data: bytes) -> list[str]:
    if name.endswith(".csv"):
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
        return [field for row in rows for field in row if _formula_like(field)]
    book = load_workbook(io.BytesIO(data))
    return [f"{sheet.title}!{cell.coordinate}={cell.value!r}" for sheet in book for row in sheet.iter_rows()
            for cell in row if cell.data_type == "f" or (isinstance(cell.value, str) and _formula_like(cell.value)
                                                          and not cell.quotePrefix)]


def _pdf_actions(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    found = [key for key in ("/OpenAction", "/AA") if key in root]
    if "/Names" in root and "/JavaScript" in root["/Names"]:
        found.append("/JavaScript")
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if action.get("/S") == "/JavaScript" or _live_url(str(action.get("/URI", ""))):
                found.append(f"annotation {action}")
    return found


_RSS_HTML = {"description", "{http://purl.org/rss/1.0/modules/content/}encoded"}


def _xml(data: bytes) -> list[str]:
    """Feeds and EPUB metadata: the text of elements their format defines as HTML (Atom's
    type="html", RSS's description and content:encoded) read as HTML, and any element in the tree
    itself (Atom's type="xhtml", XHTML) that would run."""
    found = []
    for element in etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True)).iter():
        if not isinstance(element.tag, str):  # a comment or a processing instruction
            continue
        if element.get("type") == "html" or element.tag in _RSS_HTML:
            found += live_in_html(element.text or "")
        name = etree.QName(element).localname
        if name in ACTIVE_TAGS and MARKER in etree.tostring(element, encoding=str):
            found.append(f"<{name}>")
        for attribute, value in element.attrib.items():
            if (etree.QName(attribute).localname.startswith("on") and MARKER in value) or _live_url(value):
                found.append(f"<{name} {attribute}={value!r}>")
    return found


def file_problems(name: str, data: bytes) -> list[str]:
    """What in one output file would run code in a reader's browser or a spreadsheet."""
    suffix = Path(name).suffix.lower()
    if suffix in (".html", ".xhtml", ".htm"):
        return live_in_html(data.decode("utf-8"))
    if suffix == ".md":
        return live_in_markdown(data.decode("utf-8"))
    if suffix in (".xml", ".opf", ".ncx"):
        return _xml(data)
    if suffix == ".json":
        return [f for s in _html_strings(json.loads(data)) for f in live_in_html(s)]
    if suffix in (".csv", ".xlsx"):
        return formula_cells(name, data)
    if suffix in (".zip", ".epub"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [f"{member}: {p}" for member in archive.namelist()
                    for p in file_problems(member, archive.read(member))]
    if suffix == ".pdf":
        return _pdf_actions(data)
    if suffix == ".js":
        return [MARKER] if MARKER.encode() in data else []
    return []


def output_problems(*folders: Path) -> dict[str, list[str]]:
    """Every file under ``folders`` whose content would run a payload, with what would run."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            problems = file_problems(path.name, path.read_bytes()) if path.is_file() else []
            if problems:
                found[str(path.relative_to(folder))] = problems
    return found
