"""The settings of the paragraphs' trials kept between builds (issue 18, ``layout/trials.py``).

A book's build spends most of its layout on trials: each runt, loose line and stranded line is
set alone in a dozen variants. A trial's setting depends only on what its key names (the
paragraph as the trial sets it, its measure, the renderer's styles, fonts and page), so the
settings of one build are good for the next, whatever else changed: after an edit to one
chapter, only its paragraphs are tried again. They are kept in ``<out>/.book-cache/trials/``,
one JSON file per styles folder and toolchain (its name a SHA-256 of their files, as the layout
cache's keys are made): read before the layout, written atomically after it, with the settings
the build used and as many earlier ones as ``KEPT`` allows. A file that cannot be read is an
empty one; one that cannot be written is a warning (only the next build is slower).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import astuple
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.errors import BookError
from build_tools.writers.output import atomic_output
from build_tools.writers.pdf.cache import FOLDER, add_files, styles_files, toolchain

if TYPE_CHECKING:  # boxes.py imports WeasyPrint
    from build_tools.layout.boxes import Paragraph

FORMAT = 1
TRIALS = "trials"  # the folder of the trial files, in the layout cache's
KEPT = 200_000  # settings in one file, at most: the build's own first
FILES = 4  # trial files kept (styles folders, toolchains): the newest
_log = logging.getLogger(__name__)


class TrialCache:
    """The trials' settings of the output folder ``out`` for the styles folder ``styles``."""

    def __init__(self, out: Path, styles: Path) -> None:
        digest = hashlib.sha256(f"{FORMAT}\n{toolchain()}\n".encode())
        add_files(digest, styles_files(styles))
        self.path = out / FOLDER / TRIALS / f"{digest.hexdigest()}.json"
        self.earlier = _read(self.path)
        self.used: dict[str, Paragraph] = {}
        self.lasting: set[str] = set()

    def get(self, key: str) -> Paragraph | None:
        if key in self.used:
            return self.used[key]
        fields = self.earlier.get(key)
        setting = _setting(fields) if fields is not None else None
        if setting is not None:
            self.used[key] = setting
            self.lasting.add(key)
        return setting

    def put(self, key: str, setting: Paragraph, lasting: bool) -> None:
        self.used[key] = setting
        if lasting:
            self.lasting.add(key)

    def save(self) -> None:
        """Write the settings this build used, then earlier ones, ``KEPT`` at most."""
        kept = {key: _fields(self.used[key]) for key in sorted(self.lasting)}
        for key, fields in self.earlier.items():
            if len(kept) >= KEPT:
                break
            kept.setdefault(key, fields)
        try:
            with atomic_output(self.path) as temporary:
                text = json.dumps({"format": FORMAT, "settings": kept}, sort_keys=True)
                temporary.write_text(text, encoding="utf-8")
            others = sorted(self.path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime)
            for old in others[:-FILES]:
                old.unlink(missing_ok=True)
        except (BookError, OSError) as error:
            message = error.format_message() if isinstance(error, BookError) else str(error)
            _log.warning("warning: the trials' settings are not kept for the next build: %s", message)


def _read(path: Path) -> dict[str, list[object]]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        if found.get("format") != FORMAT or not isinstance(found.get("settings"), dict):
            return {}
        return {str(key): value for key, value in found["settings"].items() if isinstance(value, list)}
    except (OSError, ValueError, AttributeError):
        return {}


def _fields(setting: Paragraph) -> list[object]:
    lines, runt, loosest, measure, indent, size, parts, hyphenated = astuple(setting)
    return [lines, runt, loosest, measure, indent, size, [list(part) for part in parts], sorted(hyphenated)]


def _setting(fields: list[object]) -> Paragraph | None:
    """The setting written as ``fields``, or None if they are not one (edited by hand)."""
    from build_tools.layout.boxes import Paragraph

    try:
        lines, runt, loosest, measure, indent, size, parts, hyphenated = fields
        return Paragraph(
            int(str(lines)),
            bool(runt),
            float(str(loosest)),
            float(str(measure)),
            float(str(indent)),
            float(str(size)),
            tuple((int(page), int(count)) for page, count in parts),  # type: ignore[attr-defined]
            frozenset(int(line) for line in hyphenated),  # type: ignore[attr-defined]
        )
    except (ValueError, TypeError):
        return None
