"""The book-level parse: every file's result assembled into the Book, and the checks across files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from build_tools.errors import Location, ManuscriptError
from build_tools.index import headings
from build_tools.index.density import crowded
from build_tools.model import Book, Image, Mention, Part, Section
from build_tools.parse.chronology import ParsedChronology, parse_chronology
from build_tools.parse.convert import IndexMark
from build_tools.parse.section import ParsedSection, Parser
from build_tools.parse.xrefs import resolve
from build_tools.sources import indexes
from build_tools.sources import names as names_file
from build_tools.sources.manuscript import Manuscript, SourceFile


@dataclass(frozen=True)
class ParsedBook:
    """The Book, and the result of each file it was assembled from (``sections[n - 1]`` is
    section n): what the preview needs to parse one section again as the whole read did."""

    book: Book
    sections: tuple[ParsedSection, ...]
    chronology: ParsedChronology | None = None


def parse(manuscript: Manuscript, source_date_epoch: int) -> Book:
    """Parse every file of the manuscript, in reading order, into the Book model."""
    return parse_book(manuscript, source_date_epoch).book


def parse_book(manuscript: Manuscript, source_date_epoch: int) -> ParsedBook:
    """Parse every file of the manuscript, in reading order, and assemble the Book.

    Index mentions are numbered across the book (``ix-1``, ``ix-2``, …): each section is
    parsed from the number the one before it reached (within a section its notes come first,
    then its text), and the chronology from the number the last section reached.
    """
    names = None
    if manuscript.names is not None:
        names = names_file.load(manuscript.names.path, manuscript.names.text)
        indexes.check(manuscript.indexes, names.entries)  # before the text is parsed
    parser = Parser(names, manuscript.root, manuscript.meta.language)
    if names is not None:
        names = headings.rendered(names, parser.heading)
    sections, anchors = _sections(parser, manuscript.files)
    chronology = None
    if manuscript.chronology is not None:
        first = sections[-1].next_mention if sections else 1
        chronology = parse_chronology(parser, manuscript.chronology, anchors, first)
    parts: list[ParsedSection | ParsedChronology] = [*sections, *([chronology] if chronology else [])]
    _check_marks((mark for section in sections for mark in section.index_marks), names)
    mentions = tuple(mention for part in parts for mention in part.mentions) if names else ()
    skipped = any(not note.indexed for section in sections for note in section.section.notes)
    _check_found(mentions, names, skipped)
    placed = _placed(manuscript, sections)
    book_parts = tuple(
        Part(part.number, part.title, tuple(s.number for s in placed if s.part == part.number))
        for part in manuscript.parts
    )
    # Cross-references last: they may point at any part, section, note or event of the book.
    placed, events = resolve(
        placed,
        chronology.events if chronology else (),
        (ref for part in parts for ref in part.xrefs),
        book_parts,
    )
    book = Book(
        meta=manuscript.meta,
        sections=placed,
        parts=book_parts,
        root=manuscript.root,
        source_date_epoch=source_date_epoch,
        queries=tuple(query for part in parts for query in part.queries),
        diagnostics=tuple(diagnostic for part in parts for diagnostic in part.diagnostics),
        chronology=events,
        names=names.entries if names else (),
        cross_refs=names.cross_refs if names else (),
        mentions=mentions,
        indexes=manuscript.indexes.chosen,
        images=_unique_images(
            [
                *(image for section in sections for image in section.section.images),
                *(chronology.images if chronology else ()),
            ]
        ),
    )
    book = replace(book, diagnostics=book.diagnostics + crowded(book))  # the whole index is known
    return ParsedBook(book, sections, chronology)


def _placed(manuscript: Manuscript, sections: Sequence[ParsedSection]) -> tuple[Section, ...]:
    """The sections with their places in the book: front, body or back matter, role, part."""
    return tuple(
        replace(parsed.section, matter=place.matter, role=place.role, part=place.part)
        for parsed, place in zip(sections, map(manuscript.placement, range(len(sections))), strict=True)
    )


def _sections(
    parser: Parser, files: Sequence[SourceFile]
) -> tuple[tuple[ParsedSection, ...], dict[str, Location]]:
    """Each file parsed in reading order, mention numbers carried on; the anchors of all of them."""
    sections: list[ParsedSection] = []
    anchors: dict[str, Location] = {}
    first_mention = 1
    for number, source in enumerate(files, 1):
        section = parser.section(number, source, first_mention)
        first_mention = section.next_mention
        sections.append(section)
        for anchor, where in section.section.anchors:
            if anchor in anchors:
                raise ManuscriptError(f"anchor {{#{anchor}}} is also at {anchors[anchor]}", where)
            anchors[anchor] = where
    return tuple(sections), anchors


def _check_marks(marks: Iterable[IndexMark], names: names_file.Names | None) -> None:
    """Index marks name real entries, and every range that opens closes."""
    known = {e.id for e in names.entries} if names else set()
    known |= {f"{e.id}>{sub.id}" for e in names.entries for sub in e.subentries} if names else set()
    opened: dict[str, Location] = {}
    for kind, entry, where in marks:
        if entry not in known:
            hint = "" if names else " (the manuscript has no names file: add names = … to [contents])"
            if ">" in entry and entry.partition(">")[0] in known:
                what = f"{entry.partition('>')[2]!r}, which is not a subentry of {entry.partition('>')[0]!r}"
                raise ManuscriptError(f"index mark names {what}", where)
            raise ManuscriptError(f"index mark names {entry!r}, which is not an entry{hint}", where)
        if kind == "start":
            opened[entry] = where
        elif kind == "end":
            if entry not in opened:
                raise ManuscriptError(f"{{@{entry}:end}} without a {{@{entry}:start}} before it", where)
            del opened[entry]
    if opened:
        entry, where = next(iter(opened.items()))
        raise ManuscriptError(f"{{@{entry}:start}} is never closed by {{@{entry}:end}}", where)


def _check_found(mentions: tuple[Mention, ...], names: names_file.Names | None, skipped: bool) -> None:
    """Every entry of the names file is found at least once; ``skipped``: some notes are not
    indexed, which the message says (a name cited only in them is not indexed)."""
    used = {m.entry for m in mentions}
    hint = (
        " (notes that only cite a source are not indexed: begin one with {@} to index it)" if skipped else ""
    )
    for entry in names.entries if names else ():
        if entry.id not in used:
            raise ManuscriptError(
                f"entry {entry.id!r} ({entry.heading}) is never found in the text, notes or chronology{hint}",
                entry.location,
            )


def _unique_images(images: list[Image]) -> tuple[Image, ...]:
    """Each file once, in order of first use (two alt texts for one file are both fine)."""
    seen: dict[str, Image] = {}
    for image in images:
        seen.setdefault(image.href, image)
    return tuple(seen.values())
