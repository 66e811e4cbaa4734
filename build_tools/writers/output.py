"""Writing outputs safely and reproducibly: atomic replacement, deterministic zips."""

from __future__ import annotations

import glob
import os
import signal
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from build_tools.errors import BookError, Location
from build_tools.sources.epoch import ZIP_EPOCH_MIN

STALE_AFTER = 15 * 60  # a temporary output untouched this long belongs to a dead build


def iso_utc(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only if the block succeeds.

    The previous output stays intact if the build fails or is interrupted (os.replace is atomic
    on one file system), and two builds into the same folder never write the same file. The
    temporary file is hidden (``.<name>.<random>.part``); Ctrl+C and SIGTERM remove it (they are
    held off while it is created and removed, so that they cannot fall in between), and one left
    behind by a build that was killed (SIGKILL, a power cut: no ``finally`` runs) is removed by
    the next build once it is older than ``STALE_AFTER`` seconds, so that a build still writing
    is never disturbed.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BookError(f"cannot create the output folder: {exc.strerror}",
                        Location(target.parent)) from None
    remove_stale(target)
    temporary: Path | None = None
    with _terminate_cleanly():
        try:
            with _signals_held():  # a signal held here is raised once ``temporary`` is set
                handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                                dir=target.parent)
                os.close(handle)
                temporary = Path(name)
            yield temporary
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        finally:
            with _signals_held():
                if temporary is not None:
                    temporary.unlink(missing_ok=True)


_HELD = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _signals_held() -> Iterator[None]:
    """Delay SIGINT and SIGTERM to the end of the block (POSIX; elsewhere, do nothing)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """Make SIGTERM (``kill``, a CI timeout) end the process through ``finally`` blocks, so that
    the temporary output is removed; Python's default would end it on the spot."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set signal handlers
        return

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def remove_stale(target: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary files of ``target`` older than ``STALE_AFTER``; return them."""
    now = time.time() if now is None else now
    removed = []
    for path in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
        try:
            if now - path.stat().st_mtime > STALE_AFTER:
                path.unlink()
                removed.append(path)
        except OSError:  # gone already (another build cleaned it), or not ours to remove
            continue
    return removed


def write_zip(
    path: Path,
    entries: Iterable[tuple[str, bytes]],
    epoch: int,
    stored: Iterable[str] = ("mimetype",),
) -> None:
    """Write a zip whose bytes depend only on its entries and ``epoch``; entry order is kept."""
    stamp = time.gmtime(max(epoch, ZIP_EPOCH_MIN))[:6]
    keep_stored = set(stored)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name in keep_stored else zipfile.ZIP_DEFLATED
            # Fonts deflate little better at level 6 than at 1, and take most of the time.
            level = 1 if name.endswith((".ttf", ".otf")) else 6
            archive.writestr(info, data, compresslevel=level)
