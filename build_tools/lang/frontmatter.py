"""The words of the front matter, shared by the EPUB and PDF writers."""

from __future__ import annotations

from html import escape

from build_tools.design.fonts import FontSet
from build_tools.lang.isbn import hyphenated
from build_tools.lang.labels import Labels
from build_tools.model import Book


def copyright_lines(
    book: Book, edition_of: str | None, family: str, labels: Labels | None = None
) -> list[str]:
    """The lines of the copyright page as XHTML; ``edition_of`` names a digital format ("EPUB")
    whose identifier is printed (the print book shows its ISBN only); ``family`` names the
    faces the book is set in (``typefaces``). ``labels`` default to the book's
    language's."""
    meta = book.meta
    words = labels or meta.words
    title = f"<em>{escape(meta.title)}</em>"
    if meta.subtitle:
        title = escape(words.title_and_subtitle).format(title=title, subtitle=escape(meta.subtitle))
    lines = [title]
    lines.append(escape(meta.rights))
    if meta.edition or meta.date:
        lines.append(escape(", ".join(part for part in (meta.edition, meta.date) if part)))
    lines.append(escape(words.published_by).format(publisher=escape(meta.publisher)))
    if meta.isbn_print:
        lines.append(escape(words.isbn_print).format(isbn=format_isbn(meta.isbn_print)))
    if edition_of:
        lines.append(
            escape(words.identifier).format(format=escape(edition_of), identifier=escape(meta.identifier))
        )
    lines.append(escape(words.set_in).format(family=escape(family)))
    return lines


def format_isbn(isbn: str) -> str:
    """An ISBN hyphenated by the ISBN ranges: prefix, group, registrant, item, check digit
    (978-2-07-036822-8, not 978-207036822-8)."""
    return hyphenated(isbn)


def typefaces(fonts: FontSet, words: Labels) -> str:
    """The faces "Set in …" names: the text family, with the fallbacks that set some of the
    book's characters (``fonts`` holds only those: ``coverage.used_fonts``)."""
    if not fonts.fallbacks:
        return fonts.family
    names = ", ".join(fallback.name for fallback in fonts.fallbacks)
    return words.typefaces.format(family=fonts.family, fallbacks=names)
