"""The print layout as a stage: ``lay_out`` turns a Book into a PrintLayout, once.

Pass 1 lays out the whole book, the index as a stub (its opening page), so that the contents
gets every page number; the chronology's page references are target-counters, resolved in the
same layout. The notes' running heads ("Notes to pages 12–15") and the index's locators
(deduplicated, with ranges) need the pages of pass 1: pass 2 lays out the notes and the index
alone with those numbers written in, and its pages replace pass 1's; the chronology too when two
passages of an event share a page, so that the page prints once (``chronology.py``). The text is laid out once
(REFERENCE.md §2), unless a page turn splits a word: each layout, of pass 1 as of pass 2, is
done again with every word it split across a page turn kept whole (``keeps.py``), until none
is, ``MAX_LAYOUTS`` times at most (a page still split is a warning); in a proof, also until no
block moves a query's note off its marker's page (``proofs.py``). The first layout's runts and
loose lines are set again in the next (``compose.py``, ``respace.py``), which the page turns of
the first may not need: one layout more at most; a paragraph that a word kept whole would
leave a runt is set again with the keep, in the same layout. The notes keep their length (running
heads are in the margin); if they did not, the whole book is laid out again, as it is when the
book has two indexes or more (the contents prints the page of each). Importing this module
imports WeasyPrint.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from weasyprint import Document
from weasyprint.document import Page

from build_tools.design.coverage import used_fonts
from build_tools.design.fonts import read_fonts
from build_tools.design.profiles import PROFILES
from build_tools.errors import BookError
from build_tools.lang.frontmatter import typefaces
from build_tools.layout.boxes import PageText
from build_tools.layout.folios import (
    first_pages,
    folio_of,
    mention_pages,
    moved_facts,
    second_holds,
    second_pass,
)
from build_tools.layout.html import back_html, book_html
from build_tools.layout.partbook import lay_out_in_parts
from build_tools.layout.parts import NoStore, PartStore
from build_tools.layout.partwork import Joined, Piece
from build_tools.layout.proofs import proof_css
from build_tools.layout.settle import Keeps, settled, warn_split
from build_tools.layout.trialpool import TrialPool
from build_tools.layout.trials import TrialStore
from build_tools.layout.weasy import Renderer
from build_tools.model import Book, PageStart, PrintLayout

FIRST_GUTTER = 0.875  # inches: the printers' gutter for the longest books, tried first


def lay_out(
    book: Book,
    styles: Path,
    profile: str | None = None,
    proof: bool = False,
    trials: TrialStore | None = None,
    jobs: int = 1,
    parts: PartStore | None = None,
) -> PrintLayout:
    """The book laid out for ``profile`` (the book's own printer by default), with the blank
    pages the printer asks for at the end; a ``proof`` shows the editorial queries (proofs.py).
    ``trials``: the settings of earlier trials of paragraphs (trials.py), which this one adds to;
    ``jobs``: the processes that lay out (the book in parts: partbook.py, or the trials in
    parallel: trialpool.py); ``parts``: the parts laid out by earlier builds (parts.py)."""
    name = profile or book.meta.print_profile
    fonts = used_fonts(book, read_fonts(styles))
    renderer = Renderer(book, styles, PROFILES[name], fonts, proof_css(book.meta.words) if proof else "")
    if trials is not None:
        renderer.trials = trials
    family = typefaces(fonts, book.meta.words)
    parted = None
    if jobs > 1 and not proof:  # in parts, in parallel: the same pages (partbook.py)
        parted = lay_out_in_parts(
            book, renderer, (styles, name, FIRST_GUTTER), family, jobs, parts or NoStore()
        )
    if jobs > 1 and parted is None:
        renderer.pool = TrialPool(renderer, styles, name, proof, jobs - 1)
    try:
        return _padded(book, renderer, family, proof, parted)
    finally:
        if renderer.pool is not None:
            renderer.pool.close()


def _padded(
    book: Book, renderer: Renderer, family: str, proof: bool, parted: PrintLayout | None
) -> PrintLayout:
    """The book laid out (``parted``: in parts, ``partbook.py``), with the blank pages at the
    end its printer asks for."""
    layout = parted or _passes(book, renderer, family, FIRST_GUTTER, proof=proof)
    rendered = layout.rendered
    if isinstance(rendered, Joined):
        anchored = rendered.anchored
    else:
        assert isinstance(rendered, Document)
        anchored = bool(rendered.pages[-1].anchors)
    added = _padding(renderer, len(layout.pages), anchored)
    if added is None:
        return layout
    pair, padding = added
    blank = tuple(PageStart(layout.label(len(layout.pages) + n), "") for n in range(len(padding)))
    pages = layout.pages + blank
    if isinstance(rendered, Document):
        return PrintLayout(
            pages, layout.places, layout.first_text_page, rendered.copy(rendered.pages + padding)
        )
    drawn = pair.copy(padding).write_pdf(pdf_variant=renderer.profile.pdf_variant)
    more = replace(
        rendered,
        pieces=(*rendered.pieces, Piece(drawn, frozenset())),
        bookmarks=rendered.bookmarks + tuple([] for _ in padding),
        heights=rendered.heights + tuple(page.height for page in padding),
    )
    return PrintLayout(pages, layout.places, layout.first_text_page, more)


def _passes(
    book: Book, renderer: Renderer, family: str, inside: float, kept: Keeps = frozenset(), proof: bool = False
) -> PrintLayout:
    first = settled(renderer, inside, lambda keeps: book_html(book, family, None, keeps, proof), kept)
    warn_split(first.split_words)
    document, texts, kept = first.document, first.texts, first.keeps
    needed = renderer.profile.gutter_for(len(document.pages))
    if needed is None:
        raise BookError(
            f"{len(document.pages)} pages is more than {renderer.profile.title} prints "
            f"({renderer.profile.max_pages})"
        )
    if needed > inside:  # the printer's gutter grows with the page count
        return _passes(book, renderer, family, needed, kept, proof)
    pages = first_pages(document.pages)
    mentions = mention_pages(first.mentions, texts)
    body = pages[book.first_body_id]
    if (planned := second_pass(book, document.pages, (pages, mentions), first.queries)) is not None:
        start, facts = planned
        restart = f"@page :first {{ counter-reset: page {folio_of(body)(start)}; }}\n"
        where = (start, body)  # the pages before pass 2's in the book, the body's first
        second = settled(
            renderer, inside, lambda keeps: back_html(book, facts, keeps, proof), kept, restart, where
        )
        warn_split(second.split_words, start)
        moved = mention_pages(first.mentions, texts[:start] + second.texts)
        if moved != mentions:  # the chronology laid out anew moved a name: lay out its locator again
            mentions, facts = moved, moved_facts(facts, moved, body)
            second = settled(
                renderer, inside, lambda keeps: back_html(book, facts, keeps, proof), kept, restart, where
            )
            warn_split(second.split_words, start)
        # Of two indexes or more, pass 1's stubs gave the contents wrong pages for all but the
        # first: only a whole layout, with them full, prints each index's page there.
        if len(book.index_list) < 2 and second_holds(
            book, pages, document.pages, second.document.pages, start
        ):
            # Pages before `start` are pass 1's, and the back matter keeps its length: only its
            # pages need reading, and the mentions in it have theirs (`moved`).
            document = document.copy(document.pages[:start] + second.document.pages)
            texts = texts[:start] + second.texts
        else:  # the notes changed length, an event its page, or two indexes: lay out the whole book again
            whole = settled(
                renderer, inside, lambda keeps: book_html(book, family, facts, keeps, proof), second.keeps
            )
            warn_split(whole.split_words)
            document, texts = whole.document, whole.texts
            mentions = mention_pages(whole.mentions, texts)
        pages = first_pages(document.pages)
    return _result(document, pages, mentions, texts, pages[book.first_body_id])


def _result(
    document: Document, pages: dict[str, int], mentions: dict[str, int], texts: list[PageText], first: int
) -> PrintLayout:
    layout = PrintLayout((), {**pages, **mentions}, first)
    starts = tuple(PageStart(layout.label(index), *text.first) for index, text in enumerate(texts))
    return PrintLayout(starts, layout.places, first, document)


def _padding(renderer: Renderer, count: int, anchored: bool) -> tuple[Document, list[Page]] | None:
    """Blank pages at the end of ``count`` (the last ``anchored``: not blank): an even count,
    and a blank last page where the printer asks, and the document they are pages of (None:
    no page to add)."""
    profile = renderer.profile
    blanks = 1 if profile.final_blank and anchored else 0
    if (count + blanks) % 2:
        blanks += 1
    if not blanks:
        return None
    # Two blank pages, a recto then a verso, so that each added page has its side's bleed.
    inside = profile.gutter_for(count) or FIRST_GUTTER
    pair = renderer.render(
        '<!DOCTYPE html><html><body><div style="break-after: page"></div><div></div></body></html>',
        max(inside, FIRST_GUTTER),
    )
    return pair, [pair.pages[(count + i) % 2] for i in range(blanks)]
