"""A long book's PDF is complete (issue 18 item 5): the first book's essay sixteen times over,
more than 300 pages, laid out in parts by two worker processes and joined, read back with
pdfium. WeasyPrint is reported to have cut a very long flow at some page without an error (a
public project's 8.7 MB body ended at page 120): here every section's last words are printed on
the pages the contents gives it, the last page is where the contents' last entry says the last
section begins and runs on to, and the index's last entry is printed on the index's last page."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, STYLES, quiet_layout
from lxml import etree
from pdf_tools import body_texts, letters, page_texts

from build_tools.build import Project, build
from build_tools.checks.pagecheck import check_pages
from build_tools.index.entries import entries
from build_tools.model import Book

COPIES = 16  # a copy is 18 pages of text: 16 make a book of more than 300 pages
LAST_WORDS = 8


def long_manuscript(dest: Path, copies: int = COPIES) -> Path:
    """The first book's manuscript with its sections ``copies`` times over, in order; each copy's
    titles numbered and its anchors made its own (the chronology links the first copy's)."""
    source = ROOT / "manuscript"
    config = tomllib.loads((source / "book.toml").read_text(encoding="utf-8"))
    files: list[str] = config["contents"]["files"]
    shutil.copytree(source, dest)
    names = []
    for copy in range(1, copies + 1):
        for name in files:
            text = (source / name).read_text(encoding="utf-8")
            text = re.sub(r"^# (.*)$", rf"# \1 ({copy})", text, count=1, flags=re.M)
            if copy > 1:
                text = re.sub(r"\{#([\w-]+)\}", rf"{{#\1-{copy}}}", text)
            names.append(f"text/{copy:02d}-{Path(name).name}")
            (dest / names[-1]).write_text(text, encoding="utf-8")
    for name in files:
        (dest / name).unlink()
    toml = (source / "book.toml").read_text(encoding="utf-8")
    listed = "files = [" + ", ".join(f'"{name}"' for name in names) + "]"
    (dest / "book.toml").write_text(re.sub(r"^files\s*=\s*\[.*?\]", listed, toml, flags=re.M | re.S))
    return dest


@pytest.fixture(scope="module")
def long_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Book, Path]:
    folder = tmp_path_factory.mktemp("long")
    project = Project(long_manuscript(folder / "manuscript"), STYLES, folder / "dist")
    with quiet_layout():  # in parts, by two workers (issue 18 item 1): each part's end is printed
        book, written = build(project, ("pdf",), jobs=2)
    return book, written[0]


CONTENTS_LINE = re.compile(r"^(?P<title>.+?)\s*(?:\.\s*){3,}(?P<folio>\d+)$")


def contents(texts: list[str]) -> list[tuple[str, str]]:
    """The contents' entries, (title, folio), from its pages: the first page that opens with
    "Contents" and the pages after it while their lines have dot leaders."""
    first = next(i for i, text in enumerate(texts) if text.lstrip().lower().startswith("contents"))
    found: list[tuple[str, str]] = []
    for text in texts[first:]:
        lines = [m for line in text.splitlines() if (m := CONTENTS_LINE.match(" ".join(line.split())))]
        if not lines:
            break
        found += [(m["title"], m["folio"]) for m in lines]
    return found


def last_words(paragraph: str) -> str:
    return letters(" ".join(paragraph.split()[-LAST_WORDS:]))


class Printed:
    """The PDF's pages: each page's text-block letters, its folio, and the page of a folio."""

    def __init__(self, pdf: Path) -> None:
        self.texts = page_texts(pdf)
        self.blocks = [letters(text) for text in body_texts(pdf)]
        self.folios = _labels(pdf)
        assert len(self.folios) == len(self.texts) == len(self.blocks)

    def page(self, folio: str) -> int:
        assert folio in self.folios, f"no page {folio}: the PDF ends at page {self.folios[-1]}"
        return self.folios.index(folio)

    def between(self, first: int, end: int) -> str:
        return "".join(self.blocks[first:end])


def _labels(pdf: Path) -> list[str]:
    import pikepdf

    with pikepdf.open(pdf) as document:
        return [str(page.label) for page in document.pages]


@pytest.fixture(scope="module")
def printed(long_book: tuple[Book, Path]) -> Printed:
    return Printed(long_book[1])


def test_the_book_is_long(long_book: tuple[Book, Path], printed: Printed) -> None:
    book, _ = long_book
    assert len(book.sections) == 2 * COPIES
    assert len(printed.texts) > 300


def test_every_section_ends_on_its_own_pages(long_book: tuple[Book, Path], printed: Printed) -> None:
    """Each section begins on the page the contents gives it, and its last paragraph's last
    words are printed before the next entry's page; so are the chronology's last event's and
    the last note's, in theirs."""
    book, _ = long_book
    listed = contents(printed.texts)
    titles = [title for title, _ in listed]
    starts = [printed.page(folio) for _, folio in listed]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert titles[2 * COPIES :] == [book.meta.words.chronology, book.meta.words.notes, book.meta.words.index]
    last = {section.title: last_paragraph(section.body.tree()) for section in book.sections}
    last[book.meta.words.chronology] = last_paragraph(book.chronology[-1].body.tree())
    last[book.meta.words.notes] = last_paragraph(book.sections[-1].notes[-1].body.tree())
    for title, paragraph in last.items():
        k = titles.index(title)
        assert printed.blocks[starts[k]].startswith(letters(title)), title
        assert last_words(paragraph) in printed.between(starts[k], starts[k + 1]), title


def last_paragraph(tree: etree._Element) -> str:
    """The text of the last paragraph of a section's, an event's or a note's body."""
    paragraphs = list(tree.iter("p")) or [tree]
    return "".join(paragraphs[-1].itertext())


def test_the_pdf_ends_where_the_contents_last_entry_does(
    long_book: tuple[Book, Path], printed: Printed
) -> None:
    """The contents' last entry, the index, begins on its page and runs on to the last page:
    every entry of the index printed there in order, the last one (with its See also) on the
    last page that is not a printer's blank; the page count is the front matter's and the
    last folio's."""
    book, _ = long_book
    title, folio = contents(printed.texts)[-1]
    assert title == book.meta.words.index
    first = printed.page(folio)
    assert printed.blocks[first].startswith(letters(title))
    front = [label for label in printed.folios if not label.isdigit()]
    assert printed.folios == front + [str(n) for n in range(1, len(printed.folios) - len(front) + 1)]
    end = max(i for i, block in enumerate(printed.blocks) if block) + 1
    assert end - first > 1  # the index of a long book is more than one page
    index = printed.between(first, end)
    listed = [entry for _, group in entries(book, None) for entry in group]
    position = 0
    for entry in listed:  # each heading after the one before it
        position = index.find(letters(entry.heading), position)
        assert position >= 0, f"the index does not print {entry.heading!r} after the entry before it"
    last = listed[-1]
    on_last = printed.blocks[end - 1]
    assert letters(last.heading) in on_last
    assert on_last.endswith(letters(" ".join(ref.heading for ref in last.see_also)) or letters(last.heading))


def test_the_long_book_passes_the_page_checker(long_book: tuple[Book, Path]) -> None:
    """Issue 16's page at book scale: no runt, no word hyphenated across a page turn, no
    unbalanced spread, no loose line, no widow or orphan on its 300 pages and more."""
    report = check_pages(long_book[1])
    assert report.problems == (), report.summary()
