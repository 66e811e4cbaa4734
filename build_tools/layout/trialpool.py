"""The paragraphs' trials laid out in parallel (issue 18: ``book build --jobs``).

A long book's trials (``respace.py``) are most of its layout, and each trial document is laid
out on its own: the main process lays out one share of a round of trials while worker
processes lay out the others. Each worker sets up the renderer the main process has (the same
book, styles, printer's page and proof; ``Renderer.signature`` must match, or its share is laid
out at home) when it starts. A setting does
not depend on the other trials of its document (``trials.py``), so the pages are those of
``--jobs 1``, byte for byte. A worker that fails (killed, out of memory) costs time only: its
share is laid out by the main process. Workers are spawned, not forked (a forked WeasyPrint
shares the parent's font state), and ignore Ctrl+C, which the main process handles: it stops
them as it stops.

Importing this module imports no WeasyPrint; the workers do.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.interrupt import worker_signals
from build_tools.model import Book

if TYPE_CHECKING:
    from build_tools.layout.boxes import Paragraph
    from build_tools.layout.weasy import Renderer

MIN_SHARE = 40  # settings a worker is given at least: fewer are laid out at home
_RENDERER: list[Renderer] = []  # the worker's, made once


class TrialPool:
    """``workers`` processes that lay out trial documents as ``renderer`` would, started when
    a round of trials is first large enough to share (a short book's never is)."""

    def __init__(self, renderer: Renderer, styles: Path, profile: str, proof: bool, workers: int) -> None:
        self.workers, self.setup = workers, (renderer.book, styles, profile, proof)
        self.pool: ProcessPoolExecutor | None = None
        self.broken = False

    def shares(self, count: int) -> int:
        """How many documents ``count`` settings are laid out in: one per process, each of
        ``MIN_SHARE`` settings at least."""
        shares = max(1, min(self.workers + 1, count // MIN_SHARE))
        if shares > 1 and self.pool is None and not self.broken:
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=start_worker, initargs=self.setup
            )
        return shares if self.pool is not None else 1

    def lay_out(self, html: str, inside: float) -> Future[tuple[str, dict[str, Paragraph]]] | None:
        """A worker's layout of a trial document: its renderer's signature and the settings of
        the paragraphs, by id; None once the pool is broken."""
        if self.pool is None:
            return None
        try:
            return self.pool.submit(_lay_out, html, inside)
        except RuntimeError:  # broken (a worker died), or shut down
            self.lost()
            return None

    def lost(self) -> None:
        """A worker failed: the rest of the build lays its trials out at home."""
        self.broken = True
        self.close()

    def close(self) -> None:
        """Stop the workers, whatever they are laying out."""
        pool, self.pool = self.pool, None
        if pool is not None:
            stop(pool)


def stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers, whatever they are doing. The executor has no public way to stop
    a task under way: its processes, by pid."""
    processes: dict[int, multiprocessing.Process] = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def start_worker(book: Book, styles: Path, profile: str, proof: bool) -> None:
    """A worker's set-up: the renderer the main process has (``worker_renderer``)."""
    worker_signals()  # the main process stops the workers
    end_with_parent()
    from build_tools.libraries import install

    install()  # before WeasyPrint's import, as the console script does: no gcc (libraries.py)
    from build_tools.design.coverage import used_fonts
    from build_tools.design.fonts import read_fonts
    from build_tools.design.profiles import PROFILES
    from build_tools.layout.proofs import proof_css
    from build_tools.layout.weasy import Renderer

    fonts = used_fonts(book, read_fonts(styles))
    extra = proof_css(book.meta.words) if proof else ""
    _RENDERER.append(Renderer(book, styles, PROFILES[profile], fonts, extra))


def cores() -> int:
    """The cores this process may run on: ``--jobs``'s default."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def end_with_parent() -> None:
    """End this spawned worker when the process that started it is gone: a parent killed
    (SIGKILL) or hung up on never stops it. The worker watches the pipe that spawn leaves open
    from the parent (its sentinel, readable once the parent is gone) instead of waiting for
    tasks forever. prctl's PR_SET_PDEATHSIG would fire when the parent's thread that started
    the worker ends, which may be any thread."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


def worker_renderer() -> Renderer:
    """The renderer ``start_worker`` made in this worker process."""
    return _RENDERER[0]


def _lay_out(html: str, inside: float) -> tuple[str, dict[str, Paragraph]]:
    from build_tools.layout.boxes import paragraphs
    from build_tools.layout.respace import RUNT_FRACTION

    renderer = _RENDERER[0]
    pages = renderer.render(html, inside).pages
    return renderer.signature(inside), paragraphs(pages, RUNT_FRACTION)


def split(items: Sequence[object], shares: int, most: int) -> list[slice]:
    """``items`` in ``shares`` runs of about the same length, ``most`` at most in each."""
    count = max(shares, -(-len(items) // most)) if items else 0
    size = -(-len(items) // count) if count else 0
    return [slice(start, start + size) for start in range(0, len(items), size)] if size else []
