"""Laid-out books kept between builds (issue 18 item 2, the whole book as its one part).

A build whose inputs are those of an earlier build gets that build's PDF and the facts of its
layout (the pages' labels and first words, the page of every element id and mention, the
warnings the layout gave) from ``<out>/.book-cache/`` instead of laying the book out again:
``book build all`` after ``book build pdf``, a second ``make``, a build after an edit that was
undone. The key is a SHA-256 of everything a layout reads: the Book as parsed (its ``repr``:
every field but the warnings, the source date included, the same in every process), the files of the styles
folder (stylesheets, ``fonts.toml``, the fonts), the pictures the book prints, the printer's
profile, whether it is a proof, and the toolchain itself (its own source files, the versions of
the libraries that lay out and write the pages). Whatever changes, the key does: an entry is
never used for other inputs. An entry that cannot be read (cut short, edited by hand) is
laid out again, as a missing one is; the newest ``ENTRIES`` are kept. Entries are JSON and PDF,
written atomically (``atomic_output``): nothing in the folder is ever executed or unpickled.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from build_tools.errors import BookError, Diagnostic, Location
from build_tools.layout.parts import PartStore
from build_tools.layout.trials import TrialStore
from build_tools.model import Book, PageStart, PrintLayout
from build_tools.writers.output import atomic_output

FOLDER = ".book-cache"
ENTRIES = 8  # books (or printers, or proofs) kept: the newest
LIBRARIES = ("weasyprint", "pydyf", "pikepdf", "fonttools", "pyphen", "pillow", "tinycss2", "cssselect2")
FORMAT = 1  # of the entries: another number makes every entry a miss
_LAYOUT_LOG = "build_tools.layout"
_TOOLCHAIN = Path(__file__).resolve().parent.parent.parent  # the build_tools package
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Cached:
    """What a PDF build made and a later one can take: the written PDF (press-ready), its
    layout, the warnings of its pages (pictures under 300 ppi) and what the layout logged."""

    pdf: Path
    layout: PrintLayout
    warnings: tuple[Diagnostic, ...]
    logged: tuple[str, ...]


class LayoutCache:
    """The entries of one output folder."""

    def __init__(self, out: Path) -> None:
        self.folder = out / FOLDER

    def key(self, book: Book, styles: Path, profile: str, proof: bool) -> str:
        digest = hashlib.sha256(f"{FORMAT}\n{profile}\n{proof}\n".encode())
        digest.update(toolchain().encode())
        digest.update(repr(replace(book, diagnostics=())).encode())  # warnings change no page
        add_files(digest, styles_files(styles) + [image.path for image in book.images])
        return digest.hexdigest()

    def get(self, key: str) -> Cached | None:
        """The entry of ``key``, or None if there is none that can be read."""
        pdf, facts = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        try:
            found = json.loads(facts.read_text(encoding="utf-8"))
            if not pdf.is_file() or found.get("format") != FORMAT:
                return None
            layout = PrintLayout(
                tuple(PageStart(str(a), str(b), int(c)) for a, b, c in found["pages"]),
                {str(k): int(v) for k, v in found["places"].items()},
                int(found["first_text_page"]),
            )
            warnings = tuple(_diagnostic(item) for item in found["warnings"])
            logged = tuple(str(message) for message in found["logged"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        facts.touch()  # the newest used, the last removed
        return Cached(pdf, layout, warnings, logged)

    def put(
        self, key: str, pdf: bytes, layout: PrintLayout, warnings: Sequence[Diagnostic], logged: Sequence[str]
    ) -> None:
        """Keep the finished ``pdf`` and its layout's facts under ``key``; the oldest entries go."""
        facts = {
            "format": FORMAT,
            "pages": [[page.label, page.target, page.offset] for page in layout.pages],
            "places": dict(layout.places),
            "first_text_page": layout.first_text_page,
            "warnings": [_fields(warning) for warning in warnings],
            "logged": list(logged),
        }
        try:
            with atomic_output(self.folder / f"{key}.pdf") as temporary:
                temporary.write_bytes(pdf)
            with atomic_output(self.folder / f"{key}.json") as temporary:
                temporary.write_text(json.dumps(facts, ensure_ascii=False, sort_keys=True), encoding="utf-8")
            self._trim()
        except (BookError, OSError) as error:  # the PDF is written: only the next build is slower
            message = error.format_message() if isinstance(error, BookError) else str(error)
            _log.warning("warning: the layout is not kept for the next build: %s", message)

    def _trim(self) -> None:
        entries = sorted(self.folder.glob("*.json"), key=lambda path: path.stat().st_mtime, reverse=True)
        for old in entries[ENTRIES:]:
            old.unlink(missing_ok=True)
            old.with_suffix(".pdf").unlink(missing_ok=True)


