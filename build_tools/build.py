"""The build, as a table of contents: read the manuscript, parse it into a Book, lay it out for
print, write the formats."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.checks.csscheck import check_stylesheets
from build_tools.checks.glyphs import check_glyphs
from build_tools.design.fonts import FontSet, read_fonts
from build_tools.errors import BookError, Diagnostic, Location, ReleaseError
from build_tools.model import Book, PrintLayout
from build_tools.parse.parser import parse
from build_tools.sources.epoch import source_date_epoch
from build_tools.sources.manuscript import load
from build_tools.writers.cover.ebook import cover_diagnostics
from build_tools.writers.epub.writer import EpubWriter

if TYPE_CHECKING:
    from build_tools.writers.pdf.trialcache import TrialCache

FORMATS = ("epub", "pdf")  # what "book build all" writes; "cover" is asked for by name


@dataclass(frozen=True)
class Project:
    """Where things are: the manuscript, the styles, the output folder."""

    source: Path
    styles: Path
    out: Path


def read_book(project: Project) -> Book:
    """Everything the writers need, from the whole manuscript, before anything is written."""
    manuscript = load(project.source)
    book = parse(manuscript, source_date_epoch(project.source))
    # The cover picture's size is a warning of the build (issue 14): the stores ask 1600 × 2560.
    return replace(book, diagnostics=book.diagnostics + cover_diagnostics(book, project.source / "book.toml"))


STYLE_FILES = ("epub.css", "print.css")


def check_styles(styles: Path) -> FontSet:
    """The styles folder has what the writers read (give it with --styles if it is elsewhere):
    the two stylesheets, and ``fonts.toml`` with faces that exist; returns those faces."""
    for name in STYLE_FILES:
        if not (styles / name).is_file():
            raise BookError(
                f"the styles folder lacks {name} (use --styles to name the folder)", Location(styles)
            )
    check_stylesheets(styles)  # they load nothing from outside the folder (issue 17 item 6)
    return read_fonts(styles)


@dataclass(frozen=True)
class Printed:
    """The book laid out for print: its layout, the warnings of its pages, and whence it came:
    laid out now (kept under ``key`` once its PDF is written, with what the layout ``logged``)
    or by an earlier build of the same inputs (``cached``: that build's PDF)."""

    layout: PrintLayout
    warnings: tuple[Diagnostic, ...]
    key: str
    logged: tuple[str, ...] = ()
    cached: Path | None = None
    trials: TrialCache | None = None  # the trials' settings, kept with the layout


def lay_out(
    project: Project,
    book: Book,
    settings: tuple[str | None, bool, int],
    step: Callable[[str], None],
    doing: str,
) -> Printed:
    """The print layout (``doing`` says so) for the printer, proof or not and by the processes
    of ``settings``, or from the output folder's cache the layout of an earlier build of the
    same inputs (the same pages whatever the processes)."""
    profile, proof, jobs = settings
    from build_tools.writers.pdf.cache import LayoutCache, lay_out_kept, replay
    from build_tools.writers.pdf.partcache import PartCache, parts_base
    from build_tools.writers.pdf.trialcache import TrialCache

    cache = LayoutCache(project.out)
    key = cache.key(book, project.styles, profile or book.meta.print_profile, proof)
    if (hit := cache.get(key)) is not None:
        step(f"{doing}: unchanged since an earlier build, taken from {cache.folder.name}")
        replay(hit.logged)  # the same warnings as the build that made it
        return Printed(hit.layout, hit.warnings, key, hit.logged, hit.pdf)
    step(doing)
    # Imported on demand: ``book build epub`` never imports WeasyPrint.
    trials = TrialCache(project.out, project.styles)
    parts = PartCache(project.out, parts_base(book, project.styles, profile or book.meta.print_profile))
    layout, warnings, logged = lay_out_kept(book, project.styles, profile, proof, trials, jobs, parts)
    return Printed(layout, warnings, key, logged, trials=trials)


def write_pdf(
    project: Project, book: Book, printed: Printed, profile: str | None, proof: bool = False
) -> Path:
    """The PDF, copied from the cache or written and kept there."""
    from build_tools.writers.pdf.cache import LayoutCache
    from build_tools.writers.pdf.writer import PdfWriter

    writer = PdfWriter(profile, proof)
    if printed.cached is not None:
        return writer.copy(book, printed.cached, project.out)
    written = writer.write(book, printed.layout, project.out)
    kept = (printed.layout, printed.warnings, printed.logged)
    LayoutCache(project.out).put(printed.key, written.read_bytes(), *kept)
    if printed.trials is not None:
        printed.trials.save()
    return written


def write_cover(project: Project, book: Book, layout: PrintLayout, profile: str | None) -> Path:
    """The print cover for the interior just laid out: its spine from the real page count."""
    from build_tools.design.coverage import used_fonts
    from build_tools.writers.cover.sheet import write_cover as write_sheet

    fonts = used_fonts(book, read_fonts(project.styles))
    return write_sheet(book, fonts, profile or book.meta.print_profile, len(layout.pages), project.out)


def write_epub(project: Project, book: Book, layout: PrintLayout | None) -> Path:
    return EpubWriter(project.styles).write(book, layout, project.out)


def build(
    project: Project,
    formats: Sequence[str] = FORMATS,
    release: bool = False,
    step: Callable[[str], None] = lambda message: None,
    profile: str | None = None,
    proof: bool = False,
    jobs: int = 1,
) -> tuple[Book, list[Path]]:
    """Build the requested formats into ``project.out``; return the book and the files written.

    The print layout comes first when the PDF is asked for: it gives the EPUB the print page
    numbers of its index and its page-list. An EPUB alone has neither. A ``proof`` (and the
    proof profile) prints the editorial queries in the PDF (``layout/proofs.py``): the EPUB and
    the cover then take the press layout, laid out apart, as the proof's pages are its own.
    ``jobs``: the processes that lay out (``paginate.lay_out``)."""
    if proof and release:
        raise BookError("a proof prints the open queries and a release build refuses them: choose one")
    step("Reading the manuscript")
    book = read_book(project)
    # The proof profile (crop marks) is for proofs: it prints the queries, unless for a release.
    proof = proof or (not release and (profile or book.meta.print_profile) == "proof")
    # No tofu: every character has a face to set it, or nothing is laid out (issue 13 item 8).
    check_glyphs(book, check_styles(project.styles))
    if release and book.queries:
        raise ReleaseError(
            f"release build refused: {len(book.queries)} editorial quer"
            f"{'y is' if len(book.queries) == 1 else 'ies are'} open, first at {book.queries[0]}",
            book.queries[0].location,
        )
    layout = press = None
    written = []
    if "pdf" in formats or "cover" in formats:
        proofing = proof and "pdf" in formats
        doing = "Laying out the proof pages" if proofing else "Laying out the pages"
        layout = lay_out(project, book, (profile, proofing, jobs), step, doing)
        book = replace(book, diagnostics=book.diagnostics + layout.warnings)
        press = layout if not proofing or set(formats) == {"pdf"} else None
    if "pdf" in formats and layout:
        step("Writing the proof PDF" if proof else "Writing PDF")
        written.append(write_pdf(project, book, layout, profile, proof))
    if layout and press is None:
        again = "Laying out the pages for the EPUB and the cover"
        press = lay_out(project, book, (profile, False, jobs), step, again)
    if "cover" in formats and press:
        step("Writing the print cover")
        written.append(write_cover(project, book, press.layout, profile))
    if "epub" in formats:
        step("Writing EPUB")
        written.append(write_epub(project, book, press.layout if press else None))
    return book, written
