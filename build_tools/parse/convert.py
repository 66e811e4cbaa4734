"""Markdown to an XML tree: our Python-Markdown set-up, and what its extensions found in a document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.entities import html5
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from lxml import etree
from markdown import Markdown
from markdown.extensions import Extension

from build_tools.errors import Location, ManuscriptError
from build_tools.model import Image, Query
from build_tools.parse.mdext.anchors import AnchorExtension
from build_tools.parse.mdext.breaks import BreakExtension
from build_tools.parse.mdext.figures import FigureExtension
from build_tools.parse.mdext.images import ImageExtension
from build_tools.parse.mdext.indexmarks import IndexMarkExtension
from build_tools.parse.mdext.leftovers import LeftoverExtension
from build_tools.parse.mdext.notes import Definition, NotesExtension
from build_tools.parse.mdext.queries import QueryExtension
from build_tools.parse.mdext.spans import SpanExtension
from build_tools.parse.mdext.tables import TablesExtension
from build_tools.parse.mdext.verse import VerseExtension
from build_tools.parse.typeset import typeset

IndexMark = tuple[str, str, Location]
"""An index mark of the text: kind ("explicit", "start" or "end"), entry id, where it is written."""


@dataclass(frozen=True)
class Converted:
    """One document converted: its tree, the caller's to finish, and what the extensions found."""

    tree: etree._Element
    images: tuple[Image, ...] = ()
    marks: tuple[IndexMark, ...] = ()
    queries: tuple[Query, ...] = ()
    anchors: tuple[tuple[str, Location], ...] = ()
    definitions: tuple[Definition, ...] = ()


class Converter:
    """Two Markdown instances, made once and reused: one for section text, one for notes and
    inline text (no notes, anchors, figures or query scan there).

    Every document starts from ``Markdown.reset()``, which resets each extension's findings
    (Python-Markdown's pattern), and its findings are handed back in a ``Converted``; the
    instances are reset again afterwards, so nothing found in one document is kept. One
    Converter converts one document at a time. Every tree it gives is set in the typography
    of ``language`` (``typeset.py``).
    """

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self._notes = NotesExtension()
        self._queries = QueryExtension()
        self._anchors = AnchorExtension()
        self._marks = IndexMarkExtension()
        self._images = ImageExtension()
        self._forms = _Forms()
        self._text = _markdown(
            self._notes,
            self._queries,
            self._anchors,
            self._marks,
            self._images,
            FigureExtension(),
            *self._forms.extensions,
        )
        self._note_marks = IndexMarkExtension()
        self._note_images = ImageExtension()
        self._note_forms = _Forms()
        self._note = _markdown(
            QueryExtension(scan=False), self._note_marks, self._note_images, *self._note_forms.extensions
        )

    def text(self, text: str, path: Path, root: Path) -> Converted:
        """A section file's text; images are read from inside ``root``, the manuscript folder."""
        self._text.reset()
        try:
            self._notes.source = self._queries.source = self._anchors.source = path
            self._marks.source = self._images.source = path
            self._images.root, self._images.first_line = root, 1
            self._forms.start(path, 1)
            tree = _fragment(_convert(self._text, text, path), path)
            typeset(tree, self.language)
            return Converted(
                tree,
                images=tuple(self._images.images),
                marks=tuple(self._marks.marks),
                queries=tuple(self._queries.queries),
                anchors=tuple(self._anchors.anchors),
                definitions=tuple(self._notes.definitions.values()),
            )
        finally:
            self._text.reset()

    def note(self, text: str, where: Location, root: Path) -> Converted:
        """A note's text, or a chronology entry, written in ``where.file`` from ``where.line``
        (0: not known). Its index marks are given with their lines in ``where.file``."""
        self._note.reset()
        try:
            self._note_marks.source = self._note_images.source = where.file
            self._note_images.root, self._note_images.first_line = root, where.line
            self._note_forms.start(where.file, where.line)
            tree = _fragment(_convert(self._note, text, where.file), where.file)
            typeset(tree, self.language)
            return Converted(
                tree,
                images=tuple(self._note_images.images),
                marks=tuple(
                    (kind, entry, Location(at.file, where.line + at.line - 1, at.column))
                    for kind, entry, at in self._note_marks.marks
                ),
            )
        finally:
            self._note.reset()


class _Forms:
    """The forms of a book beyond the essay's, for sections and notes alike: tables, inline
    attributes, verse, line and section breaks, and the check that nothing is left unread."""

    def __init__(self) -> None:
        self.spans = SpanExtension()
        self.verse = VerseExtension()
        self.leftovers = LeftoverExtension()
        self.extensions = (TablesExtension(), self.spans, self.verse, BreakExtension(), self.leftovers)

    def start(self, path: Path, first_line: int) -> None:
        """The next document is ``path`` from line ``first_line`` (0: not known)."""
        for extension in (self.spans, self.verse, self.leftovers):
            extension.source, extension.first_line = path, first_line


def _markdown(*extensions: Extension) -> Markdown:
    md = Markdown(extensions=["sane_lists", *extensions], output_format="xhtml")
    # Raw HTML would let a manuscript script the EPUB: it is escaped and shown as text instead.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def _convert(md: Markdown, text: str, path: Path) -> str:
    try:
        return str(md.convert(text))
    except RecursionError:  # check_limits keeps to what converts; say where if it was not enough
        raise ManuscriptError(
            "the text is nested too deeply to convert (lists, block quotes or emphasis)",
            Location(path),
        ) from None


def _fragment(html: str, path: Path) -> etree._Element:
    try:
        return etree.fromstring(f"<div>{_xml_entities(html)}</div>")
    except etree.XMLSyntaxError as exc:  # a bug of ours, but say where it came from
        raise ManuscriptError(f"could not convert the Markdown to XHTML: {exc}", Location(path)) from None


_ENTITY = re.compile(r"&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{0,31});")
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}


def _xml_entities(html: str) -> str:
    """Python-Markdown keeps entities as written: HTML's named ones become characters (XML
    knows five), and a name HTML does not know, or a character XML forbids (``&#0;``), is
    printed as written rather than failing the XML parse."""

    def one(found: re.Match[str]) -> str:
        name = found[1]
        if name in _XML_ENTITIES:
            return found[0]
        if name.startswith("#"):
            code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
            allowed = (
                code in (0x9, 0xA, 0xD)
                or 0x20 <= code <= 0xD7FF
                or 0xE000 <= code <= 0xFFFD
                or 0x10000 <= code <= 0x10FFFF
            )
            return found[0] if allowed else "&amp;" + found[0][1:]
        character = html5.get(f"{name};")
        return xml_escape(character) if character is not None else "&amp;" + found[0][1:]

    return _ENTITY.sub(one, html)
