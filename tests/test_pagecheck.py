"""The page checker reads what a compositor sees: each fault made on purpose in a small PDF
(laid out by WeasyPrint from plain HTML, not by our build) is found on its page, and a clean
page of running text gives none."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint import HTML

from build_tools.checks.pagecheck import PageReport, check_pages
from build_tools.checks.pagelines import read_pages

STYLE = """
@page { size: 300pt 400pt; margin: 40pt 30pt; @top-center { content: "Running head"; }
        @bottom-center { content: counter(page); } }
body { font: 11pt/14pt serif; text-align: justify; hyphens: manual; }
p { margin: 0; text-indent: 1em; orphans: 1; widows: 1; }
h1 { font-size: 11pt; margin: 0; }
section { break-after: page; }
.full { white-space: nowrap; text-align: justify; text-align-last: justify; }
.last { text-align: left; }
"""
WORDS = "the river was wide and the boats went down to the coast in the spring of that year"


def running(lines: int) -> str:
    """Text that fills about ``lines`` full lines, each paragraph ending on a long line."""
    return " ".join([WORDS] * lines)


def _pdf(path: Path, body: str) -> Path:
    HTML(string=f"<html><head><style>{STYLE}</style></head><body>{body}</body></html>").write_pdf(path)
    return path


@pytest.fixture(scope="module")
def measure_lines(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Full lines of this page's measure: a paragraph laid out once, its justified lines read."""
    path = _pdf(tmp_path_factory.mktemp("probe") / "probe.pdf", f"<p>{running(80)}</p>")
    lines = [line for page in read_pages(path) for line in page.lines]
    return [line.text for line in lines[1:-1]]  # not the indented first nor the short last


def _page(lines: list[str], last: str = "") -> str:
    divs = "".join(f'<div class="full">{text}</div>' for text in lines)
    return f"<section>{divs}{last}</section>"


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory, measure_lines: list[str]) -> tuple[PageReport, Path]:
    """Four pages, each line set as a block of its own: p. 1 ends a paragraph on one word, p. 2
    (a verso) ends on a hyphen, p. 3 (its recto) is a line short, p. 4 has a loose line."""
    full = measure_lines
    words = full[0].split()
    hyphened = " ".join(words[:-1]) + " " + words[-1][:-1] + "-"
    body = "".join(
        [
            "<h1>One</h1>" + _page(full[:18], '<div class="last">solitary</div>'),
            _page(full[:19] + [hyphened]),
            _page(full[:19]),
            _page(full[:10] + ["one two three four"] + full[10:19]),
        ]
    )
    path = _pdf(tmp_path_factory.mktemp("pagecheck") / "faults.pdf", body)
    return check_pages(path), path


def test_reads_lines_and_sets_the_margins_apart(faults: tuple[PageReport, Path]) -> None:
    _, path = faults
    pages = read_pages(path)
    assert all("Running head" not in line.text for page in pages for line in page.lines)
    assert all(any("Running head" in m.text for m in page.margins) for page in pages)
    first = pages[0].lines
    assert first[0].text == "One"
    assert first[-1].text == "solitary"
    assert all(b.baseline < a.baseline for a, b in zip(first, first[1:], strict=False))
    assert pages[1].lines[-1].hyphenated and not pages[2].lines[-1].hyphenated


def test_finds_each_fault_on_its_page_and_nothing_else(faults: tuple[PageReport, Path]) -> None:
    report, _ = faults
    assert [(p.kind, p.page) for p in report.problems] == [
        ("runt", "1"),
        ("page-turn hyphen", "2"),
        ("unbalanced spread", "2–3"),
        ("loose line", "4"),
    ]
    assert report.problems[0].text == "“solitary”"
    assert report.problems[3].text == "“one two three four”"
    assert report.problems[2].text == "20 and 19 lines"


def test_a_clean_page_of_running_text_has_no_problem(tmp_path: Path, measure_lines: list[str]) -> None:
    path = _pdf(
        tmp_path / "clean.pdf", "<h1>One</h1>" + _page(measure_lines[:20]) + _page(measure_lines[:20])
    )
    report = check_pages(path)
    assert report.problems == ()
    assert report.pages == 2


def test_a_page_in_two_columns_is_read_column_by_column(tmp_path: Path) -> None:
    entries = "".join(f"<div class='entry'>Entry {n:02d}, {n}, {n + 3}, {n + 9}</div>" for n in range(60))
    style = "<style>.index { columns: 2; column-gap: 3em; } .entry { text-align: left; }</style>"
    path = _pdf(tmp_path / "index.pdf", f"{style}<h1>Index</h1><div class='index'>{entries}</div>")
    pages = read_pages(path)
    assert pages[0].columns == 2
    texts = [line.text for line in pages[0].lines]
    assert texts.index("Entry 00, 0, 3, 9") < texts.index("Entry 01, 1, 4, 10")  # down the first column
    assert all(text.count("Entry") <= 1 for text in texts)  # never two columns' entries as one line
    assert check_pages(path).problems == ()


