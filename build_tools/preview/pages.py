"""The preview's pages: the e-book's own XHTML of each part, framed by the preview's bar.

Section, notes and chronology bodies are the EPUB writer's (``build_tools.epub``), so that the
preview shows what the e-book shows, styled by ``styles/epub.css`` and the faces of ``fonts.toml``.
Only their links change: ``section-001.xhtml`` becomes ``/section-001.html`` (and so the
index of names, ``index.xhtml``, is ``/index.html``, a second index ``/index-2.html``; the
contents is ``/``). A section's notes are also put in the page as popovers, which
``preview.js`` opens beside their reference.
Editorial queries, invisible in the e-book, are shown (issue 16): the text queried tinted, the
query's words beside it as a side note (and a tooltip), a chronology entry's after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from lxml import etree

from build_tools import ids
from build_tools.checks.csscheck import check_stylesheets
from build_tools.design.fonts import read_fonts
from build_tools.errors import BookError
from build_tools.lang.labels import ENGLISH, Labels
from build_tools.markup import inner_xml
from build_tools.model import Book, Index, Section
from build_tools.writers.epub.bodies import XHTML, plain
from build_tools.writers.epub.documents import document, homes, plan

_EPUB_FILE = re.compile(r"^([\w-]+)\.xhtml")
# Index marks are invisible in the e-book; the preview shows them on demand (preview.js).
_INDEX_TOGGLE = ' <button type="button" data-preview-toggle="ix" aria-pressed="false">{label}</button>'


@dataclass(frozen=True)
class Frame:
    """What every page shows around its content: the book, the current error, the bar's links."""

    book: Book | None
    error: str | None
    css_version: int

    @property
    def labels(self) -> Labels:
        """The words of the book's language (English until a book is read)."""
        return self.book.meta.words if self.book else ENGLISH


def stylesheet(styles: Path) -> str:
    """The e-book's CSS, with the font faces the EPUB embeds (served from ``/fonts/``) and every
    fallback in its font lists."""
    try:  # nothing loaded from elsewhere (issue 17 item 6): a refused epub.css is served empty
        check_stylesheets(styles, ("epub.css",))
    except BookError as error:
        return f"/* {error.format_message().replace('*/', '* /')} */\n"
    fonts = read_fonts(styles)
    return fonts.css(lambda face: f"../fonts/{face.name}") + fonts.listed(
        (styles / "epub.css").read_text(encoding="utf-8")
    )


def page(frame: Frame, title: str, main: str, views: tuple[tuple[str, str], ...] = ()) -> str:
    """A whole HTML page: bar, error (if any), then ``main``; ``views`` are extra bar links."""
    book, labels = frame.book, frame.labels
    tools = _INDEX_TOGGLE.format(label=escape(labels.index_marks)) if 'class="ix"' in main else ""
    lang = escape(book.meta.language if book else "en")
    book_title = escape(book.meta.title if book else labels.preview)
    links = [("/", labels.contents)]
    if book and book.chronology:
        links.append(("/chronology.html", labels.chronology))
    if book and book.notes:
        links.append(("/notes.html", labels.notes))
    chosen = book.index_list if book else ()
    if len(chosen) == 1:
        links.append(("/index.html", labels.preview_index))
    else:  # several indexes: each by its title
        links += [(f"/{one.id}.html", one.title) for one in chosen]
    bar = " ".join(f'<a href="{href}">{escape(label)}</a>' for href, label in (*links, *views))
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)} · {book_title}</title>\n"
        f'<link rel="stylesheet" href="/css/book.css?v={frame.css_version}">\n'
        '<link rel="stylesheet" href="/_preview/preview.css">\n'
        '<script src="/_preview/preview.js" defer></script>\n</head>\n<body>\n'
        f'<nav class="preview-bar" aria-label="{escape(labels.preview)}">'
        f'<span class="preview-book">{book_title}</span> {bar}{tools}</nav>\n'
        f"{error_banner(frame.error, labels)}"
        f'<main id="preview-main">\n{main}\n</main>\n</body>\n</html>\n'
    )


def error_banner(message: str | None, labels: Labels | None = None) -> str:
    if message is None:
        return ""
    words = labels or ENGLISH
    return (
        '<div class="preview-error" role="alert">'
        f"<p><strong>{escape(words.cannot_read)}</strong> {escape(words.cannot_read_explanation)}</p>\n"
        f'<pre class="preview-error-message">{escape(message)}</pre></div>\n'
    )


