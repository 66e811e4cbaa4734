"""The EPUB's chronology: each event with its date, its text and a link to every passage.

The links run one way, from the chronology to the text: the text carries no mark. A link in
the running text to a short element later in the book is what reading systems take for a note
reference and open in a pop-up: Kobo's e-ink and iOS readers do so for any link whose target
holds 9 to 5,000 characters and comes after the link (github.com/kobolabs/epub-spec, "Footnotes/
Endnotes"), which every chronology entry is; Apple Books and Thorium pop up links typed
``noteref``. A link from the chronology back to the text points at an earlier place (and at an
empty anchor), so it is followed as a link everywhere, and every reading system has a way back
(issue 16). The print book has no marks in the text either.
"""

from __future__ import annotations

from html import escape

from lxml import etree

from build_tools import ids
from build_tools.markup import Fragment
from build_tools.model import Book, Event, PrintLayout
from build_tools.writers.epub.bodies import content, plain


def chronology_body(book: Book, layout: PrintLayout | None) -> etree._Element:
    """The chronology; an event's passages are its print pages when the PDF was laid out in
    the same build (one link a page, as the index's locators), else its sections' headings."""
    words = book.meta.words
    items: list[str] = []
    slots: dict[str, Fragment | etree._Element | None] = {}
    for event in book.chronology:
        see = ""
        if event.links and layout is not None:
            see = f' <span class="see">{_pages(book, event, layout)}</span>'
        elif event.links:
            links = _headings(book, event, slots)
            see = f' <span class="see">{escape(words.in_the_text).format(links=links)}</span>'
        slots[event.id] = event.body
        items.append(
            f'<li id="{ids.event(event.id)}"><time datetime="{event.datetime}">{escape(event.label)}</time> '
            f'<slot name="{event.id}"/>{see}</li>'
        )
    return content(
        f'<section id="{ids.CHRONOLOGY}" class="chronology" epub:type="appendix" role="doc-appendix" '
        f'aria-labelledby="{ids.CHRONOLOGY_TITLE}">\n'
        f'<h1 id="{ids.CHRONOLOGY_TITLE}">{escape(words.chronology)}</h1>\n'
        '<ol class="chronology">\n' + "\n".join(items) + "\n</ol>\n</section>",
        slots,
    )


def _pages(book: Book, event: Event, layout: PrintLayout) -> str:
    """The pages "(pp. 2, 17)", each a link to the first passage printed on it."""
    words = book.meta.words
    pages = book.event_pages(event, lambda element: layout.label(layout.places[element]))
    links = ", ".join(f'<a href="#{ids.anchor(anchor)}">{escape(page)}</a>' for page, anchor in pages)
    if len(pages) == 1:
        return escape(words.page_reference).format(page=links)
    return escape(words.page_references).format(pages=links)


def _headings(book: Book, event: Event, slots: dict[str, Fragment | etree._Element | None]) -> str:
    """Each section an event's passages are in, by its heading: a link to the passage, or,
    for several passages in one section, the heading followed by a numbered link to each."""
    by_section: dict[int, list[str]] = {}
    for _, anchor in book.event_pages(event, lambda element: element):
        by_section.setdefault(book.anchor_section(anchor).number, []).append(anchor)
    links = []
    for number, anchors in by_section.items():
        name = f"{event.id}-{number}"
        slots[name] = plain(next(s for s in book.sections if s.number == number).heading)
        if len(anchors) == 1:
            links.append(f'<a href="#{ids.anchor(anchors[0])}"><slot name="{name}"/></a>')
        else:
            numbered = ", ".join(f'<a href="#{ids.anchor(a)}">{n}</a>' for n, a in enumerate(anchors, 1))
            links.append(f'<slot name="{name}"/> ({numbered})')
    return ", ".join(links)
