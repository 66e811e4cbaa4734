"""Parsing: each manuscript file through Python-Markdown and our extensions into a Section.

The Markdown is converted once. The resulting fragment is read back as an XML tree in which the
parser takes the section title, gives headings stable ids and turns note placeholders into
numbered references (numbering restarts in every section, in order of first reference).

Input the book cannot hold is refused with its line before conversion (``_check_limits``):
a paragraph longer than ``MAX_PARAGRAPH`` characters (Python-Markdown's inline processing
grows with the square of a paragraph's length: 0.5 MB of text with emphasis takes seconds,
2 MB minutes), one whose brackets make Python-Markdown read more than ``MAX_BRACKET_SCAN``
characters looking for their ends (an unclosed ``[`` or ``](`` is looked for to the
paragraph's end: 5,000 of them take over ten seconds; real text reads a few characters per
bracket) and nesting of lists and block quotes deeper than ``MAX_DEPTH`` (deeper
nesting exhausts Python's recursion limit, and XML parsers refuse trees over 256 deep).
Raw HTML is printed as text, with a warning; the tags that would script a page or embed
another (``<script>``, ``<iframe>``, ``<object>``, ``<embed>``, any ``on…=`` event attribute)
are errors, and so is a link to a ``javascript:`` (or any non-web) URL: the EPUB never
becomes scripted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.entities import html5
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from lxml import etree
from markdown import Markdown

from build_tools.errors import Diagnostic, Location, ManuscriptError
from build_tools.index.finder import Tagger, unindexed_names
from build_tools.markup import Fragment
from build_tools.model import Book, Event, Image, Mention, Note, Query, Section
from build_tools.parse.blocks import number_blocks
from build_tools.parse.mdext.anchors import AnchorExtension
from build_tools.parse.mdext.images import ImageExtension
from build_tools.parse.mdext.indexmarks import IndexMarkExtension
from build_tools.parse.mdext.notes import Definition, NotesExtension
from build_tools.parse.mdext.queries import QueryExtension
from build_tools.sources import chronology
from build_tools.sources import names as names_file
from build_tools.sources.manuscript import Manuscript, SourceFile

_RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")
_ACTIVE_HTML = re.compile(
    r"</?(script|iframe|object|embed|frame|frameset|applet)\b"
    r"|<[A-Za-z][^<>]*?[\s/\"'](on[a-z]+)\s*=[^<>]*>"
    r"|<[A-Za-z][^<>]*?(javascript|vbscript)\s*:[^<>]*>",
    re.IGNORECASE,
)
_ATX_H1 = re.compile(r"^#(?!#)\s*(.*?)\s*#*\s*$")
# Links may go to the web, to an address or to a place in the book; nothing else (RFC 3986
# scheme). ``javascript:`` in an EPUB would be a script.
_LINK_SCHEMES = ("http", "https", "mailto", "ftp", "tel")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
MAX_PARAGRAPH = 200_000
MAX_BRACKET_SCAN = 2_000_000
MAX_DEPTH = 16
_QUOTE_MARK = re.compile(r"( *)>")


class Parser:
    """Converts manuscript files into Sections, reusing two Markdown instances."""

    def __init__(self, names: names_file.Names | None = None, root: Path | None = None) -> None:
        self.notes = NotesExtension()
        self.queries = QueryExtension()
        self.anchors = AnchorExtension()
        self.marks = IndexMarkExtension()
        self.images = ImageExtension()
        self.text_md = _markdown(self.notes, self.queries, self.anchors, self.marks, self.images)
        self.note_queries = QueryExtension(scan=False)
        self.note_marks = IndexMarkExtension()
        self.note_images = ImageExtension()
        self.note_md = _markdown(self.note_queries, self.note_marks, self.note_images)
        self.root = root
        self.diagnostics: list[Diagnostic] = []
        self.names = names
        self.tagger = Tagger(names) if names is not None else None
        self.index_marks: list[tuple[str, str, Location]] = []
        self.inline_images: list[Image] = []

    def section(self, number: int, source: SourceFile) -> tuple[Section, list[Query]]:
        self.text_md.reset()
        self.notes.source = self.queries.source = self.anchors.source = source.path
        self.marks.source = self.images.source = source.path
        self.images.root = self.note_images.root = self.root or manuscript_root(source.path)
        _check_limits(source.text, source.path)
        self._warn_raw_html(source)
        tree = _fragment(_convert(self.text_md, source.text, source.path), source.path)
        _check_links(tree, source.text, Location(source.path, 1))
        title = _take_title(tree, source)
        _name_headings(tree, number)
        number_blocks(tree, number)
        images = list(self.images.images)
        notes = self._number_notes(tree, number, self.notes.definitions, images)
        self.diagnostics.extend(self.notes.warnings)
        self.index_marks.extend(self.marks.marks)
        if self.tagger is not None:
            self.tagger.tag(tree, "text", number)
            self._warn_unindexed(tree, source)
        section = Section(
            number=number,
            title=" ".join("".join(title.itertext()).split()),
            heading=Fragment(title),
            source=source.path,
            body=Fragment(tree),
            notes=notes,
            anchors=tuple(self.anchors.anchors),
            images=tuple(images),
        )
        return section, list(self.queries.queries)

    def _number_notes(
        self, tree: etree._Element, section: int, definitions: dict[str, Definition],
        images: list[Image],
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
            self.note_images.source = definition.location.file
            self.note_images.first_line = definition.location.line
            note_tree = _fragment(_convert(self.note_md, definition.text, definition.location.file),
                                  definition.location.file)
            _check_links(note_tree, definition.text, definition.location)
            images.extend(self.note_images.images)
            self.index_marks.extend(
                (kind, entry, Location(where.file, definition.location.line + where.line - 1, where.column))
                for kind, entry, where in self.note_marks.marks
            )
            if self.tagger is not None:
                self.tagger.tag(note_tree, "note", section, f"note-{section}-{number}")
            body = Fragment(note_tree)
            notes.append(Note(section, number, label, body, definition.location, counts[label]))
        return tuple(notes)

    def inline(self, text: str, where: Location | None = None) -> Fragment:
        """Inline Markdown (a chronology entry) as XHTML, without its paragraph; names tagged."""
        where = where or Location(Path("<inline>"))
        self.note_md.reset()
        self.note_images.source, self.note_images.first_line = where.file, where.line
        _check_limits(text, where.file, where.line)
        tree = _fragment(_convert(self.note_md, text, where.file), where.file)
        _check_links(tree, text, where)
        self.inline_images.extend(self.note_images.images)
        if self.tagger is not None:
            self.tagger.tag(tree, "chronology", 0)
            for name in unindexed_names(_unindexed_text(tree), self.tagger.names):
                self.diagnostics.append(_unindexed(where, name))
        if len(tree) == 1 and tree[0].tag == "p" and not (tree.text or "").strip():
            return Fragment(tree[0])  # one paragraph: its content
        return Fragment(tree)

    def _warn_unindexed(self, tree: etree._Element, source: SourceFile) -> None:
        assert self.names is not None
        lines = source.text.splitlines()
        for name in unindexed_names(_unindexed_text(tree), self.names):
            first = " ".join(name.split()[:1])
            line = next((n for n, text in enumerate(lines, 1) if name in text or first in text), 0)
            column = (lines[line - 1].find(name) + 1) if line else 0
            self.diagnostics.append(_unindexed(Location(source.path, line, max(column, 0)), name))

    def _warn_raw_html(self, source: SourceFile) -> None:
        in_fence = False
        for number, line in enumerate(source.text.splitlines(), 1):
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            text = re.sub(r"`[^`]*`", lambda m: " " * len(m[0]), line)
            if not in_fence and (active := _ACTIVE_HTML.search(text)):
                raise ManuscriptError(
                    f"raw HTML with {_active_what(active)} is not allowed in a book (it would run "
                    "a script or embed another page); remove it, or put it in `code` to show it",
                    Location(source.path, number, active.start() + 1),
                )
            if not in_fence and (tag := _RAW_HTML.search(text)):
                self.diagnostics.append(Diagnostic(
                    Location(source.path, number, tag.start() + 1),
                    "raw-html",
                    f"raw HTML is not allowed in the manuscript and is printed as text: {tag[0][:40]}",
                    tag[0],
                ))


def _unindexed_text(tree: etree._Element) -> str:
    """The text not already indexed (found forms, explicit marks), headings left out."""
    parts = []
    for node in tree.iter():
        if node.text and node.tag not in ("h2", "h3", "h4", "h5", "h6") and node.get("class") != "ix":
            parts.append(node.text)
        if node.tail and node is not tree:
            parts.append(node.tail)
    return " ".join(parts)


def _unindexed(where: Location, name: str) -> Diagnostic:
    return Diagnostic(where, "unindexed-name",
                      f"{name!r} looks like a name of a person but matches no entry of the names file",
                      name)


def parse(manuscript: Manuscript, source_date_epoch: int) -> Book:
    """Parse every file of the manuscript, in reading order, into the Book model."""
    names = None
    if manuscript.names is not None:
        names = names_file.load(manuscript.names.path, manuscript.names.text)
    parser = Parser(names, manuscript.root)
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
        images=_unique_images(
            [i for s in sections for i in s.images] + parser.inline_images
        ),
    )


def _unique_images(images: list[Image]) -> tuple[Image, ...]:
    """Each file once, in order of first use (two alt texts for one file are both fine)."""
    seen: dict[str, Image] = {}
    for image in images:
        seen.setdefault(image.href, image)
    return tuple(seen.values())


def manuscript_root(path: Path) -> Path:
    """The manuscript folder of a text file: the nearest folder above it with a book.toml."""
    for folder in path.resolve().parents:
        if (folder / "book.toml").is_file():
            return folder
    return path.parent


def _check_index(
    parser: Parser, names: names_file.Names | None, manuscript: Manuscript
) -> tuple[Mention, ...]:
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


def _check_limits(text: str, path: Path, first_line: int = 1) -> None:
    """Refuse, with its line, a paragraph too long or nesting too deep to convert."""
    def where(index: int) -> Location:
        return Location(path, first_line + index if first_line else 0)

    lines = text.split("\n")
    for number, line in enumerate(lines):
        if (depth := _depth(line)) > MAX_DEPTH:
            raise ManuscriptError(
                f"lists or block quotes nested {depth} levels deep; the limit is {MAX_DEPTH}",
                where(number),
            )
    for start, paragraph in _paragraphs(lines):
        if len(paragraph) > MAX_PARAGRAPH:
            raise ManuscriptError(
                f"a paragraph of more than {MAX_PARAGRAPH:,} characters: split it with blank "
                "lines (the limit keeps conversion time reasonable)", where(start),
            )
        if _bracket_scan(paragraph) > MAX_BRACKET_SCAN:
            raise ManuscriptError(
                "a paragraph with many '[' or '](' never closed (or nested very deeply): close "
                "them or split the paragraph (each one is looked for to the paragraph's end)",
                where(start),
            )


def _paragraphs(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Each run of lines without a blank one (a lone '>' counts as blank), with its first index."""
    start = 0
    for number, line in enumerate([*lines, ""]):
        if not line.strip(" \t>"):
            if number > start:
                yield start, "\n".join(lines[start:number])
            start = number + 1


