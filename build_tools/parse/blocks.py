"""The structure of a section's tree: its title taken out, stable ids for its headings and blocks."""

from __future__ import annotations

import re

from lxml import etree

from build_tools import ids
from build_tools.errors import Location, ManuscriptError
from build_tools.lang.slug import slug
from build_tools.parse.mdext.anchors import TITLE_ANCHOR
from build_tools.sources.manuscript import SourceFile

BLOCKS = ("p", "li", "blockquote", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "dd", "table", "figure")
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_HOLDS_WORDS = ("p", *HEADINGS, "li", "dt", "dd", "caption", "figcaption", "th", "td")
_ATX_H1 = re.compile(r"^#(?!#)\s*(.*?)\s*#*\s*$")


def take_title(tree: etree._Element, source: SourceFile) -> etree._Element:
    """Take the section's ``<h1>`` out of ``tree`` and return it; one heading, first."""
    first = tree[0] if len(tree) else None
    if first is None or first.tag != "h1":
        raise ManuscriptError(
            "section has no heading: start the file with '# Title'", Location(source.path, 1)
        )
    tree.remove(first)
    if first.tail and first.tail.strip():
        raise ManuscriptError("unexpected text after the heading", Location(source.path, 1))
    tree.text = (tree.text or "") + (first.tail or "")
    if name := first.get(TITLE_ANCHOR):
        del first.attrib[TITLE_ANCHOR]
        _place_anchor(tree, name)
    if tree.find("h1") is not None:
        lines = [n for n, line in enumerate(source.text.splitlines(), 1) if _ATX_H1.match(line)]
        where = Location(source.path, lines[1] if len(lines) > 1 else 0)
        raise ManuscriptError(
            "a second '#' heading: one file is one section; use '##' for its subheadings", where
        )
    return first


def _place_anchor(tree: etree._Element, name: str) -> None:
    """The anchor written on the title (``# Title {#name}``) at the start of the text: inside
    its first block that holds words (the page is the title's, and the heading, shown again in
    the contents, carries no id twice), or alone if there is none."""
    anchor = etree.Element("span", {"class": "anchor", "id": ids.anchor(name)})
    holder = next(tree.iter(*_HOLDS_WORDS), None)
    if holder is None:
        tree.insert(0, anchor)
        anchor.tail, tree.text = tree.text, None
        return
    anchor.tail, holder.text = holder.text, None
    holder.insert(0, anchor)


def name_headings(tree: etree._Element, section: int) -> None:
    """Give each subheading the id of its words (``sec-3-the-canton-commune``), unique in the
    section, unless the author named it (``## The Canton Commune {#commune}``)."""
    seen: set[str] = set()
    for heading in tree.iter(*HEADINGS):
        if heading.get("id") is not None:
            continue
        words = slug(text_of(heading), "h")
        candidate, n = words, 1
        while candidate in seen:
            n += 1
            candidate = f"{words}-{n}"
        seen.add(candidate)
        heading.set("id", ids.heading(section, candidate))


def number_blocks(tree: etree._Element, section: int) -> None:
    """Give every block without an id one (``p-3-12``: section 3, block 12).

    The print layout reports the element each page begins in by these ids, and the EPUB
    places its print page markers at the same elements.
    """
    count = 0
    for element in tree.iter(*BLOCKS):
        if element.get("id") is None:
            count += 1
            element.set("id", ids.block(section, count))


def text_of(element: etree._Element) -> str:
    """The text of an element and its descendants, as written."""
    return "".join(str(piece) for piece in element.itertext())
