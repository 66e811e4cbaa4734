"""A printed page read back as lines of type: pdfium's characters grouped by baseline.

Each ``Line`` has its baseline, its left and right edges, its words with their boxes and the
size of its type. A note call set above the baseline belongs to the line below it. The running
head and the folio are told from the text block by where they stand (above its first line or
below its last one, further away than the leading), and set apart.
"""

from __future__ import annotations

import bisect
import ctypes
import re
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

_SOFT_HYPHENS = "\x02\u00ad"  # pdfium's mark for a hyphen the layout added, and U+00AD
_FOLIO = re.compile(r"^(\d{1,4}|[ivxlcdm]{1,8})$")
_BREAKS = {0x20, 0xA0, 0x0A, 0x0D, 0xFFFE, 0}  # spaces (a tie too), line ends, pdfium's marks


@dataclass(frozen=True)
class Word:
    text: str
    left: float
    right: float


@dataclass(frozen=True)
class Line:
    """A line of type on a page (PDF points, y up)."""

    baseline: float
    size: float  # the type size most of its characters have
    words: tuple[Word, ...]

    @property
    def left(self) -> float:
        return self.words[0].left

    @property
    def right(self) -> float:
        return self.words[-1].right

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def hyphenated(self) -> bool:
        """It ends with a hyphen: one the layout made, or a hyphen of the text."""
        last = self.words[-1].text
        return bool(last) and (last[-1] in _SOFT_HYPHENS or last[-1] in "-\u2010")


@dataclass(frozen=True)
class Page:
    """A page's text block, and its running head and folio (if any)."""

    index: int  # 0-based
    label: str  # as printed: "iv", "12"
    lines: tuple[Line, ...]  # the text block, top to bottom
    margins: tuple[Line, ...]  # running head, folio
    columns: int = 1  # 2: the page is set in two columns (the index), read one after the other

    @property
    def blank(self) -> bool:
        return not self.lines


@dataclass(frozen=True)
class _Char:
    index: int  # in pdfium's text order: a space between two indices parts two words
    char: str
    x: float
    y: float
    left: float
    right: float
    size: float


def read_pages(path: Path) -> list[Page]:
    """Every page of the PDF ``path`` as lines of type."""
    document = pdfium.PdfDocument(str(path))
    try:
        return [_page(document, index) for index in range(len(document))]
    finally:
        document.close()


def _page(document: Any, index: int) -> Page:
    page = document[index]
    textpage = page.get_textpage()
    count = textpage.count_chars()
    codes = [pdfium_c.FPDFText_GetUnicode(textpage.raw, i) for i in range(count)]
    spaces = [i for i, code in enumerate(codes) if code in _BREAKS]
    chars = [_char(textpage, i, code) for i, code in enumerate(codes) if code not in _BREAKS]
    lines, columns = _columns(_lines(chars, spaces))
    label = document.get_page_label(index) if hasattr(document, "get_page_label") else str(index + 1)
    body, margins = _split_margins(lines, page.get_height())
    return Page(index, label or str(index + 1), tuple(body), tuple(margins), columns)


def _char(textpage: Any, index: int, code: int) -> _Char:
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y))
    left, _, right, _ = textpage.get_charbox(index)
    size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index)
    return _Char(index, chr(code), x.value, y.value, left, right, size)


def _lines(chars: list[_Char], spaces: list[int]) -> list[Line]:
    """Characters grouped by baseline; a raised group of small type joins the line below."""
    groups: list[list[_Char]] = []
    for char in sorted(chars, key=lambda c: (-round(c.y, 1), c.x)):
        if groups and abs(groups[-1][0].y - char.y) < 1.0:
            groups[-1].append(char)
        else:
            groups.append([char])
    merged: list[list[_Char]] = []
    for group in groups:
        size = median(c.size for c in group)
        raised = merged and len(group) <= 4 and size < 0.8 * median(c.size for c in merged[-1])
        if raised and merged:
            below = next((g for g in groups[groups.index(group) + 1 :] if g[0].y < group[0].y), None)
            if below is not None and group[0].y - below[0].y < size * 2:
                below.extend(group)
                continue
        merged.append(group)
    return [_line(group, spaces) for group in merged if group]


def _line(chars: list[_Char], spaces: list[int]) -> Line:
    chars.sort(key=lambda c: c.x)
    sizes = sorted(c.size for c in chars)
    size = sizes[len(sizes) // 2]
    words: list[Word] = []
    current: list[_Char] = []
    for char in chars:
        if current and _parted(current[-1], char, spaces, size):
            words.append(_word(current))
            current = []
        current.append(char)
    if current:
        words.append(_word(current))
    baseline = median(c.y for c in chars if c.size >= 0.8 * size)
    return Line(baseline, size, tuple(words))


def _parted(before: _Char, after: _Char, spaces: list[int], size: float) -> bool:
    """Two neighbouring characters of a line are in two words: a space between them in the
    text, or (text out of order) a gap of a third of the type's size."""
    low, high = sorted((before.index, after.index))
    position = bisect.bisect_right(spaces, low)
    if position < len(spaces) and spaces[position] < high:
        return True
    return high - low != 1 and after.left - before.right > size / 3


def _word(chars: list[_Char]) -> Word:
    return Word("".join(c.char for c in chars), chars[0].left, max(c.right for c in chars))


def _columns(lines: list[Line]) -> tuple[list[Line], int]:
    """The lines in reading order; a page of two columns (the index: five lines or more with a
    gap of twice the type size across the text block's middle) read column by column."""
    if not lines:
        return lines, 1
    middle = (min(line.left for line in lines) + max(line.right for line in lines)) / 2
    split: list[Line] = []
    across = 0
    for line in lines:
        gap = next(
            (
                i
                for i in range(1, len(line.words))
                if line.words[i].left - line.words[i - 1].right > 2 * line.size
                and line.words[i - 1].right < middle < line.words[i].left
            ),
            None,
        )
        if gap is None:
            split.append(line)
        else:
            across += 1
            split += [
                Line(line.baseline, line.size, line.words[:gap]),
                Line(line.baseline, line.size, line.words[gap:]),
            ]
    # Two columns: five lines parted across the middle, or (their baselines apart, as the
    # index's letter groups set them) five lines wholly on each side of it.
    beside = min(sum(line.right < middle for line in split), sum(line.left > middle for line in split))
    if across < 5 and beside < 5:
        return lines, 1
    return sorted(split, key=lambda line: (line.left >= middle, -line.baseline)), 2


def _split_margins(lines: list[Line], height: float) -> tuple[list[Line], list[Line]]:
    """The text block and the lines in the margins (the running head, the folio)."""
    if len(lines) < 2:
        return lines, []
    steps = [a.baseline - b.baseline for a, b in zip(lines, lines[1:], strict=False)]
    leading = median(steps)
    margins: list[Line] = []
    top = lines[0]
    if top.baseline > 0.85 * height and (steps[0] > 1.4 * leading or _folio(top, 0) or _folio(top, -1)):
        margins.append(lines.pop(0))
    if len(lines) >= 2 and lines[-1].baseline < 0.15 * height:
        # a foot line apart from the text is a folio only if it holds one: a line of text
        # after a quotation's space also stands apart
        last = lines[-1]
        apart = lines[-2].baseline - last.baseline > 1.4 * leading
        if (_folio(last, 0) or _folio(last, -1)) and (apart or len(last.words) == 1):
            margins.append(lines.pop())
    return lines, margins


def _folio(line: Line, at: int) -> bool:
    """The line's word ``at`` (0: first, -1: last) is a page number, arabic or roman."""
    return bool(_FOLIO.match(line.words[at].text))
