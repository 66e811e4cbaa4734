"""The page checker: what a compositor would send back, read from the printed PDF.

- **runt**: a paragraph's last line shorter than a third of the measure, or holding one word; on
  a page set ragged (the notes, the chronology: fewer than half its lines reach the measure), a
  short last line is the setting's own and only one word alone counts;
- **page-turn hyphen**: the last line of a page ends in a hyphen (the word is split by the turn);
- **unbalanced spread**: facing pages whose text blocks end on different lines, where neither
  page ends a section (the outline's entries say where sections start);
- **loose line**: a justified line whose word spaces average more than twice the book's usual
  space;
- **widow**: a page of running text that begins with a paragraph's last line, short (or a
  section's last page that holds nothing else);
- **orphan**: a page of running text that ends with a paragraph's first line (indented).

Lines come from pdfium (``pagelines.py``); a paragraph's last line is a short line after a full
one of the same type size. Nothing here knows the manuscript: the same checks read any PDF.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from build_tools.checks.pagelines import Line, Page, read_pages
from build_tools.errors import BookError, Location

RUNT_FRACTION = 1 / 3  # of the measure (issue 16: "shorter than, say, a third of the measure")
LOOSE_FACTOR = 2.0  # times the book's median word space
BALANCE_TOLERANCE = 1.0  # points between the last baselines of two facing pages
KINDS = ("runt", "page-turn hyphen", "unbalanced spread", "loose line", "widow", "orphan")


@dataclass(frozen=True)
class Problem:
    kind: str
    page: str  # the printed page label (or "12–13" for a spread)
    text: str  # the line's words, for finding it

    def __str__(self) -> str:
        return f"p. {self.page}: {self.kind}: {self.text}"


@dataclass(frozen=True)
class PageReport:
    pages: int
    problems: tuple[Problem, ...]

    def count(self, kind: str) -> int:
        return sum(1 for problem in self.problems if problem.kind == kind)

    def summary(self) -> str:
        return ", ".join(f"{self.count(kind)} {kind}s" for kind in KINDS) + f" in {self.pages} pages"


def check_pages(path: Path) -> PageReport:
    """Every problem of the PDF ``path``'s pages, in page order."""
    import pypdfium2 as pdfium

    pages = read_pages(path)
    document = pdfium.PdfDocument(str(path))
    try:
        starts = {item.get_dest().get_index() for item in document.get_toc() if item.get_dest() is not None}
    finally:
        document.close()
    problems = [*_runts(pages), *_turns(pages), *_spreads(pages, starts), *_loose(pages), *_stranded(pages)]
    order = {page.label: page.index for page in pages}
    problems.sort(key=lambda p: (order.get(p.page.split("–")[0], 0), KINDS.index(p.kind)))
    return PageReport(len(pages), tuple(problems))


def _right_edge(page: Page) -> float:
    """The right edge of the page's justified lines (the one most lines reach)."""
    edges = Counter(round(line.right) for line in page.lines)
    if not edges:
        return 0.0
    return float(max(edges, key=lambda edge: (edges[edge] if edges[edge] > 1 else 0, edge)))


def _flow(pages: list[Page]) -> list[tuple[Page, Line, float]]:
    return [(page, line, _right_edge(page)) for page in pages for line in page.lines]


def _full(line: Line, right: float) -> bool:
    return line.right >= right - 1.5


def _runts(pages: list[Page]) -> list[Problem]:
    """Paragraphs' short last lines, on pages of running text (one column, five full lines or
    more: not a title or copyright page, a display, or the index's entries)."""
    out = []
    text_pages = [page for page in pages if page.columns == 1 and _full_lines(page) >= 5]
    flow = _flow(text_pages)
    for (_, before, right_before), (page, line, right) in zip(flow, flow[1:], strict=False):
        follows = _full(before, right_before) and abs(before.size - line.size) < 0.5 and len(before.words) > 2
        if not follows or _full(line, right) or line.left > before.left + 2 * line.size:
            continue  # not a paragraph's last line (or a new indented paragraph after a full line)
        measure = right - before.left
        short = line.right - before.left < RUNT_FRACTION * measure and _justified(page)
        if len(line.words) == 1 or short:
            out.append(Problem("runt", page.label, f"“{line.text}”"))
    return out


def _justified(page: Page) -> bool:
    """Half the page's lines or more reach its measure: justified text (ragged text reaches it
    only now and then)."""
    return 2 * _full_lines(page) >= len(page.lines)


def _full_lines(page: Page) -> int:
    right = _right_edge(page)
    return sum(_full(line, right) for line in page.lines)


def _turns(pages: list[Page]) -> list[Problem]:
    out = []
    for page, following in zip(pages, pages[1:], strict=False):
        if (
            page.lines
            and following.lines
            and page.lines[-1].hyphenated
            and _full(page.lines[-1], _right_edge(page))
        ):
            out.append(Problem("page-turn hyphen", page.label, f"“{page.lines[-1].words[-1].text}”"))
    return out


