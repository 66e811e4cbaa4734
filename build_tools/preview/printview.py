"""The print view: the printed pages of a part of the book, as images laid out in spreads.

The pages come from the real print layout (``paginate.lay_out``: the same HTML, CSS and fonts
as ``book build pdf``), laid out in worker processes (``printjobs.py``) so that the server, and
the parse of the next save, never wait for WeasyPrint. The PDF is rasterized with pypdfium2
page by page when a page is first asked for, and the images are kept until the next layout.

The whole book takes several layouts (a minute and more at 400 pages), so it has a worker of
its own, which lays out one book at a time: the latest asked for, once the one under way is
done. The other worker lays out the section on view alone (``layout/partial.py``: one
WeasyPrint layout, its first page on the side and with the folio the last whole layout gave it,
its page references from that layout) as soon as a save changes it, from the section parsed
alone, without waiting for the whole book's re-read or for the whole layout under way: its
pages are shown at once, marked as a quick proof, until a whole layout as new as it replaces
them (issue 18 item 3).
"""

from __future__ import annotations

import io
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from html import escape
from pathlib import Path
from typing import TypeVar

import pypdfium2 as pdfium

from build_tools.lang.labels import ENGLISH, Labels
from build_tools.model import Book, Section
from build_tools.preview.printjobs import SECTION, Layout, Proof, lay_out, lay_out_part, new_pool, warm_up

SCALE = 1.5  # pixels per PDF point: a 6 × 9 in page is 648 × 972 pixels
_T = TypeVar("_T")


@dataclass(frozen=True)
class Asked:
    """A quick proof asked for: the section ``part`` of ``book``, the newest book (it may hold
    a section parsed alone), of ``version``, with the styles of version ``styles``."""

    book: Book
    version: int
    part: str
    styles: int

    def key(self) -> tuple[str, int, Section] | None:
        """What its pages depend on (a proof of the same key is not made twice), or None if
        the book has no such section."""
        section = next((s for s in self.book.sections if s.id == self.part), None)
        return (self.part, self.styles, section) if section is not None else None


class _Worker:
    """A worker process, started on its first task, and what it runs."""

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.running: object | None = None  # what the task under way lays out
        self.version: int | None = None  # and of which version of the book

    def submit(self, task: object, version: int, function: Callable[..., _T], *args: object) -> Future[_T]:
        if self.pool is None:
            self.pool = new_pool()
        self.running, self.version = task, version
        return self.pool.submit(function, *args)

    def done(self) -> None:
        self.running = self.version = None

    def warm(self) -> None:
        """Start the process and its imports before its first task (``warm_up``)."""
        if self.pool is None:
            self.pool = new_pool()
            self.pool.submit(warm_up)

    def broken(self) -> None:
        """The process died (killed, out of memory): the next task starts another."""
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=False)

    def close(self) -> ProcessPoolExecutor | None:
        """Stop the process, whatever it lays out (a whole layout of 800 pages takes minutes,
        and nobody will look at it): the pool, to be shut down once the lock is let go."""
        pool, self.pool = self.pool, None
        if pool is not None:
            # The executor has no public way to stop a task under way: its processes, by pid.
            processes: dict[int, multiprocessing.Process] = getattr(pool, "_processes", None) or {}
            for process in list(processes.values()):
                process.terminate()
        return pool


