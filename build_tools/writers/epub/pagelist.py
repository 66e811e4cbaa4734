"""Print pages in the EPUB: a marker where each printed page begins, and the page-list.

The print layout tells, for every page, the innermost element (by id) its first text is in and,
when that element began on an earlier page, the page's first words. The marker goes at the start
of the element, or before the word the page begins with (EPUB Accessibility 1.1 page
navigation; REFERENCE.md §1). Blank pages get their marker beside the next page's.
"""

from __future__ import annotations

import re

from lxml import etree

from build_tools.model import PageStart

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
# Print elements that the EPUB has under another id: the half title is the title page's page.
ALIASES = {"halftitle": "titlepage", "contents": "toc-title"}  # a nav starts with its heading


def mark_pages(trees: dict[str, etree._Element], pages: tuple[PageStart, ...]) -> list[tuple[str, str]]:
    """Insert the markers into the documents' trees; return (label, href) for the page-list."""
    where = {
        element.get("id"): (href, element)
        for href, root in trees.items() for element in root.iter() if element.get("id")
    }
    entries: list[tuple[str, str]] = []
    waiting: list[str] = []
    passed: dict[str, int] = {}
    for start in pages:
        target = ALIASES.get(start.target, start.target)
        if target not in where:
            waiting.append(start.label)
            continue
        href, element = where[target]
        offset = _offset(element, start.words, passed.get(target, 0)) if start.words else 0
        passed[target] = offset
        labels = (*waiting, start.label)
        for label in reversed(labels):  # each goes before the ones put at the same place
            _insert(element, offset, _marker(label))
        entries += [(label, f"{href}#page-{label}") for label in labels]
        waiting = []
    return entries


def page_list_nav(entries: list[tuple[str, str]]) -> etree._Element:
    nav = etree.Element(f"{XHTML}nav", {EPUB_TYPE: "page-list", "aria-label": "Page list",
                                        "hidden": "hidden"})
    ol = etree.SubElement(nav, f"{XHTML}ol")
    for label, href in entries:
        li = etree.SubElement(ol, f"{XHTML}li")
        link = etree.SubElement(li, f"{XHTML}a", href=href)
        link.text = label
    return nav


def _marker(label: str) -> etree._Element:
    span = etree.Element(f"{XHTML}span", {EPUB_TYPE: "pagebreak", "role": "doc-pagebreak",
                                          "id": f"page-{label}", "aria-label": label})
    span.text = ""
    return span


def _slots(element: etree._Element) -> list[tuple[etree._Element, str]]:
    """The text slots of an element in document order: (node, "text") and (node, "tail")."""
    ordered: list[tuple[etree._Element, str]] = []

    def visit(node: etree._Element) -> None:
        ordered.append((node, "text"))
        for child in node:
            visit(child)
            ordered.append((child, "tail"))

    visit(element)
    return ordered


def _offset(element: etree._Element, words: str, after: int) -> int:
    """The character offset in the element's text where the page's first words begin,
    moved back to the start of their word (a line may begin with the end of a hyphenated one)."""
    text = "".join(getattr(node, slot) or "" for node, slot in _slots(element))
    squeezed, positions = [], []
    for index, char in enumerate(text):
        if char.isspace():
            if squeezed and squeezed[-1] == " ":
                continue
            char = " "
        squeezed.append(char)
        positions.append(index)
    flat = "".join(squeezed)
    tokens = words.split()
    for skip in (0, 1):
        for length in (5, 4, 3, 2, 1):
            probe = " ".join(tokens[skip:skip + length])
            if not probe:
                continue
            found = [m.start() for m in re.finditer(re.escape(probe), flat)
                     if positions[m.start()] >= after]
            if len(found) == 1 or (found and length >= 3):
                start = positions[found[0]]
                while start > 0 and not text[start - 1].isspace():
                    start -= 1
                return max(start, after)
    return after


def _insert(element: etree._Element, offset: int, marker: etree._Element) -> None:
    """Put ``marker`` at character ``offset`` of the element's text."""
    seen = 0
    for node, slot in _slots(element):
        value = getattr(node, slot) or ""
        if seen + len(value) >= offset and (value or seen == offset):
            cut = offset - seen
            if slot == "text":
                marker.tail = value[cut:]
                node.text = value[:cut]
                node.insert(0, marker)
            else:
                marker.tail = value[cut:]
                node.tail = value[:cut]
                node.addnext(marker)
            return
        seen += len(value)
    element.append(marker)
