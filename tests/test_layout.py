"""The print layout as a stage: what it reads from WeasyPrint's boxes, and what it returns.

``build_tools.layout.boxes`` is the one module that reads WeasyPrint's private box tree; the
first tests pin the behaviour it relies on with tiny documents laid out here (what
``build_tools/layout/weasy.py``'s hyphenation hook relies on: tests/test_hyphenation.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import TextBox

from build_tools import ids
from build_tools.build import Project, read_book
from build_tools.layout.boxes import page_texts, paragraphs
from build_tools.layout.folios import first_pages
from build_tools.layout.paginate import lay_out
from build_tools.model import PrintLayout
from build_tools.textpos import Place, index_of_letter, insert_at, letters, places

ROOT = Path(__file__).resolve().parent.parent
SMALL = Path(__file__).resolve().parent / "fixtures" / "small"

# A page that holds about a dozen lines: a long paragraph runs over three pages.
LONG = " ".join(f"word{n:03d}" for n in range(400))
TINY = (
    "<style>@page { size: 3in 3in; margin: 0.5in } p { margin: 0; font-size: 10pt }"
    " .num::before { content: 'GENERATED ' } ol { margin: 0 }</style>"
)


def _pages(body: str):  # type: ignore[no-untyped-def]
    return HTML(string=f"<html><head>{TINY}</head><body>{body}</body></html>").render().pages


def test_letters_of_a_paragraph_across_pages_add_up_and_first_offsets_follow() -> None:
    pages = _pages(f'<p id="a">{LONG}</p><p id="b">After.</p>')
    texts = page_texts(pages)
    assert len(pages) >= 3
    assert sum(text.counts.get("a", 0) for text in texts) == letters(LONG)
    before = 0
    for text in texts:
        target, offset = text.first
        if target == "a":
            assert offset == before  # the letters of "a" on the earlier pages
        before += text.counts.get("a", 0)
    assert texts[0].first == ("a", 0)


def test_generated_content_markers_and_skipped_classes_count_nothing() -> None:
    pages = _pages(
        '<p id="a" class="num">One <span class="skip">123</span> two</p><ol id="l"><li id="i">Item</li></ol>'
    )
    counts = page_texts(pages)[0].counts
    assert counts == {"a": letters("One 123 two"), "l": 4, "i": 4}  # no "GENERATED", no "1."
    assert page_texts(pages, frozenset({"skip"}))[0].counts["a"] == letters("One two")


def test_first_pages_are_read_from_the_public_anchors() -> None:
    pages = _pages(f'<p id="a">{LONG}</p><p id="b">After.</p>')
    found = first_pages(pages)
    assert found["a"] == 0 and found["b"] == len(pages) - 1


# Pages of one line each, 1.4 in wide: every page turn is a line's end.
ONE_LINE = (
    '<html lang="en"><head><style>@page {{ size: 1.6in 0.34in; margin: 0.1in }}'
    " p {{ margin: 0; font-size: 10pt; line-height: 12pt; text-align: justify; {css} }}</style></head>"
    '<body><p id="a">{text}</p></body></html>'
)


def _line_ends(css: str, text: str) -> list[tuple[str, bool]]:
    """Each page's line, as its text boxes hold it, and whether ``page_texts`` says it ends
    with a hyphen the layout added."""
    pages = HTML(string=ONE_LINE.format(css=css, text=text)).render().pages
    lines = [
        "".join(box.text for box in page._page_box.descendants() if isinstance(box, TextBox))
        for page in pages
    ]
    return list(zip(lines, [text.hyphenated for text in page_texts(pages)], strict=True))


def test_a_page_that_ends_with_a_word_the_layout_hyphenated_is_told_by_its_last_text_box() -> None:
    words = " ".join(["representative", "strength", "representative", "a"] * 12)
    for css, mark in (("hyphens: auto", "\u2010"), ("hyphens: auto; hyphenate-character: '='", "=")):
        ends = _line_ends(css, words)
        assert any(hyphenated for _, hyphenated in ends) and not all(hyphenated for _, hyphenated in ends)
        assert all(hyphenated == line.endswith(mark) for line, hyphenated in ends), ends
    # A hyphen of the text at a page's end splits its word across the turn too (keeps.py keeps
    # it whole): it is told as the layout's are, and only there.
    ends = _line_ends("hyphens: manual", " ".join(["Chiang Kai-shek's", "representatives"] * 12))
    assert any(line.endswith("Kai-") for line, _ in ends)
    assert all(hyphenated == line.endswith("Kai-") for line, hyphenated in ends), ends


def test_a_paragraph_tells_its_lines_per_page_its_turns_and_its_hyphenated_lines() -> None:
    """``paragraphs``: a justified paragraph across pages of one line each is read whole, with
    its lines on each page, the lines that end a page, and the lines that end with a hyphen."""
    words = " ".join(["representative", "strength", "representative", "a"] * 6)
    pages = HTML(string=ONE_LINE.format(css="hyphens: auto", text=words)).render().pages
    paragraph = paragraphs(pages, 1 / 3)["a"]
    assert paragraph.lines == len(pages) > 3
    assert paragraph.parts == tuple((n, 1) for n in range(len(pages)))
    assert paragraph.turns() == list(range(len(pages) - 1))
    ends = [text.hyphenated for text in page_texts(pages)]
    assert paragraph.hyphenated == {n for n, hyphenated in enumerate(ends) if hyphenated} != set()


def test_places_count_letters_in_the_innermost_element_with_an_id() -> None:
    tree = etree.fromstring(
        '<div id="s"><p id="p">Ab, <span id="ix-1">Cd</span> <b>e</b>f <span id="ixr-2"></span>g</p></div>'
    )
    found = places(tree, ids.is_mention, lambda element: False)
    assert found == {"ix-1": Place("p", 2, 2), "ixr-2": Place("p", 6, 0)}


def test_a_letter_offset_is_found_again_at_the_start_of_its_word() -> None:
    element = etree.fromstring("<p>One “two” <i>three</i> four</p>")
    assert index_of_letter(element, 0) == 0
    assert index_of_letter(element, 3) == 4  # "two", before its opening quote
    assert index_of_letter(element, 7) == 10  # "three", inside <i>
    assert index_of_letter(element, 9) == 10  # a page that begins inside a word: its start
    marker = etree.Element("span")
    insert_at(element, index_of_letter(element, 7), marker)
    # at the end of the text before the word: before the <i> that holds it
    assert etree.tostring(element, encoding="unicode") == "<p>One “two” <span/><i>three</i> four</p>"


@pytest.fixture(scope="module")
def small_layout() -> PrintLayout:
    book = read_book(Project(SMALL, ROOT / "styles", SMALL / "unused"))
    return lay_out(book, ROOT / "styles")


def test_the_layout_places_every_part_heading_note_reference_anchor_and_mention(
    small_layout: PrintLayout,
) -> None:
    book = read_book(Project(SMALL, ROOT / "styles", SMALL / "unused"))
    wanted = [s.id for s in book.sections] + [ids.NOTES, ids.INDEX, ids.CHRONOLOGY]
    wanted += [n.id for n in book.notes] + [n.ref_id() for n in book.notes]
    wanted += [ids.anchor(a) for s in book.sections for a, _ in s.anchors]
    wanted += [m.id for m in book.mentions]
    missing = [name for name in wanted if name not in small_layout.places]
    assert missing == []
    first = small_layout.first_text_page
    assert small_layout.places[ids.section(1)] == first
    assert [small_layout.label(i) for i in range(first + 1)][-1] == "1"
    assert small_layout.label(0) == "i"


def test_the_layout_holds_its_pages_for_the_pdf_writer(small_layout: PrintLayout) -> None:
    rendered = small_layout.rendered
    assert len(rendered.pages) == len(small_layout.pages)  # type: ignore[attr-defined]
    assert len(small_layout.pages) % 2 == 0  # the printer's even page count, padded
    labels = [page.label for page in small_layout.pages]
    assert len(set(labels)) == len(labels)
