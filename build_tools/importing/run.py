"""``book import FILE --out DIR``: what the file is, which front end reads it, the folder written."""

from __future__ import annotations

from pathlib import Path

from build_tools.errors import BookError, Location
from build_tools.importing.document import ImportedBook, Loss


def import_file(file: Path, out: Path, *, accept_changes: bool = False) -> list[Loss]:
    """Read ``file`` (a .docx or an EPUB) and write the manuscript folder ``out``; return what
    was not carried over. Raises ``BookError`` (nothing written) when the file cannot be read."""
    from build_tools.importing.folder import check_empty, write_manuscript

    check_empty(out)
    book = read_document(file, accept_changes=accept_changes)
    write_manuscript(book, out)
    return book.losses


def read_document(file: Path, *, accept_changes: bool = False) -> ImportedBook:
    """The ``ImportedBook`` of ``file``, by what its bytes are (its extension must agree)."""
    from build_tools.importing.sniff import sniff

    kind = sniff(file)
    if kind == "docx":
        from build_tools.importing.docx import read_docx

        return read_docx(file, accept_changes=accept_changes)
    if kind == "epub":
        from build_tools.importing.epub import read_epub

        return read_epub(file)
    raise BookError(f"cannot import a {kind} file", Location(file))  # pragma: no cover
