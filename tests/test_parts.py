"""The book laid out in parts by worker processes and joined (issue 18 item 1) gives the pages of
the one-document build (``--jobs 1``), page by page, on every test book: the same text and the
same pixels on each page, the same page labels, the same outline (titles, pages, places) and
the same links, each to the same page. A plan that guesses every part's length wrong is put
right; a worker that dies costs time, not pages."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pikepdf
import pytest
from conftest import EPOCH, ROOT, STYLES, quiet_layout
from pdf_tools import internal_links, page_texts
from PIL import Image, ImageChops

from build_tools.build import Project, build, read_book
from build_tools.layout import paginate, partbook
from build_tools.layout.parts import PartPool, Plan
from build_tools.layout.partwork import Joined, PartPages, PartTask
from build_tools.writers.pdf.writer import PdfWriter

MANUSCRIPTS = ROOT / "tests" / "manuscripts"
FRONT = ("halftitle", "titlepage", "copyright", "contents")
BOOKS = ["chronology", "cjk", "covers", "forms", "french", "german", "structure", "xrefs"]


@pytest.fixture(autouse=True)
def every_book_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(partbook, "PARTS_FROM", 0)  # the test books are short


def _styles(source: Path, folder: Path) -> Path:
    if not (source / "fallback").is_dir():
        return STYLES
    if (folder / "styles").is_dir():
        return folder / "styles"
    styles = shutil.copytree(STYLES, folder / "styles")
    shutil.copytree(source / "fallback", styles, dirs_exist_ok=True)
    return styles


def _pdf(source: Path, folder: Path, jobs: int, parted: bool = True) -> Path:
    """The book's PDF laid out by ``jobs`` processes; ``parted``: in parts, as asked."""
    styles = _styles(source, folder)
    book = read_book(Project(source, styles, folder))
    with quiet_layout():
        layout = paginate.lay_out(book, styles, jobs=jobs)
    assert isinstance(layout.rendered, Joined) == (jobs > 1 and parted)
    target = folder / f"jobs-{jobs}.pdf"
    target.write_bytes(PdfWriter().finished(book, layout))
    return target


def _pixels(pdf: Path, folder: Path) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(folder / pdf.stem)], check=True)
    return [Image.open(path).convert("L") for path in sorted(folder.glob(f"{pdf.stem}-*.png"))]


def _outline(pdf: Path) -> list[tuple[int, str, int, tuple[float, ...]]]:
    """Every outline item: its depth, title, page index and place on the page."""
    found: list[tuple[int, str, int, tuple[float, ...]]] = []
    with pikepdf.open(pdf) as document, document.open_outline() as tree:
        pages = {page.objgen: number for number, page in enumerate(document.pages)}

        def walk(items: list[pikepdf.OutlineItem], depth: int) -> None:
            for item in items:
                place = item.destination
                assert isinstance(place, pikepdf.Array)
                found.append(
                    (depth, item.title, pages[place[0].objgen], tuple(round(float(v), 1) for v in place[2:4]))
                )
                walk(item.children, depth + 1)

        walk(tree.root, 0)
    return found


def _labels(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as document:
        return [str(page.label) for page in document.pages]


def assert_same_pages(one: Path, parted: Path, folder: Path) -> None:
    assert page_texts(parted) == page_texts(one)
    assert _labels(parted) == _labels(one)
    assert _outline(parted) == _outline(one)
    # The same places linked to the same pages (a page reference printed by target-counter
    # gives WeasyPrint two link areas where the page written in gives one).
    assert set(internal_links(parted)) == set(internal_links(one))
    for number, (a, b) in enumerate(zip(_pixels(one, folder), _pixels(parted, folder), strict=True), 1):
        assert ImageChops.difference(a, b).getbbox() is None, f"page {number} differs"


@pytest.mark.parametrize("name", BOOKS)
def test_the_parts_give_the_pages_of_one_document(tmp_path: Path, name: str) -> None:
    source = MANUSCRIPTS / name
    assert_same_pages(_pdf(source, tmp_path, 1), _pdf(source, tmp_path, 2), tmp_path)


def test_the_first_book_in_parts(tmp_path: Path) -> None:
    source = ROOT / "manuscript"
    assert_same_pages(_pdf(source, tmp_path, 1), _pdf(source, tmp_path, 2), tmp_path)


def test_a_plan_that_guesses_every_length_wrong_is_put_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Plan, "estimate", lambda self, group: 2 * (group % 3 + 1))
    source = MANUSCRIPTS / "structure"
    assert_same_pages(_pdf(source, tmp_path, 1), _pdf(source, tmp_path, 3), tmp_path)


def test_a_book_with_two_indexes_is_laid_out_as_one_document(tmp_path: Path) -> None:
    _pdf(MANUSCRIPTS / "indexes", tmp_path, 2, parted=False)


def test_a_worker_that_dies_costs_time_not_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def dying(self: PartPool, task: object) -> Future[object]:
        future: Future[object] = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future

    monkeypatch.setattr(PartPool, "submit", dying)
    source = MANUSCRIPTS / "xrefs"
    one = _pdf(source, tmp_path, 1).read_bytes()
    assert _pdf(source, tmp_path, 2, parted=False).read_bytes() == one


