"""No tofu: every character the book prints has a glyph in the fonts that will set it.

``design/coverage.py`` says which characters no face of the styles folder has; here each is
found in its source (the first time it occurs from the place its text begins: a section's
file, a note's definition, a chronology entry, an entry of the names file, ``book.toml``) and
reported with its line and column. The build stops at the first (``check_glyphs``, before the
layout); ``book check`` lists them all (code ``missing-glyph``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from build_tools.design.coverage import Missing, coverage
from build_tools.design.fonts import FONTS_FILE, FontSet
from build_tools.errors import BookError, Location, ManuscriptError
from build_tools.model import Book
from build_tools.sources.manuscript import CONFIG_NAME, read_text

CODE = "missing-glyph"
MORE_SHOWN = 5  # the other characters a build's error names


def missing_glyphs(book: Book, fonts: FontSet) -> list[tuple[Location, str, str]]:
    """(where, message, the character) for each character of ``book`` that no face of
    ``fonts`` has, in order of first appearance."""
    texts: dict[Path, str] = {}

    def text_of(path: Path) -> str:
        if path not in texts:
            try:
                texts[path] = read_text(path)
            except ManuscriptError:
                texts[path] = ""
        return texts[path]

    names = ", ".join(family.name for family in fonts.families)
    return [
        (
            locate(missing, book.root, text_of),
            f"{missing} is in none of the book's fonts ({names}): it would print as an empty box; "
            f"add a face that has it to the styles folder's {FONTS_FILE} as a [[fallback]]",
            missing.char,
        )
        for missing in coverage(book, fonts).missing
    ]


def check_glyphs(book: Book, fonts: FontSet) -> None:
    """Raise a BookError at the first character no face has, naming the others."""
    found = missing_glyphs(book, fonts)
    if not found:
        return
    where, message, _ = found[0]
    others = [char for _, _, char in found[1:]]
    if others:
        shown = " ".join(f"“{char}” U+{ord(char):04X}" for char in others[:MORE_SHOWN])
        rest = f" and {len(others) - MORE_SHOWN} more" if len(others) > MORE_SHOWN else ""
        message += f" (no font has these either: {shown}{rest}; 'book check' lists where)"
    raise BookError(message, where)


def locate(missing: Missing, root: Path, text_of: Callable[[Path], str]) -> Location:
    """The line and column of the character in its source, looked for from where its text
    begins; the start of that text if the source does not have it as it is (a character the
    build made, as a curly quote from a straight one)."""
    where = missing.piece.where or Location(root / CONFIG_NAME)
    text = text_of(where.file)
    start = _line_start(text, where.line)
    index = text.find(missing.char, start)
    if index < 0:
        index = text.find(missing.char)
    if index < 0:
        return where
    line = text.count("\n", 0, index) + 1
    return Location(where.file, line, index - (text.rfind("\n", 0, index) + 1) + 1)


def _line_start(text: str, line: int) -> int:
    """The offset of line ``line`` (1-based; 0 is the start of the text)."""
    offset = 0
    for _ in range(line - 1):
        found = text.find("\n", offset)
        if found < 0:
            return 0
        offset = found + 1
    return offset
