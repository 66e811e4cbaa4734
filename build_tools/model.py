"""The Book model: what the parser produces and every writer reads.

    Book
     ├─ Metadata (from book.toml; Trim is the page size)
     ├─ Section*           one per manuscript file, in reading order
     │    ├─ body          an XHTML fragment (namespace-free) of the section's text
     │    ├─ Note*         its notes, numbered from 1 in order of first reference
     │    └─ Image*        the pictures its text and notes show
     ├─ Event*            the chronology, sorted by date
     ├─ NameEntry*, CrossRef*, Mention*   the index of names and every place it points at
     ├─ Index*            the indexes book.toml asks for (none: one index of every entry)
     ├─ Image*            every picture of the book, once each, in order of first use
     ├─ Query*            editorial queries left open in the text, notes and chronology
     └─ Diagnostic*       warnings gathered while reading

Bodies are strings of well-formed XHTML; writers adapt links (``href="#note-…"``) to the files
they produce, and never go back to the Markdown. An ``<img>`` in a body has ``src`` set to
its Image's ``href`` (the file's path inside the manuscript folder, with ``/``); the writers
package ``Image.path`` under that name and never read anything else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from build_tools import ids
from build_tools.design.trims import Trim as Trim  # re-exported: Metadata.trim is one
from build_tools.errors import Diagnostic, Location
from build_tools.lang.labels import Labels, labels_for
from build_tools.lang.numbers import roman
from build_tools.markup import Fragment


@dataclass(frozen=True)
class Certification:
    """Who certifies the EPUB's accessibility (book.toml's ``[accessibility]``): the conformance
    claim is written only with one, and names them."""

    certified_by: str
    credential: str = ""  # the certifier's credential or badge, as they state it
    report: str = ""  # the URL of their report on this book


@dataclass(frozen=True)
class Metadata:
    """The book's bibliographic data, as stated in ``book.toml``."""

    title: str
    author: str
    author_sort: str
    language: str
    identifier: str
    publisher: str
    rights: str
    edition: str
    date: str
    slug: str
    trim: Trim
    subtitle: str = ""
    description: str = ""
    isbn_print: str = ""
    subjects: tuple[str, ...] = ()
    print_profile: str = "kdp"
    labels: tuple[tuple[str, str], ...] = ()  # book.toml's [labels]: (field, template), checked
    certification: Certification | None = None  # book.toml's [accessibility]; None: no claim
    isbn_ebook: str = ""  # ISBN-13, digits only, like isbn_print
    cover: Path | None = None  # the e-book cover image (JPEG or PNG), resolved; None: generated
    cover_front: Path | None = None  # the print cover's front art (JPEG, PNG or PDF), resolved
    paper: str = "white"  # the interior's paper ("white" or "cream"): the spine's width
    price: str = ""  # the barcode's price add-on, as book.toml gives it ("USD 18.00", "51800")
    credits: tuple[str, ...] = ()  # lines of the copyright page: "Cover design: A. Name"

    @property
    def words(self) -> Labels:
        """Every word the toolchain writes in this book: its language's, with the [labels]."""
        return labels_for(self.language, self.labels)


@dataclass(frozen=True)
class Note:
    """One endnote: its number within its section and its body as XHTML."""

    section: int
    number: int
    label: str
    body: Fragment
    location: Location
    ref_count: int = 1
    indexed: bool = True  # False: a citation-only note, or one marked {!} (the index skips it)

    @property
    def id(self) -> str:
        return ids.note(self.section, self.number)

    def ref_id(self, occurrence: int = 1) -> str:
        """The id of the ``occurrence``-th reference to this note in the text."""
        return ids.noteref(self.section, self.number, occurrence)


@dataclass(frozen=True)
class Query:
    """An editorial query: a question for the editor, and the text it is about (may be empty)."""

    location: Location
    comment: str
    text: str = ""
    event: str = ""  # the chronology event it is about (a query of chronology.yaml), by id

    def __str__(self) -> str:
        about = f" [{self.text}]" if self.text else ""
        return f"{self.location}: query{about}: {self.comment}"


