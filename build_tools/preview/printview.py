"""The print view: the printed pages of a part of the book, as images laid out in spreads.

The pages come from the real print layout (``paginate.lay_out``: the same HTML, CSS and fonts
as ``book build pdf``), laid out in a worker process so that the server, and the parse of the
next save, never wait for WeasyPrint. The PDF is rasterized with pypdfium2 page by page when a
page is first asked for, and the images are kept until the next layout. One layout runs at a
time: a change during a layout is laid out when the page asks again, after it is told the
layout is done.

After a save the whole book takes several layouts (30 s and more at 400 pages), so a section on
view is laid out alone first (``layout/partial.py``: one WeasyPrint layout, its first page on
the side and with the folio the last whole layout gave it, its page references from that
layout): its pages are shown at once, marked as a quick proof, then the whole book is laid out
in the same worker, for the latest book asked for, and replaces them (issue 18 item 3).
"""

from __future__ import annotations

import io
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from html import escape
from pathlib import Path
from typing import TypeVar

import pypdfium2 as pdfium

from build_tools import ids
from build_tools.errors import BookError
from build_tools.lang.labels import ENGLISH, Labels
from build_tools.model import Book, Placement

SCALE = 1.5  # pixels per PDF point: a 6 × 9 in page is 648 × 972 pixels
BACK_MATTER = ids.BACK_MATTER
_T = TypeVar("_T")
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


def lay_out(book: Book, styles: Path, version: int) -> Layout | str:
    """The book's print layout as a PDF, or the message of the error that stopped it.

    Runs in the worker process. The message is returned, not raised: a ``BookError`` crossing
    the process boundary would lose its location.
    """
    from build_tools.libraries import install

    install()  # before WeasyPrint's import, as the console script does: no gcc (libraries.py)
    from weasyprint import Document  # WeasyPrint is imported in the worker only

    from build_tools.layout.paginate import lay_out as paginate

    try:
        # The proof's pages when queries are open: the queries as the editor will print them.
        layout = paginate(book, styles, None, bool(book.queries))
    except BookError as error:
        return error.format_message()
    document = layout.rendered
    assert isinstance(document, Document)
    anchors = layout.places
    parts = sorted(((part, anchors[part]) for part in _parts(book) if part in anchors), key=lambda p: p[1])
    # The folios a section laid out alone prints for targets outside it (not the index's mentions).
    known = {key: layout.label(index) for key, index in anchors.items() if not ids.is_mention(key)}
    pdf = document.write_pdf()
    return Layout(version, pdf, tuple(parts), len(document.pages), layout.first_text_page, known)


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


def _parts(book: Book) -> list[str]:
    return [section.id for section in book.sections] + list(BACK_MATTER) + [i.id for i in book.index_list[1:]]


