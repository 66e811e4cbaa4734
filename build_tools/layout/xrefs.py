"""Page references in print: an empty cross-reference, ``[](#name)``, prints its target's page.

The link is emptied (its title is for an EPUB without pages) and ``print.css`` prints
``target-counter()`` after it: WeasyPrint resolves it in the same layout, lower-case roman for
a target in the front matter. A document that does not hold the target (the notes laid out
again in pass 2) gets the page pass 1 gave it, written in.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from build_tools import ids
from build_tools.model import Book

KNOWN = "xref-page-known"
ROMAN = "roman"


def page_refs(root: etree._Element, book: Book, known: Mapping[str, str] | None = None) -> None:
    """Empty the page references of the print document ``root``; ``known`` gives the printed
    page of the targets that ``root`` does not hold (None: every target is in ``root``)."""
    links = [a for a in root.iter("a") if ids.PAGE_REF in (a.get("class") or "").split()]
    if not links:
        return
    here = {element_id for element in root.iter() if (element_id := element.get("id"))}
    front = {
        element_id
        for section in book.matter("front")
        for element_id in (section.id, *section.heading.ids(), *section.body.ids())
    }
    for link in links:
        for child in list(link):
            link.remove(child)
        link.text = None
        target = (link.get("href") or "#")[1:]
        classes = (link.get("class") or "").split()
        if known is not None and target not in here and target in known:
            link.text = known[target]
            classes = [KNOWN if name == ids.PAGE_REF else name for name in classes]
        elif target in front:
            classes.append(ROMAN)
        link.set("class", " ".join(classes))
