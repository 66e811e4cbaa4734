"""The print PDF writer: one HTML document of the whole book, laid out by WeasyPrint.

The page design is in ``styles/print.css``; this module writes the HTML it styles, the page size
and fonts it needs, and renders it with a URL fetcher that reads nothing outside the project.
Importing this module imports WeasyPrint: only the PDF path of the build does.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
from weasyprint import CSS, HTML, Document
from weasyprint.document import Page
from weasyprint.formatting_structure.boxes import Box
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from build_tools.design.profiles import PROFILES, Profile
from build_tools.errors import BookError
from build_tools.index import entries as index
from build_tools.lang.frontmatter import copyright_lines
from build_tools.lang.numbers import page_range, roman
from build_tools.layout import mentions as printpages
from build_tools.layout.mentions import unmarked
from build_tools.model import Book, Note, PageStart, PrintLayout, Section
from build_tools.writers.output import atomic_output, iso_utc

FONT_FILES = {
    ("normal", "normal"): "EBGaramond-Regular.ttf",
    ("normal", "italic"): "EBGaramond-Italic.ttf",
    ("bold", "normal"): "EBGaramond-Bold.ttf",
    ("bold", "italic"): "EBGaramond-BoldItalic.ttf",
}


class PdfWriter:
    """Writes ``<out>/<slug>.pdf`` (``<slug>-<profile>.pdf`` for another printer) from a Book."""

    suffix = ".pdf"

    def __init__(self, styles: Path, profile: str | None = None) -> None:
        self.styles = styles.resolve()
        self.profile_name = profile
        self.layout: PrintLayout | None = None

    def profile(self, book: Book) -> Profile:
        return PROFILES[self.profile_name or book.meta.print_profile]

    def target(self, book: Book, out_dir: Path) -> Path:
        name = self.profile(book).name
        suffix = "" if name == book.meta.print_profile else f"-{name}"
        return out_dir / f"{book.meta.slug}{suffix}{self.suffix}"

    def write(self, book: Book, out_dir: Path) -> Path:
        profile = self.profile(book)
        target = self.target(book, out_dir)
        document = self.render(book)
        document = document.copy(document.pages + self._padding(book, document, profile))
        data = document.write_pdf(pdf_variant=profile.pdf_variant, uncompressed_pdf=False)
        with atomic_output(target) as temporary:
            finish_pdf(data, temporary, book, self.first_text_page, profile)
        return target

    def _padding(self, book: Book, document: Document, profile: Profile) -> list:  # type: ignore[type-arg]
        """Blank pages at the end: an even count, and a blank last page where the printer asks."""
        count = len(document.pages)
        blanks = 0
        if profile.final_blank and document.pages[-1].anchors:
            blanks = 1
        if (count + blanks) % 2:
            blanks += 1
        if not blanks:
            return []
        # Two blank pages, a recto then a verso, so that each added page has its side's bleed.
        pair = self._layout(
            '<!DOCTYPE html><html><body><div style="break-after: page"></div><div></div></body></html>',
            book, FontConfiguration(), self.inside_margin,
        ).pages
        return [pair[(count + i) % 2] for i in range(blanks)]

    def render(self, book: Book, inside_margin: float = 0.875) -> Document:
        """Lay out the book, then the notes and the index again with what only the layout tells.

        Pass 1 lays out the whole book, the index as a stub (its opening page), so that the
        contents gets every page number; the chronology's page references are target-counters,
        resolved in the same layout. The notes' running heads ("Notes to pages 12–15") and the
        index's locators (deduplicated, with ranges) need the pages of pass 1: pass 2 lays out
        the notes and the index alone with those numbers written in, and its pages replace
        pass 1's. The text is laid out once (REFERENCE.md §2). The notes keep their length
        (running heads are in the margin); if they did not, the whole book is laid out again.
        """
        fonts = FontConfiguration()
        self.inside_margin = inside_margin
        document = self._layout(book_html(book, None), book, fonts, inside_margin)
        needed = self.profile(book).gutter_for(len(document.pages))
        if needed is None:
            raise BookError(
                f"{len(document.pages)} pages is more than {self.profile(book).title} prints "
                f"({self.profile(book).max_pages})"
            )
        if needed > inside_margin:  # the printer's gutter grows with the page count
            return self.render(book, needed)
        pages = first_pages(document)
        folio = _folios(pages)
        starts = self._starts(document, pages)
        mentions = printpages.mention_pages(book, starts) if book.mentions else {}
        again = [name for name in ("notes", "index") if name in pages]
        if again:
            start = pages[again[0]]
            facts = Facts(
                heads=_notes_heads(book, document, pages, folio) if book.notes else {},
                folios={key: folio(index) for key, index in {**pages, **mentions}.items()
                        if index >= pages["sec-1"]},
            )
            restart = f"@page :first {{ counter-reset: page {folio(start)}; }}\n"
            second = self._layout(back_html(book, facts), book, fonts, inside_margin, restart)
            if _before_index(second) == _before_index(document) - start:
                # Pages before `start` are pass 1's, and the notes keep their pages: only the
                # new pages need their starts, and the mentions keep theirs.
                document = document.copy(document.pages[:start] + second.pages)
                pages = first_pages(document)
                starts = starts[:start] + self._starts(document, pages, since=start)
            else:  # the notes changed length: lay out the whole book again
                document = self._layout(book_html(book, facts), book, fonts, inside_margin)
                pages = first_pages(document)
                starts = self._starts(document, pages)
                mentions = printpages.mention_pages(book, starts) if book.mentions else {}
        self.first_text_page = first = pages["sec-1"]
        folio = _folios(pages)
        self.layout = PrintLayout(
            {key: str(folio(index)) for key, index in {**pages, **mentions}.items() if index >= first},
            starts,
        )
        return document

    @staticmethod
    def _starts(document: Document, pages: dict[str, int], since: int = 0) -> tuple[PageStart, ...]:
        """Where each page from ``since`` on begins, with its printed folio (roman in the front
        matter)."""
        first = pages["sec-1"]
        folio = _folios(pages)

        def label(index: int) -> str:
            return roman(index + 1) if index < first else str(folio(index))

        return tuple(PageStart(label(index), *_page_start(page, index, pages))
                     for index, page in enumerate(document.pages) if index >= since)

    def _layout(
        self, html_text: str, book: Book, fonts: FontConfiguration, inside: float, extra: str = ""
    ) -> Document:
        fetcher = _ProjectFetcher((self.styles, book.root.resolve()))
        try:
            html = HTML(string=html_text, base_url=self.styles.as_uri() + "/", url_fetcher=fetcher)
            stylesheets = [
                CSS(string=_page_css(book, inside) + self.profile(book).page_css()
                    + _font_css(self.styles), font_config=fonts, url_fetcher=fetcher),
                CSS(filename=str(self.styles / "print.css"), font_config=fonts, url_fetcher=fetcher),
            ]
            if extra:
                stylesheets.append(CSS(string=extra, font_config=fonts))
            return html.render(stylesheets=stylesheets, font_config=fonts)
        except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: never let it through
            cause = exc.__cause__
            message = cause.format_message() if isinstance(cause, BookError) else f"{exc}: {cause}"
            raise BookError(message) from None


@dataclass(frozen=True)
class Facts:
    """What pass 1's layout tells pass 2: running heads of notes pages, folios of element ids."""

    heads: dict[str, str]
    folios: dict[str, int]


