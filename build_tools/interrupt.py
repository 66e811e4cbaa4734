"""The interruption of a command: SIGINT (Ctrl+C) and SIGTERM raised as ``Interrupted``.

It imports nothing but ``signal``: the console script (``entry.py``) installs the handler before
it imports anything heavier, so that a signal during the imports is reported as one later is.
"""

from __future__ import annotations

import signal
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """The build was stopped by SIGINT (Ctrl+C) or SIGTERM (``kill``, a CI timeout).

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


def raise_interrupted(signum: int, frame: FrameType | None) -> None:
    """The signal handler: the process ends through the ``finally`` blocks that remove its
    temporary files (SIGTERM's default would end it on the spot), and says why."""
    raise Interrupted(signum)


def ignore_signals() -> None:
    """Ignore SIGINT and SIGTERM from now on: once the process reports an interruption and
    cleans up, a second Ctrl+C must not break the report into a traceback."""
    for signum in SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def interrupted_line(interruption: Interrupted) -> str:
    """What the command says when it was interrupted, its last line."""
    return (
        f"interrupted by {interruption.name}: unfinished outputs were removed, the previous ones are intact"
    )
