"""Page references in the EPUB: an empty cross-reference, ``[](#name)``, shows its target's
printed page when the book was laid out for print, else its target's title (from the parse).

The print layout counts no letters in a page reference (its page is generated content), so
the page markers are placed while the links are empty (``emptied``) and the pages written in
after (``number``): the markers stand where the print pages begin.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from build_tools import ids
from build_tools.model import PrintLayout
from build_tools.writers.epub.bodies import XHTML

PageRef = tuple[etree._Element, str]
"""A page reference of a document and the title it held."""


def emptied(trees: Iterable[etree._Element]) -> list[PageRef]:
    """Every page reference of the documents, its text taken out; with the text it had."""
    found = []
    for tree in trees:
        for link in tree.iter(f"{XHTML}a"):
            if ids.PAGE_REF in (link.get("class") or "").split():
                found.append((link, link.text or ""))
                link.text = None
    return found


def number(refs: Iterable[PageRef], layout: PrintLayout) -> None:
    """Write each reference's printed page (its title again if the layout does not place its
    target: a link's text is never empty)."""
    for link, title in refs:
        target = (link.get("href") or "").rpartition("#")[2]
        index = layout.places.get(target)
        link.text = layout.label(index) if index is not None else title
