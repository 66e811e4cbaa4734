"""What a file to import really is, by its bytes: a Word document, an EPUB, or a clear refusal."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

from build_tools.errors import BookError, Location

Kind = Literal["docx", "epub"]
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: .doc, or an encrypted .docx
_NAMES: dict[str, Kind] = {".docx": "docx", ".epub": "epub"}
_WHAT = {"docx": "a Word document (.docx)", "epub": "an EPUB"}


def sniff(path: Path) -> Kind:
    """``"docx"`` or ``"epub"``; a ``BookError`` (one line, naming the file) for anything else."""
    where = Location(path)
    try:
        with path.open("rb") as file:
            head = file.read(8)
    except OSError as exc:
        raise BookError(f"cannot read the file: {exc.strerror}", where) from None
    if head == _CFB:
        raise BookError(_compound(path), where)
    if not head.startswith(b"PK"):
        raise BookError(f"not a Word document (.docx) or an EPUB: {_looks_like(head)}", where)
    kind = _zip_kind(path)
    expected = _NAMES.get(path.suffix.lower())
    if expected is None:
        raise BookError(f"unknown extension '{path.suffix}': book import reads .docx and .epub files", where)
    if kind != expected:
        raise BookError(f"the file is {_WHAT[kind]}, not what its extension '{path.suffix}' says", where)
    return kind


def _zip_kind(path: Path) -> Kind:
    where = Location(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            broken = archive.testzip()
            mimetype = archive.read("mimetype")[:64].strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError) as exc:
        raise BookError(f"the file is damaged (not a readable zip archive: {exc})", where) from None
    if broken is not None:
        raise BookError(f"the file is damaged: its part '{broken}' does not read back", where)
    if "word/document.xml" in names:
        return "docx"
    if mimetype == b"application/epub+zip" or "META-INF/container.xml" in names:
        return "epub"
    raise BookError("a zip archive that is neither a Word document (.docx) nor an EPUB", where)


def _compound(path: Path) -> str:
    """Why an OLE compound file cannot be read: an encrypted .docx, or a Word 97–2003 .doc."""
    data = path.read_bytes()[: 1 << 20]
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "the document is password-protected (encrypted): remove the password in Word and save it again"
    return "an old Word (.doc) or other OLE file: open it in Word or LibreOffice and save it as .docx"


def _looks_like(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return "it is a PDF"
    if head.startswith((b"{\\rtf", b"{\\RTF")):
        return "it is an RTF file (save it as .docx)"
    if not head:
        return "it is empty"
    return "it is not a zip archive"
