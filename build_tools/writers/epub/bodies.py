"""The bodies of the EPUB's documents, as element trees in the XHTML namespace.

Each function returns a holder element whose content (text and children) is a document's body.
Links inside the book are written ``#id``; the writer points them at the right document once
every document is built (``writer.resolve_links``). The preview shows the same bodies.
Follows REFERENCE.md §1: notes with noteref/endnote/backlink semantics (no deprecated
``doc-endnote``), EPUB Indexes 1.0 semantics for the index.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from lxml import etree

from build_tools import ids
from build_tools.index import entries as index
from build_tools.lang.frontmatter import copyright_lines, imprint
from build_tools.markup import Fragment, render, unwrap
from build_tools.model import Book, Index, Mention, Note, Part, PrintLayout, Section

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
XHTML = f"{{{XHTML_NS}}}"
BACKLINK = "\u21a9\ufe0e"  # ↩︎ with VS15, so iOS draws text, not an emoji


def content(xml: str, slots: Mapping[str, Fragment | etree._Element | None] | None = None) -> etree._Element:
    """Our own XHTML (values escaped), in the XHTML and EPUB namespaces, slots filled."""
    return render(f'<div xmlns="{XHTML_NS}" xmlns:epub="{OPS_NS}">{xml}</div>', slots)


def plain(fragment: Fragment) -> Fragment:
    """A fragment without its links or ids (a heading as the text of a link to it)."""
    tree = fragment.without_ids().tree()
    for link in list(tree.iter("a")):
        unwrap(link)
    return Fragment(tree)


def titlepage(book: Book) -> etree._Element:
    """The title page: title, subtitle, the author once, the publisher (``imprint``)."""
    meta = book.meta
    words = meta.words
    subtitle = f'<p class="subtitle">{escape(meta.subtitle)}</p>\n' if meta.subtitle else ""
    publisher = f'<p class="publisher">{escape(imprint(meta))}</p>\n' if imprint(meta) else ""
    return content(
        f'<section id="{ids.TITLEPAGE}" class="titlepage" epub:type="titlepage" '
        f'aria-label="{escape(words.title_page_label)}">\n'
        f'<h1 class="title">{escape(meta.title)}</h1>\n{subtitle}'
        f'<p class="author">{escape(meta.author)}</p>\n{publisher}</section>'
    )


def copyright_page(book: Book, family: str) -> etree._Element:
    """The copyright page: ``copyright_lines``, with the EPUB's identifier when the e-book has
    no ISBN."""
    words = book.meta.words
    lines = "\n".join(f"<p>{line}</p>" for line in copyright_lines(book, "EPUB", family, words))
    return content(
        f'<section id="{ids.COPYRIGHT}" class="copyright" epub:type="copyright-page" '
        f'aria-label="{escape(words.copyright)}">\n'
        f"{lines}\n</section>"
    )


def section_body(book: Book, section: Section) -> etree._Element:
    """A section: its heading, its text with typed note references; an anchor stays an empty
    ``span``, which the chronology links to (``chronology.py`` says why the text has no mark).
    Its ``epub:type`` and role say what it is (a chapter, a preface, an appendix…); a
    dedication or an epigraph has no heading, only a label."""
    kind = "chapter" if section.matter == "body" else f"{section.matter}-matter {section.role}"
    semantics = f'class="{kind}" epub:type="{section.role}" role="doc-{section.role}"'
    if section.titled:
        holder = content(
            f'<section id="{section.id}" {semantics} aria-labelledby="{section.id}-title">\n'
            f'<h1 id="{section.id}-title"><slot name="heading"/></h1>\n<slot name="body"/>\n</section>',
            {"heading": section.heading, "body": section.body},
        )
    else:
        holder = content(
            f'<section id="{section.id}" {semantics} aria-label="{escape(section.title)}">\n'
            '<slot name="body"/>\n</section>',
            {"body": section.body},
        )
    for element in holder.iter(f"{XHTML}a"):
        if element.get("class") == "noteref":
            element.set(f"{{{OPS_NS}}}type", "noteref")
            element.set("role", "doc-noteref")
    return holder


def part_body(part: Part) -> etree._Element:
    """A part's title page."""
    return content(
        f'<section id="{part.id}" class="part" epub:type="part" role="doc-part" '
        f'aria-labelledby="{part.id}-title">\n<h1 id="{part.id}-title">{escape(part.title)}</h1>\n</section>'
    )


def notes_body(book: Book) -> etree._Element:
    words = book.meta.words
    groups: list[str] = []
    slots: dict[str, Fragment | etree._Element | None] = {}
    for section in book.sections:
        if not section.notes:
            continue
        group = ids.notes_group(section.number)
        slots[group] = plain(section.heading)
        for note in section.notes:
            slots[note.id] = _note(note, words.back_to_reference)
        items = "\n".join(f'<slot name="{note.id}"/>' for note in section.notes)
        groups.append(
            f'<section class="notes-group" aria-labelledby="{group}">\n'
            f'<h2 id="{group}"><slot name="{group}"/></h2>\n'
            f"<ol>\n{items}\n</ol>\n</section>"
        )
    return content(
        f'<section id="{ids.NOTES}" class="endnotes" epub:type="endnotes" role="doc-endnotes" '
        f'aria-labelledby="{ids.NOTES_TITLE}">\n<h1 id="{ids.NOTES_TITLE}">{escape(words.notes)}</h1>\n'
        + "\n".join(groups)
        + "\n</section>",
        slots,
    )


