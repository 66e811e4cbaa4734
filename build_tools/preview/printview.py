"""The print view: the printed pages of a part of the book, as images laid out in spreads.

The pages come from the real print layout (``PdfWriter.render``: the same HTML, CSS and fonts as
``book build pdf``), laid out in a worker process so that the server, and the parse of the next
save, never wait for WeasyPrint. The PDF is rasterized with pypdfium2 page by page when a page is
first asked for, and the images are kept until the next layout. One layout runs at a time: a
change during a layout is laid out when the page asks again, after it is told the layout is done.
"""

from __future__ import annotations

import io
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from html import escape
from pathlib import Path

import pypdfium2 as pdfium

from build_tools import ids
from build_tools.errors import BookError
from build_tools.lang.labels import ENGLISH, Labels
from build_tools.model import Book

SCALE = 1.5  # pixels per PDF point: a 6 × 9 in page is 648 × 972 pixels
BACK_MATTER = ids.BACK_MATTER


@dataclass(frozen=True)
class Layout:
    """One layout of the whole book: the PDF and where each part (``sec-N``, ``notes``…) starts."""

    version: int
    pdf: bytes
    parts: tuple[tuple[str, int], ...]
    page_count: int

    def pages_of(self, part: str) -> range | None:
        """The indexes of the pages of a part, up to the start of the next part."""
        starts = dict(self.parts)
        if part not in starts:
            return None
        first = starts[part]
        later = [start for _, start in self.parts if start > first]
        return range(first, min(later, default=self.page_count))


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
    return Layout(version, document.write_pdf(), tuple(parts), len(document.pages))


def _parts(book: Book) -> list[str]:
    return [section.id for section in book.sections] + list(BACK_MATTER) + [i.id for i in book.index_list[1:]]


class PrintView:
    """Lays the book out on request, in a worker process, and serves its pages as PNG images."""

    def __init__(self, styles: Path, notify: Callable[[], None] = lambda: None) -> None:
        self.styles = styles
        self.notify = notify
        self._lock = threading.Lock()  # guards the state below, and pdfium (not thread-safe)
        self._pool: ProcessPoolExecutor | None = None
        self._running: int | None = None
        self._layout: Layout | None = None
        self._failed: tuple[int, str] | None = None
        self._pdf: pdfium.PdfDocument | None = None
        self._images: dict[int, bytes] = {}
        self._closed = False

    def request(self, book: Book, version: int) -> None:
        """Lay out ``book`` unless its layout for ``version`` is done or under way."""
        with self._lock:
            done = {self._layout.version if self._layout else None}
            done.add(self._failed[0] if self._failed else None)
            if self._closed or self._running is not None or version in done:
                return
            if self._pool is None:
                self._pool = new_pool()
            future = self._pool.submit(lay_out, book, self.styles, version)
            self._running = version
        future.add_done_callback(partial(self._finished, version))

    def _finished(self, version: int, future: Future[Layout | str]) -> None:
        if future.cancelled():
            return
        try:
            result = future.result()
        except Exception as exc:  # the worker died (killed, out of memory): the next one retries
            result = f"the print layout failed: {type(exc).__name__}: {exc}"
            with self._lock:
                broken, self._pool = self._pool, None
            if broken is not None:
                broken.shutdown(wait=False)
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
        self.notify()

    def image(self, version: int, index: int) -> bytes | None:
        """Page ``index`` of layout ``version`` as a PNG, or None if that layout is gone."""
        with self._lock:
            if self._layout is None or self._pdf is None or self._layout.version != version:
                return None
            if not 0 <= index < self._layout.page_count:
                return None
            if index not in self._images:
                bitmap = self._pdf[index].render(scale=SCALE)
                buffer = io.BytesIO()
                bitmap.to_pil().save(buffer, "PNG", compress_level=1)
                self._images[index] = buffer.getvalue()
            return self._images[index]

    def view(self, part: str, labels: Labels = ENGLISH) -> str:
        """The print view of a part: its status, then its pages in spreads (the latest layout)."""
        with self._lock:
            layout, running, failed = self._layout, self._running, self._failed
            size = self._pdf[0].get_size() if self._pdf is not None and len(self._pdf) else (0, 0)
        html = []
        if running is not None:
            doing = escape(labels.updating if layout else labels.laying_out)
            html.append(f'<p class="print-status" role="status" data-state="updating">{doing}</p>')
        elif failed is not None:
            message = escape(failed[1])
            html.append(f'<p class="print-status print-failed" role="alert">{message}</p>')
        pages = layout.pages_of(part) if layout else None
        if layout and pages is not None:
            width, height = round(size[0] * SCALE), round(size[1] * SCALE)
            html += _spreads(layout.version, pages, width, height, labels.printed_page)
        return "\n".join(html)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
            if self._pdf is not None:
                self._pdf.close()
                self._pdf = None
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
    version: int, pages: range, width: int, height: int, alt: str = ENGLISH.printed_page
) -> list[str]:
    """Pages side by side as in the open book: page index 0 is a right-hand page, alone;
    ``alt`` is the images' text, with ``{number}``."""
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
                    f'<img class="page {side}" src="/print/{version}/page-{number}.png" '
                    f'width="{width}" height="{height}" alt="{text}">'
                )
        html.append(f'<div class="spread">{"".join(slots)}</div>')
    return html
