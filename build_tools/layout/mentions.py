"""Which printed page each mention of the index is on, without marking the mentions in print.

Wrapping the book's thousands of mentions in elements costs WeasyPrint 40 % more layout work
and as much memory. Instead, the print HTML has the plain text, and the pages of the mentions
are found from where each page begins (the element and first words, read from the layout):
the same page markers as the EPUB's are put into a tree of the text that still has its
mentions, and each mention is on the page of the last marker before it.
"""

from __future__ import annotations

from lxml import etree

from build_tools.markup import Fragment, inner_xml
from build_tools.model import Book, PageStart
from build_tools.writers.epub import pagelist

XHTML = "{http://www.w3.org/1999/xhtml}"


def unmarked(html: Fragment | str) -> str:
    """An XHTML fragment without its index-mention elements (their text stays)."""
    tree = html.tree() if isinstance(html, Fragment) else etree.fromstring(f"<div>{html}</div>")
    for span in list(tree.iter("span")):
        if span.get("class", "").startswith("ix"):
            _drop_tag(span)
    return inner_xml(tree)


def _drop_tag(element: etree._Element) -> None:
    """Remove an element but keep its text, children and tail in place."""
    parent = element.getparent()
    assert parent is not None
    index = parent.index(element)
    previous = element.getprevious()
    text = element.text or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    children = list(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    tail = element.tail or ""
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    elif previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def mention_pages(book: Book, starts: tuple[PageStart, ...]) -> dict[str, int]:
    """Page index of every mention (and range mark)."""
    tree = etree.fromstring(_book_xhtml(book))
    pagelist.mark_pages({"book": tree}, starts)
    labels = {start.label: index for index, start in enumerate(starts)}
    pages: dict[str, int] = {}
    current = 0
    for element in tree.iter():
        if element.get("role") == "doc-pagebreak":
            current = labels[element.get("aria-label")]
            continue
        element_id = element.get("id", "")
        if element_id.startswith(("ix-", "ixr-")):
            pages[element_id] = current
    return pages


def _book_xhtml(book: Book) -> str:
    """The text in print order, with the print's ids and the model's mentions."""
    parts = [f'<div xmlns="{XHTML[1:-1]}">']
    for section in book.sections:
        parts.append(f'<section id="{section.id}"><h1>{section.heading}</h1>{section.body}</section>')
    if book.chronology:
        parts.append('<section id="chronology"><h1>Chronology</h1>')
        parts += [f'<p id="event-{e.id}">{e.label} {e.body}</p>' for e in book.chronology]
        parts.append("</section>")
    if book.notes:
        parts.append('<section id="notes"><h1>Notes</h1>')
        for section in book.sections:
            if section.notes:
                parts.append(f'<h2 id="notes-{section.number}">{section.heading}</h2>')
                parts += [f'<div id="{note.id}">{note.body}</div>' for note in section.notes]
        parts.append("</section>")
    parts.append("</div>")
    return "".join(parts)
