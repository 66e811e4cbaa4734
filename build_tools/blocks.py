"""Stable ids for the blocks of the text, shared by both formats.

Every paragraph, list item, quotation and heading of a section gets an id (``p-3-12``: section
3, block 12) unless it has one. The print layout reports the element each page begins in by
these ids, and the EPUB places its print page markers at the same elements.
"""

from __future__ import annotations

from xml.sax.saxutils import escape as xml_escape

from lxml import etree

BLOCKS = ("p", "li", "blockquote", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "dd")


def number_blocks(tree: etree._Element, section: int) -> None:
    count = 0
    for element in tree.iter(*BLOCKS):
        if element.get("id") is None:
            count += 1
            element.set("id", f"p-{section}-{count}")


def roman(number: int) -> str:
    """Lower-case roman numerals, as front matter is numbered."""
    values = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
              (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    text = ""
    for value, letters in values:
        while number >= value:
            text += letters
            number -= value
    return text


VOID = {"br", "hr", "img", "wbr", "col", "area", "source", "track"}


def inner_xml(element: etree._Element) -> str:
    """The XML of an element's content, without the element itself.

    Empty elements are written open and closed (``<span></span>``): the print writer's HTML
    parser would read ``<span/>`` as an opening tag and swallow the rest of the paragraph.
    """
    for node in element.iter():
        if node.text is None and len(node) == 0 and node.tag not in VOID:
            node.text = ""
    parts = [xml_escape(element.text or "")]
    parts.extend(etree.tostring(child, encoding="unicode") for child in element)
    return "".join(parts)
