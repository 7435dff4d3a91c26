"""The XMP packet embedded in published photos: caption, alt text, credit and licence.

IPTC Photo Metadata in its XMP form (dc:description, photoshop:Credit, xmpRights:*,
Iptc4xmpCore:AltTextAccessibility) plus Creative Commons' cc:license, built with
ElementTree so every text is escaped by the XML library.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.photos.planning import Credits

NAMESPACES = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "cc": "http://creativecommons.org/ns#",
}
for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The packet wrapper of XMP Part 1, 7.3: fixed bytes, no data in them.
_BEGIN = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'.encode("utf-8")
_END = b'<?xpacket end="r"?>'


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


def _add(parent: ET.Element, name: str, text: str = "", **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, _q(name), {_q(k.replace("_", ":", 1)): v for k, v in attributes.items()})
    element.text = text or None
    return element


def _alt(parent: ET.Element, name: str, text: str) -> None:
    """A language alternative (rdf:Alt): the form dc:description and dc:rights take."""
    container = _add(_add(parent, name), "rdf:Alt")
    _add(container, "rdf:li", text).set(_XML_LANG, "x-default")


def xmp_packet(credits: Credits) -> bytes:
    root = ET.Element(_q("x:xmpmeta"))
    description = _add(_add(root, "rdf:RDF"), "rdf:Description", rdf_about="")
    if credits.caption or credits.alt:
        _alt(description, "dc:description", credits.caption or credits.alt)
    if credits.alt:
        _alt(description, "Iptc4xmpCore:AltTextAccessibility", credits.alt)
    if credits.credit:
        _add(_add(_add(description, "dc:creator"), "rdf:Seq"), "rdf:li", credits.credit)
        _add(description, "photoshop:Credit", credits.credit)
        _add(description, "cc:attributionName", credits.credit)
    if credits.licence:
        _alt(description, "dc:rights", credits.licence)
        _alt(description, "xmpRights:UsageTerms", credits.licence)
        _add(description, "xmpRights:Marked", "True")
    if credits.licence_url:
        _add(description, "xmpRights:WebStatement", credits.licence_url)
        _add(description, "cc:license", rdf_resource=credits.licence_url)
    return _BEGIN + ET.tostring(root, encoding="utf-8", xml_declaration=False) + _END


def read_xmp(packet: bytes) -> dict[str, str]:
    """The simple values of a packet, by prefixed name ("photoshop:Credit": "..."): for checks."""
    body = packet[packet.index(b"<x:xmpmeta"): packet.rindex(b"</x:xmpmeta>") + len(b"</x:xmpmeta>")]
    names = {uri: prefix for prefix, uri in NAMESPACES.items()}
    values: dict[str, str] = {}
    description = ET.fromstring(body).find(f"{_q('rdf:RDF')}/{_q('rdf:Description')}")
    for element in description if description is not None else ():
        uri, local = element.tag[1:].split("}")
        texts = [t.strip() for t in element.itertext() if t.strip()]
        resource = element.get(_q("rdf:resource"))
        values[f"{names.get(uri, uri)}:{local}"] = resource or (texts[0] if texts else "")
    return values
