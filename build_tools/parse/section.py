"""Parsing one document, a section file or inline text, into one immutable result of all it holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from build_tools import ids
from build_tools.errors import Diagnostic, Location
from build_tools.index.citations import citation_only, note_mark
from build_tools.index.finder import Tagged, Tagger, unindexed_names, untag
from build_tools.markup import Fragment, inner_xml
from build_tools.model import Image, Mention, Note, Query, Section
from build_tools.parse.blocks import HEADINGS, name_headings, number_blocks, take_title, text_of
from build_tools.parse.convert import Converter, IndexMark
from build_tools.parse.mdext.notes import Definition
from build_tools.parse.xrefs import XRef, mark
from build_tools.sources.limits import check_limits, check_links, raw_html_warnings
from build_tools.sources.manuscript import SourceFile
from build_tools.sources.names import Names


@dataclass(frozen=True)
class ParsedSection:
    """One section file parsed: its Section and all that was found in it on the way.

    ``index_marks`` (to check against the names file) and ``mentions`` are those of its notes,
    in note order, then those of its text: the order mentions are numbered in, from
    ``first_mention`` up to ``next_mention`` (the number the next section starts from).
    """

    section: Section
    queries: tuple[Query, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    index_marks: tuple[IndexMark, ...] = ()
    mentions: tuple[Mention, ...] = ()
    first_mention: int = 1
    next_mention: int = 1
    xrefs: tuple[XRef, ...] = ()


@dataclass(frozen=True)
class ParsedInline:
    """Inline Markdown parsed (a chronology entry): its XHTML and what was found in it."""

    body: Fragment
    diagnostics: tuple[Diagnostic, ...] = ()
    mentions: tuple[Mention, ...] = ()
    images: tuple[Image, ...] = ()
    next_mention: int = 1
    xrefs: tuple[XRef, ...] = ()


@dataclass(frozen=True)
class _Notes:
    notes: tuple[Note, ...]
    images: tuple[Image, ...]
    marks: tuple[IndexMark, ...]
    mentions: tuple[Mention, ...]
    next_mention: int
    xrefs: tuple[XRef, ...] = ()


class Parser:
    """What parsing keeps from one document to the next: the names file (``None``: no index),
    the manuscript folder (``None``: the nearest folder with a book.toml), the book's language
    (its typography) and the Markdown instances, reset for every document. It keeps no
    result: each call returns all it found, and parsing the same input again gives the same
    result.
    """

    def __init__(self, names: Names | None = None, root: Path | None = None, language: str = "en") -> None:
        self.names = names
        self.root = root
        self.language = language
        self._tagger = Tagger(names) if names is not None else None
        self._converter = Converter(language)

    def section(self, number: int, source: SourceFile, first_mention: int = 1) -> ParsedSection:
        """Section ``number`` of the book from its file; its mentions are numbered from
        ``first_mention`` (ids are numbered across the book: ``parse.book`` threads the count)."""
        check_limits(source.text, source.path)
        warnings = raw_html_warnings(source)
        root = self.root or manuscript_root(source.path)
        converted = self._converter.text(source.text, source.path, root)
        tree = converted.tree
        check_links(tree, source.text, Location(source.path, 1))
        xrefs = mark(tree, source.text, Location(source.path, 1))
        title = take_title(tree, source)
        name_headings(tree, number)
        number_blocks(tree, number)
        notes = self._notes(tree, number, converted.definitions, root, first_mention, source.text)
        text = self._tag(tree, "text", number, notes.next_mention)
        section = Section(
            number=number,
            title=" ".join(text_of(title).split()),
            heading=Fragment(title),
            source=source.path,
            body=Fragment(tree),
            notes=notes.notes,
            anchors=converted.anchors,
            images=converted.images + notes.images,
        )
        return ParsedSection(
            section,
            queries=converted.queries,
            diagnostics=warnings + self._unindexed_in_section(tree, source),
            index_marks=notes.marks + converted.marks,
            mentions=notes.mentions + text.mentions,
            first_mention=first_mention,
            next_mention=text.next_count,
            xrefs=xrefs + notes.xrefs,
        )

    def _notes(
        self,
        tree: etree._Element,
        section: int,
        definitions: tuple[Definition, ...],
        root: Path,
        first_mention: int,
        text: str,
    ) -> _Notes:
        """The notes the references of ``tree`` call for, numbered in order of first reference;
        ``text`` is the file's, where their cross-references are looked for."""
        by_label = {definition.label: definition for definition in definitions}
        notes: list[Note] = []
        images: list[Image] = []
        marks: list[IndexMark] = []
        mentions: list[Mention] = []
        xrefs: list[XRef] = []
        count = first_mention
        for number, (label, refs) in enumerate(_number_references(tree, section).items(), 1):
            definition = by_label[label]
            source, decided = note_mark(definition.text)
            converted = self._converter.note(source, definition.location, root)
            check_links(converted.tree, source, definition.location)
            start = Location(definition.location.file, 1)
            xrefs.extend(mark(converted.tree, text, start, definition.location.line))
            indexed = decided if decided is not None else not citation_only(converted.tree, self.language)
            if indexed:
                tagged = self._tag(converted.tree, "note", section, count, ids.note(section, number))
            else:  # its marks are still checked against the names file, but mark nothing
                untag(converted.tree)
                tagged = Tagged((), count)
            count = tagged.next_count
            images.extend(converted.images)
            marks.extend(converted.marks)
            mentions.extend(tagged.mentions)
            body = Fragment(converted.tree)
            notes.append(Note(section, number, label, body, definition.location, refs, indexed))
        return _Notes(tuple(notes), tuple(images), tuple(marks), tuple(mentions), count, tuple(xrefs))

    def inline(self, text: str, where: Location | None = None, first_mention: int = 1) -> ParsedInline:
        """Inline Markdown (a chronology entry) as XHTML, without its paragraph; names tagged as
        in the chronology, numbered from ``first_mention``."""
        where = where or Location(Path("<inline>"))
        check_limits(text, where.file, where.line)
        converted = self._converter.note(text, where, self.root or manuscript_root(where.file))
        tree = converted.tree
        check_links(tree, text, where)
        xrefs = mark(tree, text, where)
        tagged = self._tag(tree, "chronology", 0, first_mention)
        diagnostics: tuple[Diagnostic, ...] = ()
        if self.names is not None:
            diagnostics = tuple(
                _unindexed(where, name) for name in unindexed_names(unindexed_text(tree), self.names)
            )
        one_paragraph = len(tree) == 1 and tree[0].tag == "p" and not (tree.text or "").strip()
        body = Fragment(tree[0]) if one_paragraph else Fragment(tree)  # one paragraph: its content
        return ParsedInline(body, diagnostics, tagged.mentions, converted.images, tagged.next_count, xrefs)

    def heading(self, text: str, where: Location) -> tuple[str, str]:
        """An index heading's inline Markdown: its words and its XHTML, set in the book's
        typography, nothing tagged (``index/headings.py``)."""
        tree = self._converter.note(text, where, self.root or manuscript_root(where.file)).tree
        holder = tree[0] if len(tree) == 1 and tree[0].tag == "p" else tree
        words = str(etree.tostring(holder, method="text", encoding="unicode", with_tail=False))
        return " ".join(words.split()), inner_xml(holder).strip()

    def _tag(self, tree: etree._Element, where: str, section: int, first: int, note: str = "") -> Tagged:
        if self._tagger is None:
            return Tagged((), first)
        return self._tagger.tag(tree, where, section, note, first)

    def _unindexed_in_section(self, tree: etree._Element, source: SourceFile) -> tuple[Diagnostic, ...]:
        """A warning for each name-like word sequence of the text that is no form of an entry."""
        if self.names is None:
            return ()
        lines = source.text.splitlines()
        found = []
        for name in unindexed_names(unindexed_text(tree), self.names):
            first = " ".join(name.split()[:1])
            line = next((n for n, text in enumerate(lines, 1) if name in text or first in text), 0)
            column = (lines[line - 1].find(name) + 1) if line else 0
            found.append(_unindexed(Location(source.path, line, max(column, 0)), name))
        return tuple(found)


