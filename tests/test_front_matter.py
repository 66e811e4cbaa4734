"""The title page and the copyright page (issue 14 item 4; CMOS 17, 1.18–37), in both formats:
the author once on the title page, and on the copyright page the notice with its year (once),
the edition, the publisher, both ISBNs hyphenated with their formats, the credits and the
typefaces; the EPUB's identifier only when the e-book has no ISBN of its own.

Books: tests/manuscripts/structure (English, 5 × 8 in, rights with their year, both ISBNs,
credits), a French book this module writes (its author its publisher, rights without a year,
a date), and the first book (its author its publisher, no ISBN)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import EPOCH, STYLES, _built, book_toml
from epub_tools import NS, documents
from pdf_tools import letters, page_texts

from build_tools.design.coverage import coverage
from build_tools.design.fonts import read_fonts
from build_tools.lang.frontmatter import copyright_year, imprint, notice
from build_tools.lang.labels import labels_for
from build_tools.model import Book, Metadata
from build_tools.parse.parser import parse
from build_tools.sources.manuscript import load

STRUCTURE = Path(__file__).resolve().parent / "manuscripts" / "structure"
FRENCH_BOOK = {
    'author = "A B"': 'author = "Claire Exemple"',
    'language = "en"': 'language = "fr"',
    'publisher = "P"': 'publisher = "Claire Exemple"',  # published by its author
    'rights = "R"': (
        'rights = "Tous droits réservés."\nedition = "Première édition"\ndate = "2025"\n'
        'isbn_print = "9782849320013"\nisbn_ebook = "978-2-9999999-9-2"\n'
        'credits = ["Couverture de Jean Exemple", "Relecture de Lise Exemple"]'
    ),
}
FRENCH_LINES = [
    "Le Livre des marges",
    "© Claire Exemple, 2025",  # the catalogue's notice: rights without a ©, the year from date
    "Tous droits réservés.",
    "Première édition, 2025",
    "Publié par Claire Exemple",
    "ISBN 978-2-84932-001-3 (broché)",
    "ISBN 978-2-9999999-9-2 (livre numérique EPUB)",
    "Couverture de Jean Exemple",
    "Relecture de Lise Exemple",
    "Composé en EB Garamond.",
]
STRUCTURE_LINES = [
    "The Shape of Books",
    "Copyright © 2026 Ada Example.",  # as written: the year is there already
    "Second edition",
    "Published by Example Press",
    "ISBN 978-1-4028-9462-6 (paperback)",  # book.toml writes both without hyphens
    "ISBN 978-0-306-40616-4 (EPUB)",
    "Cover design: Grace Example",
    "Index: Hal Example",
    "Set in EB Garamond.",
]


@pytest.fixture(scope="module")
def structure(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _built(tmp_path_factory, STRUCTURE, "front-matter-structure")


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("front-matter-french-source")
    config = book_toml(["text/un.md"], title="Le Livre des marges")
    for old, new in FRENCH_BOOK.items():
        config = config.replace(old, new)
    (root / "book.toml").write_text(config, encoding="utf-8")
    (root / "text").mkdir()
    (root / "text" / "un.md").write_text("# Les marges\n\nUn livre a des marges.\n", encoding="utf-8")
    return _built(tmp_path_factory, root, "front-matter-french")


# ---------------------------------------------------------------- reading the two pages


def _pdf_pages(pdf: Path, author: str) -> tuple[str, str, str]:
    """The half title, the title page and the copyright page of a PDF: the title page is the
    first page that names the author; the half title is before it, the copyright page after."""
    texts = page_texts(pdf)
    title = next(i for i, text in enumerate(texts) if letters(author) in letters(text))
    assert title == 2, "half title, a blank verso, then the title page"
    return texts[0], texts[title], texts[title + 1]


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _epub_titlepage(epub: Path) -> str:
    body = documents(epub)["titlepage.xhtml"].find(".//x:body", NS)
    assert body is not None
    return " ".join("".join(body.itertext()).split())


def _epub_copyright(epub: Path) -> list[str]:
    page = documents(epub)["copyright.xhtml"]
    return [" ".join("".join(p.itertext()).split()) for p in page.iterfind(".//x:p", NS)]


# ---------------------------------------------------------------- the title page


@pytest.mark.parametrize("book", ["structure", "french", "essay"])
def test_the_title_page_names_the_author_once_and_the_half_title_the_title_alone(
    book: str, request: pytest.FixtureRequest
) -> None:
    model, files = request.getfixturevalue(book)
    meta = model.meta
    half_title, title_page, _ = _pdf_pages(files[".pdf"], meta.author)
    assert letters(half_title) == letters(meta.title)  # CMOS 1.18: no author, no subtitle
    epub_page = _epub_titlepage(files[".epub"])
    for text in (letters(title_page), letters(epub_page)):
        assert text.count(letters(meta.author)) == 1, book
        assert text.startswith(letters(meta.title + meta.subtitle))
    if imprint(meta):  # the publisher, unless it is the author (the French book, the first)
        assert letters(meta.publisher) in letters(title_page) and meta.publisher in epub_page
    assert imprint(meta) == ("Example Press" if book == "structure" else "")


def test_imprint_is_the_publisher_unless_the_author_publishes(structure) -> None:  # type: ignore[no-untyped-def]
    meta = structure[0].meta
    assert imprint(meta) == "Example Press"
    assert imprint(replace(meta, publisher=" ada  EXAMPLE ")) == ""  # spaces and case aside


# ---------------------------------------------------------------- the copyright page


@pytest.mark.parametrize(("book", "lines"), [("structure", STRUCTURE_LINES), ("french", FRENCH_LINES)])
def test_the_copyright_page_is_complete_and_the_same_in_both_formats(
    book: str, lines: list[str], request: pytest.FixtureRequest
) -> None:
    model, files = request.getfixturevalue(book)
    _, _, printed = _pdf_pages(files[".pdf"], model.meta.author)
    # Print and EPUB carry the same lines, in this order; with an e-book ISBN, no identifier.
    assert _lines(printed) == lines
    assert _epub_copyright(files[".epub"]) == lines
    if book == "structure":  # rights that have their year do not get it a second time
        assert " ".join(_lines(printed)).count("2026") == 1


def test_the_copyright_page_of_the_first_book_has_its_year_and_its_epub_identifier(essay) -> None:  # type: ignore[no-untyped-def]
    book, files = essay
    _, _, printed = _pdf_pages(files[".pdf"], book.meta.author)
    epub = _epub_copyright(files[".epub"])
    assert "Copyright © 2026 Richard Greeman. All rights reserved." in _lines(printed)
    assert "Copyright © 2026 Richard Greeman. All rights reserved." in epub
    identifier = f"EPUB identifier: {book.meta.identifier}"
    assert identifier in epub and "identifier" not in printed  # no ISBN: the EPUB names its own
    assert [line for line in epub if line != identifier] == _lines(printed)


def test_the_copyright_page_keeps_on_one_page_of_a_small_trim(structure) -> None:  # type: ignore[no-untyped-def]
    _, files = structure
    texts = page_texts(files[".pdf"])
    assert " ".join(texts[4].split()) == "For the printers of every town."  # the dedication, next


# ---------------------------------------------------------------- the notice and its year


@pytest.fixture(scope="module")
def meta(tmp_path_factory: pytest.TempPathFactory) -> Metadata:
    root = tmp_path_factory.mktemp("front-matter-meta")
    (root / "book.toml").write_text(book_toml(["one.md"]), encoding="utf-8")
    (root / "one.md").write_text("# One\n\nText.\n", encoding="utf-8")
    return load(root).meta


def _book(meta: Metadata, rights: str, date: str = "", epoch: int = int(EPOCH)) -> Book:
    changed = replace(meta, rights=rights, date=date)
    return Book(meta=changed, sections=(), root=Path("."), source_date_epoch=epoch)


@pytest.mark.parametrize(
    ("rights", "date", "language", "expected"),
    [
        ("Copyright © 2024 A B. All rights reserved.", "2026", "en",
         ["Copyright © 2024 A B. All rights reserved."]),  # its year: never a second one
        ("© 1999–2004 A B", "", "en", ["© 1999–2004 A B"]),
        ("Copyright © A B. All rights reserved.", "2025-12-15", "en",
         ["Copyright © 2025 A B. All rights reserved."]),  # the year after the sign
        ("©A B.", "", "fr", ["© 2026 A B."]),  # no date: the build's year
        ("All rights reserved.", "2025", "en", ["© 2025 A B", "All rights reserved."]),
        ("Tous droits réservés.", "2025", "fr", ["© A B, 2025", "Tous droits réservés."]),
        ("Alle Rechte vorbehalten.", "", "de", ["© 2026 A B", "Alle Rechte vorbehalten."]),
        ("Todos los derechos reservados.", "", "es",
         ["© A B, 2026", "Todos los derechos reservados."]),
    ],
)  # fmt: skip
def test_the_notice_has_its_year_once(
    meta: Metadata, rights: str, date: str, language: str, expected: list[str]
) -> None:
    assert notice(_book(meta, rights, date), labels_for(language)) == expected


def test_the_year_comes_from_the_date_then_the_rights_then_the_build(meta: Metadata) -> None:
    assert copyright_year(_book(meta, "© 1999 A B", "2024-05-01")) == "2024"
    assert copyright_year(_book(meta, "Copyright 1999, A B")) == "1999"
    assert copyright_year(_book(meta, "© A B")) == "2026"  # EPOCH: 2026-01-01
    assert copyright_year(_book(meta, "© A B", epoch=0)) == "1970"


# ---------------------------------------------------------------- glyphs


def test_a_character_of_the_credits_or_of_a_new_label_that_no_face_has_is_caught(tmp_path: Path) -> None:
    """The credits and the e-book's ISBN line are printed: their characters are checked as the
    text's are (the default styles have no CJK face)."""
    config = book_toml(["one.md"], '\n[labels]\nisbn_ebook = "ISBN {isbn} (电子书)"\n').replace(
        'rights = "R"', 'rights = "R"\nisbn_ebook = "9780306406164"\ncredits = ["Cover design: 孙中山"]'
    )
    (tmp_path / "book.toml").write_text(config, encoding="utf-8")
    (tmp_path / "one.md").write_text("# One\n\nText.\n", encoding="utf-8")
    missing = coverage(parse(load(tmp_path), 0), read_fonts(STYLES)).missing
    assert {item.char for item in missing} == set("孙中山电子书")