def _bracket_scan(paragraph: str) -> int:
    """How many characters Python-Markdown reads looking for the end of each '[' and '](' ."""
    total = 0
    for opening, closing, after in (("[", "]", ""), ("(", ")", "]")):
        opened: list[int] = []
        for found in re.finditer(rf"\{opening}|\{closing}", paragraph):
            if found[0] == opening:
                opened.append(found.start())
            elif opened:
                start = opened.pop()
                total += found.start() - start if paragraph.endswith(after, 0, start) else 0
        total += sum(len(paragraph) - s for s in opened if paragraph.endswith(after, 0, s))
    return total


def _depth(line: str) -> int:
    """How deep a line is nested: its block-quote marks and its indentation in steps of four."""
    line = line.expandtabs(4)
    depth = 0
    while found := _QUOTE_MARK.match(line):
        depth += len(found[1]) // 4 + 1
        line = line[found.end():].removeprefix(" ")
    return depth + (len(line) - len(line.lstrip(" "))) // 4


def _convert(md: Markdown, text: str, path: Path) -> str:
    try:
        return str(md.convert(text))
    except RecursionError:  # _check_limits keeps to what converts; say where if it was not enough
        raise ManuscriptError(
            "the text is nested too deeply to convert (lists, block quotes or emphasis)",
            Location(path),
        ) from None


