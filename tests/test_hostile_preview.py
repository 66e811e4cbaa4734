"""Hostile use of the preview (issue 17, findings 5 and 11): it keeps a Host allow-list on any
interface, closes idle connections, caps how many are open, and takes its print worker with it
when it dies."""

import os
import select
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from project_tools import in_empty_folder, project

from build_tools import preview
from build_tools.preview import connections


@pytest.fixture(autouse=True)
def quiet_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_empty_folder(tmp_path, monkeypatch)


# --- (5, 11) the preview: Host allow-list on any interface, idle connections, its worker -----

HANG_GUARD_S = 120  # against a hang only: every wait below ends on an event
PREVIEW = """
import sys
from build_tools.preview import connections
connections.IDLE_SECONDS, connections.MAX_CONNECTIONS = float(sys.argv[1]), int(sys.argv[2])
from build_tools.entry import run
sys.argv = ["book", "preview", *sys.argv[3:]]
run()
"""


class Served:
    """``book preview`` in its own process, on every interface, with a small idle timeout or
    connection cap; its address, and its stderr once it has stopped."""

    def __init__(self, tmp_path: Path, idle: float, cap: int) -> None:
        source = project(tmp_path)
        args = ["--source", str(source), "--host", "0.0.0.0", "--allow-host", "book.local", "--port", "0"]
        self.process = subprocess.Popen(
            [sys.executable, "-c", PREVIEW, str(idle), str(cap), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(tmp_path)},
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # "Previewing T at http://0.0.0.0:PORT/"
        assert "http://0.0.0.0:" in line, line
        self.port = int(line.rsplit(":", 1)[1].strip(" /\n"))

    def connect(self) -> socket.socket:
        connection = socket.create_connection(("127.0.0.1", self.port), timeout=HANG_GUARD_S)
        return connection

    def get(self, path: str, host: str) -> int:
        with self.connect() as connection:
            connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            return int(_read_all(connection).split(b" ", 2)[1])

    def stop(self, sig: signal.Signals = signal.SIGINT) -> str:
        """Send ``sig`` and wait for the end; a server that hangs is killed and reaped (its
        pipes closed) so that the failure is this test's, not a ResourceWarning in the next."""
        self.process.send_signal(sig)
        try:
            _, stderr = self.process.communicate(timeout=HANG_GUARD_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, stderr = self.process.communicate()
            pytest.fail(f"the preview did not stop on {sig.name}:\n{stderr}")
        return stderr


def _read_all(connection: socket.socket) -> bytes:
    """What the server sends until it closes the connection."""
    data = b""
    while chunk := connection.recv(65536):
        data += chunk
    return data


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path, idle=0.5, cap=100)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.stop()


def test_allowed_hosts() -> None:
    assert connections.allowed_hosts("127.0.0.1") == ["127.0.0.1", "localhost", "::1"]
    assert connections.allowed_hosts("192.168.1.5", ("book.local",)) == ["192.168.1.5", "book.local"]
    assert "book.local" in connections.allowed_hosts("0.0.0.0", ("book.local",))
    assert connections.host_allowed("BOOK.local:8000", ["book.local"])
    assert connections.host_allowed("[fe80::1]:8000", [])  # an address is no DNS rebinding
    assert not connections.host_allowed("attacker.example:8000", ["book.local"])
    assert not connections.host_allowed("", ["book.local"])


def test_preview_on_every_interface_warns_and_keeps_its_host_check(served: Served) -> None:
    assert served.get("/", "book.local:8000") == 200
    assert served.get("/", f"127.0.0.1:{served.port}") == 200
    assert served.get("/", "10.1.2.3") == 200
    assert served.get("/", "attacker.example") == 400  # a rebinding page's name
    stderr = served.stop()
    assert "warning: listening on 0.0.0.0, the manuscript is shown to every machine" in stderr, stderr
    assert "book.local" in stderr.splitlines()[0]
    assert stderr.splitlines()[-1] == "preview stopped", stderr
    assert "Traceback" not in stderr


def test_an_idle_connection_is_closed(served: Served) -> None:
    with served.connect() as idle:
        assert _read_all(idle) == b""  # closed by the server: no request came
    assert served.get("/", "localhost") == 200
    assert "Traceback" not in served.stop()


def test_connections_beyond_the_cap_are_refused_and_the_others_answered(tmp_path: Path) -> None:
    server = Served(tmp_path, idle=600, cap=3)
    idle: list[socket.socket] = []
    try:
        idle += [server.connect() for _ in range(3)]
        idle[0].sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")  # the server has seen all three
        assert idle[0].recv(12).startswith(b"HTTP/1.1 200")
        with server.connect() as refused:
            assert _read_all(refused) == b""  # closed at once, without an answer
        idle.pop().close()
        with server.connect() as connection:  # a place again: it is answered
            connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            assert _read_all(connection).startswith(b"HTTP/1.1 200")
    finally:
        for connection in idle:
            connection.close()
        stderr = server.stop()
    assert "Traceback" not in stderr and "Exception" not in stderr, stderr


def _children(pid: int) -> set[int]:
    """The processes ``pid`` started, from any of its threads (Linux's /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


@pytest.mark.skipif(not hasattr(os, "pidfd_open") or not Path("/proc/self/task").is_dir(), reason="Linux")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGHUP], ids=["SIGKILL", "SIGHUP"])
def test_the_print_worker_dies_with_the_server(tmp_path: Path, sig: signal.Signals) -> None:
    server = Served(tmp_path, idle=600, cap=100)
    assert server.get("/print/section-001.html", "localhost") == 200  # starts the worker
    workers = _children(server.process.pid)
    assert workers, "the print view started no worker process"
    handles = {pid: os.pidfd_open(pid) for pid in workers}
    stderr = server.stop(sig)
    try:
        for pid, handle in handles.items():
            readable, _, _ = select.select([handle], [], [], HANG_GUARD_S)  # readable: it ended
            assert readable, f"process {pid} outlived the server"
    finally:
        for handle in handles.values():
            os.close(handle)
    if sig == signal.SIGHUP:  # handled as SIGTERM: stopped cleanly, its temporary folder removed
        assert server.process.returncode == 0 and stderr.splitlines()[-1] == "preview stopped", stderr
        assert not list(tmp_path.glob("book-*"))


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP")
def test_uvicorn_stops_on_sighup_without_raising_in_its_loop() -> None:
    """SIGHUP reaches uvicorn's handle_exit, as SIGTERM does, and is raised again once the
    server has stopped: raised at once, inside one of the event loop's callbacks, asyncio
    logged it and the server never stopped (CI, 2026-12-03)."""
    server = preview._Uvicorn(uvicorn.Config(app="unused:app"), lambda: None)
    previous = signal.signal(signal.SIGHUP, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt), server.capture_signals():
            assert signal.getsignal(signal.SIGHUP) == server.handle_exit
            signal.raise_signal(signal.SIGHUP)  # handled now, in this thread: no exception
            assert server.should_exit
        assert signal.getsignal(signal.SIGHUP) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGHUP, previous)
