"""Which styles folder a book is set with: the one named, the manuscript's own, or the toolchain's.

The rule, first match wins (issue 12 item 10):

1. ``--styles DIR``, when given;
2. ``styles/`` inside the manuscript folder (a book that carries its own design);
3. ``styles/`` beside the manuscript folder (the repository's layout: ``manuscript/`` and
   ``styles/`` side by side, as the first book has them);
4. the toolchain's default styles, shipped inside the package (``build_tools/data/styles``):
   EB Garamond and the stylesheets of the first book. In a checkout that folder is a link to the
   top-level ``styles/``, so there is one copy in git; a wheel carries the files themselves.

A folder found by 2 or 3 is used as it is: one that lacks a stylesheet is an error, never
completed from the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FOLDER = "styles"
DEFAULT_STYLES = Path(__file__).parent.parent / "data" / FOLDER


@dataclass(frozen=True)
class Styles:
    """The styles folder chosen, and why (for the message that names it)."""

    folder: Path
    origin: str

    @property
    def is_default(self) -> bool:
        return self.origin == DEFAULT


GIVEN, INSIDE, BESIDE, DEFAULT = "given", "inside the manuscript", "beside the manuscript", "default"


def find_styles(source: Path, given: Path | None = None) -> Styles:
    """The styles folder of the manuscript at ``source``, by the rule above."""
    if given is not None:
        return Styles(given, GIVEN)
    inside = source / FOLDER
    if inside.is_dir():
        return Styles(inside, INSIDE)
    beside = source.resolve().parent / FOLDER
    if beside.is_dir():
        return Styles(beside, BESIDE)
    return Styles(DEFAULT_STYLES, DEFAULT)
