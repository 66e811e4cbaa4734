"""The preview's connections: which Host names it answers, how many and how long it keeps.

- ``allowed_hosts``: a page of the preview read by another site through DNS rebinding would
  leak the manuscript, so only the names of the interface it listens on are accepted in the
  Host header: loopback's names on loopback; on another interface the address given and the
  names of ``--allow-host`` (an address on every interface, 0.0.0.0 or ::, is no name a browser
  uses: the machine's name then, and the loopback names for its own browser). A Host that is an
  IP address is no rebinding (an attacker's page is read through the attacker's name).
- ``Connections``: uvicorn's HTTP protocol, closing a connection that sends no request within
  ``IDLE_SECONDS`` (uvicorn starts its keep-alive timer only after a first response: 300 idle
  sockets kept it from accepting any other once the process ran out of file descriptors, each
  failed accept logged) and refusing connections beyond ``connection_limit()``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("0.0.0.0", "::", "")
IDLE_SECONDS = 10  # a browser sends its request at once; its keep-alive lasts as long (uvicorn)
# A browser opens six connections to a host, and each open preview page one event stream: far
# more than a writer's tabs need. Fewer where the process may open few files (a quarter of its
# limit: 64 of macOS's 256), as the connections accepted in one go come on top (BACKLOG).
MAX_CONNECTIONS = 100
BACKLOG = 16  # uvicorn accepts up to its backlog at once (2048 by default), before any is refused


def connection_limit() -> int:
    """``MAX_CONNECTIONS``, or a quarter of the files this process may have open if fewer."""
    try:
        import resource
    except ImportError:  # Windows
        return MAX_CONNECTIONS
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return MAX_CONNECTIONS if soft == resource.RLIM_INFINITY else min(MAX_CONNECTIONS, max(4, soft // 4))


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or _is_address(host) and ipaddress.ip_address(host).is_loopback


def allowed_hosts(host: str, allow: tuple[str, ...] = ()) -> list[str]:
    """The Host names the preview on ``host`` answers (any IP address besides, ``host_allowed``)."""
    if is_loopback(host):
        return [*LOOPBACK, *allow]
    names = [*allow] if host in WILDCARDS else [host, *allow]
    if host in WILDCARDS:
        names += [socket.gethostname(), *LOOPBACK]
    return names


def host_allowed(header: str, allowed: list[str]) -> bool:
    """Whether a Host header (a name or address, and maybe a port) is one of ``allowed``."""
    name = header.strip().lower()
    if name.startswith("["):  # an IPv6 address: [::1]:8000
        name = name[1 : name.find("]")] if "]" in name else name
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    return _is_address(name) or name in {a.lower() for a in allowed}


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class Connections(H11Protocol):
    """uvicorn's h11 protocol, with a timeout before the first request and a connection cap."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= connection_limit():
            transport.close()  # the browser retries; the server keeps answering the others
            return
        super().connection_made(transport)
        self.timeout_keep_alive_task = self.loop.call_later(IDLE_SECONDS, self.timeout_keep_alive_handler)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.transport is not None:  # None: refused in connection_made
            super().connection_lost(exc)


class HostCheck:
    """ASGI middleware: a request whose Host is not allowed (``host_allowed``) gets a 400."""

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app, self.allowed = app, allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            if not host_allowed(Headers(scope=scope).get("host", ""), self.allowed):
                await PlainTextResponse("Invalid host header", status_code=400)(scope, receive, send)
                return
        await self.app(scope, receive, send)
