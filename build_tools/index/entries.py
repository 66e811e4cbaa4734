"""The index as entries: headings in Chicago's order, each with its locators and subentries.

The order is the book's language's (lang/collation.py), for main entries, subentries and the
*See also* references alike, on the headings' words (their markup is printed, not sorted). The
writers turn the mentions into locators: print pages (REFERENCE.md §4) or numbered links. A note
locator ("25n1") names its chapter when a page holds two notes of that number, of two chapters:
"25n1 (chap. 2)" (CMOS 16.111): the page a note's number is printed on is the page it begins on.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from build_tools import ids
from build_tools.index.headings import markup_of
from build_tools.lang.collation import Collation, collation
from build_tools.lang.numbers import page_range
from build_tools.model import Book, Mention, NameEntry, Note, SubEntry

Folio = Callable[[str], str]


@dataclass(frozen=True)
class Locator:
    """One locator of an entry: its label, the mention it links to, and its sort position."""

    label: str
    target: Mention
    order: tuple[int, int, int]


@dataclass(frozen=True)
class Reference:
    """A *See* or *See also* target: the entry's anchor and its heading (text and XHTML)."""

    anchor: str
    heading: str
    markup: str


@dataclass(frozen=True)
class SubIndexEntry:
    """A subentry as printed: indented under its entry, with its own locators."""

    heading: str
    markup: str
    locators: tuple[Locator, ...]


@dataclass(frozen=True)
class IndexEntry:
    heading: str
    qualifier: str
    kind: str
    locators: tuple[Locator, ...]
    see: Reference | None = None
    see_also: tuple[Reference, ...] = ()
    anchor: str = ""
    markup: str = ""  # the heading as XHTML
    subentries: tuple[SubIndexEntry, ...] = ()


def entries(
    book: Book, folio: Folio | None, kinds: Collection[str] | None = None
) -> list[tuple[str, list[IndexEntry]]]:
    """The index as letter groups, of the entries of ``kinds`` (all: ``None``) and the *See*
    references to them. ``folio`` gives the printed page of an element id; without it (an EPUB
    built before any print layout) locators are numbered links: 1, 2, 3…"""
    order = collation(book.meta.language)
    chosen = [e for e in book.names if kinds is None or e.kind in kinds]
    by_id = {e.id: e for e in book.names}
    locate = _Locating(book, folio)
    made = [(entry.sort, _entry(entry, book, locate, order, by_id)) for entry in chosen]
    wanted = {e.id for e in chosen}
    for number, ref in enumerate(book.cross_refs, 1):
        if ref.see in wanted:
            see = _reference(by_id[ref.see])
            item = IndexEntry(ref.heading, "", "", (), see, anchor=ids.index_see(number), markup=ref.markup)
            made.append((ref.heading, item))
    made.sort(key=lambda pair: order.key(pair[0]))
    groups: dict[str, list[IndexEntry]] = {}
    for sort, item in made:
        groups.setdefault(order.group(sort), []).append(item)
    return list(groups.items())


def _entry(
    entry: NameEntry, book: Book, locate: _Locating, order: Collation, by_id: dict[str, NameEntry]
) -> IndexEntry:
    mentions = [m for m in book.mentions if m.entry == entry.id]
    subs = sorted(entry.subentries, key=lambda sub: order.key(sub.sort))
    also = sorted((by_id[i] for i in entry.see_also), key=lambda e: order.key(e.sort))
    return IndexEntry(
        heading=entry.heading,
        qualifier=entry.qualifier,
        kind=entry.kind,
        locators=locate([m for m in mentions if not m.sub]),
        see_also=tuple(_reference(e) for e in also),
        anchor=ids.index_entry(entry.id),
        markup=markup_of(entry.heading, entry.markup),
        subentries=tuple(sub for sub in (_sub(s, mentions, locate) for s in subs) if sub.locators),
    )


def _sub(sub: SubEntry, mentions: list[Mention], locate: _Locating) -> SubIndexEntry:
    """A subentry with its locators (none: it is never found, and not printed)."""
    return SubIndexEntry(
        sub.heading, markup_of(sub.heading, sub.markup), locate([m for m in mentions if m.sub == sub.id])
    )


def _reference(entry: NameEntry) -> Reference:
    return Reference(ids.index_entry(entry.id), entry.heading, markup_of(entry.heading, entry.markup))


class _Locating:
    """Mentions -> locators, for one book and one layout; knows which note locators are
    ambiguous (a page holding two notes of one number, of two sections)."""

    def __init__(self, book: Book, folio: Folio | None) -> None:
        self.book, self.folio = book, folio
        self.notes = {n.id: n for n in book.notes}
        self.chapters = {
            s.number: n for n, s in enumerate((s for s in book.sections if s.role == "chapter"), 1)
        }
        self.titles = {s.number: s.title for s in book.sections}
        # The page each note begins on, where its number is printed: two numbers alike on one
        # page are what makes a locator ambiguous.
        self.starts = {n.id: int(folio(n.id)) for n in book.notes} if folio else {}

    def __call__(self, mentions: list[Mention]) -> tuple[Locator, ...]:
        if self.folio is None:
            return tuple(Locator(str(n), m, (n, 0, 0)) for n, m in enumerate(mentions, 1))
        folio = self.folio
        meta = self.book.meta
        ranges = [(int(folio(m.id)), int(folio(m.end)), m) for m in mentions if m.end]
        found: dict[str, Locator] = {}
        for first, last, m in ranges:
            found.setdefault(f"r{first}", Locator(page_range(first, last, meta.language), m, (first, 0, 0)))
        for m in mentions:
            if m.end:
                continue
            page = int(folio(m.id))
            if m.where == "note":
                note = self.notes[m.note]
                found.setdefault(
                    f"{page}n{note.id}",
                    Locator(self._note_label(page, note), m, (page, note.number, note.section)),
                )
            elif not any(first <= page <= last for first, last, _ in ranges):
                found.setdefault(str(page), Locator(str(page), m, (page, 0, 0)))
        return tuple(sorted(found.values(), key=lambda loc: loc.order))

    def _note_label(self, page: int, note: Note) -> str:
        words = self.book.meta.words
        label = words.note_locator.format(page=page, number=note.number)
        shared = any(
            other.number == note.number and other.section != note.section and self.starts[other.id] == page
            for other in self.notes.values()
        )
        if not shared:
            return label
        if note.section in self.chapters:
            return words.note_locator_chapter.format(locator=label, chapter=self.chapters[note.section])
        return words.note_locator_section.format(locator=label, section=self.titles[note.section])
