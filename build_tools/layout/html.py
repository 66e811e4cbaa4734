"""The book as one HTML document for print, built as a tree and serialised once.

The page design is in ``styles/print.css``. The text keeps the ids the EPUB has (blocks,
notes, note references, anchors), so that the layout reports pages by them; the index's
mentions are taken out (wrapping thousands of mentions in elements costs WeasyPrint 40 % more
layout work and as much memory) after their places, in letters (``build_tools.textpos``), are
read from the same tree: the layout tells which page each place falls on. The words a layout
split across a page turn are kept whole in the next one (``keeps.py``); its paragraphs get a
compositor's ties and tightening (``compose.py``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from lxml import etree

from build_tools import ids
from build_tools.index import entries as index
from build_tools.lang.labels import Labels
from build_tools.layout.chronology import chronology as chronology_section
from build_tools.layout.chronology import shares_pages
from build_tools.layout.compose import Respace, compose
from build_tools.layout.images import print_url
from build_tools.layout.keeps import Keep, keep_words
from build_tools.layout.proofs import NOTE, ProofQuery, mark_queries, query_list
from build_tools.layout.structure import contents, display_pages, divisions, section_element
from build_tools.layout.xrefs import contents_refs, page_refs
from build_tools.markup import render, unwrap
from build_tools.model import Book, Index, Note, Section
from build_tools.sources.epoch import iso_utc
from build_tools.textpos import Place, places

# Printed only: a note's number in the notes (the EPUB's list numbers it), a query's words in
# a proof (proofs.py).
PRINT_ONLY = frozenset({"note-number", NOTE})


@dataclass(frozen=True)
class Facts:
    """What pass 1's layout tells pass 2: running heads of notes pages, folios of element ids
    (of the body and after it), and the printed folio of every element id (roman in the front
    matter), for the page references of the notes; in a proof, its queries (pass 1's)."""

    heads: dict[str, str]
    folios: dict[str, int]
    labels: Mapping[str, str] = field(default_factory=dict)
    queries: tuple[ProofQuery, ...] = ()


@dataclass(frozen=True)
class PrintDocument:
    """The print HTML, the place of every index mention in the text, and the tree the HTML is
    made of (where a layout's split words are looked for); in a proof, its queries."""

    html: str
    mentions: dict[str, Place]
    tree: etree._Element = field(compare=False, repr=False)
    queries: tuple[ProofQuery, ...] = ()


def book_html(
    book: Book, family: str, facts: Facts | None, keeps: Collection[Keep | Respace] = (), proof: bool = False
) -> PrintDocument:
    """The whole book for print, ``keeps`` kept whole; pass 1 has no facts of the layout. A
    ``proof`` shows the queries (proofs.py)."""
    body = _body(book_divisions(book, family, facts, proof))
    return _document(book, body, keeps, proof=1 if proof else None)


def book_divisions(book: Book, family: str, facts: Facts | None, proof: bool = False) -> list[etree._Element]:
    """The top-level elements of ``book_html``'s body, in order: the display pages, the front
    matter and the contents, the body's divisions, the back matter."""
    words = book.meta.words
    before, after = divisions(book)
    front = [*display_pages(book, family, words), *before, contents(book, words)]
    return [*front, *after, *_back_matter(book, facts, proof=proof)]


def part_html(
    book: Book,
    family: str,
    names: Collection[str],
    known: Mapping[str, str],
    keeps: Collection[Keep | Respace] = (),
    made: Sequence[etree._Element] = (),
) -> PrintDocument:
    """The divisions of pass 1 named ``names`` (their ids) alone, as ``book_html`` prints them,
    for a layout of them apart (``parts.py``): ``known`` gives the printed page of every target
    outside them; ``made``: ``book_divisions``, if made already (copies of them are taken).
    The division after them follows, empty: the page turn to it is the book's (a blank verso
    where it opens on a recto), and its page is left out."""
    elements = made or book_divisions(book, family, None)
    chosen = [n for n, element in enumerate(elements) if element.get("id") in names]
    following = elements[chosen[-1] + 1] if chosen[-1] + 1 < len(elements) else None
    parts = [copy.deepcopy(elements[n]) for n in chosen]
    if following is not None:
        parts.append(etree.Element(following.tag, {"class": following.get("class", ""), "data-turn": ""}))
    return _document(book, _body(parts), keeps, known)


def _body(parts: list[etree._Element]) -> etree._Element:
    body = etree.Element("body")
    body.text = "\n"
    for part in parts:
        part.tail = "\n"
        body.append(part)
    return body


def back_html(
    book: Book, facts: Facts, keeps: Collection[Keep | Respace] = (), proof: bool = False
) -> PrintDocument:
    """The back matter laid out again in pass 2: the chronology when two passages of an event
    share a page (``chronology.py``), the notes and the index (and a proof's list)."""
    body = etree.Element("body")
    for part in _back_matter(book, facts, chronology=shares_pages(book, facts.labels), proof=proof):
        body.append(part)
    # The notes come last in the book's order of queries: theirs end with pass 1's last number.
    return _document(book, body, keeps, facts.labels, -len(facts.queries) if proof else None)


def section_html(
    book: Book, section: Section, known: Mapping[str, str], proof: int | None = None
) -> PrintDocument:
    """One section alone, as ``book_html`` prints it, for a quick layout of it (partial.py):
    ``known`` gives the printed page of every target outside it (the last whole layout's); a
    ``proof`` shows its queries, numbered from ``proof``. No keeps: a first look, not the book."""
    body = etree.Element("body")
    body.text = "\n"
    element = section_element(book, section)
    element.tail = "\n"
    body.append(element)
    return _document(book, body, (), known, proof)


def _document(
    book: Book,
    body: etree._Element,
    keeps: Collection[Keep | Respace],
    known: Mapping[str, str] | None = None,
    proof: int | None = None,
) -> PrintDocument:
    """The document around ``body``, ``keeps`` kept whole; ``known`` gives the pages of
    targets outside it. ``proof``: the queries shown, numbered from it (from the end, ending
    with its opposite, when it is negative)."""
    root = _head(book)
    root.append(body)
    page_refs(root, book, known)
    if known is not None:
        contents_refs(root, known)
    queries = mark_queries(root, book, proof) if proof is not None else ()
    # What prints for each picture: its print-safe version (images.py), served by the layout.
    files = {image.href: print_url(image.href) for image in book.images}
    for img in root.iter("img"):
        img.set("src", files.get(img.get("src", ""), img.get("src", "")))
    mentions = places(root, ids.is_mention, lambda e: bool(PRINT_ONLY & set(e.get("class", "").split())))
    for span in list(root.iter("span")):
        if span.get("class", "").startswith("ix"):
            unwrap(span)
    # A compositor's touches (compose.py), then the words a page turn split, kept whole.
    compose(root, [item for item in keeps if isinstance(item, Respace)], PRINT_ONLY)
    keep_words(root, [item for item in keeps if isinstance(item, Keep)], PRINT_ONLY)
    html = etree.tostring(root, method="html", encoding="unicode", doctype="<!DOCTYPE html>")
    return PrintDocument(html, mentions, root, queries)


def _head(book: Book) -> etree._Element:
    meta = book.meta
    e = escape
    keywords = f'<meta name="keywords" content="{e(", ".join(meta.subjects))}"/>\n' if meta.subjects else ""
    return etree.fromstring(
        f'<html lang="{e(meta.language)}" data-title="{e(meta.title)}">\n<head>\n'
        f'<meta charset="utf-8"/>\n<title>{e(meta.title)}</title>\n'
        f'<meta name="author" content="{e(meta.author)}"/>\n'
        f'<meta name="description" content="{e(meta.description)}"/>\n{keywords}'
        f'<meta name="dcterms.created" content="{iso_utc(book.source_date_epoch)}"/>\n'
        f'<meta name="dcterms.modified" content="{iso_utc(book.source_date_epoch)}"/>\n'
        "</head>\n</html>"
    )


def _back_matter(
    book: Book, facts: Facts | None, chronology: bool = True, proof: bool = False
) -> list[etree._Element]:
    parts = []
    words = book.meta.words
    if book.chronology and chronology:
        parts.append(chronology_section(book, facts.labels if facts else None))
    if book.notes:
        parts.append(_notes(book, facts.heads if facts else {}, words))
    for chosen in book.index_list:
        parts.append(_index(book, chosen, facts.folios, words) if facts else _index_stub(chosen))
    if proof and book.queries:  # pass 1: the heading alone; it comes last, it moves nothing
        parts.append(query_list(facts.queries if facts else (), facts.labels if facts else {}, words))
    return parts


def _notes(book: Book, heads: dict[str, str], words: Labels) -> etree._Element:
    notes = etree.Element("section", {"class": "notes", "id": ids.NOTES})
    notes.text = "\n"
    title = etree.SubElement(notes, "h1", {"class": "chapter-title"})
    title.text, title.tail = words.notes, "\n"
    for section in book.sections:
        if section.notes:
            group = render(
                f'<section class="notes-group"><h2 id="{ids.notes_group(section.number)}">'
                '<slot name="heading"/></h2>\n</section>',
                {"heading": section.heading.without_ids()},
            )
            for note in section.notes:
                group.append(_note(note, heads.get(note.id)))
            group.tail = "\n"
            notes.append(group)
    return notes


def _note(note: Note, head: str | None) -> etree._Element:
    """A note with its full-size number, which links back to the (first) reference."""
    div = note.body.tree()
    div.set("class", "note")
    div.set("id", note.id)
    if head:
        div.set("style", f"string-set: notes-head {_css_string(head)}")
    number = etree.Element("a", {"class": "note-number", "href": f"#{note.ref_id()}"})
    number.text, number.tail = f"{note.number}.", " "
    first = div[0] if len(div) and not (div.text or "").strip() else None
    if first is not None and first.tag == "p":
        number.tail += first.text or ""
        first.text = None
        first.insert(0, number)
    else:
        holder = etree.Element("p")
        holder.append(number)
        div.insert(0, holder)
    div.tail = "\n"
    return div


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _index(book: Book, chosen: Index, folios: dict[str, int], words: Labels) -> etree._Element:
    """An index of the back matter (of the entries of its kinds): two columns, letter groups,
    hanging indents; locators are the pages of pass 1.

    The locators are plain text in print: as links (inline boxes) they made WeasyPrint lay out
    the index eight times slower (3,786 locators: 3.9 s against 0.5 s); the EPUB's index is the
    one that links, to the exact mention."""
    groups = []
    for letter, items in index.entries(book, lambda key: str(folios[key]), chosen.kinds or None):
        lines = [_index_line(item, words) for item in items]
        groups.append(
            f'<div class="ix-group" id="{ids.index_group(letter, chosen.number)}"><h2>{letter}</h2>\n'
            + "\n".join(lines)
            + "</div>"
        )
    section = _index_stub(chosen)
    section.append(etree.fromstring('<div class="ix-columns">\n' + "\n".join(groups) + "\n</div>"))
    return section


_HYPHENATED = re.compile(r"(<[^>]*>)|(\w+(?:[-\u2010]\w+)+)")


def _unbroken(markup: str) -> str:
    """A heading's hyphenated words ("Kai-shek", "Yat-sen") never broken at their hyphen: a
    name is not split over two lines of the index (issue 16). Tags are left as they are."""
    return _HYPHENATED.sub(lambda m: m[1] or f'<span class="nobreak">{m[2]}</span>', markup)


def _index_line(item: index.IndexEntry, words: Labels) -> str:
    """An entry, its subentries after it, indented. Each entry sets the string the index's
    "(continued)" head reads (``styles/print.css``): its heading after its first word, nothing
    after its last, so that a page that begins inside an entry repeats the heading. (Their
    class does not begin with "ix": the mentions' spans, which do, are taken out.)"""
    term = _unbroken(item.markup)
    if item.see:
        see = f"<i>{escape(words.see)}</i> {_unbroken(item.see.markup)}"
        return f'<p class="ix-entry" id="{item.anchor}">{term}. {see}</p>'
    qualifier = f" ({escape(item.qualifier)})" if item.qualifier else ""
    locators = ", ".join(loc.label for loc in item.locators)
    also = (
        f". <i>{escape(words.see_also)}</i> {'; '.join(_unbroken(h.markup) for h in item.see_also)}"
        if item.see_also
        else ""
    )
    continued = _css_string(words.continued.format(heading=item.heading))
    opens = f'<span class="continued-mark" style="string-set: ix-continued {escape(continued)}"></span>'
    closes = '<span class="continued-mark" style="string-set: ix-continued \'\'"></span>'
    head = f"{term}{opens}{qualifier}{', ' if locators else ''}{locators}{also}"
    lines = [f'<p class="ix-entry" id="{item.anchor}">{head}']
    for sub in item.subentries:
        locators = ", ".join(loc.label for loc in sub.locators)
        lines.append(f'</p>\n<p class="ix-sub">{_unbroken(sub.markup)}, {locators}')
    return "".join(lines) + f"{closes}</p>"


def _index_stub(chosen: Index) -> etree._Element:
    """Pass 1 lays out only an index's first page: the indexes come last, so the length of one
    moves nothing before it (of two, the second moves: paginate.py lays the book out again)."""
    return etree.fromstring(
        f'<section class="index" id="{chosen.id}"><h1 class="chapter-title" '
        f'id="{ids.index_title(chosen.number)}">{escape(chosen.title)}</h1></section>'
    )
