"""One part of the book laid out and drawn on its own, in a worker process or at home
(issue 18 item 1: ``parts.py`` plans the parts and joins them).

A part is one or more divisions of pass 1 (``html.part_html``), or pass 2's back matter
(``html.back_html``). It settles as it would in the whole book (``settle.py``), its first page
numbered from ``folio``, its page references to targets outside it written in (``known``).
Given the keeps of an earlier layout of it, it is laid out once with them (its folio moved,
nothing else: the same pages). Its pages are drawn by WeasyPrint as a PDF of their own; the
links to other parts are kept (WeasyPrint drops a link to an anchor it does not have: the
missing ones are added on its last page, and ``join.py`` points them to their parts). What the
book needs of it comes back with it: each page's ids, text, bookmarks and pictures, the places
of its index mentions, its keeps, and the warnings the layout logged. Importing this module
imports WeasyPrint.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from lxml import etree

from build_tools.layout.boxes import PageText
from build_tools.layout.gcpolicy import layout_collection
from build_tools.layout.html import Facts, PrintDocument, back_html, book_divisions, part_html
from build_tools.layout.images import resolutions
from build_tools.layout.settle import Keeps, Settled, once, settled
from build_tools.layout.weasy import Renderer
from build_tools.model import Book
from build_tools.textpos import Place

Bookmark = tuple[int, str, tuple[float, float], str]  # WeasyPrint's: level, label, point, state


@dataclass(frozen=True)
class PartTask:
    """A part to lay out: the ids of its divisions (none: pass 2's back matter, ``facts``), its
    first folio, the printed pages of the targets outside it, the gutter, the pages before it
    in the book and the index of the body's first page, and the keeps of its settled layout
    (None: it settles)."""

    names: tuple[str, ...]
    folio: int
    known: dict[str, str]
    inside: float
    before: tuple[int, int]
    family: str = ""
    keeps: Keeps | None = None
    facts: Facts | None = None
    variant: str | None = None  # the PDF variant the pages are drawn in

    @property
    def place(self) -> tuple[int, int]:
        """What the part's pages depend on of ``before``: a part of the body or after it, only
        where it begins from the body's first page (its folios), which a front matter two pages
        longer does not move; one before the body, both (its roman folios end there)."""
        start, body = self.before
        return (start - body, 0) if start >= body else (start, body)


@dataclass(frozen=True)
class PartPages:
    """A part laid out and drawn: its PDF (its pages, the turn to the next part left out) and
    what the book needs of each page and of the whole."""

    task: PartTask
    pdf: bytes
    anchors: list[tuple[str, ...]]  # the element ids on each page, in WeasyPrint's order
    texts: list[PageText]
    bookmarks: list[list[Bookmark]]
    heights: list[float]
    resolutions: list[tuple[int, str, float]]
    mentions: dict[str, Place]
    keeps: Keeps
    targets: frozenset[str]  # the page references' and the contents' targets, wherever they are
    logged: list[tuple[str, int, str]] = field(default_factory=list)  # logger, level, message
    split: list[tuple[int, str]] = field(default_factory=list)  # its ``split_words``: the main process warns

    @property
    def count(self) -> int:
        return len(self.anchors)


@dataclass(frozen=True)
class Piece:
    """One part's drawn pages and the ids of its own elements."""

    pdf: bytes
    own: frozenset[str]


@dataclass(frozen=True)
class Joined:
    """The book's pages as parts to join (what ``PrintLayout.rendered`` holds for a layout in
    parts): their PDFs, each page's bookmarks and height, the resolution of each picture on
    each page (``images.low_resolution``)."""

    pieces: tuple[Piece, ...]
    bookmarks: tuple[list[Bookmark], ...]
    heights: tuple[float, ...]
    resolutions: tuple[tuple[int, str, float], ...]
    anchored: bool  # whether the last page has an element on it (is not blank)


def lay_out_part(renderer: Renderer, task: PartTask, capture: bool = False) -> PartPages:
    """``task`` laid out and drawn by ``renderer``; ``capture``: with the warnings its layout
    logged, kept for the main process (a worker's), not printed."""
    with _logged(capture) as logged:
        layout, tree = _settle(renderer, task)
        turn = 1 if task.names and tree.find(".//*[@data-turn]") is not None else 0
        pages = layout.document.pages[: len(layout.document.pages) - turn]
        anchors = [tuple(page.anchors) for page in pages]
        own = {name for names in anchors for name in names}
        wanted = {link[1] for page in pages for link in page.links if link[0] == "internal"}
        for name in sorted(wanted - own):  # kept by WeasyPrint, pointed to their parts by join.py
            pages[-1].anchors[name] = (0, 0, 0, 0)
        with layout_collection():
            pdf: bytes = layout.document.copy(pages).write_pdf(
                pdf_variant=task.variant, uncompressed_pdf=False
            )
    return PartPages(
        task,
        pdf,
        anchors,
        layout.texts[: len(pages)],
        [list(page.bookmarks) for page in pages],
        [page.height for page in pages],
        resolutions(pages),
        layout.mentions,
        layout.keeps,
        _targets(tree),
        logged,
        layout.split_words,
    )


def task_html(
    book: Book, task: PartTask, keeps: Keeps = frozenset(), elements: Sequence[etree._Element] = ()
) -> PrintDocument:
    """The print document of ``task``'s part, ``keeps`` kept; ``elements``: the book's
    divisions (``html.book_divisions``) if they are made already."""
    if task.facts is not None:
        return back_html(book, task.facts, keeps)
    return part_html(book, task.family, task.names, task.known, keeps, elements)


def _settle(renderer: Renderer, task: PartTask) -> tuple[Settled, etree._Element]:
    """The part settled (or laid out once with its keeps), and the tree of its HTML."""
    extra = f"@page :first {{ counter-reset: page {task.folio}; }}\n"
    elements = book_divisions(renderer.book, task.family, None)  # once, each layout its copies

    def make(keeps: Keeps) -> PrintDocument:
        return task_html(renderer.book, task, keeps, elements)

    if task.keeps is not None:
        layout = once(renderer, task.inside, make(task.keeps), task.keeps, extra, task.before)
    else:
        layout = settled(renderer, task.inside, make, frozenset(), extra, task.before)
    assert layout.tree is not None
    return layout, layout.tree


def _targets(tree: etree._Element) -> frozenset[str]:
    """What the part's printed page numbers point to: page references and the contents."""
    found = set()
    for link in tree.iter("a"):
        names = (link.get("class") or "").split()
        inside_nav = any(parent.tag == "nav" for parent in link.iterancestors())
        if inside_nav or any(name.startswith("xref-page") for name in names):
            found.add((link.get("href") or "#")[1:])
    return frozenset(found)


@contextmanager
def _logged(capture: bool) -> Iterator[list[tuple[str, int, str]]]:
    """The warnings logged meanwhile, kept (not printed), if ``capture``: the main process logs
    those of the layouts it keeps."""
    logged: list[tuple[str, int, str]] = []
    if not capture:
        yield logged
        return

    class _Kept(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append((record.name, record.levelno, record.getMessage()))

    handler, root = _Kept(logging.WARNING), logging.getLogger()
    root.addHandler(handler)
    try:
        yield logged
    finally:
        root.removeHandler(handler)
