"""The EPUB's navigation document: the contents (parts nested, the untitled front matter left
out, as in print) and the hidden landmarks."""

from __future__ import annotations

from html import escape

from lxml import etree

from build_tools import ids
from build_tools.markup import Fragment
from build_tools.model import Book, Part, Section
from build_tools.writers.epub.bodies import content, plain


def part_file(part: Part) -> str:
    return f"part-{part.number:02d}.xhtml"


_WORDS = ("cover", "title_page", "copyright", "contents", "chronology", "notes", "landmarks")


def nav(book: Book, files: dict[int, str]) -> etree._Element:
    """Contents and landmarks; ``files`` names the sections' documents."""
    words = book.meta.words
    w = {name: escape(getattr(words, name)) for name in _WORDS}
    slots: dict[str, Fragment | etree._Element | None] = {}

    def entry(section: Section) -> str:
        slots[section.id] = plain(section.heading)
        return f'<li><a href="{files[section.number]}"><slot name="{section.id}"/></a></li>'

    items = [f'<li><a href="copyright.xhtml">{w["copyright"]}</a></li>']
    items += [entry(s) for s in book.matter("front") if s.titled]
    parts = {part.sections[0]: part for part in book.parts}
    for section in book.matter("body"):
        if section.number in parts:
            part = parts[section.number]
            inner = "\n".join(entry(book.sections[n - 1]) for n in part.sections)
            items.append(
                f'<li><a href="{part_file(part)}">{escape(part.title)}</a>\n<ol>\n{inner}\n</ol>\n</li>'
            )
        elif not section.part:
            items.append(entry(section))
    items += [entry(s) for s in book.matter("back")]
    start_href, start_label = _start(book, files)
    landmarks = [
        f'<li><a epub:type="cover" href="cover.xhtml">{w["cover"]}</a></li>',
        f'<li><a epub:type="titlepage" href="titlepage.xhtml">{w["title_page"]}</a></li>',
        f'<li><a epub:type="copyright-page" href="copyright.xhtml">{w["copyright"]}</a></li>',
        f'<li><a epub:type="toc" href="nav.xhtml#{ids.TOC}">{w["contents"]}</a></li>',
        f'<li><a epub:type="bodymatter" href="{start_href}">{escape(start_label)}</a></li>',
    ]
    for name, label, href, there in (
        ("chronology", w["chronology"], "chronology.xhtml", book.chronology),
        ("endnotes", w["notes"], "notes.xhtml", book.notes),
        *(("index", escape(chosen.title), chosen.file, True) for chosen in book.index_list),
    ):
        if there:
            items.append(f'<li><a href="{href}">{label}</a></li>')
            if name != "chronology":
                landmarks.append(f'<li><a epub:type="{name}" href="{href}">{label}</a></li>')
    return content(
        f'<nav epub:type="toc" id="{ids.TOC}" role="doc-toc" aria-labelledby="{ids.TOC_TITLE}">\n'
        f'<h1 id="{ids.TOC_TITLE}">{w["contents"]}</h1>\n<ol class="contents">\n'
        + "\n".join(items)
        + "\n</ol>\n</nav>\n"
        f'<nav epub:type="landmarks" aria-label="{w["landmarks"]}" hidden="hidden">\n<ol>\n'
        + "\n".join(landmarks)
        + "\n</ol>\n</nav>",
        slots,
    )


def _start(book: Book, files: dict[int, str]) -> tuple[str, str]:
    """The document the body begins with (a part's title page, or a section) and its title."""
    first = book.first_body_id
    part = next((p for p in book.parts if p.id == first), None)
    if part is not None:
        return part_file(part), part.title
    section = next(s for s in book.sections if s.id == first)
    return files[section.number], section.title
