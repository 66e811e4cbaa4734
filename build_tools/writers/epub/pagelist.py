"""Print pages in the EPUB: a marker where each printed page begins, and the page-list.

The print layout tells, for every page, the innermost element (by id) its first text is in and
how many letters of that element came on earlier pages (``build_tools.textpos``). The marker
goes at the start of the element, or before the word holding that letter (EPUB Accessibility
1.1 page navigation; REFERENCE.md §1). Blank pages get their marker beside the next page's.
"""

from __future__ import annotations

from lxml import etree

from build_tools import ids
from build_tools.model import PageStart
from build_tools.textpos import index_of_letter, insert_at
from build_tools.writers.epub.bodies import OPS_NS, XHTML

EPUB_TYPE = f"{{{OPS_NS}}}type"
# Print elements that the EPUB has under another id: the half title is the title page's page.
ALIASES = {ids.HALFTITLE: ids.TITLEPAGE, ids.CONTENTS: ids.TOC_TITLE}  # a nav starts with its heading


def mark_pages(trees: dict[str, etree._Element], pages: tuple[PageStart, ...]) -> list[tuple[str, str]]:
    """Insert the markers into the documents' trees; return (label, href) for the page-list."""
    where = {
        element.get("id"): (href, element)
        for href, root in trees.items()
        for element in root.iter()
        if element.get("id")
    }
    entries: list[tuple[str, str]] = []
    waiting: list[str] = []
    passed: dict[str, int] = {}
    last: dict[tuple[str, int], etree._Element] = {}  # the last marker put at each place
    for start in pages:
        target = ALIASES.get(start.target, start.target)
        if target not in where:
            waiting.append(start.label)
            continue
        href, element = where[target]
        letter = index_of_letter(element, start.offset) if start.offset else 0
        index = passed[target] = max(letter, passed.get(target, 0))
        labels = (*waiting, start.label)
        for label in labels:  # in page order, after the markers already at the same place
            marker = _marker(label)
            previous = last.get((target, index))
            if previous is None:
                insert_at(element, index, marker)
            else:
                marker.tail, previous.tail = previous.tail, None
                previous.addnext(marker)
            last[(target, index)] = marker
        entries += [(label, f"{href}#{ids.page(label)}") for label in labels]
        waiting = []
    return entries


def page_list_nav(entries: list[tuple[str, str]], label: str) -> etree._Element:
    nav = etree.Element(f"{XHTML}nav", {EPUB_TYPE: "page-list", "aria-label": label, "hidden": "hidden"})
    ol = etree.SubElement(nav, f"{XHTML}ol")
    for label, href in entries:
        li = etree.SubElement(ol, f"{XHTML}li")
        link = etree.SubElement(li, f"{XHTML}a", href=href)
        link.text = label
    return nav


def _marker(label: str) -> etree._Element:
    span = etree.Element(
        f"{XHTML}span",
        {EPUB_TYPE: "pagebreak", "role": "doc-pagebreak", "id": ids.page(label), "aria-label": label},
    )
    span.text = ""
    return span