def _before_index(document: Document) -> int:
    return first_pages(document).get("index", len(document.pages))


def _page_start(page: Page, index: int, first: dict[str, int]) -> tuple[str, str]:
    """The innermost element with an id that holds the page's first text, and the page's first
    words when that element began on an earlier page (a paragraph running over)."""

    def texts(box: Box) -> str:
        own = getattr(box, "text", None) or ""
        return own + "".join(texts(child) for child in getattr(box, "children", None) or ())

    def walk(box: Box, ids: list[str], line: str) -> tuple[str, str] | None:
        if type(box).__name__ == "MarginBox":
            return None
        if type(box).__name__ == "LineBox":
            line = texts(box)
        element = getattr(box, "element", None)
        own = element.get("id") if element is not None and hasattr(element, "get") else None
        if own and (not ids or ids[-1] != own):
            ids = [*ids, own]
        text = getattr(box, "text", None)
        if text and text.strip() and ids:
            target = ids[-1]
            return target, (" ".join(line.split())[:60] if first.get(target, index) < index else "")
        for child in getattr(box, "children", None) or ():
            if found := walk(child, ids, line):
                return found
        return None

    return walk(page._page_box, [], "") or ("", "")  # a blank page


def first_pages(document: Document) -> dict[str, int]:
    """Element id -> index of the first page it is on (a block across pages is on each)."""
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            found.setdefault(anchor, number)
    return found


