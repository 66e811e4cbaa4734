"""The chronology in print: events as blocks, the date run in, each ending with the pages of
its passages.

Pass 1 prints each passage's page as a ``target-counter`` (an empty page reference,
``layout/xrefs.py``), in the order of the book: exact as long as no two passages of an event
share a page. When some do, the chronology is laid out again in pass 2 with the pages of pass 1
written in, each page once ("(p. 17)", not "(pp. 17, 17)"): ``shares_pages`` says when.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from lxml import etree

from build_tools import ids
from build_tools.markup import render
from build_tools.model import Book, Event

PAGE_REF = "xref-page"  # layout/xrefs.py empties it and print.css prints its target's page
KNOWN = "page-ref-known"


def chronology(book: Book, labels: Mapping[str, str] | None) -> etree._Element:
    """The chronology's section; ``labels`` the printed page of every element id (pass 2),
    None in pass 1."""
    entries = []
    for event in book.chronology:
        refs = f' <span class="page-refs">{_refs(book, event, labels)}</span>' if event.links else ""
        entries.append(
            f'<p class="event" id="{ids.event(event.id)}"><span class="event-date">{escape(event.label)}'
            f'</span> <slot name="{event.id}"/>{refs}</p>'
        )
    return render(
        f'<section class="chronology" id="{ids.CHRONOLOGY}"><h1 class="chapter-title">'
        f"{escape(book.meta.words.chronology)}</h1>\n" + "\n".join(entries) + "\n</section>",
        {event.id: event.body for event in book.chronology},
    )


def shares_pages(book: Book, labels: Mapping[str, str]) -> bool:
    """Whether two passages of one event are printed on one page (by ``labels``)."""
    return any(len(book.event_pages(e, labels.__getitem__)) < len(set(e.links)) for e in book.chronology)


def _refs(book: Book, event: Event, labels: Mapping[str, str] | None) -> str:
    words = book.meta.words
    if labels is None:  # every passage's page, as the layout finds it
        pages = book.event_pages(event, lambda element: element)
        numbers = [f'<a class="{PAGE_REF}" href="#{ids.anchor(anchor)}"></a>' for _, anchor in pages]
    else:
        pages = book.event_pages(event, labels.__getitem__)
        numbers = [f'<a class="{KNOWN}" href="#{ids.anchor(a)}">{escape(page)}</a>' for page, a in pages]
    if len(numbers) == 1:
        return escape(words.page_reference).format(page=numbers[0])
    return escape(words.page_references).format(pages=", ".join(numbers))