def _note(note: Note, back: str) -> etree._Element:
    """One endnote; a note referenced several times gets one backlink per reference. The
    backlinks end the note's last paragraph, or make one."""
    links = []
    for occurrence in range(1, note.ref_count + 1):
        label = "" if note.ref_count == 1 else f" {chr(96 + occurrence)}"
        links.append(
            f'<a href="#{note.ref_id(occurrence)}" class="backlink" epub:type="backlink" '
            f'role="doc-backlink" aria-label="{escape(back.format(number=note.number, letter=label))}">'
            f"{BACKLINK}{label}</a>"
        )
    item = content(f'<li id="{note.id}" epub:type="endnote"><slot name="body"/></li>', {"body": note.body})[0]
    backlinks = content(" ".join(links))
    last = item[-1] if len(item) else None
    if last is not None and last.tag == f"{XHTML}p" and not (last.tail or "").strip():
        last.tail = None
        if len(last):
            last[-1].tail = (last[-1].tail or "") + " "
        else:
            last.text = (last.text or "") + " "
        last.extend(backlinks)
    else:
        paragraph = etree.SubElement(item, f"{XHTML}p")
        paragraph.extend(backlinks)
    return _holding(item)


def _holding(element: etree._Element) -> etree._Element:
    holder = etree.Element(f"{XHTML}div")
    holder.append(element)
    return holder


def index_body(book: Book, chosen: Index, layout: PrintLayout | None) -> etree._Element:
    """An index (of the entries of its kinds) with EPUB Indexes 1.0 semantics, a document of
    its own; every locator links to the mention.

    Locators are the print pages when the PDF was laid out in the same build, numbered links
    otherwise (REFERENCE.md §1).
    """
    folios = layout.folios if layout else None
    words = book.meta.words
    groups = []
    number = chosen.number
    for letter, items in index.entries(book, folios.__getitem__ if folios else None, chosen.kinds or None):
        lines = "\n".join(_index_entry(item, escape(words.see), escape(words.see_also)) for item in items)
        heading = ids.index_group_heading(letter, number)
        groups.append(
            f'<section epub:type="index-group" id="{ids.index_group(letter, number)}" '
            f'aria-labelledby="{heading}">\n'
            f'<h2 id="{heading}">{letter}</h2>\n<ul epub:type="index-entry-list">\n'
            + lines
            + "\n</ul>\n</section>"
        )
    # The heading stands outside the index element: a document of index content only would need
    # its body typed "index" (EPUBCheck's idx-xhtml-index.sch), which Ace flags for its role.
    title = ids.index_title(number)
    return content(
        f'<h1 id="{title}">{escape(chosen.title)}</h1>\n<section id="{chosen.id}" class="index" '
        f'epub:type="index" role="doc-index" aria-labelledby="{title}">\n'
        + "\n".join(groups)
        + "\n</section>"
    )


def _index_entry(item: index.IndexEntry, see: str, see_also: str) -> str:
    """An entry (EPUB Indexes 1.0 §3), its subentries in an index-entry-list of their own."""
    term = item.markup
    anchor = f' id="{item.anchor}"'
    if item.see:
        return (
            f'<li epub:type="index-entry"{anchor}><span epub:type="index-term">{term}</span>. '
            f'<i>{see}</i> <a epub:type="index-xref-preferred" href="#{item.see.anchor}">'
            f'<span epub:type="index-term">{item.see.markup}</span></a></li>'
        )
    qualifier = f" ({escape(item.qualifier)})" if item.qualifier else ""
    locators = _locators(item.locators)
    also = ""
    if item.see_also:
        targets = "; ".join(
            f'<a epub:type="index-xref-related" href="#{ref.anchor}">'
            f'<span epub:type="index-term">{ref.markup}</span></a>'
            for ref in item.see_also
        )
        also = f". <i>{see_also}</i> {targets}"
    subs = ""
    if item.subentries:
        subs = (
            '\n<ul epub:type="index-entry-list">\n'
            + "\n".join(
                f'<li epub:type="index-entry"><span epub:type="index-term">{sub.markup}</span>, '
                f"{_locators(sub.locators)}</li>"
                for sub in item.subentries
            )
            + "\n</ul>"
        )
    return (
        f'<li epub:type="index-entry"{anchor}><span epub:type="index-term">{term}</span>'
        f"{qualifier}{', ' if locators else ''}{locators}{also}{subs}</li>"
    )


def _locators(locators: tuple[index.Locator, ...]) -> str:
    return ", ".join(
        f'<a epub:type="index-locator" href="#{_mention_target(loc.target)}">{loc.label}</a>'
        for loc in locators
    )


def _mention_target(mention: Mention) -> str:
    return mention.id