def _folios(pages: dict[str, int]) -> Callable[[int], int]:
    """Page index -> printed folio: arabic 1 is the first section's opening page."""
    first = pages["sec-1"]
    return lambda index: index - first + 1


def _notes_heads(
    book: Book, document: Document, pages: dict[str, int], folio: Callable[[int], int]
) -> dict[str, str]:
    """For the first note that starts on each notes page, the head of that page."""
    notes = {note.id: note for note in book.notes}
    heads = {}
    for page in document.pages[pages["notes"]:]:
        on_page = [notes[a] for a in page.anchors if a in notes]
        if not on_page:
            continue
        cited = sorted(folio(pages[note.ref_id()]) for note in on_page)
        span = page_range(cited[0], cited[-1])
        noun = "pages" if cited[0] != cited[-1] else "page"
        starts_here = [n for n in on_page if pages[n.id] == document.pages.index(page)]
        if starts_here:
            heads[starts_here[0].id] = f"Notes to {noun} {span}"
    return heads


class _ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """Fetches ``file:`` URLs inside the project's folders; refuses everything else, fatally."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file",), fail_on_errors=True)
        self.roots = roots

    def fetch(self, url: str, headers: object = None) -> object:
        path = Path(unquote(urlsplit(url).path)).resolve() if url.startswith("file:") else None
        if path is None or not any(path.is_relative_to(root) for root in self.roots):
            raise BookError(f"refused to fetch {url}: the build reads only files inside the project")
        return super().fetch(url, headers)


def finish_pdf(data: bytes, target: Path, book: Book, first_text_page: int, profile: Profile) -> None:
    """What WeasyPrint does not write: page labels matching the folios (front matter in
    lower-case roman, the text from arabic 1), and for PDF/X an output intent naming a
    registered printing condition (CGATS TR 001, SWOP; PDF/X-1a allows it without an embedded
    profile) and no annotations. Saved with a deterministic /ID: two builds stay identical."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        labels = [0, pikepdf.Dictionary(S=pikepdf.Name.r)] if first_text_page else []
        labels += [first_text_page, pikepdf.Dictionary(S=pikepdf.Name.D, St=1)]
        pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(labels))
        if profile.pdf_variant:
            pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
                Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
                OutputConditionIdentifier=pikepdf.String("CGATS TR 001"),
                RegistryName=pikepdf.String("http://www.color.org"),
                Info=pikepdf.String("SWOP (Publication) Grade 5 Paper"),
            )])
            for page in pdf.pages:
                if "/Annots" in page:
                    del page.Annots
        pdf.save(target, deterministic_id=True)


def _page_css(book: Book, inside: float) -> str:
    return (
        f"@page {{ size: {book.meta.trim.css}; }}\n"
        f"@page :left {{ margin-right: {inside}in; }}\n"
        f"@page :right {{ margin-left: {inside}in; }}\n"
    )


def _font_css(styles: Path) -> str:
    return "".join(
        f'@font-face {{ font-family: "EB Garamond"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{(styles / "fonts" / name).as_uri()}"); }}\n'
        for (weight, style), name in FONT_FILES.items()
    )


