"""An EPUB's XHTML documents as namespace-free lxml trees, and what their semantics say.

Each document is parsed as XML (malformed XHTML is an error at the line lxml names), then its
tags and attributes lose their namespaces: ``epub:type`` becomes ``epub-type``, ``xml:lang``
``lang``, ``xlink:href`` ``href``. Elements keep their ``sourceline`` for the losses' places.
"""

from __future__ import annotations

import html.entities
import re

from lxml import etree

from build_tools.errors import BookError
from build_tools.importing.epub_package import Package
from build_tools.importing.text import text_of

_OPS_TYPE = "{http://www.idpf.org/2007/ops}type"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}


def parse_document(package: Package, path: str) -> etree._Element:
    """The document at ``path`` in the zip as a namespace-free tree (its ``html`` element)."""
    data = _named_entities(package.files[path])
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = re.sub(r",? line \d+, column \d+$", "", str(exc.msg or exc))
        raise BookError(f"malformed XHTML: {message}", package.where(path, exc.lineno or 0)) from None
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        node.tag = node.tag.rsplit("}", 1)[-1].lower()
        for key in [str(key) for key in node.attrib if str(key).startswith("{")]:
            value = node.attrib.pop(key)
            if key == _OPS_TYPE:
                node.set("epub-type", value)
            elif key == _XML_LANG and not node.get("lang"):
                node.set("lang", value)
            elif key == _XLINK_HREF and not node.get("href"):
                node.set("href", value)
    etree.cleanup_namespaces(root)
    return root


def _named_entities(data: bytes) -> bytes:
    """HTML's named character references (``&nbsp;``) as characters: an EPUB 2 document may
    use them with its DTD, which an XML parser does not read."""
    if b"&" not in data:
        return data
    text = data.decode("utf-8", errors="surrogateescape")

    def character(found: re.Match[str]) -> str:
        name = found[1]
        if name in _XML_ENTITIES or name not in html.entities.name2codepoint:
            return found[0]
        return f"&#{html.entities.name2codepoint[name]};"

    return _ENTITY.sub(character, text).encode("utf-8", errors="surrogateescape")


def semantics(node: etree._Element) -> set[str]:
    """What an element says it is: its ``epub:type`` words and its DPUB-ARIA role without
    ``doc-`` (``endnote``, ``noteref``, ``chapter``…)."""
    words = set(str(node.get("epub-type", "")).split())
    for role in str(node.get("role", "")).split():
        words.add(role.removeprefix("doc-"))
    return words


def classes(node: etree._Element) -> set[str]:
    return set(str(node.get("class", "")).lower().split())


def body_of(root: etree._Element) -> etree._Element:
    """The ``body`` of a document (the root itself for a document without one)."""
    body = root.find("body")
    return body if body is not None else root


def text(node: etree._Element) -> str:
    """The element's words, white space collapsed."""
    return " ".join(text_of(node).split())