def _number_references(tree: etree._Element, section: int) -> dict[str, int]:
    """Turn each note placeholder of ``tree`` into a numbered reference, numbers in order of
    first reference; return each label's reference count, in that order."""
    numbers: dict[str, int] = {}
    counts: dict[str, int] = {}
    for ref in tree.iter("a"):
        label = ref.get("data-note")
        if label is None:
            continue
        number = numbers.setdefault(label, len(numbers) + 1)
        counts[label] = counts.get(label, 0) + 1
        del ref.attrib["data-note"]
        ref.set("href", "#" + ids.note(section, number))
        ref.set("id", ids.noteref(section, number, counts[label]))
        ref.set("class", "noteref")
        ref.text = str(number)
    return counts


def unindexed_text(tree: etree._Element) -> str:
    """The text not already indexed (found forms, explicit marks), headings left out."""
    parts = []
    for node in tree.iter():
        if node.text and node.tag not in HEADINGS and node.get("class") != "ix":
            parts.append(node.text)
        if node.tail and node is not tree:
            parts.append(node.tail)
    return " ".join(parts)


def _unindexed(where: Location, name: str) -> Diagnostic:
    return Diagnostic(
        where,
        "unindexed-name",
        f"{name!r} looks like a name of a person but matches no entry of the names file",
        name,
    )


def manuscript_root(path: Path) -> Path:
    """The manuscript folder of a text file: the nearest folder above it with a book.toml."""
    for folder in path.resolve().parents:
        if (folder / "book.toml").is_file():
            return folder
    return path.parent