class PrintView:
    """Lays the book out on request, in worker processes, and serves its pages as PNG images:
    the last whole layout's, or a quick proof's of the section on view, newer than it."""

    def __init__(
        self, styles: Path, notify: Callable[[], None] = lambda: None, out: Path | None = None
    ) -> None:
        self.styles = styles
        self.notify = notify
        self.out = out  # the output folder whose layout cache the whole layouts use
        self._lock = threading.Lock()  # guards the state below, and pdfium (not thread-safe)
        self._whole, self._quick = _Worker(), _Worker()
        self._wanted: tuple[Book, int] | None = None  # the latest book read whole asked for
        self._asked: Asked | None = None  # the quick proof to make once the one under way is done
        self._layout: Layout | None = None
        self._failed: tuple[int, str] | None = None
        self._pdf: pdfium.PdfDocument | None = None
        self._images: dict[int, bytes] = {}
        self._proof: Proof | None = None
        self._proof_key: object = None  # its Asked.key()
        self._proof_pdf: pdfium.PdfDocument | None = None
        self._proof_images: dict[int, bytes] = {}
        self._closed = False

    def request(
        self,
        book: Book,
        version: int,
        part: str | None = None,
        latest: tuple[Book, int] | None = None,
        styles: int = 0,
    ) -> None:
        """Lay out ``book``, read whole, unless its layout for ``version`` is done or under way
        (the latest asked for is laid out after the one under way); and the section ``part`` of
        ``latest`` (the newest book and its version, ``book``'s by default) alone, if the last
        whole layout placed it and is older, and no proof of the same is shown or under way."""
        newest, newest_version = latest or (book, version)
        asked = Asked(newest, newest_version, part, styles) if part and part.startswith(SECTION) else None
        with self._lock:
            if self._closed:
                return
            self._wanted = (book, version)
            whole = self._start_whole()
            quick = self._start_quick(asked) if asked is not None else None
        self._when_done(whole, quick)

    def _when_done(
        self, whole: tuple[Future[Layout | str], int] | None, quick: tuple[Future[Proof | str], Asked] | None
    ) -> None:
        """Callbacks for the layouts just started, after the lock is let go: a future already
        done calls back at once, in this thread."""
        if whole is not None:
            whole[0].add_done_callback(partial(self._finished, whole[1]))
        if quick is not None:
            quick[0].add_done_callback(partial(self._proved, quick[1]))

    def _done(self) -> set[int | None]:
        """The versions whose whole layout is done, or failed."""
        return {self._layout.version if self._layout else None, self._failed[0] if self._failed else None}

    def _start_whole(self) -> tuple[Future[Layout | str], int] | None:
        """The whole layout of the latest book asked for, unless done or another under way (the
        lock held)."""
        if self._wanted is None or self._whole.running is not None or self._wanted[1] in self._done():
            return None
        book, version = self._wanted
        # The other worker's imports while this one lays out: the first save's proof is not slower.
        self._quick.warm()
        return self._whole.submit(version, version, lay_out, book, self.styles, version, self.out), version

    def _start_quick(self, asked: Asked) -> tuple[Future[Proof | str], Asked] | None:
        """The quick proof ``asked``, if it is wanted and the quick worker is free; if it is busy,
        ``asked`` is made next (the lock held)."""
        layout = self._layout
        placement = layout.placement(asked.part) if layout else None
        key = asked.key()
        if placement is None or layout is None or asked.version <= layout.version or key is None:
            return None  # nothing placed it yet, or the whole layout has it
        if key in (self._proof_key, self._quick.running):
            return None
        if self._quick.running is not None:
            self._asked = asked
            return None
        future = self._quick.submit(
            key, asked.version, lay_out_part, asked.book, self.styles, asked.version, asked.part, placement
        )
        return future, asked

    def _outcome(self, future: Future[_T], worker: _Worker) -> _T | str:
        """The worker's result, or the message of its death (the next task starts another)."""
        try:
            return future.result()
        except Exception as exc:  # the worker died (killed, out of memory)
            with self._lock:
                worker.broken()
            return f"the print layout failed: {type(exc).__name__}: {exc}"

    def _proved(self, asked: Asked, future: Future[Proof | str]) -> None:
        """A quick proof is done: show it unless a whole layout as new landed meanwhile (a
        failure is the whole layout's to report), and make the next one asked for."""
        if future.cancelled():
            return
        result = self._outcome(future, self._quick)
        with self._lock:
            self._quick.done()
            if self._closed:
                return
            layout = self._layout
            if isinstance(result, Proof) and (layout is None or result.version > layout.version):
                self._drop_proof()
                self._proof, self._proof_key = result, asked.key()
                self._proof_pdf = pdfium.PdfDocument(result.pdf)
            following, self._asked = self._asked, None
            quick = self._start_quick(following) if following is not None else None
        self._when_done(None, quick)
        self.notify()

    def _finished(self, version: int, future: Future[Layout | str]) -> None:
        """A whole layout is done: show it, and lay out the latest book asked for if it is newer."""
        if future.cancelled():
            return
        result = self._outcome(future, self._whole)
        with self._lock:
            self._whole.done()
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
            whole = self._start_whole()
        self._when_done(whole, None)
        self.notify()

    def _drop_proof(self) -> None:
        if self._proof_pdf is not None:
            self._proof_pdf.close()
        self._proof, self._proof_key, self._proof_pdf, self._proof_images = None, None, None, {}

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

    @property
    def page_count(self) -> int:
        """The pages of the last whole layout (0 before the first)."""
        with self._lock:
            return self._layout.page_count if self._layout else 0

    def view(self, part: str, labels: Labels = ENGLISH) -> str:
        """The print view of a part: its status, then its pages in spreads (the latest layout,
        or the quick proof of the part that came after it)."""
        with self._lock:
            layout, failed, proof = self._layout, self._failed, self._proof
            if proof is not None and (proof.part != part or (layout and layout.version >= proof.version)):
                proof = None
            pdf = self._proof_pdf if proof is not None else self._pdf
            size = pdf[0].get_size() if pdf is not None and len(pdf) else (0, 0)
            wanted = self._wanted is not None and self._wanted[1] not in self._done()
            alone = self._quick.version
            updating = wanted or (alone is not None and (layout is None or alone > layout.version))
        html = []
        if proof is not None or updating:  # a quick proof says so, the whole layout under way or not
            doing = escape(labels.quick_proof if proof else labels.updating if layout else labels.laying_out)
            quick = " print-quick" if proof else ""
            state = ' data-state="updating"' if updating else ""
            html.append(f'<p class="print-status{quick}" role="status"{state}>{doing}</p>')
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
        """Stop the workers, a layout under way with them, and let go of the pages."""
        with self._lock:
            self._closed = True
            pools = [self._whole.close(), self._quick.close()]
            if self._pdf is not None:
                self._pdf.close()
                self._pdf = None
            self._drop_proof()
        for pool in pools:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


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
