"""Places in the text counted in letters: the one measure the print layout and the EPUB share.

A place is an element id and the number of letters and digits of that element's text before it.
Spaces, punctuation and the hyphens the layout adds at line ends are not counted, so the count
is the same in the XHTML tree and in the text boxes of the laid-out pages, whatever the line
breaks, the hyphenation or the collapsing of white space.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml import etree


def letters(text: str) -> int:
    return sum(1 for char in text if char.isalnum())


def _slots(element: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """The text slots of an element in document order: (node, "text") and (child, "tail")."""
    yield element, "text"
    for child in element:
        if isinstance(child.tag, str):
            yield from _slots(child)
        yield child, "tail"


@dataclass(frozen=True)
class Place:
    """Where an element stands in the text: the innermost other element with an id around it,
    the letters of that element before it, and the letters of its own first word."""

    owner: str
    offset: int
    first_word: int


def places(
    root: etree._Element, wanted: Callable[[str], bool], skip: Callable[[etree._Element], bool]
) -> dict[str, Place]:
    """The place of each element whose id is ``wanted``. ``skip`` elements (and what they hold)
    count no letters and hold no places: they are not in the text a reader sees."""
    found: dict[str, Place] = {}
    counts: dict[str, int] = {}

    def visit(element: etree._Element, owners: list[str]) -> None:
        if skip(element):
            return
        own = element.get("id") or ""
        if own and wanted(own):
            if owners:
                words = etree.tostring(element, encoding="unicode", method="text", with_tail=False).split()
                found[own] = Place(owners[-1], counts[owners[-1]], letters(words[0]) if words else 0)
        elif own:
            owners = [*owners, own]
            counts[own] = 0
        add(element.text, owners)
        for child in element:
            if isinstance(child.tag, str):
                visit(child, owners)
            add(child.tail, owners)

    def add(text: str | None, owners: list[str]) -> None:
        if text:
            count = letters(text)
            for owner in owners:
                counts[owner] += count

    visit(root, [])
    return found


def index_of_letter(element: etree._Element, offset: int) -> int:
    """The character index, in the element's text, of its letter number ``offset`` (from 0),
    moved back to the start of its word; the end of the text if it has fewer letters."""
    text = "".join(getattr(node, slot) or "" for node, slot in _slots(element))
    seen = 0
    for index, char in enumerate(text):
        if char.isalnum():
            if seen == offset:
                while index > 0 and not text[index - 1].isspace():
                    index -= 1
                return index
            seen += 1
    return len(text)


# Elements whose own text (white space between their children) cannot hold an inline element.
_NO_TEXT = frozenset({"table", "thead", "tbody", "tfoot", "tr", "colgroup"})


def insert_at(element: etree._Element, index: int, new: etree._Element) -> None:
    """Put ``new`` (which has no tail) at character ``index`` of the element's text; in a
    table, at the first place a cell or the caption holds from there on."""
    seen = 0
    for node, slot in _slots(element):
        value = getattr(node, slot) or ""
        holder = node if slot == "text" else node.getparent()
        if holder is not None and etree.QName(holder).localname in _NO_TEXT:
            seen += len(value)
            continue
        if seen + len(value) >= index and (value or seen >= index):
            cut = max(index - seen, 0)
            new.tail = value[cut:]
            if slot == "text":
                node.text = value[:cut]
                node.insert(0, new)
            else:
                node.tail = value[:cut]
                node.addnext(new)
            return
        seen += len(value)
    element.append(new)
