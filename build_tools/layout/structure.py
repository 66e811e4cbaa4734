"""The book's divisions in print: the display pages, the contents, front matter, parts, sections.

Order (CMOS 17, 1.4; REFERENCE.md §4): half title, title, copyright, dedication and epigraph
(no heading, no folio, not in the contents), contents, the other front matter (foreword,
preface, introduction…: lower-case roman folios, listed), the body (a part opens on a recto
with its title page, no folio, no running head; the body's first page is arabic 1), then the
back matter's appendices and the like, before the chronology, the notes and the index.
"""

from __future__ import annotations

from html import escape

from lxml import etree

from build_tools import ids
from build_tools.lang.frontmatter import copyright_lines, imprint
from build_tools.lang.labels import Labels
from build_tools.markup import Fragment, render
from build_tools.model import Book, Part, Section


def display_pages(book: Book, family: str, words: Labels) -> list[etree._Element]:
    """The half title (the title alone: CMOS 17, 1.18), the title page (title, subtitle, the
    author once, the publisher) and the copyright page (``copyright_lines``)."""
    meta = book.meta
    subtitle = f'<p class="subtitle">{escape(meta.subtitle)}</p>\n' if meta.subtitle else ""
    publisher = f'\n<p class="publisher">{escape(imprint(meta))}</p>' if imprint(meta) else ""
    copyright_page = "\n".join(f"<p>{line}</p>" for line in copyright_lines(book, None, family, words))
    return list(
        render(
            f'<div>\n<section class="halftitle" id="{ids.HALFTITLE}"><p>{escape(meta.title)}</p></section>\n'
            f'<section class="titlepage" id="{ids.TITLEPAGE}"><h1 class="title">{escape(meta.title)}</h1>\n'
            f'{subtitle}<p class="author">{escape(meta.author)}</p>{publisher}</section>\n'
            f'<section class="copyright" id="{ids.COPYRIGHT}"><div class="copyright-text">\n'
            f"{copyright_page}\n</div></section>\n</div>"
        )
    )


def contents(book: Book, words: Labels) -> etree._Element:
    """The contents, with leaders and page numbers: titled front matter (roman), the body
    with its parts (nested), the back matter."""
    items: list[str] = []
    slots: dict[str, Fragment | etree._Element | None] = {}
    for section in book.matter("front"):
        if section.titled:
            items.append(f'<li class="front"><a href="#{section.id}"><slot name="{section.id}"/></a></li>')
            slots[section.id] = section.heading.without_ids()
    for group in _body_groups(book):
        if isinstance(group, Part):
            inner = "\n".join(_entry(book.sections[n - 1], slots) for n in group.sections)
            items.append(
                f'<li class="part"><a href="#{group.id}">{escape(group.title)}</a>\n<ol>\n{inner}\n</ol></li>'
            )
        else:
            items.append(_entry(group, slots))
    back = [(s.id, s) for s in book.matter("back")]
    back_parts = [
        (ids.CHRONOLOGY, words.chronology, book.chronology),
        (ids.NOTES, words.notes, book.notes),
        *((chosen.id, chosen.title, True) for chosen in book.index_list),
    ]
    later = [(target, escape(label)) for target, label, there in back_parts if there]
    for number, (target, label) in enumerate([(t, f'<slot name="{t}"/>') for t, _ in back] + later):
        first = ' class="back"' if number == 0 else ""
        items.append(f'<li{first}><a href="#{target}">{label}</a></li>')
    slots.update({target: section.heading.without_ids() for target, section in back})
    return render(
        f'<nav class="contents" id="{ids.CONTENTS}"><h1>{escape(words.contents)}</h1>\n<ol>\n'
        + "\n".join(items)
        + "\n</ol></nav>",
        slots,
    )


def _entry(section: Section, slots: dict[str, Fragment | etree._Element | None]) -> str:
    slots[section.id] = section.heading.without_ids()
    return f'<li><a href="#{section.id}"><slot name="{section.id}"/></a></li>'


def _body_groups(book: Book) -> list[Part | Section]:
    """The body as it is listed: sections, and parts in the place of their sections."""
    parts = {part.sections[0]: part for part in book.parts}
    inside = {number for part in book.parts for number in part.sections}
    groups: list[Part | Section] = []
    for section in book.matter("body"):
        if section.number in parts:
            groups.append(parts[section.number])
        elif section.number not in inside:
            groups.append(section)
    return groups


def divisions(book: Book) -> tuple[list[etree._Element], list[etree._Element]]:
    """The sections and part title pages in print order: (before the contents, after it)."""
    before = [_section(book, s, "") for s in book.matter("front") if not s.titled]
    after = [_section(book, s, "") for s in book.matter("front") if s.titled]
    parts = {part.sections[0]: part for part in book.parts}
    first = book.first_body_id
    for section in book.matter("body"):
        if section.number in parts:
            part = parts[section.number]
            after.append(_part(part, first == part.id))
        after.append(_section(book, section, " first" if first == section.id else ""))
    after += [_section(book, s, "") for s in book.matter("back")]
    return before, after


def verso_head(book: Book, section: Section) -> str:
    """The running head of the versos over ``section``: the book's title, or the author's name
    over a section that has the book's title, whose rectos already print it (issue 16 item 4:
    the two heads of a spread never say the same words)."""
    meta = book.meta
    same = " ".join(section.title.split()).casefold() == " ".join(meta.title.split()).casefold()
    return meta.author if same else meta.title


def divisions_order(book: Book) -> list[Section]:
    """The sections in the order ``divisions`` prints them: the untitled front matter before the
    contents, the titled after it, then the body and the back matter."""
    front = book.matter("front")
    return [
        *(s for s in front if not s.titled),
        *(s for s in front if s.titled),
        *book.matter("body"),
        *book.matter("back"),
    ]


def section_element(book: Book, section: Section) -> etree._Element:
    """One section as ``divisions`` prints it (its class, its verso head), for a document that
    holds it alone (the preview's quick proof: ``layout/partial.py``)."""
    return _section(book, section, " first" if book.first_body_id == section.id else "")


def _part(part: Part, first: bool) -> etree._Element:
    element = etree.Element("section", {"class": "part first" if first else "part", "id": part.id})
    title = etree.SubElement(element, "h1", {"class": "part-title"})
    title.text = part.title
    return element


def _section(book: Book, section: Section, first: str) -> etree._Element:
    """A section: a chapter of the body, or front or back matter (classed by its role), with
    the running head of its versos (``data-verso``, which print.css prints)."""
    kind = "chapter" if section.matter == "body" else f"{section.matter}-matter {section.role}"
    if not section.titled:
        return render(
            f'<section class="{kind}" id="{section.id}">\n<slot name="body"/>\n</section>',
            {"body": section.body},
        )
    verso = escape(verso_head(book, section))
    return render(
        f'<section class="{kind}{first}" id="{section.id}" data-verso="{verso}">\n'
        '<h1 class="chapter-title"><slot name="heading"/></h1>\n<slot name="body"/>\n</section>',
        {"heading": section.heading, "body": section.body},
    )
