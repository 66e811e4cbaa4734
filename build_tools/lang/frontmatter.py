"""The words of the front matter, shared by the EPUB and PDF writers.

The title page (CMOS 17, 1.19) names the title, the subtitle, the author and the publisher;
the copyright page (1.21–37) carries the copyright notice with its year, the edition and its
date, the publisher, each ISBN with the format it belongs to, the credits and the typefaces.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import escape

from build_tools.design.fonts import FontSet
from build_tools.lang.isbn import hyphenated
from build_tools.lang.labels import Labels
from build_tools.model import Book, Metadata

# A year in running text: four digits, not part of a longer number (1000–2999).
_YEAR = re.compile(r"(?<!\d)[12]\d{3}(?!\d)")
_COPYRIGHT_SIGN = "©"


def copyright_lines(
    book: Book, edition_of: str | None, family: str, labels: Labels | None = None
) -> list[str]:
    """The lines of the copyright page as XHTML; ``edition_of`` names the digital format
    ("EPUB") whose document this is: its identifier is printed when it has no ISBN of its own
    (print shows ISBNs only). ``family`` names the faces the book is set in (``typefaces``).
    ``labels`` default to the book's language's."""
    meta = book.meta
    words = labels or meta.words
    title = f"<em>{escape(meta.title)}</em>"
    if meta.subtitle:
        title = escape(words.title_and_subtitle).format(title=title, subtitle=escape(meta.subtitle))
    lines = [title, *(escape(line) for line in notice(book, words))]
    if meta.edition or meta.date:
        lines.append(escape(", ".join(part for part in (meta.edition, meta.date) if part)))
    lines.append(escape(words.published_by).format(publisher=escape(meta.publisher)))
    lines += [escape(line) for line in isbn_lines(meta, words)]
    if edition_of and not meta.isbn_ebook:
        lines.append(
            escape(words.identifier).format(format=escape(edition_of), identifier=escape(meta.identifier))
        )
    lines += [escape(line) for line in meta.credits]
    lines.append(escape(words.set_in).format(family=escape(family)))
    return lines


def notice(book: Book, words: Labels) -> list[str]:
    """The copyright notice and the rights, as plain text: ``rights`` as written when it has a
    year; with the year after its © when it has the sign and no year ("Copyright © 2026
    Richard Greeman. All rights reserved."); else the notice of the language's catalogue
    ("© 2026 A. Name"), then the rights. The year is never printed twice."""
    rights = book.meta.rights.strip()
    if _YEAR.search(rights):
        return [rights]
    year = copyright_year(book)
    if _COPYRIGHT_SIGN in rights:
        before, _, after = rights.partition(_COPYRIGHT_SIGN)
        return [f"{before}{_COPYRIGHT_SIGN} {year} {after.lstrip()}".rstrip()]
    return [words.copyright_notice.format(year=year, holder=book.meta.author), *filter(None, [rights])]


def copyright_year(book: Book) -> str:
    """The year of the copyright notice: the first four digits of ``date``, else the year
    ``rights`` names, else the year of the build's SOURCE_DATE_EPOCH (so that two builds of
    the same sources print the same year)."""
    found = re.search(r"\d{4}", book.meta.date) or _YEAR.search(book.meta.rights)
    if found:
        return found.group()
    return str(datetime.fromtimestamp(book.source_date_epoch, tz=UTC).year)


def isbn_lines(meta: Metadata, words: Labels) -> list[str]:
    """Each ISBN of the book, hyphenated, with its format (plain text): the print edition's,
    then the e-book's. Both formats print both, as publishers list every edition's."""
    pairs = ((meta.isbn_print, words.isbn_print), (meta.isbn_ebook, words.isbn_ebook))
    return [label.format(isbn=format_isbn(number)) for number, label in pairs if number]


def imprint(meta: Metadata) -> str:
    """The publisher as the title page names it, or "" when it is the author (a book its
    author publishes would print the name twice: once is enough, and the copyright page
    still says who published it)."""
    same = " ".join(meta.publisher.split()).casefold() == " ".join(meta.author.split()).casefold()
    return "" if same else meta.publisher


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
