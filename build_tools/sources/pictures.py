"""Raster pictures verified before anything uses them: decoded whole, within stated limits.

A picture the manuscript shows (or book.toml's cover) is read here once, before the EPUB
packs it or WeasyPrint lays it out: WeasyPrint skips a picture it cannot decode with a log
line and no error (issue 17 item 1), and an EPUB reading system would fail on it. The file is

- at most ``MAX_BYTES`` long (read before it is opened, so a huge file is never read whole);
- opened by Pillow as the format its name says, its size read from its header and checked
  against ``MAX_SIDE`` and ``MAX_PIXELS`` *before* a pixel is decoded (Pillow's own guard,
  the ``DecompressionBombWarning`` at 89 Mpx, is never reached, and never printed raw);
- checked by ``verify()`` (a PNG's checksums) and then decoded whole by ``load()`` (a
  truncated or corrupt JPEG, PNG or WebP fails here: Pillow reads no truncated image).

Why these limits: the largest page the toolchain prints is a 6 × 9 in trim with 0.125 in of
bleed, 6.25 × 9.25 in; at 600 ppi, twice what printers ask, a picture covering it is
3750 × 5550 px, 20.8 Mpx. ``MAX_PIXELS`` (25 Mpx) leaves room for a picture cropped or
placed a little larger; decoded as RGBA it is 100 MB, and its print conversion (a strip of
rows at a time, ``layout/images.py``) a quarter of that more. ``MAX_SIDE`` (16,000 px) is near
WebP's own limit (16,383) and keeps a long strip under the same bound; ``MAX_BYTES`` (64 MiB)
is more than a 25 Mpx photograph takes as a PNG.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

from PIL import Image as Pillow
from PIL import UnidentifiedImageError

from build_tools.errors import Location, ManuscriptError

MAX_PIXELS = 25_000_000
MAX_SIDE = 16_000
MAX_BYTES = 64 * 1024 * 1024
# Pillow's names of the formats a file's name promises.
FORMATS = {
    "image/png": ("PNG",),
    "image/jpeg": ("JPEG",),  # its opener gives an MPO too
    "image/gif": ("GIF",),
    "image/webp": ("WEBP",),
}


def check_size(path: Path, src: str, where: Location, limit: int = MAX_BYTES) -> None:
    """A file of at most ``limit`` bytes (a picture or an SVG), or an error at ``where``."""
    size = path.stat().st_size
    if size > limit:
        raise ManuscriptError(
            f"image {src!r} is {size / 1024 / 1024:.1f} MB: a picture may have at most "
            f"{limit // 1024 // 1024} MB (make it smaller, or save it compressed)",
            where,
        )


def verify_raster(path: Path, media_type: str, src: str, where: Location) -> tuple[int, int]:
    """The pixel size of the picture at ``path``, decoded whole; a ManuscriptError at ``where``
    when it is too large, is not the ``media_type`` its name says, or cannot be decoded."""
    check_size(path, src, where)
    problem, size = raster_problem(path, media_type)
    if problem:
        raise ManuscriptError(f"image {src!r} {problem}", where)
    return size


def raster_problem(path: Path, media_type: str) -> tuple[str, tuple[int, int]]:
    """What is wrong with the picture at ``path`` ('' when nothing: it is the ``media_type`` its
    name says, within the limits, and decodes whole) and its size in pixels."""
    stat = path.stat()
    if stat.st_size > MAX_BYTES:
        return f"has {stat.st_size} bytes: a picture may have at most {MAX_BYTES // 2**20} MB", (0, 0)
    return _verified(path.resolve(), media_type, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=512)  # the preview rebuilds often: a file unchanged is not decoded again
def _verified(path: Path, media_type: str, mtime: int, size: int) -> tuple[str, tuple[int, int]]:
    """What is wrong with the picture ('' when nothing) and its size."""
    del mtime, size  # the cache's key: a changed file is verified again
    kind = media_type.split("/")[1].upper()
    try:
        with warnings.catch_warnings():
            # The limits below come first; Pillow's warning (89 Mpx) would be printed raw.
            warnings.simplefilter("ignore", Pillow.DecompressionBombWarning)
            with Pillow.open(path, formats=FORMATS[media_type]) as opened:
                width, height = opened.size
                problem = _too_large(width, height)
                if problem:
                    return problem, (width, height)
                opened.verify()  # checksums and structure, without decoding
            with Pillow.open(path, formats=FORMATS[media_type]) as opened:
                opened.load()  # every pixel decoded: a truncated or corrupt file fails here
    except UnidentifiedImageError:
        return f"is not a readable {kind} file", (0, 0)
    except Pillow.DecompressionBombError:
        return f"is too large: {_limits()}", (0, 0)
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as exc:
        # Pillow's decoders raise these for damaged data (SyntaxError: a bad PNG chunk).
        return f"is a damaged {kind} file ({_short(exc)}): open it and save it again", (0, 0)
    return "", (width, height)


def _too_large(width: int, height: int) -> str:
    if width < 1 or height < 1:
        return f"is {width} × {height} px: a picture has at least one pixel each way"
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        return f"is {width} × {height} px, too large: {_limits()}"
    return ""


def _limits() -> str:
    return (
        f"a picture may have at most {MAX_PIXELS / 1e6:.0f} million pixels and {MAX_SIDE} px "
        "each way (a full-bleed page prints at 600 ppi with 21 million)"
    )


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:120]
