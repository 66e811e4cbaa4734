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
from collections.abc import Callable
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
    # SIGTERM stops the preview as Ctrl+C does, so that the worker process is shut down too.
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler) if main_thread else None
    try:
        _Uvicorn(config, preview.server.close_streams).run(sockets=[listening])
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
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
