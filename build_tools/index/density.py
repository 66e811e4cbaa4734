"""Entries with too many undifferentiated locators: a warning that suggests subentries.

A heading followed by a long string of bare page numbers sends the reader to every page in
turn; above fifteen (issue 16) the index should break it into subentries. The warning is
given before any layout (``book check`` lays nothing out), so the pages are estimated: a
mention in the text or the chronology is on page ``letters before it // PAGE_LETTERS`` of its
part, a note counts one locator, a range one. On the first book the estimate is within a few
locators of the printed index.
"""

from __future__ import annotations

from lxml import etree

from build_tools.errors import Diagnostic
from build_tools.model import Book, Mention

LIMIT = 15
CODE = "many-locators"
# Letters, spaces included, of a page of text: a 6 × 9 in page of the default design holds
# about 2,300 (the first book: 42,000 in its 18 pages of text).
PAGE_LETTERS = 2300


def crowded(book: Book) -> tuple[Diagnostic, ...]:
    """A warning for each entry whose own locators (not under a subentry) are estimated above
    ``LIMIT``."""
    offsets = _offsets(book)
    found = []
    for entry in book.names:
        mentions = [m for m in book.mentions if m.entry == entry.id and not m.sub]
        count = len({_locator(m, offsets) for m in mentions})
        if count > LIMIT:
            subs = (
                "declare 'subentries' for it in the names file and mark mentions [text]{@" + entry.id + ">…}"
            )
            found.append(
                Diagnostic(
                    entry.location,
                    CODE,
                    f"“{entry.heading}”: about {count} undifferentiated locators (more than {LIMIT}): {subs}",
                    entry.heading,
                )
            )
    return tuple(found)


def _locator(mention: Mention, offsets: dict[str, tuple[str, int]]) -> tuple[str, int | str]:
    if mention.end:
        return ("range", mention.id)
    if mention.where == "note":
        return ("note", mention.note)
    if mention.id not in offsets:
        return ("mention", mention.id)
    part, letters = offsets[mention.id]
    return (part, letters // PAGE_LETTERS)


def _offsets(book: Book) -> dict[str, tuple[str, int]]:
    """The letters before each element with an id: in the text (the sections in order), and
    in the chronology (its events in order, pages of their own)."""
    found: dict[str, tuple[str, int]] = {}
    count = 0
    part = "text"

    def walk(element: etree._Element) -> None:
        nonlocal count
        if element.get("id"):
            found[str(element.get("id"))] = (part, count)
        count += len(element.text or "")
        for child in element:
            walk(child)
            count += len(child.tail or "")

    for section in book.sections:
        walk(section.body.tree())
    part, count = "chronology", 0
    for event in book.chronology:
        walk(event.body.tree())
        count += 40  # its date, and the line it ends
    return found
