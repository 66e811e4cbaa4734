"""Page indexes and folios: where pass 1 put each element and mention, what pass 2 writes in
(the notes' running heads, the index's folios), shared by the one-document layout
(``paginate.py``) and the layout in parts (``parts.py``). ``pages`` are WeasyPrint's, or any
pages that name the element ids on them (``anchors``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Protocol

from build_tools import ids
from build_tools.lang.numbers import page_range
from build_tools.layout.boxes import PageText
from build_tools.layout.chronology import shares_pages
from build_tools.layout.html import Facts
from build_tools.layout.proofs import ProofQuery
from build_tools.model import Book, PrintLayout
from build_tools.textpos import Place


class Sheet(Protocol):
    """A page as far as this module reads it: the element ids on it."""

    @property
    def anchors(self) -> dict[str, object] | Sequence[str]: ...


class Anchored:
    """A page of a part laid out apart, as this module reads it (``parts.py``)."""

    def __init__(self, anchors: tuple[str, ...]) -> None:
        self.anchors = anchors


def first_pages(pages: Sequence[Sheet]) -> dict[str, int]:
    """Element id -> index of the first page it is on (a block across pages is on each)."""
    found: dict[str, int] = {}
    for number, page in enumerate(pages):
        for anchor in page.anchors:
            found.setdefault(anchor, number)
    return found


def mention_pages(places: dict[str, Place], texts: list[PageText]) -> dict[str, int]:
    """The page of every index mention: the page on which its element's letters reach the end
    of its first word. A word broken across a page turn is on the later page, as the EPUB's
    page markers, which stand before the word a page begins in, place it."""
    spans: dict[str, list[tuple[int, int]]] = {}  # element id -> (page, letters before the page)
    seen: dict[str, int] = {}
    for index, text in enumerate(texts):
        for element_id, count in text.counts.items():
            spans.setdefault(element_id, []).append((index, seen.get(element_id, 0)))
            seen[element_id] = seen.get(element_id, 0) + count
    found = {}
    for mention, place in places.items():
        runs = spans.get(place.owner)
        if not runs:
            continue
        # An end mark holds no letters: it is on the page of the letter before it.
        wanted = max(place.offset + place.first_word - 1, 0)
        found[mention] = max((page for page, before in runs if before <= wanted), default=runs[0][0])
    return found


def before_index(pages: Sequence[Sheet]) -> int:
    """The pages before the index (or a proof's list of queries, when there is no index)."""
    first = first_pages(pages)
    return first.get(ids.INDEX, first.get(ids.QUERIES, len(pages)))


def events_kept(book: Book, pages: dict[str, int], again: dict[str, int], start: int) -> bool:
    """Whether every event of a chronology laid out again in pass 2 (``again``, from page
    ``start``) is on its page of pass 1, where the text's page references to it found it."""
    events = (ids.event(event.id) for event in book.chronology)
    return all(pages[name] == start + again[name] for name in events if name in again)


def body_folios(mentions: dict[str, int], folio: Callable[[int], int]) -> dict[str, int]:
    """The folios of the mentions on pages of the body and after it (folio 1 and on)."""
    return {key: folio(index) for key, index in mentions.items() if folio(index) >= 1}


def folio_of(first: int) -> Callable[[int], int]:
    """Page index -> printed folio: arabic 1 is the first page of the body (``first``)."""
    return lambda index: index - first + 1


def notes_heads(
    book: Book, document: Sequence[Sheet], pages: dict[str, int], folio: Callable[[int], int]
) -> dict[str, str]:
    """For the first note that starts on each notes page, the head of that page."""
    notes = {note.id: note for note in book.notes}
    words = book.meta.words
    heads = {}
    for number, page in enumerate(document[pages[ids.NOTES] :], start=pages[ids.NOTES]):
        on_page = [notes[a] for a in page.anchors if a in notes]
        if not on_page:
            continue
        cited = sorted(folio(pages[note.ref_id()]) for note in on_page)
        span = page_range(cited[0], cited[-1], book.meta.language)
        head = words.notes_to_pages if cited[0] != cited[-1] else words.notes_to_page
        starts_here = [n for n in on_page if pages[n.id] == number]
        if starts_here:
            heads[starts_here[0].id] = head.format(span=span)
    return heads


def labels(pages: dict[str, int], first: int) -> dict[str, str]:
    """Element id -> the folio printed on its page, roman before the body (``first``)."""
    label = PrintLayout((), {}, first).label
    return {key: label(index) for key, index in pages.items()}


def second_pass(
    book: Book,
    sheets: Sequence[Sheet],
    found: tuple[dict[str, int], dict[str, int]],
    queries: tuple[ProofQuery, ...] = (),
) -> tuple[int, Facts] | None:
    """Where pass 2 begins and what pass 1 tells it (``Facts``), from pass 1's pages
    (``sheets``), the first page of every element id and the page of every mention
    (``found``): the chronology when two passages of an event share a page, the notes, the
    index (and a proof's list of ``queries``). None: nothing to lay out again."""
    pages, mentions = found
    again = [name for name in (ids.NOTES, ids.INDEX, ids.QUERIES) if name in pages]
    body = pages[book.first_body_id]
    if book.chronology and shares_pages(book, labels(pages, body)):
        again.insert(0, ids.CHRONOLOGY)  # its pages written in, each once (chronology.py)
    if not again:
        return None
    folio = folio_of(body)
    facts = Facts(
        heads=notes_heads(book, sheets, pages, folio) if book.notes else {},
        folios={key: folio(index) for key, index in {**pages, **mentions}.items() if index >= body},
        labels=labels(pages, body),
        queries=queries,
    )
    return pages[again[0]], facts


def moved_facts(facts: Facts, moved: dict[str, int], body: int) -> Facts:
    """``facts`` with the folios of mentions that pass 2 moved (the chronology laid out anew)."""
    return replace(facts, folios={**facts.folios, **body_folios(moved, folio_of(body))})


def second_holds(
    book: Book, pages: dict[str, int], first: Sequence[Sheet], second: Sequence[Sheet], start: int
) -> bool:
    """Whether pass 2's pages (``second``, from page ``start``) leave pass 1's before them as
    they are: the pages before the index the same count, every event on its pass 1 page."""
    return before_index(second) == before_index(first) - start and events_kept(
        book, pages, first_pages(second), start
    )
