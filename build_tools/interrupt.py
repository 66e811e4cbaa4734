"""The interruption of a command: SIGINT (Ctrl+C), SIGTERM and SIGHUP raised as ``Interrupted``.

It imports nothing but ``signal``: the console script (``entry.py``) installs the handler before
it imports anything heavier, so that a signal during the imports is reported as one later is.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

# SIGHUP (the terminal closed) ends a command as SIGTERM does: by default it ended the process
# on the spot, its temporary folder left behind. Windows has none.
SIGNALS = (signal.SIGINT, signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else []))


class Interrupted(BaseException):
    """The build was stopped by SIGINT (Ctrl+C), SIGTERM (``kill``, a CI timeout) or SIGHUP.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` swallows it; the
    command reports it and exits with the shell's code for the signal, 128 + its number.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @staticmethod
    def behind(error: BaseException) -> Interrupted | None:
        """The interruption that ``error`` was raised while handling, if any: library code
        stopped by one may fail in its own clean-up with another error."""
        seen: set[int] = set()
        current: BaseException | None = error
        while current is not None and id(current) not in seen:
            if isinstance(current, Interrupted):
                return current
            seen.add(id(current))
            current = current.__cause__ or current.__context__
        return None


class _Held:
    """How deep in ``held`` blocks the main thread is, and the signal that came meanwhile."""

    depth = 0
    pending: int | None = None


def raise_interrupted(signum: int, frame: FrameType | None) -> None:
    """The signal handler: the process ends through the ``finally`` blocks that remove its
    temporary files (SIGTERM's default would end it on the spot), and says why; inside a
    ``held`` block the signal is kept for its end."""
    if _Held.depth:
        _Held.pending = _Held.pending or signum
        return
    raise Interrupted(signum)


@contextmanager
def held() -> Iterator[None]:
    """Delay the ``SIGNALS`` to the end of the block, where ``Interrupted`` is raised.

    Raised inside a library's clean-up (a zip entry being closed, ``zipfile``'s ``finally`` not
    yet run), it left the library broken: closing the archive failed with "Can't close the ZIP
    file" (exit 70). Blocking the signals with ``pthread_sigmask`` did not hold them: the mask is
    the main thread's, and the kernel gives a process's signal to any thread that does not
    block it (a library's native thread), whose C handler still has Python run the handler in
    the main thread at once. So the handler itself keeps it for later.
    """
    _Held.depth += 1
    try:
        yield
    finally:
        _Held.depth -= 1
        if not _Held.depth and _Held.pending is not None:
            signum, _Held.pending = _Held.pending, None
            raise Interrupted(signum)


def ignore_signals() -> None:
    """Ignore the ``SIGNALS`` from now on: once the process reports an interruption and
    cleans up, a second Ctrl+C must not break the report into a traceback."""
    for signum in SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def worker_signals() -> None:
    """A worker process's handling of the ``SIGNALS``: Ctrl+C, which reaches every process of
    the terminal's group, is ignored (the main process stops its workers); SIGTERM and SIGHUP
    end it at once, silently. A spawned worker imports the main module again, and the console
    script's (``entry.py``) installs ``raise_interrupted``: a worker the main process
    terminated printed an ``Interrupted: 15`` traceback. Its temporary files are in the main
    process's folder, which the main process removes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in SIGNALS[1:]:
        signal.signal(signum, signal.SIG_DFL)


def interrupted_line(interruption: Interrupted) -> str:
    """What the command says when it was interrupted, its last line."""
    return (
        f"interrupted by {interruption.name}: unfinished outputs were removed, the previous ones are intact"
    )