def book_html(book: Book, facts: Facts | None) -> str:
    """The whole book as one HTML document for print; pass 1 has no facts of the layout."""
    parts = [_head(book), _front_matter(book)]
    parts += [_section(section, first=index == 0) for index, section in enumerate(book.sections)]
    parts.append(_back_matter(book, facts))
    parts = [_pictures(part, book) for part in parts]
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def back_html(book: Book, facts: Facts) -> str:
    """The back matter laid out again in pass 2: the notes and the index."""
    return _head(book) + _pictures(_back_matter(book, facts, chronology=False), book) + "</body>\n</html>\n"


def _back_matter(book: Book, facts: Facts | None, chronology: bool = True) -> str:
    parts = []
    if book.chronology and chronology:
        parts.append(_chronology(book, facts.folios if facts else None))
    if book.notes:
        parts.append(_notes(book, facts.heads if facts else {}))
    if book.names:
        parts.append(_index(book, facts.folios) if facts else _INDEX_STUB)
    return "".join(parts)


def _index(book: Book, folios: dict[str, int]) -> str:
    """Two columns, letter groups, hanging indents; locators are the pages of pass 1.

    The locators are plain text in print: as links (inline boxes) they made WeasyPrint lay out
    the index eight times slower (3,786 locators: 3.9 s against 0.5 s); the EPUB's index is the
    one that links, to the exact mention."""
    groups = []
    lookup = lambda key: str(folios[key])  # noqa: E731
    for letter, items in index.entries(book, lookup):
        lines = []
        for item in items:
            term = f"<i>{escape(item.heading)}</i>" if item.kind == "periodical" else escape(item.heading)
            if item.see:
                see = escape(item.see)
                lines.append(f'<p class="ix-entry" id="{item.anchor}">{term}. <i>See</i> {see}</p>')
                continue
            qualifier = f" ({escape(item.qualifier)})" if item.qualifier else ""
            locators = ", ".join(loc.label for loc in item.locators)
            also = f". <i>See also</i> {'; '.join(escape(h) for h in item.see_also)}" if item.see_also else ""
            lines.append(f'<p class="ix-entry" id="{item.anchor}">{term}{qualifier}, {locators}{also}</p>')
        groups.append(f'<div class="ix-group" id="index-{letter}"><h2>{letter}</h2>\n'
                      + "\n".join(lines) + "</div>")
    return (
        '<section class="index" id="index"><h1 class="chapter-title" id="index-title">Index of Names</h1>\n'
        '<div class="ix-columns">\n' + "\n".join(groups) + "\n</div></section>\n"
    )


def _chronology(book: Book, folios: dict[str, int] | None) -> str:
    """Events as blocks, the date run in; a linked entry ends with the page reference of the
    first passage it links to (the EPUB links them all): a target-counter that WeasyPrint
    resolves in the same layout, so that the chronology is laid out once. (Printing each
    passage's page would print one page twice when two passages share it, which only a
    second layout of the chronology could mend.)"""
    entries = []
    for event in book.chronology:
        refs = ""
        if event.links:
            anchor = event.links[0]
            number = (f'<a class="page-ref" href="#anchor-{anchor}"></a>' if folios is None
                      else f'<a class="page-ref-known" href="#anchor-{anchor}">'
                           f'{folios[f"anchor-{anchor}"]}</a>')
            refs = f' <span class="page-refs">(p. {number})</span>'
        entries.append(
            f'<p class="event" id="event-{event.id}"><span class="event-date">{escape(event.label)}</span> '
            f"{unmarked(event.body)}{refs}</p>"
        )
    return (
        '<section class="chronology" id="chronology"><h1 class="chapter-title">Chronology</h1>\n'
        + "\n".join(entries) + "\n</section>\n"
    )


# Pass 1 lays out only the index's first page: it comes last, so its length moves nothing.
_INDEX_STUB = (
    '<section class="index" id="index"><h1 class="chapter-title" id="index-title">Index of Names</h1>'
    "</section>\n"
)


