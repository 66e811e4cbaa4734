"""Print pages inside the EPUB: a marker where each printed page begins, a page-list, and the
metadata that announces them; each marker is followed by the words its printed page begins with."""

from __future__ import annotations

import re
import zipfile

import pikepdf
import pytest
from epub_tools import EPUB_TYPE, NS, documents, resolve
from pdf_tools import body_texts


def _joined(text: str) -> str:
    text = re.sub(r"[\u2010\u00ad-]\s*\r?\n\s*", "", text)
    return " ".join(text.split())


@pytest.mark.parametrize("book", ["small", "essay"])
def test_every_print_page_has_a_marker_and_a_page_list_entry(
    book: str, request: pytest.FixtureRequest
) -> None:
    _, files = request.getfixturevalue(book)
    docs = documents(files[".epub"])
    with pikepdf.open(files[".pdf"]) as pdf:
        labels = [page.label for page in pdf.pages]
    navs = docs["nav.xhtml"].iter(f"{{{NS['x']}}}nav")
    page_list = next(n for n in navs if n.get(EPUB_TYPE) == "page-list")
    links = [(a.text, a.get("href")) for a in page_list.iter(f"{{{NS['x']}}}a")]
    # Blank pages added at the end for the printer have no marker: there is nothing to mark.
    assert [label for label, _ in links] == labels[: len(links)]
    assert len(links) >= len(labels) - 2
    for label, href in links:
        marker = resolve(docs, "nav.xhtml", href)
        assert marker.get(EPUB_TYPE) == "pagebreak" and marker.get("role") == "doc-pagebreak"
        assert marker.get("aria-label") == label


def _text_after(marker) -> str:  # type: ignore[no-untyped-def]
    """The words that follow a marker in reading order, skipping other markers."""
    pieces = [marker.tail or ""]
    for following in marker.itersiblings():
        pieces.append("".join(following.itertext()))
        pieces.append(following.tail or "")
    parent = marker.getparent()
    while len(" ".join(pieces).split()) < 4 and parent is not None:
        for following in parent.itersiblings():
            pieces.append("".join(following.itertext()))
        parent = parent.getparent()
    words = " ".join(pieces).split()
    return " ".join(words[:3])


@pytest.mark.parametrize("book", ["small", "essay"])
def test_each_marker_stands_before_the_words_its_page_begins_with(
    book: str, request: pytest.FixtureRequest
) -> None:
    _, files = request.getfixturevalue(book)
    docs = documents(files[".epub"])
    with pikepdf.open(files[".pdf"]) as pdf:
        labels = [page.label for page in pdf.pages]
    texts = [_joined(t) for t in body_texts(files[".pdf"])]
    checked = 0
    for name, root in docs.items():
        for marker in root.iter(f"{{{NS['x']}}}span"):
            if marker.get(EPUB_TYPE) != "pagebreak":
                continue
            page = labels.index(marker.get("aria-label"))
            if not texts[page]:
                continue  # a blank page: its marker stands beside the next one
            words = _text_after(marker)
            # Without case (the print sets some headings in small capitals); a page may begin with
            # the end of a word broken at a hyphen, and the marker stands before the whole word.
            word, body = words.split()[0].lower(), texts[page].lower()
            body = re.sub(r"^\d+\. ", "", body)  # a note's number is printed, a list number in the EPUB
            starts = any(body.startswith(word[i:]) for i in range(max(1, len(word) - 2)))
            assert starts, (name, page, words, body[:40])
            checked += 1
    assert checked >= len([t for t in texts if t]) - 1


def test_package_announces_page_navigation(essay) -> None:  # type: ignore[no-untyped-def]
    model, files = essay
    opf = zipfile.ZipFile(files[".epub"]).read("OEBPS/content.opf").decode()
    assert '<meta property="schema:accessibilityFeature">pageNavigation</meta>' in opf
    assert '<meta property="schema:accessibilityFeature">pageBreakMarkers</meta>' in opf
    assert '<meta property="pageBreakSource">' in opf and "<dc:source>" in opf
    assert "printPageNumbers" not in opf


def test_small_book_page_break_source_is_its_isbn(small) -> None:  # type: ignore[no-untyped-def]
    _, files = small
    opf = zipfile.ZipFile(files[".epub"]).read("OEBPS/content.opf").decode()
    assert '<meta property="pageBreakSource">urn:isbn:9780306406157</meta>' in opf
