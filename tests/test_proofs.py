"""Proofs (issue 16 item 3): ``book build --proof`` prints every open query where it stands and
lists them at the end with their pages; the press PDF, the EPUB and a release know nothing of it.

Asserted from the printed PDF's text, page by page (pdfium), and the preview's pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, STYLES, quiet_layout
from epub_tools import documents
from pdf_tools import letters, page_texts
from starlette.testclient import TestClient

from build_tools.build import Project, build
from build_tools.checks.preflight import preflight
from build_tools.cli import main
from build_tools.design.profiles import PROFILES
from build_tools.errors import BookError
from build_tools.model import Book, Query

MARKER = re.compile(r"\bQ(\d+)\b")
LISTED = re.compile(r"\bQ(\d+) \(p\. ([0-9ivxlc]+)\)")
SLUG = "Uncorrected proofs: not for press"


@pytest.fixture(scope="module")
def proof(tmp_path_factory: pytest.TempPathFactory) -> tuple[Book, Path]:
    """The first book's proof PDF, no WeasyPrint warning on the way."""
    out = tmp_path_factory.mktemp("proof")
    with quiet_layout():
        book, written = build(Project(ROOT / "manuscript", STYLES, out), ("pdf",), proof=True)
    assert [path.name for path in written] == [f"{book.meta.slug}-proof.pdf"]
    return book, written[0]


