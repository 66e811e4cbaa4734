"""The build, as a table of contents: read the manuscript, parse it into a Book, write formats."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from build_tools.design.fonts import FontSet, read_fonts
from build_tools.errors import BookError, Location, ReleaseError
from build_tools.model import Book
from build_tools.parse.parser import parse
from build_tools.sources.epoch import source_date_epoch
from build_tools.sources.manuscript import load

FORMATS = ("epub", "pdf")


class Writer(Protocol):
    def write(self, book: Book, out_dir: Path) -> Path: ...


@dataclass(frozen=True)
class Project:
    """Where things are: the manuscript, the styles, the output folder."""

    source: Path
    styles: Path
    out: Path


def read_book(project: Project) -> Book:
    """Everything the writers need, from the whole manuscript, before anything is written."""
    manuscript = load(project.source)
    return parse(manuscript, source_date_epoch(project.source))


STYLE_FILES = ("epub.css", "print.css")


def check_styles(styles: Path) -> FontSet:
    """The styles folder has what the writers read (give it with --styles if it is elsewhere):
    the two stylesheets, and ``fonts.toml`` with faces that exist; returns those faces."""
    for name in STYLE_FILES:
        if not (styles / name).is_file():
            raise BookError(f"the styles folder lacks {name} (use --styles to name the folder)",
                            Location(styles))
    return read_fonts(styles)


def writer_for(name: str, styles: Path, profile: str | None = None) -> Writer:
    # Imported on demand: ``book build epub`` never imports WeasyPrint.
    if name == "epub":
        from build_tools.writers.epub.writer import EpubWriter

        return EpubWriter(styles)
    from build_tools.layout.paginate import PdfWriter

    return PdfWriter(styles, profile)


def build(
    project: Project,
    formats: Sequence[str] = FORMATS,
    release: bool = False,
    step: Callable[[str], None] = lambda message: None,
    profile: str | None = None,
) -> tuple[Book, list[Path]]:
    """Build the requested formats into ``project.out``; return the book and the files written."""
    step("Reading the manuscript")
    book = read_book(project)
    check_styles(project.styles)
    if release and book.queries:
        raise ReleaseError(
            f"release build refused: {len(book.queries)} editorial quer"
            f"{'y is' if len(book.queries) == 1 else 'ies are'} open, first at {book.queries[0]}",
            book.queries[0].location,
        )
    written = []
    # The PDF first: its layout gives the EPUB the print page numbers of its index.
    for name in sorted(formats, key=lambda name: name != "pdf"):
        step(f"Writing {name.upper()}")
        writer = writer_for(name, project.styles, profile)
        written.append(writer.write(book, project.out))
        if layout := getattr(writer, "layout", None):
            book = replace(book, layout=layout)
    return book, written
