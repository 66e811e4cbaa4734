"""Which family sets each character a book prints, and the characters no face has (issue 13:
"no tofu", the empty box a character without a glyph prints as).

A character is set in the text family when one of its files has it, else in the first fallback
that has it: the order in which WeasyPrint (Pango) and reading systems walk a font-family list.
Spaces, controls, format characters and variation selectors need no glyph of their own: Pango
never chooses a font for them, and HarfBuzz draws a space a font lacks as its plain space.

What is printed: the metadata of the title and copyright pages, part titles, every heading,
text, note and chronology entry, the headings of the index, and the words the toolchain prints
around them (``Labels``). Each piece of text keeps the place its source starts at, so that a
character no face has can be found in its file (``checks/glyphs.py``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from string import Formatter

from build_tools.design.cmaps import UnreadableFont, code_points
from build_tools.design.fonts import Family, FontSet
from build_tools.errors import BookError, Location
from build_tools.lang.labels import Labels
from build_tools.model import Book

# The labels printed on the pages of either format (the others are ARIA labels, EPUB metadata
# and the preview's words, which the reading system or the browser sets).
PRINTED_LABELS = (
    "contents",
    "copyright",
    "chronology",
    "notes",
    "index",
    "published_by",
    "isbn_print",
    "isbn_ebook",
    "copyright_notice",
    "identifier",
    "set_in",
    "notes_to_page",
    "notes_to_pages",
    "see",
    "see_also",
    "in_the_text",
    "page_reference",
    "page_references",
    "title_and_subtitle",
    "typefaces",
    "note_locator",
    "note_locator_chapter",
    "note_locator_section",
    "continued",
)
SPACE = 0x20
_NO_GLYPH_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf"}
# Default-ignorable code points outside those categories (Unicode DerivedCoreProperties):
# the combining grapheme joiner, Hangul fillers, Mongolian and other variation selectors.
_IGNORABLE = {
    0x034F,
    0x115F,
    0x1160,
    0x17B4,
    0x17B5,
    0x3164,
    0xFFA0,
    *range(0x180B, 0x1810),
    *range(0xFE00, 0xFE10),
    *range(0xE0100, 0xE01F0),
}


@dataclass(frozen=True)
class Piece:
    """Some text the book prints, and where its source begins (None: ``book.toml``, whose
    keys the model does not locate, or the toolchain's own words)."""

    text: str
    where: Location | None = None


@dataclass(frozen=True)
class Missing:
    """A character that no face of the book has, and the first piece of text it is in."""

    char: str
    piece: Piece

    def __str__(self) -> str:
        code = ord(self.char)
        return f"“{self.char}” (U+{code:04X} {unicodedata.name(self.char, 'unnamed')})"


@dataclass(frozen=True)
class Coverage:
    """The families that set some character of the book (the text family always first), and
    the characters none has, in order of first appearance."""

    used: tuple[str, ...]
    missing: tuple[Missing, ...]


def coverage(book: Book, fonts: FontSet) -> Coverage:
    """What sets each character of ``book``. A BookError names a font file whose character map
    cannot be read, or a fallback without a space that sets some character: Pango sets a space
    in the face of the characters before it, and a face without one prints it as an empty box."""
    texts = list(pieces(book))
    families = [(family, _code_points(family)) for family in fonts.families]
    used, lacking = {fonts.family}, set()
    for char in set().union(*(piece.text for piece in texts)):
        if needs_no_glyph(char):
            continue
        code = ord(char)
        setter = next(((family, points) for family, points in families if code in points), None)
        if setter is None:
            lacking.add(char)
        elif setter[0].name not in used:
            used.add(setter[0].name)
            _has_a_space(*setter)
    missing = []  # rare: the pieces are read again for where each character first is
    for piece in texts:
        if not lacking:
            break
        for char in dict.fromkeys(piece.text):
            if char in lacking:
                lacking.discard(char)
                missing.append(Missing(char, piece))
    return Coverage(tuple(family.name for family, _ in families if family.name in used), tuple(missing))


def used_fonts(book: Book, fonts: FontSet) -> FontSet:
    """``fonts`` with only the fallbacks that set some character of ``book``: the faces the
    EPUB carries and the fonts the stylesheets list. A set without fallbacks reads no file."""
    return fonts.only(coverage(book, fonts).used) if fonts.fallbacks else fonts


def needs_no_glyph(char: str) -> bool:
    """Whether a character is drawn without a glyph of its own (a space, a control or format
    character, a variation selector)."""
    return unicodedata.category(char) in _NO_GLYPH_CATEGORIES or ord(char) in _IGNORABLE


def pieces(book: Book) -> Iterator[Piece]:
    """Every text the book prints, in reading order, with where its source is."""
    meta = book.meta
    yield Piece(
        " ".join(
            (
                meta.title,
                meta.subtitle,
                meta.author,
                meta.publisher,
                meta.rights,
                meta.edition,
                meta.date,
                meta.identifier,
                meta.isbn_print,
                meta.isbn_ebook,
                *meta.credits,
            )
        )
    )
    yield Piece(" ".join(part.title for part in book.parts))
    for section in book.sections:
        source = Location(section.source, 1)
        yield Piece(_normal(section.heading.text), source)
        yield Piece(_normal(section.body.text), source)
        for note in section.notes:
            yield Piece(_normal(note.body.text), note.location)
    for event in book.chronology:
        yield Piece(_normal(f"{event.label} {event.body.text}"), event.location)
    for entry in book.names:
        yield Piece(_normal(f"{entry.heading} {entry.qualifier}"), entry.location)
    for ref in book.cross_refs:
        yield Piece(_normal(ref.heading), ref.location)
    yield Piece(_label_text(meta.words))


def _label_text(words: Labels) -> str:
    """The printed labels, without their placeholders."""
    values = asdict(words)
    texts = [str(values[name]) for name in PRINTED_LABELS if name in values]
    return " ".join(literal for text in texts for literal, *_ in Formatter().parse(text))


def _normal(text: str) -> str:
    """``text`` composed (NFC), as HarfBuzz composes a letter and its accent the font has as one."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _has_a_space(family: Family, points: frozenset[int]) -> None:
    if SPACE not in points:
        raise BookError(
            f"the face {family.name} has no space (U+0020): a space after a character it sets "
            "would print as an empty box; use a file of the face that has one",
            Location(family.faces[0].path),
        )


def _code_points(family: Family) -> frozenset[int]:
    """The characters one of the family's files has."""
    points: set[int] = set()
    for face in family.faces:
        try:
            points.update(code_points(face.path))
        except UnreadableFont as exc:
            raise BookError(f"cannot read the font {face.name}: {exc}", Location(face.path)) from None
    return frozenset(points)
