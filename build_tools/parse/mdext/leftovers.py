r"""Nothing lost in silence: what no extension took is an error, never printed as text.

Once every extension has made its elements, the words left to print are read (code is not):

- a brace, ``{`` or ``}``: a form the format does not have (``{.unnumbered}``, ``{lang=}``, an
  anchor or an index mark mistyped, CriticMarkup other than queries). To print a brace, escape
  it: ``\{``.
- a paragraph whose lines all start and end with ``|``: a table that did not parse (its
  delimiter row, ``|---|---|``, is missing or does not match the header). To print such a line,
  escape its first ``|``.

- ``[^``: a note reference that did not parse (an unclosed label, a space in it).

Each is an error at the line and column where it is written.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from build_tools.errors import Location, ManuscriptError
from build_tools.parse.mdext.code import prose_lines

_CODE = ("code", "pre")
_BRACE = re.compile(r"[{}]")
_PLACEHOLDER = re.compile(r"\x02[^\x03]*\x03")  # an escaped character, until Python-Markdown's unescape
_HINTS = (
    (re.compile(r"\{#"), "an anchor's name is lower-case letters, digits and hyphens: {#the-commune}"),
    (re.compile(r"\{@"), "an index mark is [text]{@entry-id}, or {@entry-id:start} … {@entry-id:end}"),
    (re.compile(r"\{[.a-z]"), "attributes follow a bracketed span: [text]{.smallcaps}, [text]{lang=fr}"),
    (re.compile(r"\{[=>+~-]"), "an editorial query is {==text==}{>>query<<} or {>>query<<}, on one line"),
)


class LeftoverExtension(Extension):
    """``first_line``: the line of ``source`` the converted text starts on (0: not known)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.source = Path("<text>")
        self.first_line = 1
        self.lines: list[str] = []

    def reset(self) -> None:
        self.lines = []

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md.registerExtension(self)
        # After the notes (35) and images (34) scanners: the text as it is converted.
        md.preprocessors.register(_Lines(md, self), "leftover_lines", 33)
        # After the inline patterns (20) and our forms (15, 16); before the unescape (0).
        md.treeprocessors.register(_Leftovers(md, self), "leftovers", 8)

    def at(self, index: int, column: int) -> Location:
        """Line ``index`` of the text, at ``column`` (from 0): a column only in the file's own
        text (a note's lines lost their margin and its first line its label)."""
        line = self.first_line + index if self.first_line else 0
        return Location(self.source, line, column + 1 if self.first_line == 1 else 0)


class _Lines(Preprocessor):
    def __init__(self, md: Markdown, ext: LeftoverExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        self.ext.lines = prose_lines(lines)
        return lines


class _Leftovers(Treeprocessor):
    def __init__(self, md: Markdown, ext: LeftoverExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: ET.Element) -> None:
        for paragraph in root.iter("p"):
            lines = [line.strip() for line in "".join(paragraph.itertext()).strip().split("\n")]
            rows = [len(line) > 1 and line[0] == line[-1] == "|" for line in lines]
            runs = [n for n in range(len(rows)) if rows[n] and (n + 1 < len(rows) and rows[n + 1])]
            if all(rows) or runs:
                first = lines[runs[0] if runs else 0]
                raise ManuscriptError(
                    "a table that did not parse is printed as text: a table needs a blank line "
                    "before it, a header row and a delimiter row (|---|---|) with as many cells",
                    self._find(first[:30]) or Location(self.ext.source),
                )
        for text in _printed(root):
            if found := _BRACE.search(text):
                self._brace(text, found.start())
            if (index := text.find("[^")) >= 0:
                shown = text[index : index + 20].split("\n")[0]
                raise ManuscriptError(
                    f"a note reference that did not parse would be printed: {shown!r}; a note is "
                    "[^label] with its definition [^label]: … in the same file (to print it, write \\[^)",
                    self._find(shown) or Location(self.ext.source),
                )

    def _brace(self, text: str, index: int) -> None:
        before = _PLACEHOLDER.split(text[:index].rsplit("\n", 1)[-1])[-1][-20:]
        after = _PLACEHOLDER.split(text[index:].split("\n", 1)[0])[0][:20]
        where = self._find(before + after, len(before)) or self._find(after) or self._find(before + after[:1])
        shown = (before[-12:] + after).strip()
        hint = next((why for pattern, why in _HINTS if pattern.match(after)), "")
        raise ManuscriptError(
            f"a brace that no form of the format takes would be printed: {shown!r}"
            + (f"; {hint}" if hint else "")
            + r" (to print a brace, write \{ or \})",
            where or Location(self.ext.source),
        )

    def _find(self, needle: str, offset: int = 0) -> Location | None:
        """Where ``needle`` is first written outside code; the column of its ``offset``-th letter."""
        for index, line in enumerate(self.ext.lines):
            if needle and (column := line.find(needle)) >= 0:
                return self.ext.at(index, column + offset)
        return None


def _printed(element: ET.Element) -> Iterator[str]:
    """Every text of ``element`` a reader sees, code left out."""
    if element.text and element.tag not in _CODE:
        yield element.text
    for child in element:
        if child.tag not in _CODE:
            yield from _printed(child)
        if child.tail:
            yield child.tail
