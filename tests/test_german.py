"""A German book (issue 13; tests/manuscripts/german): every word the toolchain writes is
German, the index is in German order (ICU's collation of ``de``), the slug keeps the title's
letters, the ISBN is printed hyphenated by its range, and both files pass their checks."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from conftest import _built
from epub_tools import EPUB_TYPE, NS, documents
from lang_tools import english_words, epub_text, pdf_text
from lang_tools import package as package_of
from pdf_tools import head_and_foot, page_texts
from validators import ace, epubcheck, format_messages, format_violations, problems

from build_tools.lang.catalogues import GERMAN
from build_tools.lang.collation import collation

SOURCE = Path(__file__).resolve().parent / "manuscripts" / "german"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SLUG = "uber-bucher-und-ihre-drucker"  # "Über Bücher und ihre Drucker": ü gives u, no letter lost
# German order, as ICU's ``de`` collation gives it (DIN 5007-1, the dictionary order): ü is u
# and ö is o with an accent, ß is ss; Chicago's letter by letter up to the comma, then the rest.
INDEX = [
    "Mann, Elisabeth",
    "Miller, Paul",  # a See entry, in its place
    "Mueller, Paul",  # mue… before mul…: the e is a letter here
    "Müller, Johann",  # ü as u: "muller"
    "Oehler, Franz",  # oe… before oh…
    "Öhler, Karl",  # ö as o: "ohler", before "ohm"
    "Ohm, Friederike",
    "Strauss, Anton",  # ß as ss: the same letters as Strauß, so the forenames decide
    "Strauß, Johann",
    "Übel, Max",  # Ü with U, not after Z
    "Ulm, Berta",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _built(tmp_path_factory, SOURCE, "german")


def _folio(pdf: Path, words: str) -> int:
    """The folio of the page that prints ``words``: arabic 1 is the first chapter's first page."""
    texts = [" ".join(t.split()) for t in page_texts(pdf)]
    first = next(i for i, t in enumerate(texts) if t.startswith("Die Werkstatt in der Schustergasse"))
    return next(i for i, t in enumerate(texts) if words in t) - first + 1


def _index_page(pdf: Path) -> str:
    (text,) = [" ".join(t.split()) for t in page_texts(pdf) if t.lstrip().startswith("Personenregister")]
    return text


# ---------------------------------------------------------------- files, ISBN, language


def test_the_files_are_named_after_the_title_with_its_letters(built) -> None:  # type: ignore[no-untyped-def]
    book, files = built
    assert book.meta.slug == SLUG
    assert {path.name for path in files.values()} == {f"{SLUG}.epub", f"{SLUG}.pdf"}


def test_the_isbn_is_printed_hyphenated_by_its_range(built) -> None:  # type: ignore[no-untyped-def]
    book, files = built
    assert book.meta.isbn_print == "9783801234560"  # book.toml writes it without hyphens
    (copyright_page,) = [" ".join(t.split()) for t in page_texts(files[".pdf"]) if "ISBN" in t]
    assert "ISBN 978-3-8012-3456-0 (Broschur)" in copyright_page  # group 3, publisher 8012
    assert "Erschienen bei Verlag Schustergasse" in copyright_page
    assert "Gesetzt aus der EB Garamond." in copyright_page
    copyright_doc = " ".join("".join(documents(files[".epub"])["copyright.xhtml"].itertext()).split())
    assert "ISBN 978-3-8012-3456-0 (Broschur)" in copyright_doc
    source = package_of(files[".epub"]).find(".//{http://purl.org/dc/elements/1.1/}source")
    assert source is not None and source.text == "urn:isbn:9783801234560"