def _head(book: Book) -> str:
    meta = book.meta
    e = escape
    keywords = f'<meta name="keywords" content="{e(", ".join(meta.subjects))}">\n' if meta.subjects else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{e(meta.language)}" data-title="{e(meta.title)}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{e(meta.title)}</title>\n'
        f'<meta name="author" content="{e(meta.author)}">\n'
        f'<meta name="description" content="{e(meta.description)}">\n{keywords}'
        f'<meta name="dcterms.created" content="{iso_utc(book.source_date_epoch)}">\n'
        f'<meta name="dcterms.modified" content="{iso_utc(book.source_date_epoch)}">\n'
        "</head>\n<body>\n"
    )


def _front_matter(book: Book) -> str:
    meta = book.meta
    subtitle = f'<p class="subtitle">{escape(meta.subtitle)}</p>\n' if meta.subtitle else ""
    contents = [
        f'<li><a href="#{s.id}">{s.heading}</a></li>' for s in book.sections
    ]
    if book.chronology:
        contents.append('<li class="back"><a href="#chronology">Chronology</a></li>')
    if book.notes:
        first_back = "" if book.chronology else ' class="back"'
        contents.append(f'<li{first_back}><a href="#notes">Notes</a></li>')
    if book.names:
        first_back = "" if book.chronology or book.notes else ' class="back"'
        contents.append(f'<li{first_back}><a href="#index">Index of Names</a></li>')
    copyright_page = "\n".join(f"<p>{line}</p>" for line in copyright_lines(book, None))
    return (
        f'<section class="halftitle" id="halftitle"><p>{escape(meta.title)}</p></section>\n'
        f'<section class="titlepage" id="titlepage"><h1 class="title">{escape(meta.title)}</h1>\n{subtitle}'
        f'<p class="author">{escape(meta.author)}</p>\n'
        f'<p class="publisher">{escape(meta.publisher)}</p></section>\n'
        f'<section class="copyright" id="copyright">\n{copyright_page}\n</section>\n'
        '<nav class="contents" id="contents"><h1>Contents</h1>\n<ol>\n'
        + "\n".join(contents) + "\n</ol></nav>\n"
    )


def _pictures(html: str, book: Book) -> str:
    """Image sources as file URLs: the print HTML's base is the styles folder."""
    if not book.images:
        return html
    files = {image.href: image.path.resolve().as_uri() for image in book.images}
    return re.sub(r'(<img\b[^>]*?\bsrc=")([^"]+)"', lambda m: f'{m[1]}{files.get(m[2], m[2])}"', html)


def _section(section: Section, first: bool) -> str:
    classes = "chapter first" if first else "chapter"
    return (
        f'<section class="{classes}" id="{section.id}">\n'
        f'<h1 class="chapter-title">{section.heading}</h1>\n{unmarked(section.body)}\n</section>\n'
    )


def _notes(book: Book, heads: dict[str, str]) -> str:
    groups = []
    for section in book.sections:
        if section.notes:
            notes = "\n".join(_note(note, heads.get(note.id)) for note in section.notes)
            groups.append(
                f'<section class="notes-group"><h2 id="notes-{section.number}">{section.heading}</h2>\n'
                f"{notes}\n</section>"
            )
    return (
        '<section class="notes" id="notes"><h1 class="chapter-title">Notes</h1>\n'
        + "\n".join(groups) + "\n</section>\n"
    )


def _note(note: Note, head: str | None) -> str:
    """A note with its full-size number, which links back to the (first) reference."""
    number = f'<a class="note-number" href="#{note.ref_id()}">{note.number}.</a> '
    body = unmarked(note.body)
    if body.startswith("<p>"):
        body = "<p>" + number + body[3:]
    else:
        body = f"<p>{number}</p>{body}"
    style = f' style="string-set: notes-head {_css_string(head)}"' if head else ""
    return f'<div class="note" id="{note.id}"{style}>{body}</div>'


def _css_string(text: str) -> str:
    return escape('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