class PrintView:
    """Lays the book out on request, in a worker process, and serves its pages as PNG images:
    the last whole layout's, or a quick proof's of the section on view while the whole book is
    laid out again."""

    def __init__(self, styles: Path, notify: Callable[[], None] = lambda: None) -> None:
        self.styles = styles
        self.notify = notify
        self._lock = threading.Lock()  # guards the state below, and pdfium (not thread-safe)
        self._pool: ProcessPoolExecutor | None = None
        self._running: int | None = None  # the version laid out (whole or alone) in the worker
        self._wanted: tuple[Book, int] | None = None  # the latest book asked for
        self._layout: Layout | None = None
        self._failed: tuple[int, str] | None = None
        self._pdf: pdfium.PdfDocument | None = None
        self._images: dict[int, bytes] = {}
        self._proof: Proof | None = None
        self._proof_pdf: pdfium.PdfDocument | None = None
        self._proof_images: dict[int, bytes] = {}
        self._closed = False

    def request(self, book: Book, version: int, part: str | None = None) -> None:
        """Lay out ``book`` unless its layout for ``version`` is done or under way; first the
        section ``part`` alone, when the last whole layout placed it and it has no quick proof
        of this version yet. One layout at a time: the latest book asked for is laid out next."""
        with self._lock:
            self._wanted = (book, version)
            if self._closed or self._running is not None or version in self._done():
                return
            placement = self._layout.placement(part) if self._layout and part else None
            if placement is not None and part and not (self._proof and self._proof.version == version):
                quick = self._worker().submit(lay_out_part, book, self.styles, version, part, placement)
                self._running = version
                whole = None
            else:
                whole = self._submit_whole(book, version)
        # A future already done calls back at once, in this thread: after the lock is let go.
        if whole is not None:
            whole.add_done_callback(partial(self._finished, version))
        else:
            quick.add_done_callback(self._proved)

    def _done(self) -> set[int | None]:
        """The versions whose whole layout is done, or failed."""
        return {self._layout.version if self._layout else None, self._failed[0] if self._failed else None}

    def _worker(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = new_pool()
        return self._pool

    def _submit_whole(self, book: Book, version: int) -> Future[Layout | str]:
        """Start the whole layout of ``book`` (the lock held)."""
        future = self._worker().submit(lay_out, book, self.styles, version)
        self._running = version
        return future

    def _outcome(self, future: Future[_T]) -> _T | str:
        """The worker's result, or the message of its death (the next layout starts another)."""
        try:
            return future.result()
        except Exception as exc:  # the worker died (killed, out of memory): the next one retries
            with self._lock:
                broken, self._pool = self._pool, None
            if broken is not None:
                broken.shutdown(wait=False)
            return f"the print layout failed: {type(exc).__name__}: {exc}"

    def _proved(self, future: Future[Proof | str]) -> None:
        """A quick proof is done: show it (a failure is the whole layout's to report), and lay
        out the whole book, the latest asked for."""
        if future.cancelled():
            return
        result = self._outcome(future)
        whole = None
        with self._lock:
            self._running = None
            if self._closed:
                return
            if isinstance(result, Proof):
                if self._proof_pdf is not None:
                    self._proof_pdf.close()
                self._proof, self._proof_images = result, {}
                self._proof_pdf = pdfium.PdfDocument(result.pdf)
            assert self._wanted is not None
            book, version = self._wanted
            if version not in self._done():
                whole = self._submit_whole(book, version)
        if whole is not None:
            whole.add_done_callback(partial(self._finished, version))
        self.notify()

    def _finished(self, version: int, future: Future[Layout | str]) -> None:
        if future.cancelled():
            return
        result = self._outcome(future)
        with self._lock:
            self._running = None
            if self._closed:
                return
            if isinstance(result, str):
                self._failed = (version, result)
            else:
                if self._pdf is not None:
                    self._pdf.close()
                self._layout, self._failed, self._images = result, None, {}
                self._pdf = pdfium.PdfDocument(result.pdf)
            if self._proof is not None and self._proof.version <= version:  # replaced
                self._drop_proof()
        self.notify()

    def _drop_proof(self) -> None:
        if self._proof_pdf is not None:
            self._proof_pdf.close()
        self._proof, self._proof_pdf, self._proof_images = None, None, {}

    def image(self, version: int, index: int, part: str | None = None) -> bytes | None:
        """Page ``index`` of layout ``version`` as a PNG, or None if that layout is gone; with a
        ``part``, of that version's quick proof of the part (``index`` is the whole book's)."""
        with self._lock:
            if part is not None:
                proof, pdf, cache = self._proof, self._proof_pdf, self._proof_images
                if proof is None or pdf is None or (proof.version, proof.part) != (version, part):
                    return None
                pages, at = proof.pages, index - proof.start
            else:
                layout, pdf, cache = self._layout, self._pdf, self._images
                if layout is None or pdf is None or layout.version != version:
                    return None
                pages, at = range(layout.page_count), index
            if index not in pages:
                return None
            if index not in cache:
                bitmap = pdf[at].render(scale=SCALE)
                buffer = io.BytesIO()
                bitmap.to_pil().save(buffer, "PNG", compress_level=1)
                cache[index] = buffer.getvalue()
            return cache[index]

    def view(self, part: str, labels: Labels = ENGLISH) -> str:
        """The print view of a part: its status, then its pages in spreads (the latest layout,
        or the quick proof of the part that came after it)."""
        with self._lock:
            layout, running, failed, proof = self._layout, self._running, self._failed, self._proof
            if proof is not None and (proof.part != part or (layout and layout.version >= proof.version)):
                proof = None
            pdf = self._proof_pdf if proof is not None else self._pdf
            size = pdf[0].get_size() if pdf is not None and len(pdf) else (0, 0)
        html = []
        if running is not None:
            doing = escape(labels.quick_proof if proof else labels.updating if layout else labels.laying_out)
            quick = " print-quick" if proof else ""
            html.append(f'<p class="print-status{quick}" role="status" data-state="updating">{doing}</p>')
        elif failed is not None:
            message = escape(failed[1])
            html.append(f'<p class="print-status print-failed" role="alert">{message}</p>')
        width, height = round(size[0] * SCALE), round(size[1] * SCALE)
        if proof is not None:
            html += _spreads(proof.version, proof.pages, width, height, labels.printed_page, part)
        elif layout and (pages := layout.pages_of(part)) is not None:
            html += _spreads(layout.version, pages, width, height, labels.printed_page)
        return "\n".join(html)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
            if self._pdf is not None:
                self._pdf.close()
                self._pdf = None
            self._drop_proof()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def new_pool() -> ProcessPoolExecutor:
    """The worker process, started on the first task (one process, spawned: forking a process
    that runs threads may deadlock it)."""
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_start)


def _worker_start() -> None:
    # Ctrl+C reaches every process of the terminal's group: the server stops the worker itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A server killed (SIGKILL) or hung up on (SIGHUP) never stops it: the worker watches the
    # pipe that spawn leaves open from the server (its sentinel, readable once the server is
    # gone) and ends with it, instead of waiting for tasks forever. prctl's PR_SET_PDEATHSIG
    # would fire when the server's thread that started the worker ends, which is any thread.
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


def _spreads(
    version: int, pages: range, width: int, height: int, alt: str = ENGLISH.printed_page, proof: str = ""
) -> list[str]:
    """Pages side by side as in the open book: page index 0 is a right-hand page, alone;
    ``alt`` is the images' text, with ``{number}``; ``proof``: the part of a quick proof, whose
    images have URLs of their own (an image URL is immutable, the whole layout's comes later)."""
    folder = f"/print/{version}/{proof}/" if proof else f"/print/{version}/"
    spreads: dict[int, dict[str, int]] = {}
    for index in pages:
        spreads.setdefault((index + 1) // 2, {})["left" if index % 2 else "right"] = index
    html = []
    for spread in spreads.values():
        slots = []
        for side in ("left", "right"):
            if side not in spread:
                slots.append(f'<div class="page {side} blank" style="width:{width}px"></div>')
            else:
                number = spread[side] + 1
                text = escape(alt.format(number=number))
                slots.append(
                    f'<img class="page {side}" src="{folder}page-{number}.png" '
                    f'width="{width}" height="{height}" alt="{text}">'
                )
        html.append(f'<div class="spread">{"".join(slots)}</div>')
    return html
