"""One exception family for the toolchain, with exit codes and manuscript locations.

Exit codes: 1 for a problem in the manuscript (or in what it asks for), 2 for a usage error
(click's own ``UsageError``). Every error is raised, never printed and returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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

    def format_message(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


class ManuscriptError(BookError):
    """The manuscript is malformed: bad metadata, Markdown, notes, names or dates."""


class ReleaseError(BookError):
    """A release build was refused because editorial work is still open."""


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
