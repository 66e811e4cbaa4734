"""The EPUB's XHTML documents, each one element tree until it is written.

Every document is built from its body (``bodies``); then, across all of them, links inside the
book are pointed at the document that holds their target (``homes`` says which, from the
model), pictures at their packed files, print page markers put in (when the book was laid
out for print), and each document is serialised once. The preview builds one document at a
time, with its own names for the files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape

from lxml import etree

from build_tools import ids
from build_tools.errors import BookError
from build_tools.markup import Fragment, render
from build_tools.model import Book, PrintLayout, Section
from build_tools.writers.cover.ebook import cover_href
from build_tools.writers.epub import bodies, pagelist, xrefs
from build_tools.writers.epub.bodies import OPS_NS, XHTML, XHTML_NS
from build_tools.writers.epub.chronology import chronology_body
from build_tools.writers.epub.nav import nav, part_file
from build_tools.writers.epub.package import MEDIA

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class Document:
    """One XHTML document of the package, as a tree until it is written."""

    href: str
    title: str
    tree: etree._Element
    nav: bool = False

    def serialise(self) -> bytes:
        root = self.tree.getroottree()
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype="<!DOCTYPE html>") + b"\n"


@dataclass(frozen=True)
class Planned:
    """A document to build: its file, title, body and kind of matter (``epub:type`` of the body)."""

    href: str
    title: str
    body: Callable[[], etree._Element]
    matter: str
    nav: bool = False


def plan(book: Book, family: str, layout: PrintLayout | None) -> list[Planned]:
    """The documents of the EPUB in reading order: the cover, the title and copyright pages, a dedication
    and an epigraph, the contents, the rest of the front matter, the body (a part's title page
    before its first section), the back matter, the chronology, the notes, the indexes."""
    words = book.meta.words
    files = {s.number: f"{s.file_stem}.xhtml" for s in book.sections}

    def section(s: Section) -> Planned:
        matter = {"front": "frontmatter", "body": "bodymatter", "back": "backmatter"}[s.matter]
        return Planned(files[s.number], s.title, partial(bodies.section_body, book, s), matter)

    front = book.matter("front")
    found = [
        Planned(COVER, words.cover, partial(cover_body, book), "cover"),
        Planned("titlepage.xhtml", words.title_page, partial(bodies.titlepage, book), "frontmatter"),
        Planned(
            "copyright.xhtml", words.copyright, partial(bodies.copyright_page, book, family), "frontmatter"
        ),
        *(section(s) for s in front if not s.titled),
        Planned("nav.xhtml", words.contents, partial(nav, book, files), "frontmatter", nav=True),
        *(section(s) for s in front if s.titled),
    ]
    opening = {part.sections[0]: part for part in book.parts}
    for s in book.matter("body"):
        if s.number in opening:
            title = opening[s.number]
            found.append(
                Planned(part_file(title), title.title, partial(bodies.part_body, title), "bodymatter")
            )
        found.append(section(s))
    found += [section(s) for s in book.matter("back")]
    if book.chronology:
        chronology = partial(chronology_body, book, layout)
        found.append(Planned("chronology.xhtml", words.chronology, chronology, "backmatter"))
    if book.notes:
        found.append(Planned("notes.xhtml", words.notes, partial(bodies.notes_body, book), "backmatter"))
    for chosen in book.index_list:
        index = partial(bodies.index_body, book, chosen, layout)
        found.append(Planned(chosen.file, chosen.title, index, "backmatter"))
    return found


COVER = "cover.xhtml"


def cover_body(book: Book) -> etree._Element:
    """The cover document: the cover picture alone, as large as the screen lets it be (its
    style on the element: the book's stylesheet is the designer's)."""
    meta = book.meta
    alt = escape(meta.words.cover_alt.format(title=meta.title, author=meta.author))
    return bodies.content(
        f'<section epub:type="cover"><img role="doc-cover" src="{cover_href(meta)}" alt="{alt}" '
        'style="display: block; margin: 0 auto; max-width: 100%; max-height: 100vh;"/></section>'
    )


def documents(book: Book, family: str, layout: PrintLayout | None = None) -> list[Document]:
    """Every document of the EPUB in reading order, links resolved, page markers in place,
    page references showing their print pages (when the book was laid out for print)."""
    where = homes(book)
    docs = [document(book, part, where, MEDIA) for part in plan(book, family, layout)]
    if layout:
        refs = xrefs.emptied(doc.tree for doc in docs)  # empty while the page markers go in
        if layout.pages:
            _add_print_pages(docs, layout, book.meta.words.page_list)
        xrefs.number(refs, layout)
    return docs


def document(
    book: Book, part: Planned, where: dict[str, str], media: str, name: Callable[[str], str] = lambda f: f
) -> Document:
    """One document: links to other documents as ``name(file)#id``, pictures under ``media``."""
    doc = _document(part.href, part.title, part.body(), book.meta.language, part.matter, part.nav)
    resolve_links(doc, where, name)
    for img in doc.tree.iter(f"{XHTML}img"):
        img.set("src", f"{media}/{img.get('src', '')}" if media else img.get("src", ""))
    for phrase in doc.tree.iter(f"{XHTML}span"):  # [text]{lang=fr}: XHTML's xml:lang beside lang
        if (lang := phrase.get("lang")) is not None:
            phrase.set(XML_LANG, lang)
    return doc


