"""The console script ``book``: SIGINT, SIGTERM and SIGHUP handled from its first line, then the command.

The handler is installed when this module is imported (the script's ``from build_tools.entry
import run``), before click and the toolchain are: a Ctrl+C during the imports, which take a
quarter of a second, printed a KeyboardInterrupt traceback, and one during click's parsing was
turned into "Aborted!" and exit 1 by click's standalone mode. Now every moment ends the same
way: the one line of ``cli.run``, exit 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP). Only the
interpreter's own start, before this module runs, is outside its reach.

The command's temporary files (WeasyPrint's ``weasyprint-*`` font folders, a worker's files) go
into a folder of its own, ``book-<pid>-…``, removed at the end however the command ends, short of
SIGKILL, whose folder the next command removes once no process has that number: WeasyPrint
removes its folder in a ``__del__`` that an interrupted build never reached.

WeasyPrint's native libraries are found by their sonames (``libraries.py``), not by
``ctypes.util.find_library``'s runs of ``gcc`` (16 at each PDF build's start).
"""

from __future__ import annotations

import os
import signal

from build_tools.interrupt import SIGNALS, Interrupted, ignore_signals, interrupted_line, raise_interrupted

for _signum in SIGNALS:
    signal.signal(_signum, raise_interrupted)


def run() -> None:
    """Run the ``book`` command (``cli.run``) in a temporary folder of its own."""
    import shutil
    import sys
    import tempfile

    folder = None
    try:
        try:
            _remove_dead(tempfile.gettempdir())
            folder = tempfile.mkdtemp(prefix=f"book-{os.getpid()}-")
        except OSError:  # no temporary folder can be made (a full disk): the libraries' own then
            pass
        else:  # the environment too: the preview's worker process and validators inherit it
            os.environ["TMPDIR"] = tempfile.tempdir = folder
        from build_tools.cli import run as command
        from build_tools.libraries import install

        install()  # WeasyPrint's libraries by their sonames: no gcc at each PDF build's start

        command()
    except Interrupted as interruption:  # before the command could report it: the imports
        ignore_signals()
        sys.stderr.write(f"{interrupted_line(interruption)}\n")
        sys.exit(interruption.exit_code)
    finally:
        ignore_signals()  # the clean-up and the interpreter's exit are not interrupted again
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _remove_dead(temp: str) -> None:
    """Remove the folders of commands that were killed (SIGKILL: no clean-up ran), known by
    the process number in their name; a live one's, or another user's, is left alone."""
    import shutil
    from pathlib import Path

    for folder in Path(temp).glob("book-*-*"):
        number = folder.name.split("-")[1]
        if not number.isdigit() or int(number) == os.getpid():
            continue
        try:
            os.kill(int(number), 0)  # only asks whether the process exists
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # it exists, as another user's: not ours to remove
            continue
