"""Running heads and lists in print (issue 16 item 4): the two heads of a spread never say the
same words, every head is set in small capitals (the notes' "Notes to pages" too), and a list's
last item never stands alone at the top of a page."""

from __future__ import annotations

import re
from pathlib import Path
from statistics import median

import pypdfium2 as pdfium
import pytest
from conftest import _built, book_toml
from pdf_tools import head_and_foot, page_texts


def test_the_two_heads_of_a_spread_never_say_the_same_words(essay) -> None:  # type: ignore[no-untyped-def]
    model, files = essay
    heads = [_words(top) for top, _ in head_and_foot(files[".pdf"])]
    spreads = [(heads[i], heads[i + 1]) for i in range(1, len(heads) - 1, 2) if heads[i] and heads[i + 1]]
    assert spreads and all(verso != recto for verso, recto in spreads), spreads
    # Its first chapter has the book's title: the versos over it name the author.
    assert (model.meta.author.lower(), model.meta.title.lower()) in spreads


def test_every_running_head_is_set_in_small_capitals(essay) -> None:  # type: ignore[no-untyped-def]
    """Every letter of every head is as tall as the others (a capital or an ascender set in
    full size is a third taller), the notes' heads among them."""
    _, files = essay
    letters = _head_letters(files[".pdf"])
    assert any(text.startswith("Notes to page") for text, _ in letters), [text for text, _ in letters]
    middle = median(height for _, heights in letters for height in heights)
    for text, heights in letters:
        assert all(0.85 * middle < height < 1.15 * middle for height in heights), (text, heights, middle)


def test_a_list_s_last_item_never_stands_alone_at_the_top_of_a_page(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Chapters of 3 to 10 paragraphs, each then a list of three items and a paragraph, so
    that page turns fall among the lists' items: where a third item begins a page, the second
    is there too. (Without the rule, the six-paragraph chapter's third item stood alone.)"""
    root = tmp_path_factory.mktemp("lists-source")
    (root / "text").mkdir()
    names = [f"text/{count:02}.md" for count in range(3, 11)]
    (root / "book.toml").write_text(book_toml(names, title="Lists"), encoding="utf-8")
    paragraph = (
        "The committees met in the guild hall and talked until late about wages, rifles and the river. " * 3
    )
    for name in names:
        count = int(Path(name).stem)
        items = "".join(f"- Item {i} of list {count}.\n" for i in (1, 2, 3))
        text = "# One\n\n" + "\n\n".join([paragraph.strip()] * count) + f"\n\n{items}\nAfter the list.\n"
        (root / name).write_text(text, encoding="utf-8")
    _, files = _built(tmp_path_factory, root, "lists", ("pdf",))
    texts = [" ".join(text.split()) for text in page_texts(files[".pdf"])]
    page_of = {
        (int(n), int(i)): next(p for p, text in enumerate(texts) if f"Item {i} of list {n}." in text)
        for i, n in re.findall(r"Item (\d) of list (\d+)\.", " ".join(texts))
    }
    assert len(page_of) == 3 * len(names)
    assert any(page_of[(n, 1)] != page_of[(n, 3)] for n in range(3, 11)), "no list meets a page turn"
    for n in range(3, 11):
        assert page_of[(n, 2)] == page_of[(n, 3)], (
            f"list {n}: its last item alone on page {page_of[(n, 3)] + 1}"
        )


def _words(head: str) -> str:
    """A running head's words, without its folio."""
    return " ".join(re.sub(r"\b(\d+|[ivxlc]+)\b", " ", head).split()).lower()


def _head_letters(pdf: Path) -> list[tuple[str, list[float]]]:
    """Each running head's text and the heights of its letters, read from the glyph boxes above
    the text block (the trim's top less the 0.75 in top margin)."""
    document = pdfium.PdfDocument(str(pdf))
    found = []
    for page in document:
        textpage = page.get_textpage()
        line = page.get_trimbox()[3] - 0.75 * 72 + 2
        chars = [
            (textpage.get_text_range(i, 1), textpage.get_charbox(i)) for i in range(textpage.count_chars())
        ]
        head = [(char, top - bottom) for char, (_, bottom, _, top) in chars if bottom > line]
        text = " ".join("".join(char for char, _ in head).split())
        if re.search(r"[^\W\d]", text):
            found.append(
                (re.sub(r"^[\divxlc]+ | [\divxlc]+$", "", text), [h for c, h in head if c.isalpha()])
            )
        textpage.close()
        page.close()
    document.close()
    return found