def homes(book: Book) -> dict[str, str]:
    """The document that holds each id a link may point at, from the model."""
    where = {ids.TOC: "nav.xhtml"}

    def add(fragment: Fragment, href: str) -> None:
        for element_id in fragment.ids():
            where[element_id] = href

    for part in book.parts:
        where[part.id] = part_file(part)
    for section in book.sections:
        href = f"{section.file_stem}.xhtml"
        where[section.id] = where[ids.section_title(section.number)] = href
        add(section.heading, href)
        add(section.body, href)
    for note in book.notes:
        where[note.id] = where[ids.notes_group(note.section)] = "notes.xhtml"
        add(note.body, "notes.xhtml")
    for event in book.chronology:
        where[ids.event(event.id)] = "chronology.xhtml"
        add(event.body, "chronology.xhtml")
    home = {kind: chosen.file for chosen in book.index_list for kind in chosen.kinds}
    for entry in book.names:  # an entry is in the index of its kind (the one index: of every kind)
        where[ids.index_entry(entry.id)] = home.get(entry.kind, ids.index_file(1))
    return where


def resolve_links(doc: Document, where: dict[str, str], name: Callable[[str], str]) -> None:
    """Point every ``#id`` link of ``doc`` at ``name(file)#id`` when another document holds the
    id; a link to an id no document holds is refused, never written."""
    for link in doc.tree.iter(f"{XHTML}a"):
        href = link.get("href", "")
        if href.startswith("#"):
            target = where.get(href[1:])
            if target is None:
                raise BookError(f"{doc.href}: a link to {href}, which no document holds")
            if target != doc.href:
                link.set("href", f"{name(target)}{href}")


def _add_print_pages(docs: list[Document], layout: PrintLayout, label: str) -> None:
    """Markers where each print page begins, and the page-list in the navigation document."""
    entries = pagelist.mark_pages({doc.href: doc.tree for doc in docs}, layout.pages)
    nav = next(doc for doc in docs if doc.nav)
    body = nav.tree.find(f"{XHTML}body")
    assert body is not None
    body.append(pagelist.page_list_nav(entries, label))


def _document(href: str, title: str, body: etree._Element, lang: str, matter: str, nav: bool) -> Document:
    e = escape
    tree = render(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML_NS}" xmlns:epub="{OPS_NS}" lang="{e(lang)}" xml:lang="{e(lang)}">\n'
        f'<head>\n<meta charset="utf-8"/>\n<title>{e(title)}</title>\n'
        '<link rel="stylesheet" type="text/css" href="css/book.css"/>\n</head>\n'
        f'<body epub:type="{matter}">\n<slot name="body"/>\n</body>\n</html>\n',
        {"body": body},
    )
    return Document(href, title, tree, nav)
