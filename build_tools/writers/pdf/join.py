"""The parts of a book laid out apart (``layout/parts.py``) joined into one PDF, as WeasyPrint
writes one document: its pages in order, every link's named destination on its page, the
bookmarks as one outline.

Each part's PDF is WeasyPrint's, with the named destinations of its own elements and, on its
last page, of the targets of its links in other parts (``layout/partwork.py``): the joined file
names each element's destination from the part that holds it (the first, if two do, as
WeasyPrint takes the first anchor of a name), and the links, which name their destination,
find it. The outline is made as WeasyPrint makes it (``make_page_bookmark_tree`` over the
bookmarks of every page, in the PDF's units), so that a chapter stays under its part's title
whichever part each is in. The document information, language and PDF/X output intent are the
first part's (all parts have the book's).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from typing import Any

import pikepdf
from weasyprint.anchors import make_page_bookmark_tree
from weasyprint.matrix import Matrix

from build_tools.layout.partwork import Bookmark, Joined, Piece
from build_tools.writers.output import pdf_bytes

SCALE = 0.75  # PDF points per CSS pixel: WeasyPrint's at zoom 1


def joined_pdf(rendered: Joined) -> bytes:
    """The PDF of a layout in parts."""
    return join(rendered.pieces, rendered.bookmarks, rendered.heights)


def join(pieces: Sequence[Piece], bookmarks: Sequence[list[Bookmark]], heights: Sequence[float]) -> bytes:
    """One PDF of ``pieces``, in order, with every page's ``bookmarks`` in its outline."""
    with pikepdf.open(io.BytesIO(pieces[0].pdf)) as book:
        destinations: dict[str, tuple[int, list[Any]]] = {}
        offset = 0
        for number, piece in enumerate(pieces):
            part = book if number == 0 else pikepdf.open(io.BytesIO(piece.pdf))
            try:
                _destinations(part, piece.own, offset, destinations)
                if number:
                    with warnings.catch_warnings():  # the destinations are named again below
                        warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                        book.pages.extend(part.pages)
                offset += len(part.pages)
            finally:
                if number:
                    part.close()
        names = pikepdf.NameTree.new(book)
        for name in sorted(destinations):
            index, place = destinations[name]
            names[name] = pikepdf.Array([book.pages[index].obj, *place])
        book.Root.Names = pikepdf.Dictionary(Dests=names.obj)
        _outline(book, bookmarks, heights)
        return pdf_bytes(book)


def _destinations(
    part: pikepdf.Pdf, own: frozenset[str], offset: int, found: dict[str, tuple[int, list[Any]]]
) -> None:
    """The named destinations of ``part``'s own elements: the page's index in the book and the
    place on it (``/XYZ x y zoom``)."""
    if "/Names" not in part.Root or "/Dests" not in part.Root.Names:
        return
    pages = {page.obj.objgen: index for index, page in enumerate(part.pages)}
    for name, destination in pikepdf.NameTree(part.Root.Names.Dests).items():
        if name in own and name not in found:
            found[name] = (offset + pages[destination[0].objgen], list(destination[1:]))


def _outline(book: pikepdf.Pdf, bookmarks: Sequence[list[Bookmark]], heights: Sequence[float]) -> None:
    """The outline WeasyPrint would write for the book's pages (``pdf/anchors.add_outlines``)."""
    if "/Outlines" in book.Root:
        del book.Root.Outlines
    root: list[Any] = []
    skipped: list[int] = []
    last_by_depth: list[list[Any]] = [root]
    previous = 0
    for number, (marks, height) in enumerate(zip(bookmarks, heights, strict=True)):
        matrix = Matrix(a=SCALE, d=-SCALE, f=height * SCALE)
        previous = make_page_bookmark_tree(_Marks(marks), skipped, last_by_depth, previous, number, matrix)
    if not root:
        return
    outlines = book.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    first, last, count = _items(book, root, outlines)
    outlines.First, outlines.Last, outlines.Count = first, last, count
    book.Root.Outlines = outlines


def _items(book: pikepdf.Pdf, tree: list[Any], parent: pikepdf.Object) -> tuple[Any, Any, int]:
    """The outline items of ``tree`` under ``parent``: the first, the last, and the count of
    the items shown (an open item's children are)."""
    count = len(tree)
    made: list[pikepdf.Object] = []
    for title, (page, x, y), children, state in tree:
        item = book.make_indirect(
            pikepdf.Dictionary(
                Title=pikepdf.String(title),
                Dest=pikepdf.Array([book.pages[page].obj, pikepdf.Name.XYZ, x, y, 0]),
                Parent=parent,
            )
        )
        if children:
            item.First, item.Last, shown = _items(book, children, item)
        else:
            shown = 0
        item.Count = -shown if state == "closed" else shown
        count += 0 if state == "closed" else shown
        if made:
            item.Prev, made[-1].Next = made[-1], item
        made.append(item)
    return made[0], made[-1], count


class _Marks:
    """A page as ``make_page_bookmark_tree`` reads it."""

    def __init__(self, bookmarks: list[Bookmark]) -> None:
        self.bookmarks = bookmarks
