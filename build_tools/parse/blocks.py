"""Stable ids for the blocks of the text, shared by both formats.

Every paragraph, list item, quotation and heading of a section gets an id (``p-3-12``: section
3, block 12) unless it has one. The print layout reports the element each page begins in by
these ids, and the EPUB places its print page markers at the same elements.
"""

from __future__ import annotations

from lxml import etree

BLOCKS = ("p", "li", "blockquote", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "dd")


def number_blocks(tree: etree._Element, section: int) -> None:
    count = 0
    for element in tree.iter(*BLOCKS):
        if element.get("id") is None:
            count += 1
            element.set("id", f"p-{section}-{count}")
