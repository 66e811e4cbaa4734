"""The print view's layouts, as its worker processes run them: the whole book (``lay_out``) and
one section alone where the last whole layout put it (``lay_out_part``: a quick proof), each
returned as a PDF with where its parts start. Importing this module imports none of WeasyPrint:
the worker functions import it, in the worker.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from build_tools import ids
from build_tools.errors import BookError
from build_tools.interrupt import worker_signals
from build_tools.model import Book, Placement, PrintLayout

BACK_MATTER = ids.BACK_MATTER
SECTION = ids.section(0)[:-1]  # "sec-": the parts a quick proof lays out alone


@dataclass(frozen=True)
class Layout:
    """One layout of the whole book: the PDF and where each part (``sec-N``, ``notes``…) starts."""

    version: int
    pdf: bytes
    parts: tuple[tuple[str, int], ...]
    page_count: int
    first_text_page: int = 0
    known: Mapping[str, str] = field(default_factory=dict)  # element id -> its folio

    def pages_of(self, part: str) -> range | None:
        """The indexes of the pages of a part, up to the start of the next part."""
        starts = dict(self.parts)
        if part not in starts:
            return None
        first = starts[part]
        later = [start for _, start in self.parts if start > first]
        return range(first, min(later, default=self.page_count))

    def placement(self, part: str) -> Placement | None:
        """Where this layout put a section, for a layout of it alone; None for another part."""
        start = dict(self.parts).get(part)
        if start is None or not part.startswith(SECTION):
            return None
        return Placement(start, self.first_text_page, self.page_count, self.known)


@dataclass(frozen=True)
class Proof:
    """One section laid out alone (a quick proof), shown until the whole layout is done: its
    PDF, and the index its first page has in the whole layout (its pages are numbered so)."""

    version: int
    part: str
    start: int
    pdf: bytes
    page_count: int

    @property
    def pages(self) -> range:
        return range(self.start, self.start + self.page_count)


def lay_out(book: Book, styles: Path, version: int, out: Path | None = None) -> Layout | str:
    """The book's print layout as a PDF, or the message of the error that stopped it: from the
    layout cache of the output folder ``out`` (``writers/pdf/cache.py``) when a build or an
    earlier preview laid out the same, else laid out and kept there, as ``book build pdf``
    (``--proof`` when queries are open) writes it.

    Runs in the worker process. The message is returned, not raised: a ``BookError`` crossing
    the process boundary would lose its location.
    """
    from build_tools.libraries import install

    install()  # before WeasyPrint's import, as the console script does: no gcc (libraries.py)
    from build_tools.layout.trialpool import cores
    from build_tools.writers.pdf.cache import LayoutCache, lay_out_kept
    from build_tools.writers.pdf.partcache import PartCache, parts_base
    from build_tools.writers.pdf.trialcache import TrialCache
    from build_tools.writers.pdf.writer import PdfWriter

    proof = bool(book.queries)  # the proof's pages when queries are open: as the editor prints them
    cache = LayoutCache(out) if out is not None else None
    key = cache.key(book, styles, book.meta.print_profile, proof) if cache else ""
    if cache and (hit := cache.get(key)) is not None:
        return _layout(book, version, hit.layout, hit.pdf.read_bytes())
    trials = TrialCache(out, styles) if out is not None else None
    # In parts, by the machine's cores, with the parts of earlier layouts (partbook.py): after a
    # save, the section saved is laid out again, and what prints its pages.
    parts = PartCache(out, parts_base(book, styles, book.meta.print_profile)) if out is not None else None
    try:
        layout, warnings, logged = lay_out_kept(book, styles, None, proof, trials, cores(), parts)
        pdf = PdfWriter(None, proof).finished(book, layout)
    except BookError as error:
        return error.format_message()
    if cache and trials:
        cache.put(key, pdf, layout, warnings, logged)
        trials.save()
    return _layout(book, version, layout, pdf)


def _layout(book: Book, version: int, layout: PrintLayout, pdf: bytes) -> Layout:
    anchors = layout.places
    parts = sorted(((part, anchors[part]) for part in _parts(book) if part in anchors), key=lambda p: p[1])
    # The folios a section laid out alone prints for targets outside it (not the index's mentions).
    known = {key: layout.label(index) for key, index in anchors.items() if not ids.is_mention(key)}
    return Layout(version, pdf, tuple(parts), len(layout.pages), layout.first_text_page, known)


def lay_out_part(book: Book, styles: Path, version: int, part: str, placement: Placement) -> Proof | str:
    """The section ``part`` laid out alone where ``placement`` says (a quick proof), or the
    message of the error that stopped it. Runs in the worker process, as ``lay_out``."""
    from build_tools.libraries import install

    install()
    from build_tools.layout.partial import lay_out_section

    section = next((s for s in book.sections if s.id == part), None)
    if section is None:
        return f"no section {part} in the book"
    try:
        document = lay_out_section(book, styles, section, placement, bool(book.queries))
    except BookError as error:
        return error.format_message()
    return Proof(version, part, placement.start, document.write_pdf(), len(document.pages))


def warm_up() -> None:
    """Import what a quick proof needs, WeasyPrint and the fonts' libraries, in a worker started
    before the first save (a second and more that its first quick proof would wait)."""
    from build_tools.libraries import install

    install()
    import build_tools.layout.partial  # noqa: F401


def _parts(book: Book) -> list[str]:
    return [section.id for section in book.sections] + list(BACK_MATTER) + [i.id for i in book.index_list[1:]]


def new_pool() -> ProcessPoolExecutor:
    """A worker process, started on its first task (one process, spawned: forking a process
    that runs threads may deadlock it)."""
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_start)


def _worker_start() -> None:
    worker_signals()  # the server stops the worker itself
    from build_tools.layout.trialpool import end_with_parent

    end_with_parent()  # a server killed (SIGKILL) or hung up on (SIGHUP) never stops it