def _sent(monkeypatch: pytest.MonkeyPatch) -> list[PartTask]:
    """The tasks sent to the workers from now on (laid out: not taken from the cache)."""
    tasks: list[PartTask] = []
    real = PartPool.submit

    def submit(self: PartPool, task: PartTask) -> Future[PartPages]:
        tasks.append(task)
        return real(self, task)

    monkeypatch.setattr(PartPool, "submit", submit)
    return tasks


def _build(source: Path, out: Path) -> bytes:
    with quiet_layout():
        _, (written,) = build(Project(source, STYLES, out), ("pdf",), jobs=2)
    return written.read_bytes()


def test_an_edit_to_one_chapter_lays_out_that_part_again_and_no_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an edit inside the second section, the parts are taken from the cache but that
    section's and the first part's (the PDF's dates are its own); the PDF is a new build's."""
    source = shutil.copytree(ROOT / "manuscript", tmp_path / "manuscript")
    _build(source, tmp_path / "dist")
    chapter = source / "text" / "02-serge-and-mao-tse-dung.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace(" the ", " the very ", 1), encoding="utf-8")
    tasks = _sent(monkeypatch)
    again = _build(source, tmp_path / "dist")
    laid_out = [task.names for task in tasks]
    assert laid_out and set(laid_out) <= {("sec-2",), FRONT, ()}, laid_out
    assert ("sec-2",) in laid_out
    assert again == _build(source, tmp_path / "cold")


def test_a_part_whose_folio_moved_is_laid_out_once_with_its_keeps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first section made longer moves the second's folios: it is laid out again with the
    keeps it settled on, not settled again, and the PDF is a new build's. (Longer by some
    pages: the first build laid the second section out where its plan first put it, two pages
    later, and the cache has that layout.)"""
    source = shutil.copytree(ROOT / "manuscript", tmp_path / "manuscript")
    _build(source, tmp_path / "dist")
    chapter = source / "text" / "01-serge-and-the-chinese-revolution.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text + "\n\n" + "\n\n".join(["A paragraph more, to move the pages after it."] * 300), encoding="utf-8"
    )
    tasks = _sent(monkeypatch)
    again = _build(source, tmp_path / "dist")
    second = [task for task in tasks if task.names == ("sec-2",)]
    assert second and all(task.keeps is not None for task in second), second
    assert again == _build(source, tmp_path / "cold")


SIGNAL_AT = ROOT / "tests" / "signal_at.py"
WAITING = "start:build_tools.layout.parts:_run:finished, _ = wait(running"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_the_workers_lay_out_stops_them_and_leaves_nothing(
    tmp_path: Path, sig: signal.Signals
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    out = tmp_path / "dist"
    args = ["build", "pdf", "--source", str(ROOT / "manuscript"), "--styles", str(STYLES), "--out", str(out)]
    process = subprocess.run(
        [sys.executable, str(SIGNAL_AT), sig.name, WAITING, *args, "--jobs", "2"],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "TMPDIR": str(temp)},
        timeout=600,  # against a hang only
    )
    assert "signal_at: sent" in process.stderr, process.stderr
    assert process.returncode == 128 + sig, process.stderr
    assert process.stderr.splitlines()[-1].startswith(f"interrupted by {sig.name}"), process.stderr
    assert "Traceback" not in process.stderr
    assert list(temp.iterdir()) == []  # the workers' font folders too: they were stopped first
    assert not out.exists() or not list(out.glob("*.pdf"))


def test_the_console_script_stops_its_workers_silently(tmp_path: Path) -> None:
    """``book`` as a user runs it, the script's file: a spawned worker imports it again (as
    ``__mp_main__``), and with it ``entry.py``'s signal handlers; each worker the build stopped
    at its end printed an ``Interrupted: 15`` traceback (``python -m`` and pytest never showed
    it: a package's ``__main__`` is not imported again)."""
    script = Path(sys.executable).with_name("book")
    assert script.is_file(), f"the console script is installed beside the interpreter: {script}"
    out = tmp_path / "dist"
    args = ["build", "pdf", "--source", str(ROOT / "manuscript"), "--styles", str(STYLES), "--out", str(out)]
    process = subprocess.run(
        [str(script), *args, "--jobs", "2"],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        timeout=600,  # against a hang only
    )
    assert process.returncode == 0, process.stderr
    assert "Traceback" not in process.stderr and "Interrupted" not in process.stderr, process.stderr
    assert "Laying out the pages…" in process.stderr  # not from a cache: the workers ran
    (pdf,) = out.glob("*.pdf")
    assert len(pikepdf.open(pdf).pages) > 30


def test_a_part_placed_after_a_front_matter_of_another_length_is_not_laid_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The front matter is laid out last (its contents prints every part's page), so the
    body's first parts are sent with its length estimated, and the essay's is wrong. A body
    part's pages depend only on its folios, which start at 1 wherever the body begins: the
    first section is laid out once, where the estimate put it, and the pages are those of the
    one-document build (``test_the_parts_give_the_pages_of_one_document``)."""
    tasks = _sent(monkeypatch)
    book = read_book(Project(ROOT / "manuscript", STYLES, tmp_path))
    with quiet_layout():
        layout = paginate.lay_out(book, STYLES, jobs=2)
    first = [task for task in tasks if task.names == ("sec-1",)]
    assert len(first) == 1, first
    assert first[0].before != (layout.first_text_page, layout.first_text_page)  # the estimate was wrong
    assert first[0].place == (0, 0)