@dataclass(frozen=True)
class Image:
    """A picture: a checked file inside the manuscript folder, its media type and its alt text."""

    path: Path
    href: str
    media_type: str
    alt: str
    location: Location


@dataclass(frozen=True)
class Section:
    """One manuscript file: a main division of the book. ``matter`` is "front", "body" or
    "back"; ``role`` is what it is (a chapter in the body; a preface, a dedication… in the front
    matter; an appendix… in the back); ``part`` the number of the part of the body it is in
    (0: none)."""

    number: int
    title: str
    heading: Fragment
    source: Path
    body: Fragment
    notes: tuple[Note, ...] = ()
    anchors: tuple[tuple[str, Location], ...] = ()
    images: tuple[Image, ...] = ()
    matter: str = "body"
    role: str = "chapter"
    part: int = 0

    @property
    def titled(self) -> bool:
        """Whether its heading is printed and listed in the contents (a dedication's and an
        epigraph's are not)."""
        return self.role not in ("dedication", "epigraph")

    @property
    def id(self) -> str:
        return ids.section(self.number)

    @property
    def file_stem(self) -> str:
        return ids.section_file(self.number)


@dataclass(frozen=True)
class Event:
    """One entry of the chronology: its EDTF date as written, the HTML ``datetime`` and the
    first and last days it can mean, its printed label, the event as XHTML."""

    id: str
    edtf: str
    datetime: str
    lower: date
    upper: date
    label: str
    body: Fragment
    links: tuple[str, ...]
    location: Location


@dataclass(frozen=True)
class SubEntry:
    """A subentry of a main entry: printed indented under it, with its own locators.
    ``markup`` is the heading as inline XHTML (italic, small caps), ``heading`` its text."""

    id: str
    heading: str
    sort: str
    forms: tuple[str, ...] = ()
    markup: str = ""


@dataclass(frozen=True)
class NameEntry:
    """A main entry of the index: a person, an organization, a place or a work (a periodical
    is a work). ``markup`` is the heading as inline XHTML (a work's in italics), ``heading``
    its text."""

    id: str
    heading: str
    sort: str
    qualifier: str
    kind: str
    forms: tuple[str, ...]
    see_also: tuple[str, ...]
    location: Location
    subentries: tuple[SubEntry, ...] = ()
    markup: str = ""


@dataclass(frozen=True)
class CrossRef:
    """A *See* entry: a variant heading that sends the reader to a main entry."""

    heading: str
    see: str
    location: Location
    markup: str = ""  # the heading as inline XHTML


@dataclass(frozen=True)
class Mention:
    """A place the index points at: an element id in the text, a note or the chronology.

    ``where`` is "text", "note" or "chronology"; ``section`` the section number (0 for the
    chronology); ``note`` the note's id for a mention in a note; ``end`` the id of the end
    mark when the mention opens a range (one continuous discussion); ``sub`` the subentry
    it is under ("": the main entry's own locators).
    """

    entry: str
    id: str
    where: str
    section: int
    note: str = ""
    end: str = ""
    sub: str = ""


@dataclass(frozen=True)
class PageStart:
    """Where a print page begins: its printed label, the innermost element with an id its first
    text is in, and the letters (``build_tools.textpos``) of that element on earlier pages: 0 when
    the element begins on this page."""

    label: str
    target: str
    offset: int = 0


@dataclass(frozen=True)
class PrintLayout:
    """The book as printed pages, laid out once: what the print layout tells every format.

    ``pages`` are the pages in order, blank ones included. ``places`` gives the index of the
    page each element id (parts, headings, notes, note references, anchors) and each index
    mention is on. ``first_text_page`` is the index of page 1 (the pages before it are the
    front matter, numbered in roman). ``rendered`` is the laid-out document itself, which only
    the PDF writer reads (a WeasyPrint ``Document``: the model does not import WeasyPrint).
    """

    pages: tuple[PageStart, ...]
    places: Mapping[str, int]
    first_text_page: int
    rendered: object = field(default=None, compare=False, repr=False)

    def label(self, index: int) -> str:
        """The folio printed on page ``index``: roman in the front matter, then 1, 2, 3…"""
        first = self.first_text_page
        return roman(index + 1) if index < first else str(index - first + 1)

    @property
    def folios(self) -> dict[str, str]:
        """The folio of every place of the text and the back matter (front matter has none)."""
        first = self.first_text_page
        return {key: str(index - first + 1) for key, index in self.places.items() if index >= first}