def test_every_document_is_german_and_a_latin_phrase_latin(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    package = package_of(files[".epub"])
    assert package.get(XML_LANG) == "de"
    assert package.findtext(".//{http://purl.org/dc/elements/1.1/}language") == "de"
    docs = documents(files[".epub"])
    for name, tree in docs.items():
        assert tree.get("lang") == tree.get(XML_LANG) == "de", name
    (motto,) = docs["section-001.xhtml"].xpath("//x:span[@lang='la']", namespaces=NS)
    assert motto.get(XML_LANG) == "la" and motto.text == "Ars artium omnium conservatrix"
    with pikepdf.open(files[".pdf"]) as pdf:  # WeasyPrint's /Lang is the print HTML's lang
        assert str(pdf.Root.Lang) == "de"


# ---------------------------------------------------------------- the index


def test_the_index_is_in_german_order(built) -> None:  # type: ignore[no-untyped-def]
    book, files = built
    assert sorted(INDEX, key=collation("de").key) == INDEX
    index = documents(files[".epub"])["index.xhtml"]
    entries = [e for e in index.iter(f"{{{NS['x']}}}li") if e.get(EPUB_TYPE) == "index-entry"]
    terms = [next(t for t in e.iter() if t.get(EPUB_TYPE) == "index-term").text for e in entries]
    assert terms == INDEX
    assert [h.text for h in index.iter(f"{{{NS['x']}}}h2")] == ["M", "O", "S", "U"]  # Ü under U
    printed = _index_page(files[".pdf"])
    places = [printed.find(heading) for heading in INDEX]
    assert -1 not in places and places == sorted(places), list(zip(INDEX, places, strict=True))
    # A note's locator: the folio of the page its note is printed on, and the note's number.
    assert f"Übel, Max (Schriftgießer), 3, 5, {_folio(files['.pdf'], '1. Die Rechnung')} Anm. 1 " in printed
    assert "Miller, Paul. Siehe Mueller, Paul" in printed
    assert re.search(r"Müller, Johann \(Buchdrucker\), [\d, ]+\. Siehe auch Mueller, Paul", printed)


# ---------------------------------------------------------------- German words only


def test_no_english_word_of_ours_in_the_epub_or_the_pdf(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    words = english_words(GERMAN)
    assert {"contents", "see", "also", "published", "chronology", "notes", "index", "page"} <= words
    for text in (epub_text(files[".epub"]), pdf_text(files[".pdf"])):
        found = {w for w in words if re.search(rf"\b{w}\b", text, re.IGNORECASE)}
        assert not found, found


def test_the_epub_has_the_german_titles_landmarks_and_labels(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    docs = documents(files[".epub"])
    titles = {name: " ".join(tree.findtext(".//{*}title").split()) for name, tree in docs.items()}
    assert [titles[n] for n in ("nav.xhtml", "notes.xhtml", "index.xhtml", "chronology.xhtml")] == [
        "Inhalt", "Anmerkungen", "Personenregister", "Zeittafel"
    ]  # fmt: skip
    text = " ".join(epub_text(files[".epub"]).split())
    for words in ("Orientierungspunkte", "Titelseite", "Seitenliste", "Impressum",
                  "Zurück zur Anmerkungsziffer 1",
                  "Diese Publikation hat ein Inhaltsverzeichnis"):  # fmt: skip
        assert words in text, words
    # The chronology's link to its passage: the print page, as the PDF has it (issue 16 item 2).
    assert re.search(r"Johann Müller übernimmt die Werkstatt seines Vaters\. \(S\.\s1\s*\)", text)


def test_the_pdf_has_the_german_heads_and_page_references(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    text = " ".join(pdf_text(files[".pdf"]).split())
    for words in ("Inhalt", "Zeittafel", "Anmerkungen", "Personenregister"):
        assert words in text, words
    assert re.search(r"März 1848 Johann Müller übernimmt die Werkstatt seines Vaters\. \(S\.\s1\)", text)
    heads = [head for head, _ in head_and_foot(files[".pdf"]) if "Anmerkungen" in head]
    assert heads and all(
        re.fullmatch(r"(\d+ )?Anmerkungen zu (Seite \d+|den Seiten \d+–\d+)( \d+)?", h) for h in heads
    ), heads


@pytest.mark.xfail(
    strict=True,
    reason="layout/html.py sets the head with string-set on the note's div, and WeasyPrint assigns "
    "it again on the next page when the note runs over: a notes page that a long note continues "
    "onto is headed by that note's page alone (here 'Anmerkungen zu Seite 1', not '… 1–3')",
)
def test_a_notes_page_is_headed_by_the_pages_its_notes_are_cited_on(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    texts = [" ".join(t.split()) for t in page_texts(files[".pdf"])]
    heads = [head for head, _ in head_and_foot(files[".pdf"])]
    # The second notes page: note 1 of the first chapter runs onto it, and the notes cited on
    # pages 1 (the first chapter's second) and 3 (the second chapter's) begin on it.
    (page,) = [i for i, t in enumerate(texts) if t.startswith("Wer die Kalender nebeneinanderlegt")]
    assert "2. Der Spruch stammt" in texts[page] and "1. Die Rechnung" in texts[page]
    assert heads[page] == f"{_folio(files['.pdf'], 'Wer die Kalender')} Anmerkungen zu den Seiten 1–3"


def test_the_pages_are_where_a_book_puts_them(built) -> None:  # type: ignore[no-untyped-def]
    """Looked at with ``pdftoppm -png -r 50``: half title, title, copyright, contents, the two
    chapters each on a recto, then the chronology, the notes and the index, each on a recto."""
    _, files = built
    texts = [" ".join(t.split()) for t in page_texts(files[".pdf"])]
    assert len(texts) % 2 == 0
    starts = {}
    for title in ("Inhalt", "Die Werkstatt in der Schustergasse", "Briefe aus Wien", "Zeittafel",
                  "Anmerkungen", "Personenregister"):  # fmt: skip
        starts[title] = next(i for i, t in enumerate(texts) if t.lower().startswith(title.lower()))
        assert starts[title] % 2 == 0, (title, starts[title])  # page index 0 is page 1, a recto
    assert list(starts.values()) == sorted(starts.values())
    assert texts[0] == "Über Bücher und ihre Drucker" and texts[2].startswith("Über Bücher und ihre Drucker")


# ---------------------------------------------------------------- validators


def test_the_german_book_passes_epubcheck_and_ace(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    assert problems(found := epubcheck(files[".epub"])) == [], format_messages(found)
    assert (violations := ace(files[".epub"], tmp_path / "ace")) == [], format_violations(violations)


# ---------------------------------------------------------------- typography


def test_straight_quotes_are_set_as_german_ones(built) -> None:  # type: ignore[no-untyped-def]
    """„…“ and ‚…‘ from the manuscript's straight quotes, the note call after the punctuation
    (and the closing quote), in both files."""
    _, files = built
    text = " ".join(
        " ".join(tree.itertext())
        for name, tree in documents(files[".epub"]).items()
        if name.startswith("section")
    )
    assert "„mit dem Kopf und nicht mit dem Herzen“ setzen.\u2060" in text
    assert "‚das Gewissen des Hauses‘, und" in text and "‚nicht erschrecken‘, wenn" in text
    assert "„in ihnen lesen konnte wie in einem Spiegel“." in text
    assert '"' not in text and "'" not in text
    printed = " ".join(" ".join(page_texts(files[".pdf"])).split())
    assert "„mit dem Kopf und nicht mit dem Herzen“" in printed
