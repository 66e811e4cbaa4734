"""Reading a built PDF back for tests: text per page, fonts, outline, where words are printed."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium


def page_texts(pdf: Path) -> list[str]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def head_and_foot(pdf: Path) -> list[tuple[str, str]]:
    """The text in the top and bottom margins of every page (running heads, folios)."""
    document = pdfium.PdfDocument(str(pdf))
    found = []
    for page in document:
        left, bottom_edge, right, top_edge = page.get_trimbox()
        textpage = page.get_textpage()
        top = textpage.get_text_bounded(left, top_edge - 0.7 * 72, right, top_edge)
        bottom = textpage.get_text_bounded(left, bottom_edge, right, bottom_edge + 0.75 * 72)
        found.append((" ".join(top.split()), " ".join(bottom.split())))
        textpage.close()
        page.close()
    document.close()
    return found


def unembedded_fonts(pdf: Path) -> list[str]:
    missing = []
    with pikepdf.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            fonts = page.Resources.get("/Font", {})
            for name, font in fonts.items():
                descriptor = font.get("/FontDescriptor")
                if descriptor is None and "/DescendantFonts" in font:
                    descriptor = font.DescendantFonts[0].get("/FontDescriptor")
                if descriptor is None or not any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    missing.append(f"page {number}: {name} {font.get('/BaseFont')}")
    return missing


def outline(pdf: Path) -> list[tuple[str, list[str]]]:
    with pikepdf.open(pdf) as document, document.open_outline() as tree:
        return [(item.title, [child.title for child in item.children]) for item in tree.root]


def internal_links(pdf: Path) -> list[tuple[int, str, int]]:
    """Every internal link as (page index of the link, destination name, page index it reaches)."""
    found = []
    with pikepdf.open(pdf) as document:
        index = {page.objgen: number for number, page in enumerate(document.pages)}
        dests = pikepdf.NameTree(document.Root.Names.Dests)
        for number, page in enumerate(document.pages):
            for annot in page.get("/Annots", []):
                name = annot.get("/Dest")
                if name is None and "/A" in annot:
                    name = annot.A.get("/D")
                if isinstance(name, pikepdf.String):
                    target = dests[str(name)]
                    found.append((number, str(name), index[target[0].objgen]))
    return found


def link_texts(pdf: Path) -> dict[tuple[int, str], list[str]]:
    """The printed text under each internal link, by (page index, destination name)."""
    document = pdfium.PdfDocument(str(pdf))
    texts: dict[tuple[int, str], list[str]] = {}
    with pikepdf.open(pdf) as source:
        for number, page in enumerate(source.pages):
            textpage = document[number].get_textpage()
            for annot in page.get("/Annots", []):
                name = annot.get("/Dest")
                if isinstance(name, pikepdf.String):
                    left, bottom, right, top = (float(v) for v in annot.Rect)
                    text = textpage.get_text_bounded(left, bottom - 1, right, top + 1)
                    texts.setdefault((number, str(name)), []).append(" ".join(text.split()))
    document.close()
    return texts


def body_texts(pdf: Path) -> list[str]:
    """The text of every page inside its text block (no running head, no folio), in order."""
    document = pdfium.PdfDocument(str(pdf))
    found = []
    for page in document:
        left, bottom, right, top = page.get_trimbox()
        textpage = page.get_textpage()
        found.append(textpage.get_text_bounded(left, bottom + 0.75 * 72, right, top - 0.7 * 72))
        textpage.close()
        page.close()
    document.close()
    return found


def letters(text: str) -> str:
    """Only the letters of ``text``, case and accents aside: what hyphenation, line breaks, note
    numbers and punctuation leave the same between a book's model and its PDF."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isalpha()).casefold()


@dataclass(frozen=True)
class PrintedLetters:
    """The letters of every page's text block as one string, and the folio of each letter."""

    stream: str
    starts: tuple[int, ...]  # where each page's letters begin in ``stream``
    folios: tuple[str, ...]  # each page's label: its printed folio

    @classmethod
    def read(cls, pdf: Path) -> PrintedLetters:
        pages = [letters(text) for text in body_texts(pdf)]
        starts = [0]
        for page in pages[:-1]:
            starts.append(starts[-1] + len(page))
        with pikepdf.open(pdf) as document:
            folios = tuple(str(page.label) for page in document.pages)
        return cls("".join(pages), tuple(starts), folios)

    def folio(self, position: int) -> str:
        """The folio of the page the letter at ``position`` is printed on."""
        return self.folios[bisect.bisect_right(self.starts, position) - 1]

    def find(self, before: str, after: str) -> int:
        """Where ``after`` begins in the printed letters, at the one place where the end of
        ``before`` and the start of ``after`` are printed together: as many of their letters
        as it takes to make the place unique (a short note may be printed twice)."""
        found: list[int] = []
        for size in (24, 48, 96, 192, 384, 768, 1536):
            left, right = before[-size:], after[:size]
            found = [m.start() + len(left) for m in re.finditer(re.escape(left + right), self.stream)]
            if len(found) <= 1:
                break
        assert len(found) == 1, f"printed {len(found)} times instead of once: …{before[-40:]}|{after[:40]}…"
        return found[0]
