"""``book preview``: the book in a browser, kept current while the manuscript and styles change.

serve ─┬→ LiveBook        the Book, read once, then re-read file by file as files are saved
       ├→ PrintView       the printed pages, laid out by the PDF writer in a worker process
       ├→ Site            which page each URL is: e-book HTML of each part, print views
       └→ PreviewServer   serves the Site, watches manuscript/ and styles/, reloads open pages
                          (run by uvicorn, on 127.0.0.1 unless another interface is asked for)
"""

from __future__ import annotations

import signal
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from build_tools.checks.csscheck import check_stylesheets
from build_tools.errors import BookError, Location, ManuscriptError
from build_tools.preview.connections import (
    BACKLOG,
    LOOPBACK,
    Connections,
    allowed_hosts,
)
from build_tools.preview.livebook import LiveBook
from build_tools.preview.printview import PrintView
from build_tools.preview.server import PreviewServer
from build_tools.preview.site import Site
from build_tools.sources.epoch import source_date_epoch

__all__ = ["LOOPBACK", "Preview", "open_preview", "serve"]

# Besides Ctrl+C (SIGINT), what stops the preview cleanly: ``kill`` and the terminal closed.
STOPPING = (signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else []))


@dataclass(frozen=True)
class Preview:
    """The preview of one manuscript, wired: its live book, print view, site and server."""

    book: LiveBook
    printed: PrintView
    site: Site
    server: PreviewServer

    def close(self) -> None:
        self.printed.close()


def open_preview(
    source: Path, styles: Path, allowed_hosts: list[str] | None = None, out: Path | None = None
) -> Preview:
    """Read the manuscript and set up the pages and the server (which is not started); the
    whole layouts use the layout cache of the output folder ``out``, if one is given."""
    book = LiveBook(source, source_date_epoch(source))
    printed = PrintView(styles, out=out)
    site = Site(book, styles, printed)
    server = PreviewServer(
        site.render,
        site.rebuild,
        watch=(source, styles),
        static={"/fonts": styles / "fonts"},
        allowed_hosts=allowed_hosts,
    )
    printed.notify = site.notify = server.notify
    return Preview(book, printed, site, server)


def serve(
    source: Path,
    styles: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    ready: Callable[[str], None] = print,
    allow: tuple[str, ...] = (),
    out: Path | None = None,
) -> None:
    """Serve the preview until interrupted; ``ready`` is told the address once it listens.
    The Host names it answers are loopback's, or on another interface ``host`` and ``allow``
    (connections.py); the print view shares the layout cache of ``book build --out out``."""
    if not source.is_dir():
        raise ManuscriptError("manuscript folder not found", Location(source))
    if not (styles / "epub.css").is_file():
        raise BookError("no epub.css in the styles folder", Location(styles))
    check_stylesheets(styles, ("epub.css",))  # it loads nothing from elsewhere (issue 17 item 6)
    listening = _listen(host, port)
    preview = open_preview(source, styles, allowed_hosts(host, allow), out)
    address, bound_port = listening.getsockname()[:2]
    shown = f"[{address}]" if ":" in address else address
    title = preview.book.book.meta.title if preview.book.book else str(source)
    ready(f"Previewing {title} at http://{shown}:{bound_port}/")
    config = uvicorn.Config(
        preview.server.app,
        # Idle connections closed, their number capped (uvicorn's limit_concurrency would answer
        # 503 on every connection, open ones included, once the cap is reached).
        http=Connections,
        backlog=BACKLOG,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=2,
    )
    main_thread = threading.current_thread() is threading.main_thread()
    # SIGTERM and SIGHUP stop the preview as Ctrl+C does, so that the worker process is shut
    # down too: uvicorn stops on them, then raises them again once it has (capture_signals).
    previous = (
        {sig: signal.signal(sig, signal.default_int_handler) for sig in STOPPING} if main_thread else {}
    )
    try:
        _Uvicorn(config, preview.server.close_streams).run(sockets=[listening])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        preview.close()
        listening.close()


class _Uvicorn(uvicorn.Server):
    """uvicorn waits for open responses before it stops: end the event streams first."""

    def __init__(self, config: uvicorn.Config, before_shutdown: Callable[[], None]) -> None:
        super().__init__(config)
        self.before_shutdown = before_shutdown

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.before_shutdown()
        await super().shutdown(sockets)

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        """uvicorn's own, with SIGHUP among the signals that stop it: uvicorn catches only
        SIGINT and SIGTERM, and SIGHUP, raised inside one of the event loop's callbacks, was
        logged by asyncio and the server never stopped."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        original = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, *STOPPING)}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)
        for captured in reversed(self._captured_signals):
            signal.raise_signal(captured)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
        listening.listen(128)  # from now on a browser's connection waits for uvicorn
    except OSError as exc:
        listening.close()
        raise BookError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return listening
