"""The print PDF writer: one HTML document of the whole book, laid out by WeasyPrint.

The page design is in ``styles/print.css``; this module writes the HTML it styles, the page size
and fonts it needs, and renders it with a URL fetcher that reads nothing outside the project.
Importing this module imports WeasyPrint: only the PDF path of the build does.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher
from weasyprint.text.fonts import FontConfiguration

from .errors import BookError
from .frontmatter import copyright_lines
from .model import Book, Note, Section
from .output import atomic_output, iso_utc

FONT_FILES = {
    ("normal", "normal"): "EBGaramond-Regular.ttf",
    ("normal", "italic"): "EBGaramond-Italic.ttf",
    ("bold", "normal"): "EBGaramond-Bold.ttf",
    ("bold", "italic"): "EBGaramond-BoldItalic.ttf",
}
# KDP's minimum inside margin by page count (REFERENCE.md §3), in inches.
KDP_GUTTER = ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875))


class PdfWriter:
    """Writes ``<out>/<slug>.pdf`` from a Book."""

    suffix = ".pdf"

    def __init__(self, styles: Path) -> None:
        self.styles = styles.resolve()

    def write(self, book: Book, out_dir: Path) -> Path:
        target = out_dir / f"{book.meta.slug}{self.suffix}"
        document = self.render(book)
        with atomic_output(target) as temporary:
            document.write_pdf(temporary, uncompressed_pdf=False)
        return target

    def render(self, book: Book, inside_margin: float = 0.875):  # type: ignore[no-untyped-def]
        """Lay out the book; widen the gutter and lay out again if the page count needs it."""
        fonts = FontConfiguration()
        fetcher = _ProjectFetcher((self.styles, book.root.resolve()))
        html = HTML(string=book_html(book), base_url=self.styles.as_uri() + "/", url_fetcher=fetcher)
        stylesheets = [
            CSS(string=_page_css(book, inside_margin) + _font_css(self.styles), font_config=fonts,
                url_fetcher=fetcher),
            CSS(filename=str(self.styles / "print.css"), font_config=fonts, url_fetcher=fetcher),
        ]
        try:
            document = html.render(stylesheets=stylesheets, font_config=fonts)
        except FatalURLFetchingError as exc:
            raise BookError(str(exc.__cause__ or exc)) from None
        needed = required_gutter(len(document.pages))
        if needed > inside_margin:
            return self.render(book, needed)
        return document


def required_gutter(pages: int) -> float:
    for limit, inches in KDP_GUTTER:
        if pages <= limit:
            return inches
    raise BookError(f"{pages} pages is more than print-on-demand printers bind (828)")


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


def book_html(book: Book) -> str:
    """The whole book as one HTML document for print."""
    meta = book.meta
    e = escape
    head = (
        f'<!DOCTYPE html>\n<html lang="{e(meta.language)}" data-title="{e(meta.title)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(meta.title)}</title>\n"
        f'<meta name="author" content="{e(meta.author)}">\n'
        f'<meta name="description" content="{e(meta.description)}">\n'
        f'<meta name="keywords" content="{e(", ".join(meta.subjects))}">\n'
        f'<meta name="dcterms.created" content="{iso_utc(book.source_date_epoch)}">\n'
        f'<meta name="dcterms.modified" content="{iso_utc(book.source_date_epoch)}">\n'
        "</head>\n<body>\n"
    )
    parts = [head, _front_matter(book)]
    parts += [_section(section, first=index == 0) for index, section in enumerate(book.sections)]
    if book.notes:
        parts.append(_notes(book))
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def _front_matter(book: Book) -> str:
    meta = book.meta
    subtitle = f'<p class="subtitle">{escape(meta.subtitle)}</p>\n' if meta.subtitle else ""
    contents = [
        f'<li><a href="#{s.id}">{s.title_html}</a></li>' for s in book.sections
    ]
    if book.notes:
        contents.append('<li class="back"><a href="#notes">Notes</a></li>')
    copyright_page = "\n".join(f"<p>{line}</p>" for line in copyright_lines(book, None))
    return (
        f'<section class="halftitle"><p>{escape(meta.title)}</p></section>\n'
        f'<section class="titlepage"><h1 class="title">{escape(meta.title)}</h1>\n{subtitle}'
        f'<p class="author">{escape(meta.author)}</p>\n'
        f'<p class="publisher">{escape(meta.publisher)}</p></section>\n'
        f'<section class="copyright">\n{copyright_page}\n</section>\n'
        '<nav class="contents" id="contents"><h1>Contents</h1>\n<ol>\n'
        + "\n".join(contents) + "\n</ol></nav>\n"
    )


def _section(section: Section, first: bool) -> str:
    classes = "chapter first" if first else "chapter"
    return (
        f'<section class="{classes}" id="{section.id}">\n'
        f'<h1 class="chapter-title">{section.title_html}</h1>\n{section.body}\n</section>\n'
    )


def _notes(book: Book) -> str:
    groups = []
    for section in book.sections:
        if section.notes:
            notes = "\n".join(_note(note) for note in section.notes)
            groups.append(
                f'<section class="notes-group"><h2>{section.title_html}</h2>\n{notes}\n</section>'
            )
    return (
        '<section class="notes" id="notes"><h1 class="chapter-title">Notes</h1>\n'
        + "\n".join(groups) + "\n</section>\n"
    )


def _note(note: Note) -> str:
    """A note with its full-size number, which links back to the (first) reference."""
    number = f'<a class="note-number" href="#{note.ref_id()}">{note.number}.</a> '
    body = note.body
    if body.startswith("<p>"):
        body = "<p>" + number + body[3:]
    else:
        body = f"<p>{number}</p>{body}"
    return f'<div class="note" id="{note.id}" data-ref="#{note.ref_id()}">{body}</div>'