@contextmanager
def layout_log() -> Iterator[list[str]]:
    """The warnings the layout logs while the block runs (still printed), to keep with it."""
    logged: list[str] = []

    class _Kept(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                logged.append(record.getMessage())
                if not logging.getLogger().hasHandlers() and logging.lastResort is not None:
                    logging.lastResort.handle(record)  # printed as it was with no handler here

    handler, logger = _Kept(), logging.getLogger(_LAYOUT_LOG)
    logger.addHandler(handler)
    try:
        yield logged
    finally:
        logger.removeHandler(handler)


def lay_out_kept(
    book: Book,
    styles: Path,
    profile: str | None,
    proof: bool,
    trials: TrialStore | None = None,
    jobs: int = 1,
    parts: PartStore | None = None,
) -> tuple[PrintLayout, tuple[Diagnostic, ...], tuple[str, ...]]:
    """The book laid out now (``paginate.lay_out``, by ``jobs`` processes, with the settings of
    earlier ``trials`` and the ``parts`` of earlier builds) with what an entry keeps of it
    besides the PDF: the pictures printed under 300 ppi, and what the layout logged. Imports
    WeasyPrint."""
    from build_tools.layout.images import low_resolution
    from build_tools.layout.paginate import lay_out

    with layout_log() as logged:
        layout = lay_out(book, styles, profile, proof, trials, jobs, parts)
    return layout, low_resolution(book, layout), tuple(logged)


def replay(logged: Sequence[str]) -> None:
    """Say again what the layout taken from the cache said when it was made."""
    logger = logging.getLogger(_LAYOUT_LOG)
    for message in logged:
        logger.warning("%s", message)


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def add_files(digest: hashlib._Hash, paths: Sequence[Path]) -> None:
    """Each file's name and the SHA-256 of its bytes, in order, into ``digest``."""
    for path in paths:
        digest.update(f"\n{path.name}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def styles_files(styles: Path) -> list[Path]:
    """The files of the styles folder, in order: stylesheets, fonts.toml, the fonts."""
    return _files(styles.resolve())


def toolchain() -> str:
    """The toolchain's own code and the versions of the libraries that make the pages."""
    digest = hashlib.sha256()
    for path in _files(_TOOLCHAIN):
        if path.suffix == ".py":
            digest.update(f"{path.relative_to(_TOOLCHAIN)}\n".encode())
            digest.update(path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {importlib.metadata.version(name)}\n".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name} none\n".encode())
    return digest.hexdigest()


def _fields(warning: Diagnostic) -> dict[str, object]:
    where = warning.location
    return {
        "file": str(where.file),
        "line": where.line,
        "column": where.column,
        "code": warning.code,
        "message": warning.message,
        "text": warning.text,
    }


def _diagnostic(item: dict[str, object]) -> Diagnostic:
    location = Location(Path(str(item["file"])), int(str(item["line"])), int(str(item["column"])))
    return Diagnostic(location, str(item["code"]), str(item["message"]), str(item["text"]))