def contents(book: Book) -> str:
    labels = book.meta.words
    print_view = escape(labels.print_view)
    items = [
        f'<li><a href="/{s.file_stem}.html">{plain(s.heading).xml}</a> '
        f'<a class="preview-print-link" href="/print/{s.file_stem}.html">{print_view}</a></li>'
        for s in book.sections
    ]
    back = (
        ("chronology", labels.chronology, book.chronology),
        ("notes", labels.notes, book.notes),
        *((chosen.id, chosen.title, True) for chosen in book.index_list),
    )
    for name, label, present in back:
        if present:
            items.append(
                f'<li><a href="/{name}.html">{escape(label)}</a> '
                f'<a class="preview-print-link" href="/print/{name}.html">{print_view}</a></li>'
            )
    warnings = [escape(str(item)) for item in (*book.diagnostics, *book.queries)]
    listed = (
        f'<section class="preview-warnings"><h2>{escape(labels.warnings)}</h2>\n<ul>\n'
        + "\n".join(f"<li>{w}</li>" for w in warnings)
        + "\n</ul>\n</section>"
        if warnings
        else ""
    )
    return (
        f'<section class="preview-contents"><h1>{escape(book.meta.title)}</h1>\n'
        "<ol>\n" + "\n".join(items) + f"\n</ol>\n</section>\n{listed}"
    )


def section(book: Book, section: Section) -> str:
    """The section as in the e-book, and its notes as popovers."""
    labels = book.meta.words
    more = escape(labels.in_the_notes)
    notes = "\n".join(
        f'<aside class="preview-note" id="preview-{note.id}" popover="auto">'
        f'<p class="preview-note-label">{escape(labels.note_label).format(number=note.number)}</p>'
        f"{_local(note.body.tree())}"
        f'<p class="preview-note-more"><a href="/notes.html#{note.id}">{more}</a></p></aside>'
        for note in section.notes
    )
    return _body(book, f"{section.file_stem}.xhtml") + "\n" + notes


def notes(book: Book) -> str:
    return _body(book, "notes.xhtml")


def chronology(book: Book) -> str:
    return _body(book, "chronology.xhtml")


def index(book: Book, chosen: Index) -> str:
    return _body(book, chosen.file)


def _body(book: Book, href: str) -> str:
    """The body of one of the e-book's documents, built alone (a section's page does not wait
    for, nor fail with, the rest of the book), its links made the preview's, its pictures at
    their paths in the manuscript folder (where the preview serves them)."""
    part = next(part for part in plan(book, "", None) if part.href == href)
    doc = document(book, part, homes(book), media="", name=lambda file: "/" + file.replace(".xhtml", ".html"))
    body = doc.tree.find(f"{XHTML}body")
    assert body is not None
    _show_queries(book, body)
    return _content(body)


def _show_queries(book: Book, body: etree._Element) -> None:
    """Each query of ``body`` tinted, its words in a side note: the queried span's last child
    (so that the text around it keeps its place), or a chronology entry's."""
    labels = book.meta.words
    events = {ids.event(query.event): query.comment for query in book.queries if query.event}
    shown: list[tuple[etree._Element, str]] = []
    for element in body.iter(f"{XHTML}span", f"{XHTML}p", f"{XHTML}li", f"{XHTML}div"):
        classes = (element.get("class") or "").split()
        if element.tag == f"{XHTML}span" and {"query", "query-mark"} & set(classes):
            shown.append((element, element.get("data-query") or ""))
        elif (element.get("id") or "") in events:
            shown.append((element, events[element.get("id") or ""]))
    for element, comment in shown:
        label = labels.query_label.format(query=comment)
        element.set("class", " ".join([*(element.get("class") or "").split(), "preview-query"]))
        element.set("title", label)
        note = etree.SubElement(element, f"{XHTML}span", {"class": "preview-query-note", "role": "note"})
        note.text = label


def _local(element: etree._Element) -> str:
    """A note's content, its links to the e-book's documents made the preview's pages
    (``section-001.xhtml#x`` is ``/section-001.html#x``)."""
    for link in element.iter("a"):
        href = link.get("href", "")
        if _EPUB_FILE.match(href):
            link.set("href", _EPUB_FILE.sub(r"/\1.html", href))
    return inner_xml(element)


def _content(body: etree._Element) -> str:
    """The content of an XHTML ``<body>``, with the namespaces declared on it (an HTML page
    declares none: ``epub:type`` stays an attribute of that name)."""
    text = etree.tostring(body, encoding="unicode")
    return text[text.index(">") + 1 : text.rindex("</")].strip()
