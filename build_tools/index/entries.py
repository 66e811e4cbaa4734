"""The index of names as entries: headings in Chicago's order, each with its locators.

The order is the book's language's (lang/collation.py). The writers turn the mentions into
locators: print pages (REFERENCE.md §4) or numbered links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from build_tools import ids
from build_tools.lang.collation import collation
from build_tools.lang.numbers import page_range
from build_tools.model import Book, Mention, Metadata, Note


@dataclass(frozen=True)
class Locator:
    """One locator of an entry: its label, the mention it links to, and its sort position."""

    label: str
    target: Mention
    order: tuple[int, int]


@dataclass(frozen=True)
class IndexEntry:
    heading: str
    qualifier: str
    kind: str
    locators: tuple[Locator, ...]
    see: str = ""
    see_also: tuple[str, ...] = ()
    anchor: str = ""


def entries(book: Book, folio: Callable[[str], str] | None) -> list[tuple[str, list[IndexEntry]]]:
    """The index as letter groups. ``folio`` gives the printed page of an element id; without it
    (an EPUB built before any print layout) locators are numbered links: 1, 2, 3…"""
    by_id = {e.id: e for e in book.names}
    notes = {n.id: n for n in book.notes}
    made: list[IndexEntry] = []
    for entry in book.names:
        mentions = [m for m in book.mentions if m.entry == entry.id]
        made.append(
            IndexEntry(
                heading=entry.heading,
                qualifier=entry.qualifier,
                kind=entry.kind,
                locators=tuple(_locators(mentions, folio, notes, book.meta)),
                see_also=tuple(by_id[i].heading for i in entry.see_also),
                anchor=ids.index_entry(entry.id),
            )
        )
    for number, ref in enumerate(book.cross_refs, 1):
        made.append(
            IndexEntry(
                heading=ref.heading,
                qualifier="",
                kind="",
                locators=(),
                see=by_id[ref.see].heading,
                anchor=ids.index_see(number),
            )
        )
    sort_form = {e.heading: e.sort for e in book.names}
    order = collation(book.meta.language)
    made.sort(key=lambda e: order.key(sort_form.get(e.heading, e.heading)))
    groups: dict[str, list[IndexEntry]] = {}
    for item in made:
        groups.setdefault(order.group(sort_form.get(item.heading, item.heading)), []).append(item)
    return list(groups.items())


def _locators(
    mentions: list[Mention], folio: Callable[[str], str] | None, notes: dict[str, Note], meta: Metadata
) -> list[Locator]:
    if folio is None:
        return [Locator(str(n), m, (n, 0)) for n, m in enumerate(mentions, 1)]
    ranges = []
    for m in mentions:
        if m.end:
            first, last = int(folio(m.id)), int(folio(m.end))
            ranges.append((first, last, m))
    found: dict[str, Locator] = {}
    for first, last, m in ranges:
        found.setdefault(f"r{first}", Locator(page_range(first, last, meta.language), m, (first, 0)))
    for m in mentions:
        if m.end:
            continue
        page = int(folio(m.id))
        if m.where == "note":
            number = notes[m.note].number
            label = meta.words.note_locator.format(page=page, number=number)
            found.setdefault(f"{page}n{number}", Locator(label, m, (page, number)))
        elif not any(first <= page <= last for first, last, _ in ranges):
            found.setdefault(str(page), Locator(str(page), m, (page, 0)))
    return sorted(found.values(), key=lambda loc: loc.order)
