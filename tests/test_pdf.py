"""The print PDF: trim, fonts, outline, metadata, contents and running heads on the real pages."""

from __future__ import annotations

import re

import pikepdf
import pytest
from pdf_tools import head_and_foot, internal_links, outline, page_texts, unembedded_fonts

from build_tools.lang.numbers import page_range

TRIM_6X9 = [0, 0, 432, 648]


@pytest.mark.parametrize("book", ["small", "essay"])
def test_every_page_is_the_trim_size_and_every_font_embedded(
    book: str, request: pytest.FixtureRequest
) -> None:
    _, files = request.getfixturevalue(book)
    with pikepdf.open(files[".pdf"]) as pdf:
        assert {tuple(float(v) for v in page.TrimBox) for page in pdf.pages} == {tuple(TRIM_6X9)}
        # KDP (the default profile): 0.125 in of bleed on the outer edges, none at the spine.
        assert [float(v) for v in pdf.pages[0].MediaBox] == [0, -9, 441, 657]
        assert [float(v) for v in pdf.pages[1].MediaBox] == [-9, -9, 432, 657]
    assert unembedded_fonts(files[".pdf"]) == []


def test_metadata_and_outline(small) -> None:  # type: ignore[no-untyped-def]
    model, files = small
    with pikepdf.open(files[".pdf"]) as pdf:
        assert str(pdf.docinfo["/Title"]) == "A Small Book"
        assert str(pdf.docinfo["/Author"]) == "Ada Example"
        assert str(pdf.Root.Lang) == "en"
    assert outline(files[".pdf"]) == [
        ("Contents", []),
        ("The First Chapter", ["A Subhead"]),
        ("The Second Chapter", []),
        ("Chronology", []),
        ("Notes", ["The First Chapter", "The Second Chapter"]),
        ("Index of Names", []),
    ]


def folio_pages(files) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Printed folio -> page index, read from the heads and feet of the pages."""
    found = {}
    for index, (top, bottom) in enumerate(head_and_foot(files[".pdf"])):
        for text in (top, bottom):
            for token in re.findall(r"\b([0-9]+|[ivxlc]+)\b", text):
                found.setdefault(token, index)
    return found


@pytest.mark.parametrize("book", ["small", "essay"])
def test_contents_page_numbers_lead_to_the_sections(book: str, request: pytest.FixtureRequest) -> None:
    model, files = request.getfixturevalue(book)
    texts = page_texts(files[".pdf"])
    contents = next(t for t in texts if t.lstrip().lower().startswith("contents"))
    folios = folio_pages(files)
    for section in model.sections:
        line = next(line for line in contents.splitlines() if line.startswith(section.title[:20]))
        folio = re.search(r"(\d+)\s*$", line)[1]
        page = texts[folios[folio]]
        assert section.title[:20] in " ".join(page.split()), f"{section.title} not on page {folio}"


@pytest.mark.parametrize("book", ["small", "essay"])
def test_sections_open_on_recto_with_no_running_head(book: str, request: pytest.FixtureRequest) -> None:
    model, files = request.getfixturevalue(book)
    texts = [" ".join(t.split()) for t in page_texts(files[".pdf"])]
    heads = head_and_foot(files[".pdf"])
    for section in model.sections:
        index = next(i for i, t in enumerate(texts) if section.title in t and i > 4)
        assert index % 2 == 0, f"{section.title} opens on a verso (page index {index})"
        assert heads[index][0] == "", f"running head on the opener of {section.title}"
    for index, text in enumerate(texts):
        if not text.strip():
            assert heads[index] == ("", ""), f"blank page {index + 1} has a head or folio"


def test_running_heads_verso_book_recto_section(essay) -> None:  # type: ignore[no-untyped-def]
    model, files = essay
    heads = head_and_foot(files[".pdf"])
    texts = [" ".join(t.split()) for t in page_texts(files[".pdf"])]
    index_opens = next(i for i, text in enumerate(texts) if i > 4 and text.startswith("Index of Names"))
    checked = 0
    for index, (top, _) in enumerate(heads):
        if not top or "notes to page" in top.lower():
            continue
        words = top.lower()
        if index % 2 == 1:  # a verso: the book's title, or the author's over a section so titled
            assert model.meta.title.lower() in words or model.meta.author.lower() in words, (index, top)
        else:
            titles = [s.title for s in model.sections] + ["Chronology", "Index of Names"]
            assert any(title.lower() in words for title in titles), (index, top)
        if index >= index_opens:  # the index's pages: "(continued)" heads above, the folio below
            assert re.search(r"\d", heads[index][1] or ""), f"no folio at the foot of index page {index + 1}"
        else:
            assert re.search(r"\d", top), f"no folio in the head of page {index + 1}"
        checked += 1
    assert checked >= 4
    assert not any(heads[i][0] for i in range(4)), "a head on the half title, title or copyright page"
    assert texts[0].strip() == model.meta.title


def test_notes_heads_name_the_pages_of_their_references(essay) -> None:  # type: ignore[no-untyped-def]
    """Each notes page's head gives the first and last text page its notes are referenced from,
    read from the PDF itself: the notes' links back to their references and the printed folios."""
    model, files = essay
    heads = head_and_foot(files[".pdf"])
    folio_of = {index: folio for folio, index in folio_pages(files).items() if folio.isdigit()}
    back_links: dict[int, list[int]] = {}
    for page, name, target in internal_links(files[".pdf"]):
        if name.startswith("noteref-"):
            back_links.setdefault(page, []).append(int(folio_of[target]))
    assert sum(len(v) for v in back_links.values()) == len(model.notes)
    checked = 0
    for page, cited in back_links.items():
        top = heads[page][0]
        if not top:  # the opening page of the notes carries no head
            continue
        first, last = min(cited), max(cited)
        noun = "page" if first == last else "pages"
        assert f"Notes to {noun} {page_range(first, last, 'en')}" in top, (page, top, cited)
        checked += 1
    assert checked >= 1


def test_note_links_go_both_ways(essay) -> None:  # type: ignore[no-untyped-def]
    model, files = essay
    links = internal_links(files[".pdf"])
    to_notes = {name for _, name, _ in links if name.startswith("note-")}
    to_refs = {name for _, name, _ in links if name.startswith("noteref-")}
    assert to_notes == {note.id for note in model.notes}
    assert to_refs == {note.ref_id() for note in model.notes}
