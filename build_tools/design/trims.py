"""Trim sizes: the page sizes a printed book can have, by the names ``book.toml`` gives them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Trim:
    """The trimmed page size of the printed book, in inches."""

    width: float
    height: float

    @property
    def css(self) -> str:
        return f"{self.width:g}in {self.height:g}in"

    @property
    def label(self) -> str:
        return f"{self.width:g} × {self.height:g} in"


TRIMS = {"6x9in": Trim(6, 9), "5.5x8.5in": Trim(5.5, 8.5), "5x8in": Trim(5, 8)}
DEFAULT = "6x9in"
