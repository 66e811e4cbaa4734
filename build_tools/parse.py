"""Parsing: each manuscript file through Python-Markdown and our extensions into a Section.

The Markdown is converted once. The resulting fragment is read back as an XML tree in which the
parser takes the section title, gives headings stable ids and turns note placeholders into
numbered references (numbering restarts in every section, in order of first reference).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from markdown import Markdown

from .errors import Diagnostic, Location, ManuscriptError
from .manuscript import Manuscript, SourceFile
from . import names as names_file
from .index import Tagger, unindexed_names
from .mdext.anchors import AnchorExtension
from .mdext.indexmarks import IndexMarkExtension
from .mdext.notes import Definition, NotesExtension
from .mdext.queries import QueryExtension
from . import chronology
from .model import Book, Event, Mention, Note, Query, Section

_RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")
_ATX_H1 = re.compile(r"^#(?!#)\s*(.*?)\s*#*\s*$")


class Parser:
    """Converts manuscript files into Sections, reusing two Markdown instances."""

    def __init__(self, names: names_file.Names | None = None) -> None:
        self.notes = NotesExtension()
        self.queries = QueryExtension()
        self.anchors = AnchorExtension()
        self.marks = IndexMarkExtension()
        self.text_md = _markdown(self.notes, self.queries, self.anchors, self.marks)
        self.note_queries = QueryExtension(scan=False)
        self.note_marks = IndexMarkExtension()
        self.note_md = _markdown(self.note_queries, self.note_marks)
        self.diagnostics: list[Diagnostic] = []
        self.names = names
        self.tagger = Tagger(names) if names is not None else None
        self.index_marks: list[tuple[str, str, Location]] = []

    def section(self, number: int, source: SourceFile) -> tuple[Section, list[Query]]:
        self.text_md.reset()
        self.notes.source = self.queries.source = self.anchors.source = source.path
        self.marks.source = source.path
        self._warn_raw_html(source)
        tree = _fragment(self.text_md.convert(source.text), source.path)
        title = _take_title(tree, source)
        _name_headings(tree, number)
        notes = self._number_notes(tree, number, self.notes.definitions)
        self.diagnostics.extend(self.notes.warnings)
        self.index_marks.extend(self.marks.marks)
        if self.tagger is not None:
            self.tagger.tag(tree, "text", number)
            self._warn_unindexed(tree, source)
        section = Section(
            number=number,
            title=" ".join("".join(title.itertext()).split()),
            title_html=_inner(title),
            source=source.path,
            body=_inner(tree),
            notes=notes,
            anchors=tuple(self.anchors.anchors),
        )
        return section, list(self.queries.queries)

    def _number_notes(
        self, tree: etree._Element, section: int, definitions: dict[str, Definition]
    ) -> tuple[Note, ...]:
        numbers: dict[str, int] = {}
        counts: dict[str, int] = {}
        for ref in tree.iter("a"):
            label = ref.get("data-note")
            if label is None:
                continue
            number = numbers.setdefault(label, len(numbers) + 1)
            counts[label] = counts.get(label, 0) + 1
            del ref.attrib["data-note"]
            occurrence = counts[label]
            ref_id = f"noteref-{section}-{number}" + (f"-{occurrence}" if occurrence > 1 else "")
            ref.set("href", f"#note-{section}-{number}")
            ref.set("id", ref_id)
            ref.set("class", "noteref")
            ref.text = str(number)
        notes = []
        for label, number in numbers.items():
            definition = definitions[label]
            self.note_md.reset()
            self.note_queries.source = self.note_marks.source = definition.location.file
            note_tree = _fragment(self.note_md.convert(definition.text), definition.location.file)
            self.index_marks.extend(
                (kind, entry, Location(where.file, definition.location.line + where.line - 1, where.column))
                for kind, entry, where in self.note_marks.marks
            )
            if self.tagger is not None:
                self.tagger.tag(note_tree, "note", section, f"note-{section}-{number}")
            body = _inner(note_tree)
            notes.append(Note(section, number, label, body, definition.location, counts[label]))
        return tuple(notes)

    def inline(self, text: str) -> str:
        """Inline Markdown (a chronology entry) as XHTML, without its paragraph; names tagged."""
        self.note_md.reset()
        tree = _fragment(self.note_md.convert(text), Path("<inline>"))
        if self.tagger is not None:
            self.tagger.tag(tree, "chronology", 0)
        return _inner(tree).removeprefix("<p>").removesuffix("</p>")

    def _warn_unindexed(self, tree: etree._Element, source: SourceFile) -> None:
        assert self.names is not None
        # Text already indexed (found forms, explicit marks) and headings are not looked at.
        parts = []
        for node in tree.iter():
            if node.text and node.tag not in ("h2", "h3", "h4", "h5", "h6") and node.get("class") != "ix":
                parts.append(node.text)
            if node.tail and node is not tree:
                parts.append(node.tail)
        plain = " ".join(parts)
        lines = source.text.splitlines()
        for name in unindexed_names(plain, self.names):
            first = " ".join(name.split()[:1])
            line = next((n for n, text in enumerate(lines, 1) if name in text or first in text), 0)
            self.diagnostics.append(Diagnostic(
                Location(source.path, line), "unindexed-name",
                f"{name!r} looks like a name of a person but matches no entry of the names file",
            ))

    def _warn_raw_html(self, source: SourceFile) -> None:
        in_fence = False
        for number, line in enumerate(source.text.splitlines(), 1):
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            if not in_fence and (tag := _RAW_HTML.search(re.sub(r"`[^`]*`", "", line))):
                self.diagnostics.append(Diagnostic(
                    Location(source.path, number, tag.start() + 1),
                    "raw-html",
                    f"raw HTML is not allowed in the manuscript and is printed as text: {tag[0][:40]}",
                ))


def parse(manuscript: Manuscript, source_date_epoch: int) -> Book:
    """Parse every file of the manuscript, in reading order, into the Book model."""
    names = None
    if manuscript.names is not None:
        names = names_file.load(manuscript.names.path, manuscript.names.text)
    parser = Parser(names)
    sections, queries = [], []
    anchors: dict[str, Location] = {}
    for number, source in enumerate(manuscript.files, 1):
        section, found = parser.section(number, source)
        sections.append(section)
        queries.extend(found)
        for anchor, where in section.anchors:
            if anchor in anchors:
                raise ManuscriptError(f"anchor {{#{anchor}}} is also at {anchors[anchor]}", where)
            anchors[anchor] = where
    events: tuple[Event, ...] = ()
    if manuscript.chronology is not None:
        events, found = chronology.load(
            manuscript.chronology.path, manuscript.chronology.text, parser.inline, anchors
        )
        queries.extend(found)
    mentions = _check_index(parser, names, manuscript)
    return Book(
        meta=manuscript.meta,
        sections=tuple(sections),
        root=manuscript.root,
        source_date_epoch=source_date_epoch,
        queries=tuple(queries),
        diagnostics=tuple(parser.diagnostics),
        chronology=events,
        names=names.entries if names else (),
        cross_refs=names.cross_refs if names else (),
        mentions=mentions,
    )


def _check_index(parser: Parser, names: names_file.Names | None, manuscript: Manuscript) -> tuple[Mention, ...]:
    """Index marks name real entries, ranges close, every entry is found at least once."""
    known = {e.id for e in names.entries} if names else set()
    opened: dict[str, Location] = {}
    for kind, entry, where in parser.index_marks:
        if entry not in known:
            hint = "" if names else " (the manuscript has no names file: add names = … to [contents])"
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
    if names is None or parser.tagger is None:
        return ()
    used = {m.entry for m in parser.tagger.mentions}
    for entry in names.entries:
        if entry.id not in used:
            raise ManuscriptError(
                f"entry {entry.id!r} ({entry.heading}) is never found in the text, notes or chronology",
                entry.location,
            )
    return tuple(parser.tagger.mentions)


def _markdown(*extensions: object) -> Markdown:
    md = Markdown(extensions=["sane_lists", *extensions], output_format="xhtml")
    # Raw HTML would let a manuscript script the EPUB: it is escaped and shown as text instead.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def _fragment(html: str, path: Path) -> etree._Element:
    try:
        return etree.fromstring(f"<div>{html}</div>")
    except etree.XMLSyntaxError as exc:  # a bug of ours, but say where it came from
        raise ManuscriptError(f"could not convert the Markdown to XHTML: {exc}", Location(path)) from None


def _take_title(tree: etree._Element, source: SourceFile) -> etree._Element:
    first = tree[0] if len(tree) else None
    if first is None or first.tag != "h1":
        raise ManuscriptError(
            "section has no heading: start the file with '# Title'", Location(source.path, 1)
        )
    tree.remove(first)
    if first.tail and first.tail.strip():
        raise ManuscriptError("unexpected text after the heading", Location(source.path, 1))
    tree.text = (tree.text or "") + (first.tail or "")
    if tree.find("h1") is not None:
        lines = [n for n, line in enumerate(source.text.splitlines(), 1) if _ATX_H1.match(line)]
        where = Location(source.path, lines[1] if len(lines) > 1 else 0)
        raise ManuscriptError(
            "a second '#' heading: one file is one section; use '##' for its subheadings", where
        )
    return first


def _name_headings(tree: etree._Element, section: int) -> None:
    seen: set[str] = set()
    for heading in tree.iter("h2", "h3", "h4", "h5", "h6"):
        slug = re.sub(r"[^a-z0-9]+", "-", "".join(heading.itertext()).lower()).strip("-") or "h"
        candidate, n = slug, 1
        while candidate in seen:
            n += 1
            candidate = f"{slug}-{n}"
        seen.add(candidate)
        heading.set("id", f"sec-{section}-{candidate}")


VOID = {"br", "hr", "img", "wbr", "col", "area", "source", "track"}


def _inner(element: etree._Element) -> str:
    """The XML of an element's content, without the element itself.

    Empty elements are written open and closed (``<span></span>``): the print writer's HTML
    parser would read ``<span/>`` as an opening tag and swallow the rest of the paragraph.
    """
    for node in element.iter():
        if node.text is None and len(node) == 0 and node.tag not in VOID:
            node.text = ""
    parts = [element.text or ""]
    parts.extend(etree.tostring(child, encoding="unicode") for child in element)
    return "".join(parts)