def test_finds_a_widow_and_an_orphan(tmp_path: Path, measure_lines: list[str]) -> None:
    """p. 2 begins with a paragraph's short last line; p. 3 ends with a paragraph's indented
    first line: a widow and an orphan, and nothing else (the pages end on one line)."""
    full = measure_lines
    words = full[1].split()
    shortest = min(range(len(words)), key=lambda index: len(words[index]))
    opening = " ".join(words[:shortest] + words[shortest + 1 :])  # a word less: room for the indent
    ending = " ".join(full[2].split()[:8])
    orphan = f'<div class="full" style="text-indent: 1em">{opening}</div>'
    body = (
        "<h1>One</h1>"
        + _page(full[:19])
        + _page(full[:19]).replace("<section>", f'<section><div class="last">{ending}</div>')
        + _page(full[:19], orphan)
        + _page(full[:20])
    )
    report = check_pages(_pdf(tmp_path / "stranded.pdf", body))
    assert [(p.kind, p.page) for p in report.problems] == [("widow", "2"), ("orphan", "3")]
    assert report.problems[0].text == f"“{ending}”"


def test_display_pages_are_not_a_spread_to_balance(tmp_path: Path, measure_lines: list[str]) -> None:
    """A copyright page of a few lines facing a dedication: no text block, nothing to balance."""
    body = (
        _page(measure_lines[:20])
        + '<section><div class="last">Copyright</div><div class="last">ISBN</div></section>'
        + '<section><div class="last">For the printers.</div></section>'
    )
    assert check_pages(_pdf(tmp_path / "display.pdf", body)).problems == ()


def test_a_ragged_page_counts_only_a_word_alone(tmp_path: Path, measure_lines: list[str]) -> None:
    """Notes set ragged: a short last line is the setting's own, a word alone on it is a runt;
    two words tied by a no-break space are two words, not one."""
    ragged = [" ".join(line.split()[: 6 + n % 5]) for n, line in enumerate(measure_lines[:18])]
    lines = "".join(f'<div class="last">{text}</div>' for text in ragged)
    body = (
        f"<section>{lines}<div class='last'>the coast.</div></section>"
        f"<section>{lines}<div class='last'>coast.</div></section>"
        f"<section>{lines}<div class='last'>the\u00a0coast.</div></section>"
    )
    report = check_pages(_pdf(tmp_path / "ragged.pdf", body))
    assert [(p.kind, p.page, p.text) for p in report.problems if p.kind == "runt"] == [
        ("runt", "2", "“coast.”")
    ]


def test_a_two_column_page_ends_with_its_longer_column(tmp_path: Path) -> None:
    """An index's spread: an entry kept whole (or a heading kept with its entry) leaves the
    second column of p. 2 two lines short; the page ends where its longer column does, level
    with the page facing it."""
    entries = [f"<div class='entry'>Entry {n:03d}, {n}, {n + 3}, {n + 9}</div>" for n in range(120)]
    kept = "<div class='entry kept'>Long entry, " + ", ".join(str(n) for n in range(1, 60)) + "</div>"
    entries[43] = kept + entries[43]  # at the foot of p. 2's second column: it goes to p. 3
    style = "<style>.index { columns: 2; column-gap: 3em; } .entry { text-align: left; }"
    style += " .kept { break-inside: avoid; }</style>"
    path = _pdf(tmp_path / "columns.pdf", f"{style}<div class='index'>{''.join(entries)}</div>")
    verso, recto = read_pages(path)[1:3]
    assert verso.columns == recto.columns == 2
    assert verso.lines[-1].baseline > recto.lines[-1].baseline + 20  # the short column, read last
    assert not [p for p in check_pages(path).problems if p.kind == "unbalanced spread"]


def test_a_last_page_that_holds_one_short_line_is_a_widow(tmp_path: Path, measure_lines: list[str]) -> None:
    """A section whose last line runs over to a page of its own (the structure book's p. xvi)."""
    full = measure_lines
    body = (
        "<h1>One</h1>"
        + _page(full[:19])
        + _page(full[:20])
        + '<section><div class="last">the river.</div></section>'
    )
    report = check_pages(_pdf(tmp_path / "alone.pdf", body))
    assert [(p.kind, p.page, p.text) for p in report.problems] == [("widow", "3", "“the river.”")]