@dataclass(frozen=True)
class Placement:
    """Where the last whole layout put a section, for a layout of it alone (the preview's quick
    proof: ``layout/partial.py``): the index of its first page, the index of page 1 (the front
    matter before it is numbered in roman), the book's page count (its gutter), and the folio
    printed for element ids (the targets of page references outside the section)."""

    start: int
    first_text_page: int
    page_count: int
    known: Mapping[str, str] = field(default_factory=dict)

    @property
    def folio(self) -> int:
        """The page counter on the section's first page (roman or arabic, as print.css prints it)."""
        first = self.first_text_page
        return self.start + 1 if self.start < first else self.start - first + 1

    @property
    def recto(self) -> bool:
        """Whether the section begins on a recto: the book's first page is one, then they alternate."""
        return self.start % 2 == 0


@dataclass(frozen=True)
class Part:
    """A part of the body: its number (from 1), its title, the sections it holds."""

    number: int
    title: str
    sections: tuple[int, ...]

    @property
    def id(self) -> str:
        return ids.part(self.number)


@dataclass(frozen=True)
class Index:
    """One index of the back matter (``[contents] indexes`` in book.toml): its number (from
    1), its title, and the kinds of entry it holds (every kind: empty)."""

    number: int
    title: str
    kinds: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return ids.index(self.number)

    @property
    def file(self) -> str:
        return ids.index_file(self.number)


@dataclass(frozen=True)
class Book:
    """Everything the writers need, gathered from the whole manuscript before anything is written."""

    meta: Metadata
    sections: tuple[Section, ...]
    root: Path
    source_date_epoch: int
    queries: tuple[Query, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)
    chronology: tuple[Event, ...] = ()
    names: tuple[NameEntry, ...] = ()
    cross_refs: tuple[CrossRef, ...] = ()
    mentions: tuple[Mention, ...] = ()
    images: tuple[Image, ...] = ()
    parts: tuple[Part, ...] = ()
    indexes: tuple[Index, ...] = ()  # as book.toml asks; none: one index of every entry

    @property
    def index_list(self) -> tuple[Index, ...]:
        """The indexes printed, in order: none without entries, one titled by the language's
        label unless book.toml asks for several."""
        if not self.names:
            return ()
        return self.indexes or (Index(1, self.meta.words.index),)

    def matter(self, name: str) -> tuple[Section, ...]:
        """The sections of the front matter, the body or the back matter, in reading order."""
        return tuple(s for s in self.sections if s.matter == name)

    @property
    def first_body_id(self) -> str:
        """The id of the element the body begins with (page 1 in print): a part, or a section."""
        first = self.matter("body")[0] if self.matter("body") else self.sections[0]
        part = next((p for p in self.parts if first.number in p.sections), None)
        return part.id if part and part.sections[0] == first.number else first.id

    def anchor_section(self, anchor: str) -> Section:
        """The section that holds the anchor ``{#anchor}``."""
        return next(s for s in self.sections if any(a == anchor for a, _ in s.anchors))

    def event_pages(self, event: Event, page: Callable[[str], str]) -> tuple[tuple[str, str], ...]:
        """The pages ``event``'s passages are on, in the order of the book, each once with the
        anchor of its first passage; ``page`` gives an element id's printed page. (Separate
        passages on consecutive pages stay separate, "2, 3", as Chicago's indexes keep them:
        a range is for one continuous discussion.)"""
        order = {a: n for n, a in enumerate(a for s in self.sections for a, _ in s.anchors)}
        found: dict[str, str] = {}
        for anchor in sorted(event.links, key=order.__getitem__):
            found.setdefault(page(ids.anchor(anchor)), anchor)
        return tuple(found.items())

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(note for section in self.sections for note in section.notes)

    @property
    def uses_bold(self) -> bool:
        bodies = [s.body for s in self.sections] + [n.body for n in self.notes]
        return any(body.has("strong", "b") for body in bodies + [e.body for e in self.chronology])
