"""Parts laid out apart, kept between builds (issue 18 item 2: ``layout/parts.py``).

A part's pages depend only on what its key names (``parts.part_key``: its print HTML, with the
pages it prints written in, its first folio and place in the book, the renderer's styles,
fonts and page, the toolchain), so a later build that asks for the same part takes its pages
and facts from ``<out>/.book-cache/parts/`` instead of laying it out: after an edit to one
chapter, only that chapter (and what prints its pages: the contents, the notes, the index) is
laid out again. A part whose folio moved is laid out once with the keeps its last layout
settled on (kept by the key of its HTML alone), not settled again. The plan of the last build
(each part's page count) places the parts not yet laid out. Entries are JSON and the part's
PDF, written atomically; nothing is unpickled. An entry that cannot be read is a miss; the
newest ``ENTRIES`` are kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import astuple
from pathlib import Path
from typing import TYPE_CHECKING, Any

from build_tools.layout.compose import Respace
from build_tools.layout.keeps import Keep
from build_tools.model import Book
from build_tools.textpos import Place
from build_tools.writers.output import atomic_output
from build_tools.writers.pdf.cache import FOLDER, add_files, styles_files, toolchain

if TYPE_CHECKING:
    from build_tools.layout.partwork import PartPages, PartTask
    from build_tools.layout.settle import Keeps

PARTS = "parts"
FORMAT = 2  # of the entries: another number makes every entry a miss
ENTRIES = 600  # parts kept (the newest): a few books of a few hundred parts
_log = logging.getLogger(__name__)


def parts_base(book: Book, styles: Path, profile: str) -> str:
    """What every part's pages depend on besides its own HTML (``parts.part_keys``): the
    toolchain, the styles folder's files, the pictures the book prints, the printer."""
    digest = hashlib.sha256(f"{FORMAT}\n{profile}\n".encode())
    digest.update(toolchain().encode())
    add_files(digest, styles_files(styles) + [image.path for image in book.images])
    return digest.hexdigest()


class PartCache:
    """The parts of the output folder ``out``."""

    def __init__(self, out: Path, base: str) -> None:
        self.folder = out / FOLDER / PARTS
        self.base = base
        self.plan: dict[tuple[str, ...], int] = {}
        self.labels: dict[str, str] = {}
        try:
            read = json.loads((self.folder / "plan.json").read_text(encoding="utf-8"))
            self.plan = {tuple(map(str, names)): int(count) for names, count in read["counts"]}
            self.labels = {str(key): str(label) for key, label in read["labels"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            self.plan, self.labels = {}, {}

    def get(self, key: str, task: PartTask) -> PartPages | None:
        """The part laid out for ``key``, as ``task`` asked for it."""
        from build_tools.layout.partwork import PartPages

        try:
            facts = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            pdf = (self.folder / f"{key}.pdf").read_bytes()
            found = PartPages(task, pdf, *_facts(facts))
            (self.folder / f"{key}.pdf").touch()  # the newest used, the last removed
            return found
        except (OSError, ValueError, TypeError, KeyError, IndexError):
            return None

    def put(self, key: str, part: PartPages) -> None:
        self._write(f"{key}.pdf", part.pdf)
        self._write(f"{key}.json", json.dumps(_json(part), ensure_ascii=False).encode())

    def keeps(self, key: str) -> Keeps | None:
        """The keeps a part of the HTML ``key`` settled on."""
        try:
            return _keeps(json.loads((self.folder / f"keeps-{key}.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, KeyError, IndexError):
            return None

    def put_keeps(self, key: str, keeps: Keeps) -> None:
        self._write(f"keeps-{key}.json", json.dumps(_keeps_json(keeps), ensure_ascii=False).encode())

    def save_plan(self, counts: dict[tuple[str, ...], int], labels: dict[str, str]) -> None:
        """The parts' page counts and the pages printed for each element id, for the next
        build's plan; the oldest entries go."""
        plan = {"counts": [[list(names), count] for names, count in counts.items()], "labels": labels}
        self._write("plan.json", json.dumps(plan, ensure_ascii=False).encode())
        self._prune()

    def _write(self, name: str, data: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with atomic_output(self.folder / name) as temporary:
                temporary.write_bytes(data)
        except OSError as error:  # only the next build is slower
            _log.warning("the layout cache could not keep a part (%s): %s", name, error.strerror or error)

    def _prune(self) -> None:
        def newest(pattern: str) -> list[Path]:
            return sorted(self.folder.glob(pattern), key=lambda path: path.stat().st_mtime, reverse=True)

        for old in newest("*.pdf")[ENTRIES:]:
            for path in (old, old.with_suffix(".json")):
                path.unlink(missing_ok=True)
        for old in newest("keeps-*.json")[ENTRIES:]:
            old.unlink(missing_ok=True)


def _json(part: PartPages) -> dict[str, Any]:
    return {
        "anchors": [list(names) for names in part.anchors],
        "texts": [[list(text.first), text.counts, text.hyphenated] for text in part.texts],
        "bookmarks": part.bookmarks,
        "heights": part.heights,
        "resolutions": part.resolutions,
        "mentions": {key: astuple(place) for key, place in part.mentions.items()},
        "keeps": _keeps_json(part.keeps),
        "targets": sorted(part.targets),
        "logged": part.logged,
        "split": part.split,
    }


def _facts(facts: dict[str, Any]) -> tuple[Any, ...]:
    from build_tools.layout.boxes import PageText

    texts = [
        PageText((str(first[0]), int(first[1])), dict(counts), bool(hyphen))
        for first, counts, hyphen in facts["texts"]
    ]
    bookmarks = [
        [(int(b[0]), str(b[1]), (float(b[2][0]), float(b[2][1])), str(b[3])) for b in page]
        for page in facts["bookmarks"]
    ]
    return (
        [tuple(str(name) for name in names) for names in facts["anchors"]],
        texts,
        bookmarks,
        [float(height) for height in facts["heights"]],
        [(int(index), str(href), float(ppi)) for index, href, ppi in facts["resolutions"]],
        {str(key): Place(str(p[0]), int(p[1]), int(p[2])) for key, p in facts["mentions"].items()},
        _keeps(facts["keeps"]),
        frozenset(str(target) for target in facts["targets"]),
        [(str(name), int(level), str(message)) for name, level, message in facts["logged"]],
        [(int(number), str(word)) for number, word in facts["split"]],
    )


def _keeps_json(keeps: Keeps) -> list[list[object]]:
    return sorted(
        ([type(item).__name__, *astuple(item)] for item in keeps), key=lambda item: [str(v) for v in item]
    )


def _keeps(items: list[list[Any]]) -> Keeps:
    found: set[Keep | Respace] = set()
    for kind, *fields in items:
        found.add(
            Keep(str(fields[0]), str(fields[1]), int(fields[2]))
            if kind == "Keep"
            else Respace(*map(str, fields))
        )
    return frozenset(found)
