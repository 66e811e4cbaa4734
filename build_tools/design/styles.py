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

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tinycss2

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


# What a stylesheet may load (issue 17 item 6): epub.css goes into the EPUB alone (its fonts
# come from fonts.toml), so it loads nothing; print.css may load files of the styles folder.
_URL_FUNCTIONS = frozenset({"url", "src"})
_STRING_URL_FUNCTIONS = frozenset({"image-set", "-webkit-image-set"})  # their strings are URLs


def css_urls(css: str) -> Iterator[tuple[str, str, int, int]]:
    """Every URL ``css`` loads: (``import`` or ``url``, the URL, its line, its column), read
    from tinycss2's tokens (WeasyPrint's own parser), nested blocks walked without recursion."""
    pending: list[list[Any]] = [list(tinycss2.parse_component_value_list(css, skip_comments=True))]
    while pending:
        tokens = pending.pop()
        target = None  # an @import's: its URL is the import's, not a url() of its own
        for index, token in enumerate(tokens):
            if token is target:
                continue
            if token.type == "at-keyword" and token.lower_value == "import":
                target = next((t for t in tokens[index + 1 :] if t.type != "whitespace"), None)
                yield "import", _url_of(target), token.source_line, token.source_column
            elif token.type == "url":
                yield "url", token.value, token.source_line, token.source_column
            elif token.type == "function" and token.lower_name in _URL_FUNCTIONS:
                yield "url", _url_of(token), token.source_line, token.source_column
            elif token.type == "function" and token.lower_name in _STRING_URL_FUNCTIONS:
                for inner in token.arguments:
                    if inner.type == "string":
                        yield "url", inner.value, inner.source_line, inner.source_column
            if getattr(token, "content", None) is not None:
                pending.append(list(token.content))
            if token.type == "function":
                pending.append(list(token.arguments))


def _url_of(token: Any) -> str:
    """The URL an @import's target or a ``url()`` function names ('' when none is written)."""
    if token is None:
        return ""
    if token.type in ("string", "url"):
        return str(token.value)
    if token.type == "function":
        return next((str(t.value) for t in token.arguments if t.type in ("string", "url")), "")
    return ""