def _labels(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as document:
        return [str(page.label) for page in document.pages]


def _listed(texts: list[str]) -> tuple[int, dict[int, str]]:
    """The index of the first page of "Open queries", and each number's page as listed."""
    start = next(i for i, text in enumerate(texts) if text.lstrip().startswith("Open queries"))
    found = [(int(n), page) for n, page in LISTED.findall(" ".join(texts[start:]))]
    return start, dict(found)


def _queried(book: Book, query: Query) -> str:
    """What the proof prints as the text of a query: the chronology entry's date for one of
    chronology.yaml."""
    if query.event:
        return next(event.label for event in book.chronology if event.id == query.event)
    return query.text


def test_every_query_is_printed_on_the_page_of_its_text(proof: tuple[Book, Path]) -> None:
    book, pdf = proof
    assert len(book.queries) == 53  # what `book check --source manuscript` counts
    texts, labels = page_texts(pdf), _labels(pdf)
    start, listed = _listed(texts)
    assert sorted(listed) == list(range(1, 54))  # every query listed once, in order
    for number, label in listed.items():
        page = labels.index(label)
        before = texts[:start]
        # The marker: its first appearance is in the text (the note follows it).
        first = next(i for i, text in enumerate(before) if str(number) in MARKER.findall(text))
        assert first == page, (number, label)
        # Its words at the foot of that page, never moved on (proofs.py's docstring).
        words = letters(_comment(book, texts, start, number))[:60]
        assert words in letters(texts[page]), number
        assert page + 1 == start or str(number) not in MARKER.findall(texts[page + 1]), number
    # Each query's text (its last letters: it may begin on the page before) on the page listed.
    printed = {n: texts[labels.index(label)] for n, label in listed.items()}
    for query in book.queries:
        tail = letters(_queried(book, query))[-8:]
        assert any(tail in letters(text) for text in printed.values()), query


def _comment(book: Book, texts: list[str], start: int, number: int) -> str:
    """The words of query ``number``, as the list at the end prints them (they are the
    manuscript's: the list names them with the text)."""
    listing = " ".join(texts[start:])
    after = listing.split(f"Q{number} (p. ", 1)[1]
    end = re.search(rf"\bQ{number + 1} \(p\. ", after)
    entry = after[: end.start()] if end else after
    comments = [q.comment for q in book.queries if letters(q.comment) in letters(entry)]
    assert comments, number
    return max(comments, key=len)  # "TK: …" and "TK: … (asterisk after …)" both begin alike


def test_the_list_gives_each_query_its_page_text_and_words(proof: tuple[Book, Path]) -> None:
    book, pdf = proof
    texts = page_texts(pdf)
    start, listed = _listed(texts)
    listing = letters(" ".join(texts[start:]))
    for query in book.queries:
        assert letters(query.comment) in listing, query
        if query.text and not query.event:
            assert letters(query.text) in listing
    assert listed[1] == "3"  # the first query: the colon on page 3 of the first chapter
    # The queries of the notes come after the chronology's, in the book's order.
    note_query = next(q for q in book.queries if "wording follows (1963" in q.comment)
    chronology = [listing.index(letters(q.comment)) for q in book.queries if q.event]
    assert listing.index(letters(note_query.comment)) > max(chronology)


def test_the_proof_is_marked_and_fails_the_printers_preflight(proof: tuple[Book, Path]) -> None:
    _, pdf = proof
    texts = page_texts(pdf)
    assert all(SLUG in text for text in texts[1:])  # every page but the half title's own blank
    kdp = {r.check: r for r in preflight(pdf, PROFILES["kdp"], 6, 9)}
    assert not kdp["not a proof"].passed and "not for press" in kdp["not a proof"].detail


def test_the_press_pdf_shows_no_query(essay, proof: tuple[Book, Path]) -> None:  # type: ignore[no-untyped-def]
    book, _ = proof
    _, files = essay
    press = letters(" ".join(page_texts(files[".pdf"])))
    for query in book.queries:
        assert letters(query.comment)[:40] not in press, query
    assert letters(SLUG) not in press and "Open queries" not in " ".join(page_texts(files[".pdf"]))
    results = {r.check: r for r in preflight(files[".pdf"], PROFILES["kdp"], 6, 9)}
    assert results["not a proof"].passed


def test_the_epub_never_shows_a_query(small) -> None:  # type: ignore[no-untyped-def]
    book, files = small
    shown = " ".join(" ".join(tree.itertext()) for tree in documents(files[".epub"]).values())
    assert book.queries and all(query.comment not in shown for query in book.queries)


def test_proof_and_release_together_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", "pdf", "--source", str(FIXTURES / "small"), "--out", str(out), "--proof", "--release"]
    )
    assert result.exit_code == 2 and "--proof" in result.output and "--release" in result.output
    assert not out.exists()
    with pytest.raises(BookError):
        build(Project(FIXTURES / "small", STYLES, out), ("pdf",), release=True, proof=True)
    result = CliRunner().invoke(main, ["build", "epub", "--source", str(FIXTURES / "small"), "--proof"])
    assert result.exit_code == 2 and "never a proof" in result.output
    # A release still refuses the open queries, whatever the proofs.
    result = CliRunner().invoke(
        main, ["build", "epub", "--source", str(FIXTURES / "small"), "--out", str(out), "--release"]
    )
    assert result.exit_code == 1 and "release build refused" in result.output


def test_the_proof_never_replaces_the_press_pdf(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["build", "pdf", "--source", str(FIXTURES / "small"), "--out", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    press = (out / "small-book.pdf").read_bytes()
    result = CliRunner().invoke(main, [*args, "--proof"])
    assert result.exit_code == 0, result.output
    assert f"wrote {out / 'small-book-proof.pdf'}" in result.output
    assert "the press PDF is not replaced" in result.output
    assert (out / "small-book.pdf").read_bytes() == press
    texts = page_texts(out / "small-book-proof.pdf")
    assert any("Year to be confirmed" in text for text in texts)  # the text's query
    assert any("Check the month" in text for text in texts)  # the chronology's


def test_the_preview_shows_the_queries(client: TestClient) -> None:
    section = client.get("/section-001.html").text
    assert 'class="query preview-query" data-query="Year to be confirmed"' in section
    assert 'title="Editorial query: Year to be confirmed"' in section
    assert (
        '<span class="preview-query-note" role="note">Editorial query: Year to be confirmed</span>' in section
    )
    chronology = client.get("/chronology.html").text
    assert "Editorial query: Check the month" in chronology
