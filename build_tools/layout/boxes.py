"""What the laid-out pages hold, read from WeasyPrint's boxes: its private API, behind this module.

``Page.anchors`` (public) tells the page each element id is first on. Where each page begins,
and how many letters of each element fall on each page, come from walking the page's box tree
(``Page._page_box``, private): text boxes in order, each under the elements (with ids) that
hold it; an image has no letters, but a page may begin with it. Generated content
(``::before``, ``::after``, list markers, margin boxes) is not the text of the book and counts
nothing, nor does a table's header row that a page repeats (a row group box ``is_header``, on
a page after the table's first). Whether a page's text ends with a word WeasyPrint hyphenated
is read from its last text box: its text ends with the hyphenate character of its style (a
hyphen WeasyPrint adds, as ``text.line_break.split_first_line`` does). The pictures of a page
are its replaced boxes (``replaced_boxes``: their element, size and intrinsic pixels).
A justified paragraph's last line is its block's last line box, on the last page the block is
on; its length is where its last text box ends; the extra space justification gives a line is
its text boxes' ``justification_spacing`` (``paragraphs``).
``tests/test_layout.py`` pins what this relies on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from weasyprint.document import Page
from weasyprint.formatting_structure.boxes import (
    BlockContainerBox,
    Box,
    LineBox,
    MarginBox,
    ReplacedBox,
    TextBox,
)

from build_tools.layout.keeps import HARD_HYPHENS
from build_tools.textpos import letters

_GENERATED = ("::before", "::after", "::marker")


@dataclass(frozen=True)
class PageText:
    """One page's text: the innermost element with an id its first text is in and the letters
    of that element on earlier pages, then the letters each element with an id has on it, and
    whether its last text ends with a hyphen the layout added (or one the source has there)."""

    first: tuple[str, int]
    counts: dict[str, int]
    hyphenated: bool = False


def page_texts(pages: Sequence[Page], skip: frozenset[str] = frozenset()) -> list[PageText]:
    """The text of each page, in letters per element id; ``skip`` names classes whose text is
    print-only (a note's printed number), counted by no element."""
    seen: dict[str, int] = {}
    repeated: set[str] = set()  # the tables whose header row an earlier page printed
    texts = []
    for page in pages:
        counts: dict[str, int] = {}
        first: tuple[str, int] | None = None
        last: TextBox | None = None
        headers: set[str] = set()  # the tables whose header row this page prints
        for ids, box in _texts(page._page_box, (), skip, (repeated, headers)):
            if not isinstance(box, TextBox):  # an image: no letters, but a page may open with it
                first = first or ((ids[-1], seen.get(ids[-1], 0)) if ids else None)
                continue
            count = letters(box.text)
            if not count:
                continue
            last = box
            if first is None and ids:
                first = (ids[-1], seen.get(ids[-1], 0))
            for element_id in ids:
                counts[element_id] = counts.get(element_id, 0) + count
        for element_id, count in counts.items():
            seen[element_id] = seen.get(element_id, 0) + count
        texts.append(PageText(first or ("", 0), counts, _hyphenated(last)))
        repeated |= headers
    return texts


def _hyphenated(box: TextBox | None) -> bool:
    """The text box ends with its hyphenate character (``hyphenate-character``, U+2010 unless
    the styles say otherwise), or with a hyphen of the text (a compound broken at it)."""
    mark = box.style["hyphenate_character"] if box is not None else ""
    return box is not None and (bool(mark) and box.text.endswith(mark) or box.text.endswith(HARD_HYPHENS))


def _texts(
    box: Box, ids: tuple[str, ...], skip: frozenset[str], headers: tuple[set[str], set[str]]
) -> Iterator[tuple[tuple[str, ...], TextBox | ReplacedBox]]:
    if isinstance(box, MarginBox) or (box.element_tag or "").endswith(_GENERATED):
        return
    if getattr(box, "is_header", False) and ids:  # a table's header row (ids[-1]: the table)
        if ids[-1] in headers[0]:
            return  # repeated on a later page: printed again, read once
        headers[1].add(ids[-1])
    element = box.element
    if element is not None and hasattr(element, "get"):
        if skip and skip.intersection((element.get("class") or "").split()):
            return
        own = element.get("id")
        if own and (not ids or ids[-1] != own):
            ids = (*ids, own)
    if isinstance(box, TextBox | ReplacedBox):
        yield ids, box
        return
    for child in getattr(box, "children", None) or ():
        yield from _texts(child, ids, skip, headers)


def replaced_boxes(page: Page) -> Iterator[ReplacedBox]:
    """The replaced boxes (pictures) of a laid-out page, in the order they are laid out."""
    return _replaced(page._page_box)


def _replaced(box: Box) -> Iterator[ReplacedBox]:
    if isinstance(box, ReplacedBox):
        yield box
        return
    for child in getattr(box, "children", None) or ():
        yield from _replaced(child)


@dataclass(frozen=True)
class Paragraph:
    """A justified paragraph as laid out: its lines, whether its last line is a runt (shorter
    than the fraction of the measure asked, or one word), the widest extra space justification
    gave a line (in ems), and what a trial layout needs to set it again alone: its measure and
    its first line's indent (CSS pixels), its type size."""

    lines: int
    runt: bool
    loosest: float
    measure: float
    indent: float
    size: float
    parts: tuple[tuple[int, int], ...] = ()  # (page index, lines on it), in order
    hyphenated: frozenset[int] = frozenset()  # the lines (from 0) that end with a hyphen

    def turns(self) -> list[int]:
        """The lines (from 0) that end a page: the last of each part but the last."""
        ends, seen = [], 0
        for _, lines in self.parts[:-1]:
            seen += lines
            ends.append(seen - 1)
        return ends


def paragraphs(pages: Sequence[Page], fraction: float) -> dict[str, Paragraph]:
    """The justified paragraphs of ``pages`` (blocks of line boxes), by the innermost element
    id around each; a paragraph across a page turn is read whole."""
    found: dict[str, list[tuple[int, BlockContainerBox, list[LineBox]]]] = {}
    for number, page in enumerate(pages):
        for owner, block in _justified(page._page_box, None):
            lines = [child for child in block.children if isinstance(child, LineBox)]
            if lines:
                found.setdefault(owner, []).append((number, block, lines))
    return {owner: _paragraph(parts, fraction) for owner, parts in found.items()}


def _paragraph(parts: list[tuple[int, BlockContainerBox, list[LineBox]]], fraction: float) -> Paragraph:
    block = parts[0][1]
    lines = [line for _, _, found in parts for line in found]
    size = block.style["font_size"]
    indent = block.style["text_indent"]
    # A word space's width beyond the font's own: the styles' word-spacing (a respaced
    # paragraph's) and what justification adds.
    spaces = [
        max((box.justification_spacing + box.style["word_spacing"] for box in _line_texts(line)), default=0.0)
        for line in lines[:-1]
    ] or [0.0]
    return Paragraph(
        len(lines),
        len(lines) > 1 and _runt(lines[-1], block.width * fraction),
        max(spaces) / size,
        block.width,
        indent.value if indent.unit == "px" else 0.0,
        size,
        tuple((number, len(found)) for number, _, found in parts),
        frozenset(
            n for n, line in enumerate(lines) if _hyphenated(next(reversed(list(_line_texts(line))), None))
        ),
    )


def _justified(box: Box, owner: str | None) -> Iterator[tuple[str, BlockContainerBox]]:
    """The blocks of justified lines in ``box``, each with the innermost element id around it."""
    element = box.element
    if element is not None and hasattr(element, "get") and element.get("id"):
        owner = element.get("id")
    if isinstance(box, MarginBox):
        return
    if isinstance(box, BlockContainerBox) and box.children and isinstance(box.children[0], LineBox):
        if owner and box.style["text_align_all"] == "justify":
            yield owner, box
        return
    for child in getattr(box, "children", None) or ():
        yield from _justified(child, owner)


def _runt(line: LineBox, shortest: float) -> bool:
    boxes = list(_line_texts(line))
    words = "".join(box.text for box in boxes).split()
    end = max((box.position_x + box.width for box in boxes), default=line.position_x)
    return len(words) == 1 or end - line.position_x < shortest


def _line_texts(box: Box) -> Iterator[TextBox]:
    if isinstance(box, TextBox):
        yield box
        return
    for child in getattr(box, "children", None) or ():
        yield from _line_texts(child)
