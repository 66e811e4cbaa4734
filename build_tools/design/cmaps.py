"""The characters a font file has: the code points its ``cmap`` table maps to a glyph, read once
per file (and again only when the file changes).

The table is read straight from the file (OpenType spec, "cmap": the Unicode subtables of
formats 4 and 12, fontTools' order of preference; WOFF 1 tables are zlib streams): a build that
lays nothing out never imports fontTools, which takes longer to import than the whole check
takes. A WOFF 2 file, or a font whose Unicode subtable has another format, is read by fontTools
(``getBestCmap``).
"""

from __future__ import annotations

import struct
import zlib
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

# (platform, encoding) of the Unicode subtables, best first (fontTools' getBestCmap).
_UNICODE = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


class UnreadableFont(ValueError):
    """The file has no character map that can be read."""


def code_points(path: Path) -> frozenset[int]:
    """The code points ``path`` has a glyph for (its .notdef is no glyph)."""
    stat = path.stat()
    return _code_points(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _code_points(path: Path, mtime: int, size: int) -> frozenset[int]:
    try:
        with path.open("rb") as file:
            found = _from_cmap(_cmap_table(file))
    except (struct.error, zlib.error, IndexError) as exc:
        raise UnreadableFont(f"its character map is damaged ({exc})") from None
    return found if found is not None else _with_fonttools(path)


def _cmap_table(file: BinaryIO) -> bytes | None:
    """The bytes of the ``cmap`` table of an OpenType, TrueType or WOFF 1 file; None for WOFF 2."""
    signature = file.read(4)
    if signature == b"wOF2":
        return None
    woff = signature == b"wOFF"
    if woff:
        file.seek(12)
        (count,) = struct.unpack(">H", file.read(2))
        file.seek(44)
        records = [struct.unpack(">4sIIII", file.read(20)) for _ in range(count)]
        entries = {tag: (offset, stored, length) for tag, offset, stored, length, _ in records}
    else:
        (count,) = struct.unpack(">H", file.read(8)[:2])
        records = [struct.unpack(">4sIII", file.read(16)) for _ in range(count)]
        entries = {tag: (offset, length, length) for tag, _, offset, length in records}
    if b"cmap" not in entries:
        raise UnreadableFont("it has no character map (cmap table)")
    offset, stored, length = entries[b"cmap"]
    file.seek(offset)
    data = file.read(stored)
    return zlib.decompress(data) if woff and stored < length else data


def _from_cmap(table: bytes | None) -> frozenset[int] | None:
    """The code points of the best Unicode subtable; None when fontTools must read it."""
    if table is None:
        return None
    _, count = struct.unpack_from(">HH", table)
    subtables: dict[tuple[int, int], int] = {}
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", table, 4 + 8 * index)
        subtables.setdefault((platform, encoding), offset)
    for key in _UNICODE:
        if key in subtables:
            offset = subtables[key]
            (kind,) = struct.unpack_from(">H", table, offset)
            if kind == 4:
                return _format_4(table, offset)
            if kind == 12:
                return _format_12(table, offset)
            return None
    raise UnreadableFont("it has no Unicode character map")


def _format_4(table: bytes, start: int) -> frozenset[int]:
    """Segments of the Basic Multilingual Plane, mapped by a delta or through an array."""
    segments = struct.unpack_from(">H", table, start + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", table, start + 14)
    starts = struct.unpack_from(f">{segments}H", table, start + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}H", table, start + 16 + 4 * segments)
    range_at = start + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", table, range_at)
    found: set[int] = set()
    for index, (first, last, delta, offset) in enumerate(zip(starts, ends, deltas, offsets, strict=True)):
        last = min(last, 0xFFFE)  # 0xFFFF ends the last segment and is no character
        if first > last:
            continue
        if offset == 0:
            found.update(range(first, last + 1))
            found.discard((0x10000 - delta) & 0xFFFF)  # the one code the delta sends to glyph 0
            continue
        base = range_at + 2 * index + offset
        glyphs = struct.unpack_from(f">{last - first + 1}H", table, base)
        found.update(
            code
            for code, glyph in zip(range(first, last + 1), glyphs, strict=True)
            if glyph and (glyph + delta) & 0xFFFF
        )
    return frozenset(found)


def _format_12(table: bytes, start: int) -> frozenset[int]:
    """Groups of consecutive code points mapped to consecutive glyphs, in every plane."""
    (groups,) = struct.unpack_from(">I", table, start + 12)
    found: set[int] = set()
    for index in range(groups):
        first, last, glyph = struct.unpack_from(">III", table, start + 16 + 12 * index)
        found.update(range(first + (glyph == 0), last + 1))
    return frozenset(found)


def _with_fonttools(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont, TTLibError  # imported here: rarely needed, slow to import

    try:
        with TTFont(path, lazy=True) as font:
            best = font.getBestCmap()
    except (TTLibError, OSError, struct.error, KeyError) as exc:
        raise UnreadableFont(f"its character map cannot be read ({exc})") from None
    if best is None:
        raise UnreadableFont("it has no Unicode character map")
    return frozenset(code for code, glyph in best.items() if glyph != ".notdef")