def _spreads(pages: list[Page], starts: set[int]) -> list[Problem]:
    """Facing pages (a verso, odd index, and the recto after it) that end at different heights."""
    out = []
    for verso, recto in zip(pages[1::2], pages[2::2], strict=False):
        if (
            verso.blank
            or recto.blank
            or _full_lines(verso) < 5  # a display page (title, copyright, dedication): no text block
            or _full_lines(recto) < 5
            or _ends_section(verso, starts, pages)
            or _ends_section(recto, starts, pages)
        ):
            continue
        if verso.index in starts or recto.index in starts:
            continue  # a page that opens a section sinks its text: its foot still balances
        if abs(_foot(verso) - _foot(recto)) > BALANCE_TOLERANCE:
            lines = f"{_lines_on(verso)} and {_lines_on(recto)} lines"
            out.append(Problem("unbalanced spread", f"{verso.label}–{recto.label}", lines))
    return out


def _foot(page: Page) -> float:
    """The baseline the page's text block ends on: its lowest line (of the longer column, on a
    page of two: a column a heading left short is the column's, not the page's)."""
    return min(line.baseline for line in page.lines)


def _lines_on(page: Page) -> int:
    return len(page.lines)


def _ends_section(page: Page, starts: set[int], pages: list[Page]) -> bool:
    """The page is a section's last: a section starts on the next page that has text."""
    following = next((p for p in pages[page.index + 1 :] if not p.blank), None)
    return following is None or following.index in starts


def _stranded(pages: list[Page]) -> list[Problem]:
    """Widows and orphans: a paragraph's last line alone at the top of a page, its first line
    alone at the foot, on pages of running text that follow each other (one column)."""
    out = []
    text_pages = [page for page in pages if page.columns == 1 and _full_lines(page) >= 5]
    for page, following in zip(text_pages, text_pages[1:], strict=False):
        if following.index != page.index + 1:
            continue
        last, first = page.lines[-1], following.lines[0]
        right, left = _right_edge(page), _left_edge(following)
        same = abs(last.size - first.size) < 0.5
        if (
            same
            and _full(last, right)
            and not _full(first, _right_edge(following))
            and abs(first.left - left) < 1
        ):
            out.append(Problem("widow", following.label, f"“{first.text}”"))
        indent = last.left - _left_edge(page)
        if (
            same
            and _full(last, right)
            and 0.5 * last.size < indent < 2.5 * last.size
            and abs(first.left - left) < 1
        ):
            out.append(Problem("orphan", page.label, f"“{last.text}”"))
    return out + _alone(pages)


def _alone(pages: list[Page]) -> list[Problem]:
    """A page after a page of running text that holds one short line, a section's last
    paragraph's last (too short a page to be counted as running text above): a widow too. Its
    margins are the other side's: its line is measured by its width."""
    out = []
    for page, following in zip(pages, pages[1:], strict=False):
        heads = {m.text for other in pages[max(page.index - 1, 0) : page.index + 1] for m in other.margins}
        lines = [line for line in following.lines if line.text not in heads]  # a head read as text
        if page.columns != 1 or _full_lines(page) < 5 or len(lines) != 1:
            continue
        last, line = page.lines[-1], lines[0]
        if (
            _full(last, _right_edge(page))
            and abs(last.size - line.size) < 0.5
            and line.right - line.left < _right_edge(page) - _left_edge(page) - 1.5  # short
        ):
            out.append(Problem("widow", following.label, f"“{line.text}”"))
    return out


def _left_edge(page: Page) -> float:
    """The left edge most of the page's lines start at."""
    edges = Counter(round(line.left) for line in page.lines)
    return float(max(edges, key=lambda edge: (edges[edge], -edge))) if edges else 0.0


def _loose(pages: list[Page]) -> list[Problem]:
    spaced: list[tuple[Page, Line, float]] = []
    for page, line, right in _flow([page for page in pages if page.columns == 1]):
        if _full(line, right) and len(line.words) > 3:
            gaps = [b.left - a.right for a, b in zip(line.words, line.words[1:], strict=False)]
            spaced.append((page, line, sum(gaps) / len(gaps) / line.size))
    if not spaced:
        return []
    usual = median(space for _, _, space in spaced)
    return [
        Problem("loose line", page.label, f"“{line.text}”")
        for page, line, space in spaced
        if space > LOOSE_FACTOR * usual
    ]


def run_page_check(
    source: Path, pdf_path: Path | None, output_format: str, strict: bool, echo: Callable[[str], None]
) -> bool:
    """``book check pages``: every problem with its page, then the counts; True (a failure) only
    with ``strict`` and a problem: these are a compositor's queries, not the printer's refusals."""
    if pdf_path is None:
        from build_tools.sources.manuscript import load

        pdf_path = Path("dist") / f"{load(source).meta.slug}.pdf"
    if not pdf_path.is_file():
        raise BookError("no such PDF: build it first with 'book build pdf'", Location(pdf_path))
    try:
        report = check_pages(pdf_path)
    except pdfium_error() as exc:
        raise BookError(f"cannot read the PDF: {exc}", Location(pdf_path)) from None
    if output_format == "json":
        problems = [problem.__dict__ for problem in report.problems]
        echo(json.dumps({"pages": report.pages, "problems": problems}, indent=2, ensure_ascii=False))
    else:
        for problem in report.problems:
            echo(f"{pdf_path}: {problem}")
        echo(f"{pdf_path}: {report.summary()}")
    return strict and bool(report.problems)


def pdfium_error() -> type[Exception]:
    import pypdfium2 as pdfium

    return pdfium.PdfiumError  # type: ignore[no-any-return]
