"""The live Book: the whole manuscript read once, then kept current as its files are saved.

A save is read in two steps. First each saved section file is parsed alone, a pure call of
the session's Parser (the names file and the Markdown instances, nothing found before): the
preview shows its new text at once (``update_sections``), its index mentions numbered from
where the last whole read numbered that section. Then the whole manuscript is read again
(``reload``), because some facts belong to the whole book: anchors tie the text to the
chronology, index mentions are numbered across the book and every name must be found
somewhere; this read, cheap for a book of this size, is the authority and what the print view
lays out. A ``BookError`` is kept as the current error beside the last Book that could be
read, until a later save fixes it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from build_tools.errors import BookError, Diagnostic
from build_tools.model import Book, Query, Section
from build_tools.parse.parser import Parser, parse_book
from build_tools.parse.xrefs import resolve
from build_tools.sources import names as names_file
from build_tools.sources.manuscript import Manuscript, SourceFile, load, read_text

_Located = TypeVar("_Located", Query, Diagnostic)


class LiveBook:
    """The Book of a manuscript folder and the error that stops it being read, if any.

    ``book`` is the latest Book, which may hold a section parsed alone; ``settled`` is the
    latest Book read whole.
    """

    def __init__(self, source: Path, source_date_epoch: int) -> None:
        self.source = source
        self.epoch = source_date_epoch
        self.book: Book | None = None
        self.settled: Book | None = None
        self.error: BookError | None = None
        self._manuscript: Manuscript | None = None
        self._numbers: dict[Path, int] = {}
        self._first_mentions: dict[int, int] = {}  # section number: its first mention number
        self._parser = Parser()
        self._names_text: str | None = None
        # Readers (page requests) take (book, error) together while a rebuild replaces them.
        self._lock = threading.Lock()
        self.reload()

    def snapshot(self) -> tuple[Book | None, BookError | None]:
        with self._lock:
            return self.book, self.error

    def reload(self) -> None:
        """Read and parse the whole manuscript again."""
        try:
            manuscript = load(self.source)
            parsed = parse_book(manuscript, self.epoch)
            self._keep_parser(manuscript)
        except BookError as error:
            with self._lock:
                self.error = error
            return
        book = parsed.book
        with self._lock:
            self._manuscript, self.book, self.settled, self.error = manuscript, book, book, None
            self._numbers = {f.path.resolve(): n for n, f in enumerate(manuscript.files, 1)}
            self._first_mentions = {s.section.number: s.first_mention for s in parsed.sections}

    def update_sections(self, changed: Iterable[Path]) -> bool:
        """Parse the saved section files alone, for a first look; False if none was a section."""
        numbers = [self._numbers.get(path.resolve()) for path in changed]
        if self.book is None or None in numbers or not numbers:
            return False
        for number in sorted({n for n in numbers if n is not None}):
            self._reparse(number)
        return True

    def _keep_parser(self, manuscript: Manuscript) -> None:
        """One Parser for the session, made as ``parse_book`` makes it; another when the names change."""
        source = manuscript.names
        text = source.text if source else None
        language = manuscript.meta.language
        if text != self._names_text or language != self._parser.language:
            names = names_file.load(source.path, source.text) if source else None
            self._parser, self._names_text = Parser(names, manuscript.root, language), text

    def _reparse(self, number: int) -> None:
        assert self.book is not None and self._manuscript is not None
        path = self._manuscript.files[number - 1].path
        first_mention = self._first_mentions.get(number, 1)
        try:
            parsed = self._parser.section(number, SourceFile(path, read_text(path)), first_mention)
            # Its cross-references point into the rest of the book, as the whole read had it.
            sections, _ = resolve(
                tuple(parsed.section if s.number == number else s for s in self.book.sections),
                self.book.chronology,
                parsed.xrefs,
                self.book.parts,
            )
        except BookError as error:
            with self._lock:
                self.error = error
            return
        book = replace(
            self.book,
            sections=sections,
            queries=_regroup(self.book.queries, parsed.queries, path, sections),
            diagnostics=_regroup(self.book.diagnostics, parsed.diagnostics, path, sections),
        )
        with self._lock:
            self.book = book


def _regroup(
    old: Iterable[_Located], new: Iterable[_Located], path: Path, sections: tuple[Section, ...]
) -> tuple[_Located, ...]:
    """``old`` with the items of ``path`` replaced by ``new``, in reading order, the rest after."""
    items = [item for item in old if item.location.file != path] + list(new)
    order = {section.source: index for index, section in enumerate(sections)}
    return tuple(sorted(items, key=lambda item: order.get(item.location.file, len(order))))
