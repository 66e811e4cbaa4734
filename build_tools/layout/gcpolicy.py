"""Python's garbage collector while WeasyPrint lays out and draws a book (issue 18 item 4).

A layout allocates millions of objects that live as long as its document (boxes, styles, the
pages' text), and the collector's full collections, each run when the heap has grown by a
quarter, walked them all again and again while finding almost nothing to free: 11–13 % of the
CPU of a 400–800-page build. ``layout_collection`` holds automatic collection for the length
of one layout or one ``write_pdf`` (a context manager, or a decorator) and puts it back as it
was, so that what a discarded layout leaves is still collected between two layouts.

Measured by ``bench/gc_bench.py`` (CPU, the essay 1× and 10×): 0.87× and 0.88× with the peak
memory +0–2 %. ``gc.freeze()`` after the imports gained less (0.90×, 1.00×) and, with the
collection held, lost some of its gain (0.86×, 0.92×): the frozen objects no longer count in
the old generation whose growth by a quarter triggers a full collection, so full collections
came sooner. Raised thresholds for the whole build (10000, 50, 100): 0.96×, 0.89×, with 20 %
more peak memory.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def layout_collection() -> Iterator[None]:
    """No automatic collection while the block runs; the collector as it was afterwards,
    however the block ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
