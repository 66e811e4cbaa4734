"""The preview server: serves the pages it is given, watches folders, tells open pages to reload.

It knows nothing about books (STYLE.md point 8). It is handed

- ``render(path) -> Page | None``: the generated page at a URL path, or None for a 404;
- ``rebuild(changed)``: called in a worker thread with the paths that changed under ``watch``;
- ``static``: URL prefixes mapped to folders whose files are served as they are.

After each rebuild, and whenever ``notify()`` is called (from any thread: a result that comes
later, such as the print view's pages), every open page is told over Server-Sent Events
(``/_events``); ``live.js`` then fetches the page again and swaps in its body, without a reload.
``app`` is a plain ASGI application: the tests drive it with Starlette's TestClient, no socket.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from build_tools.preview.connections import HostCheck
from build_tools.preview.watch import watch

ASSETS = Path(__file__).resolve().parent / "static"
KEEPALIVE_SECONDS = 15.0
log = logging.getLogger(__name__)


# What an SVG the preview serves may do when opened as a page (issue 17 item 6): nothing but
# draw; its own <style> and style attributes apply. The SVG was checked too (svgsafe.py).
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@dataclass(frozen=True)
class Page:
    """A generated response: its bytes (or text), its media type, whether its URL is immutable."""

    content: bytes | str
    media_type: str = "text/html; charset=utf-8"
    immutable: bool = False


class PreviewServer:
    """An ASGI app (``self.app``) that serves ``render``'s pages and reloads them on changes."""

    def __init__(
        self,
        render: Callable[[str], Page | None],
        rebuild: Callable[[set[Path]], None],
        watch: Sequence[Path] = (),
        static: Mapping[str, Path] | None = None,
        allowed_hosts: Sequence[str] | None = None,
    ) -> None:
        self.render = render
        self.rebuild = rebuild
        self.watched = tuple(watch)
        self.version = 1
        self._streams: set[asyncio.Queue[int | None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        routes: list[BaseRoute] = [
            Route("/_events", self._events),
            Mount("/_preview", StaticFiles(directory=ASSETS)),
        ]
        for url, folder in (static or {}).items():
            routes.append(Mount(url, StaticFiles(directory=folder)))
        routes.append(Route("/{path:path}", self._page))
        # A page of the preview read by another site through DNS rebinding would leak the
        # manuscript: only the names of the interface we listen on are accepted as Host.
        middleware = [Middleware(HostCheck, allowed=list(allowed_hosts))] if allowed_hosts else []
        self.app = Starlette(routes=routes, middleware=middleware, lifespan=self._lifespan)

    async def changed(self, paths: set[Path]) -> None:
        """Rebuild after ``paths`` changed (in a worker thread), then reload the open pages."""
        try:
            await anyio.to_thread.run_sync(self.rebuild, paths)
        except Exception:  # a bug of ours: say so, and keep serving the last good pages
            log.exception("the preview could not be rebuilt")
        self._reload()

    def notify(self) -> None:
        """Tell every open page to fetch itself again; callable from any thread."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._reload)

    def close_streams(self) -> None:
        """End the open event streams, so that the server can stop without waiting for them."""
        for stream in self._streams:
            stream.put_nowait(None)

    @asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self._loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch(self.watched, self.changed, stop))
        try:
            yield
        finally:
            self._loop = None
            self.close_streams()
            stop.set()
            await watcher

    def _reload(self) -> None:
        self.version += 1
        for stream in self._streams:
            stream.put_nowait(self.version)

    async def _page(self, request: Request) -> Response:
        page = await anyio.to_thread.run_sync(self.render, request.url.path)
        if page is None:
            return Response("Not found", status_code=404, media_type="text/plain")
        content = page.content
        if page.media_type.startswith("text/html"):
            content = _with_live_script(str(content), self.version)
        headers = {"Cache-Control": "public, max-age=31536000, immutable" if page.immutable else "no-store"}
        if page.media_type == "image/svg+xml":  # opened on its own, an SVG is a document: no script
            headers["Content-Security-Policy"] = SVG_POLICY
        return Response(content, media_type=page.media_type, headers=headers)

    async def _events(self, request: Request) -> Response:
        stream: asyncio.Queue[int | None] = asyncio.Queue()
        self._streams.add(stream)

        async def events() -> AsyncIterator[str]:
            try:
                yield f"retry: 500\ndata: {self.version}\n\n"
                while True:
                    try:
                        version = await asyncio.wait_for(stream.get(), KEEPALIVE_SECONDS)
                    except TimeoutError:
                        yield ": keep-alive\n\n"
                        continue
                    if version is None:
                        return
                    yield f"data: {version}\n\n"
            finally:
                self._streams.discard(stream)

        return StreamingResponse(
            events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
        )


def _with_live_script(html: str, version: int) -> str:
    """The page with the version it shows and the script that keeps it current."""
    tags = (
        f'<meta name="preview-version" content="{version}">\n'
        '<script src="/_preview/live.js" defer></script>\n'
    )
    head_end = html.find("</head>")
    return html[:head_end] + tags + html[head_end:] if head_end >= 0 else tags + html