def _check_links(tree: etree._Element, text: str, where: Location) -> None:
    """Links go to the web, to an address or within the book: never to a script."""
    for link in tree.iter("a"):
        href = link.get("href")
        scheme = _SCHEME.match(href or "")
        if scheme and scheme[1].lower() not in _LINK_SCHEMES:
            lines = text.splitlines()
            found = next((n for n, line in enumerate(lines) if href and href in line), None)
            line = where.line + found if where.line and found is not None else where.line
            raise ManuscriptError(
                f"link to {href[:60]!r}: a book links only to {', '.join(_LINK_SCHEMES)} addresses",
                Location(where.file, line),
            )


def _active_what(found: re.Match[str]) -> str:
    if found[1]:
        return f"<{found[1].lower()}>"
    if found[2]:
        return f"the event attribute {found[2].lower()}="
    return f"a {found[3].lower()}: URL"


def _markdown(*extensions: object) -> Markdown:
    md = Markdown(extensions=["sane_lists", *extensions], output_format="xhtml")
    # Raw HTML would let a manuscript script the EPUB: it is escaped and shown as text instead.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


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
            allowed = (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF
                       or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF)
            return found[0] if allowed else "&amp;" + found[0][1:]
        character = html5.get(f"{name};")
        return xml_escape(character) if character is not None else "&amp;" + found[0][1:]

    return _ENTITY.sub(one, html)


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


