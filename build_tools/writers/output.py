"""Writing outputs safely and reproducibly: atomic replacement, deterministic zips."""

from __future__ import annotations

import errno
import glob
import io
import os
import signal
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.errors import BookError, Location
from build_tools.interrupt import SIGNALS, Interrupted, held, raise_interrupted
from build_tools.sources.epoch import ZIP_EPOCH_MIN

if TYPE_CHECKING:
    import pikepdf

__all__ = [
    "STALE_AFTER",
    "Interrupted",
    "atomic_output",
    "interruptions_raised",
    "remove_stale",
    "pdf_bytes",
    "save_pdf",
    "write_zip",
]

STALE_AFTER = 15 * 60  # a temporary output untouched this long belongs to a dead build


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only if the block succeeds.

    The previous output stays intact if the build fails or is interrupted (os.replace is atomic
    on one file system), and two builds into the same folder never write the same file. The
    temporary file is hidden (``.<name>.<random>.part``); Ctrl+C and SIGTERM remove it and end
    the build with ``Interrupted``. They are held off from its creation to the end of the
    writing: a signal raises where the handler runs, and raised inside a library's clean-up (a
    zip entry being closed, ``zipfile``'s ``finally`` not yet run) it left the library broken,
    so that closing the archive failed with another error than the interruption. Held, it is
    raised as the writing ends, before the output is replaced. One left behind by a build that
    was killed (SIGKILL, a power cut: no ``finally`` runs) is removed by the next build once it
    is older than ``STALE_AFTER`` seconds, so that a build still writing is never disturbed.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BookError(f"cannot create the output folder: {exc.strerror}", Location(target.parent)) from None
    remove_stale(target)
    temporary: Path | None = None
    with interruptions_raised():
        try:
            with held(), _write_errors(target):  # a signal is raised at the block's end
                handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
                os.close(handle)
                temporary = Path(name)
                yield temporary
                os.chmod(temporary, 0o644)
            with _write_errors(target):
                os.replace(temporary, target)
        finally:
            with held():
                if temporary is not None:
                    temporary.unlink(missing_ok=True)


# A full disk, a quota, a read-only or foreign folder: the file system refused the output.
WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}


@contextmanager
def _write_errors(target: Path) -> Iterator[None]:
    """The file system's refusal to write ``target`` as a one-line error naming it (the
    temporary file is removed by the caller); any other OSError is not the output's."""
    try:
        yield
    except OSError as exc:
        # Only the output folder's: a file the build reads and may not is another error.
        outside = exc.filename is not None and Path(exc.filename).parent != target.parent
        if exc.errno not in WRITE_ERRORS or outside:
            raise
        raise BookError(f"cannot write the output: {os.strerror(exc.errno)}", Location(target)) from None


def save_pdf(pdf: pikepdf.Pdf, target: Path) -> None:
    """Save ``pdf`` into ``target`` (an ``atomic_output`` temporary) with a deterministic /ID.

    Saved in memory, then written by Python: given a path that exists, pikepdf writes a
    ``.pikepdf…`` file of its own beside it, which a full disk or a signal left behind, and
    qpdf's failure to write (ENOSPC) aborted the process instead of raising.
    """
    with open(target, "wb") as stream:
        stream.write(pdf_bytes(pdf))


def pdf_bytes(pdf: pikepdf.Pdf) -> bytes:
    """``pdf`` as it is saved, with a deterministic /ID."""
    buffer = io.BytesIO()
    pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


@contextmanager
def interruptions_raised() -> Iterator[None]:
    """Make SIGINT and SIGTERM raise ``Interrupted``, so that the process ends through the
    ``finally`` blocks that remove temporary outputs (SIGTERM's default would end it on the
    spot) and says why; the previous handlers are restored at the end."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set signal handlers
        return

    previous = {signum: signal.signal(signum, raise_interrupted) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


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
