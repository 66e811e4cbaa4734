"""One exception family for the toolchain, with exit codes and manuscript locations.

Exit codes: 1 for a problem in the manuscript (or in what it asks for), 2 for a usage error
(click's own ``UsageError``), 3 when a tool a check runs is not installed (``ToolMissing``).
Every error is raised, never printed and returned.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click


@dataclass(frozen=True)
class Location:
    """A place in a manuscript file, 1-based; line 0 means "the whole file"."""

    file: Path
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        text = str(self.file)
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text


class BookError(click.ClickException):
    """A problem the user can fix, reported as ``file:line: message`` with exit code 1."""

    exit_code = 1

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.location = location

    def __reduce__(self) -> tuple[type[BookError], tuple[str, Location | None]]:
        """Pickled with its location: raised in a worker process, it is the main process's
        report (``layout/parts.py``)."""
        return (type(self), (self.message, self.location))

    def format_message(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


class ManuscriptError(BookError):
    """The manuscript is malformed: bad metadata, Markdown, notes, names or dates."""


class ReleaseError(BookError):
    """A release build was refused because editorial work is still open."""


class ToolMissing(BookError):
    """A tool a check runs (EPUBCheck, DAISY Ace) is not installed: the message says how to
    install it. Exit code 3, so that "not checked" is never taken for a verdict on the book."""

    exit_code = 3


@dataclass(frozen=True)
class Diagnostic:
    """A warning about the manuscript that does not stop the build.

    ``text`` is the text it is about, if any: ``book check``'s ignore file can name it.
    """

    location: Location
    code: str
    message: str
    text: str = ""

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.message}"


# TOML files (book.toml, the styles' fonts.toml): where a key is, for errors that name its line.


def nearest(word: str, valid: Sequence[str]) -> str | None:
    """The valid word closest to a mistyped one, for an error's "did you mean …?" (None: none is)."""
    close = difflib.get_close_matches(word, valid, n=1)
    return close[0] if close else None


def did_you_mean(word: str, valid: Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` after an error about ``word``, or nothing."""
    close = nearest(word, valid)
    return f" (did you mean '{close}'?)" if close else ""


def read_toml(path: Path, text: str, error: type[BookError] = BookError) -> dict[str, Any]:
    """The TOML document ``text`` (the file ``path``); a syntax error is raised as ``error``
    with the line and column tomllib gives."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = Location(path, int(found[1]), int(found[2])) if found else Location(path)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise error(f"malformed TOML: {message}", where) from None


def key_location(path: Path, text: str, key: str) -> Location:
    """The line of ``key = …`` in a TOML file, or of the table ``[key]``; line 0 if neither.

    ``table.key`` finds the key inside ``[table]`` only; a plain ``key`` is found in any table.
    """
    table, _, name = key.rpartition(".")
    current = ""
    for number, line in enumerate(text.splitlines(), 1):
        if header := re.match(r"\s*\[\s*([^\[\]]+?)\s*\]", line):
            current = header[1]
            if current == key:
                return Location(path, number)
        elif (not table or current == table) and re.match(rf"\s*[\"']?{re.escape(name)}[\"']?\s*=", line):
            return Location(path, number)
    return Location(path)
