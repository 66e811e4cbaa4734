"""A document laid out until it settles: again, each word split across a page turn kept whole
(``keeps.py``), the first layout's runts and loose lines set again (``compose.py``,
``respace.py``), the stranded lines mended (``stranded.py``), ``MAX_LAYOUTS`` times at most.

Each division of the book (a top-level element of the print document: the half title, a
chapter, the notes…) settles on its own (issue 18 item 1): it opens on a new page, so its pages
depend only on its own text and keeps, and what its layouts decide (its keeps, its trials, how
many layouts it takes) depends only on its pages. A division that needs no layout more keeps
its pages while the others are laid out again. So a division settles the same way in a
document of the whole book and in a document of its own (``parts.py``): the two builds give
the same pages. Importing this module imports WeasyPrint.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from lxml import etree
from weasyprint import Document

from build_tools.layout.boxes import PageText, Paragraph, page_texts, paragraphs
from build_tools.layout.compose import Respace
from build_tools.layout.folios import first_pages, labels
from build_tools.layout.html import PRINT_ONLY, PrintDocument
from build_tools.layout.keeps import Keep, splits
from build_tools.layout.proofs import ProofQuery, loosened, moved_by
from build_tools.layout.respace import RUNT_FRACTION, Trials
from build_tools.layout.weasy import Renderer
from build_tools.model import Book
from build_tools.textpos import Place

_log = logging.getLogger(__name__)
MAX_LAYOUTS = 4  # of one division, until no page turn splits a word
Keeps = frozenset[Keep | Respace]
Where = tuple[float, "tuple[int, int] | None"]  # the gutter; the pages before, the body's first


@dataclass(frozen=True)
class Settled:
    """A document laid out with the words ``keeps`` kept whole: the places of its mentions,
    its pages, the layouts each division took, and the words it still splits across a page
    turn, by the index of the page that begins inside the word."""

    mentions: dict[str, Place]
    document: Document
    texts: list[PageText]
    keeps: Keeps
    counts: dict[str, int]  # division -> the layouts it took; the divisions still settling
    split: dict[int, Keep]
    owners: dict[str, str]  # element id -> its division
    queries: tuple[ProofQuery, ...] = ()  # a proof's (proofs.py)
    respaced: frozenset[Respace] = frozenset()  # paragraphs to set again (compose.py, stranded.py)
    tree: etree._Element | None = field(default=None, compare=False, repr=False)  # the HTML's

    @property
    def layouts(self) -> int:
        return max(self.counts.values(), default=1)

    @property
    def split_words(self) -> list[tuple[int, str]]:
        """Each page that begins inside a word (its index), and the word (``warn_split``)."""
        return sorted((number, keep.word) for number, keep in self.split.items())

    def again(self) -> tuple[Keeps, dict[str, int]]:
        """What the next layout keeps, and the divisions it lays out with new keeps (each with
        its count of layouts): those whose words this one split or whose paragraphs it
        respaced, if they have layouts left. The others keep their keeps and their pages."""
        owners = [keep.owner for keep in self.split.values()] + [item.owner for item in self.respaced]
        moving = {self.owners.get(owner, "") for owner in owners}
        counts = {
            division: count + 1
            for division, count in self.counts.items()
            if division in moving and count < MAX_LAYOUTS
        }
        if not counts:
            return frozenset(), {}
        split = [keep for keep in self.split.values() if self.owners.get(keep.owner) in counts]
        respaced = {item for item in self.respaced if self.owners.get(item.owner) in counts}
        again = {item.owner for item in respaced}  # a paragraph set again takes its new variant
        kept = {item for item in self.keeps if not (isinstance(item, Respace) and item.owner in again)}
        return frozenset(kept) | frozenset(split) | frozenset(respaced), counts


def divisions_of(tree: etree._Element) -> dict[str, str]:
    """Element id -> the division (top-level element of the body, by its id) it is in."""
    owners: dict[str, str] = {}
    body = tree.find("body")
    for division in body if body is not None else ():
        name = division.get("id") or f"{division.tag}.{division.get('class', '')}"
        for element in division.iter():
            if element_id := element.get("id"):
                owners[element_id] = name
        owners.setdefault(name, name)
    return owners


def settled(
    renderer: Renderer,
    inside: float,
    make: Callable[[Keeps], PrintDocument],
    keeps: Keeps,
    extra: str = "",
    before: tuple[int, int] | None = None,
) -> Settled:
    """Lay out ``make(keeps)`` again, each division whose page turns split a word with the
    words kept whole, until none does (issue 13 item 3). ``before``: the pages before this
    document's first in the book and the index of the body's first page, for the pages it
    prints (None: the document is the book's beginning)."""
    printed = make(keeps)
    owners = divisions_of(printed.tree)
    counts = dict.fromkeys(set(owners.values()), 1)
    layout = _layout(renderer, (inside, before), printed, extra, keeps, (owners, counts))
    while True:
        more, counts = layout.again()
        if not counts:
            break
        del layout, printed  # never two layouts of the book in memory (WeasyPrint keeps what it took)
        printed = make(more)
        layout = _layout(renderer, (inside, before), printed, extra, more, (owners, counts))
    _log.debug("%d layouts, %d words kept whole", layout.layouts, len(layout.keeps))
    return layout


def once(
    renderer: Renderer,
    inside: float,
    printed: PrintDocument,
    keeps: Keeps,
    extra: str = "",
    before: tuple[int, int] | None = None,
) -> Settled:
    """One layout of ``printed``, made with the keeps of its settled layout: the same pages
    (with other folios: ``parts.py``), no trials."""
    return _layout(renderer, (inside, before), printed, extra, keeps, (divisions_of(printed.tree), {}))


def warn_split(split: Iterable[tuple[int, str]], first: int = 0) -> None:
    """The words still split across a page turn (``Settled.split_words``), as warnings, by the
    page of the PDF that ends with each: the document's pages begin at the PDF's ``first``.
    The caller warns: only it knows where the pages are in the book (a part: ``partbook.py``)."""
    for number, word in split:  # `number` begins inside the word: the page before (from 1) ends with it
        _log.warning(
            "page %d of the PDF: its last word, %r, is split across the page turn, and still was "
            "after %d layouts",
            first + number,
            word,
            MAX_LAYOUTS,
        )


def _layout(
    renderer: Renderer,
    where: Where,
    printed: PrintDocument,
    extra: str,
    keeps: Keeps,
    divisions: tuple[dict[str, str], dict[str, int]],
) -> Settled:
    """One layout of ``printed``; ``divisions``: the division of each element id, and the
    count of this layout of each division laid out with new keeps (the others are settled)."""
    inside, before = where
    owners, counts = divisions
    document = renderer.render(printed.html, inside, extra)
    texts = page_texts(document.pages, PRINT_ONLY)
    loose: frozenset[str] = frozenset()
    for _ in range(MAX_LAYOUTS if printed.queries else 0):  # a proof: every note on its marker's page
        opening = [text.first[0] for text in texts]
        more = moved_by(printed.queries, first_pages(document.pages), opening, printed.tree) - loose
        if not more:
            break
        loose |= more
        del document  # never two layouts of the book in memory
        document = renderer.render(printed.html, inside, extra + loosened(loose))
        texts = page_texts(document.pages, PRINT_ONLY)
    split = splits(printed.tree, texts, PRINT_ONLY)
    respaced = frozenset[Respace]()
    if not printed.queries:  # a proof's pages are its own (proofs.py)
        trials = Trials(renderer, inside, printed.tree, _printed_pages(renderer.book, document, before))
        respaced = _trials(trials, paragraphs(document.pages, RUNT_FRACTION), keeps, split, divisions)
    return Settled(
        printed.mentions,
        document,
        texts,
        keeps,
        counts,
        split,
        owners,
        printed.queries,
        respaced,
        printed.tree,
    )


def _trials(
    trials: Trials,
    found: Mapping[str, Paragraph],
    keeps: Keeps,
    split: dict[int, Keep],
    divisions: tuple[dict[str, str], dict[str, int]],
) -> frozenset[Respace]:
    """The paragraphs the next layout sets again, division by division: in its first layout
    its runts and loose lines, or if it has none its stranded lines; in every layout but its
    last, the paragraphs its kept words would spoil. Trials of several divisions are laid out
    together (a setting does not depend on the others of its trial document: trials.py)."""
    owners, counts = divisions

    def active(owner: str) -> bool:
        return counts.get(owners.get(owner, ""), MAX_LAYOUTS) < MAX_LAYOUTS

    settings = {owner: setting for owner, setting in found.items() if active(owner)}
    runts = trials.runts({o: s for o, s in settings.items() if counts[owners[o]] == 1}, keeps)
    with_runts = {owners[item.owner] for item in runts}
    calm = {owner: setting for owner, setting in settings.items() if owners[owner] not in with_runts}
    words = {n: keep for n, keep in split.items() if active(keep.owner)}
    mended = trials.stranded(calm, {n: k for n, k in words.items() if owners[k.owner] not in with_runts})
    taken = {item.owner for item in runts | mended}
    kept = trials.kept(settings, [keep for keep in words.values() if keep.owner not in taken])
    return runts | mended | kept


def _printed_pages(book: Book, document: Document, before: tuple[int, int] | None) -> dict[str, str]:
    """The folio printed on the page of each element id of ``document``, which has ``before``
    (the pages before it in the book, the body's first page) or is the book's beginning."""
    found = first_pages(document.pages)
    offset, body = before if before is not None else (0, found.get(book.first_body_id, 0))
    return labels({key: offset + index for key, index in found.items()}, body)
