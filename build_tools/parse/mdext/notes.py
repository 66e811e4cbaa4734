"""Notes: ``[^label]`` references and ``[^label]: text`` definitions, as in Python-Markdown.

Unlike Python-Markdown's ``footnotes`` extension, this one only finds and checks: definitions
are taken out of the text (with their lines, for error messages) and each reference becomes a
placeholder ``<a data-note="label"/>``. Numbering, ids and the endnote semantics of
REFERENCE.md §1 are applied by the parser to the finished tree, in document order.

A definition may run over several paragraphs: continuation lines are indented by four spaces
or a tab. A reference inside a definition (a note in a note) is an error, as are references to
undefined labels, definitions never referenced, duplicate labels and references in headings.
Which side of the punctuation a call stands on is the language's convention, applied when the
text is set (``parse/typeset.py``), not the author's to get right.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from build_tools.errors import Location, ManuscriptError
from build_tools.parse.mdext.code import code_lines, without_code_spans
from build_tools.parse.mdext.inline import ElementPattern

# A label holds no bracket: a run of "[^[^[^…" then fails at once, not after scanning the line.
# Nor a backslash: "\[^1\]" is text with escaped brackets (README), never a note.
DEFINITION = re.compile(r"^\[\^([^\[\]\s\\]+)\]:[ \t]*(.*)$")
REFERENCE = re.compile(r"(?<!\\)\[\^([^\[\]\s\\]+)\]")
_SETEXT = re.compile(r"^(=+|-+)\s*$")


@dataclass(frozen=True)
class Definition:
    label: str
    text: str
    location: Location


class NotesExtension(Extension):
    """Finds note references and definitions in one document; ``source`` names its file."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.source = Path("<text>")
        self.definitions: dict[str, Definition] = {}
        self.references: list[tuple[str, Location]] = []

    def reset(self) -> None:
        self.definitions = {}
        self.references = []

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md.registerExtension(self)
        md.preprocessors.register(_NoteScanner(md, self), "note_scan", 35)
        md.inlinePatterns.register(ElementPattern(REFERENCE, md, _note_ref), "note_ref", 175)


class _NoteScanner(Preprocessor):
    def __init__(self, md: Markdown, ext: NotesExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        out = list(lines)
        code = code_lines(lines)  # a [^x] in code is code (issue 12): no reference, no definition
        index = 0
        while index < len(lines):
            if not code[index] and (found := DEFINITION.match(lines[index])):
                end = self._definition(lines, index, found)
                for cleared in range(index, end):
                    out[cleared] = ""
                index = end
                continue
            if not code[index]:
                self._references(lines, index)
            index += 1
        self._check()
        return out

    def _where(self, index: int, column: int = 0) -> Location:
        return Location(self.ext.source, index + 1, column)

    def _definition(self, lines: list[str], start: int, found: re.Match[str]) -> int:
        label = found[1]
        if label in self.ext.definitions:
            first = self.ext.definitions[label].location.line
            raise ManuscriptError(
                f"note [^{label}] is defined twice (first at line {first})", self._where(start, 1)
            )
        body, margins = [found[2]], [found.start(2)]
        end = start + 1
        while end < len(lines):
            line = lines[end]
            if line.startswith(("    ", "\t")):
                margin = 1 if line.startswith("\t") else 4
                body.append(line[margin:])
                margins.append(margin)
            elif not line.strip() and _indented_follows(lines, end):
                body.append("")
                margins.append(0)
            else:
                break
            end += 1
        for offset, (text, margin) in enumerate(zip(body, margins, strict=True)):
            if nested := REFERENCE.search(without_code_spans(text)):
                raise ManuscriptError(
                    f"a note cannot contain a note: [^{nested[1]}] inside the note [^{label}]",
                    self._where(start + offset, margin + nested.start() + 1),
                )
        self.ext.definitions[label] = Definition(label, "\n".join(body).strip(), self._where(start, 1))
        return end

    def _references(self, lines: list[str], index: int) -> None:
        line = lines[index]
        is_heading = line.lstrip().startswith("#") or (
            index + 1 < len(lines) and bool(_SETEXT.match(lines[index + 1])) and bool(line.strip())
        )
        for found in REFERENCE.finditer(without_code_spans(line)):
            where = self._where(index, found.start() + 1)
            if is_heading:
                raise ManuscriptError(
                    f"note reference [^{found[1]}] in a heading: move it into the text "
                    "(Chicago: never in a heading)",
                    where,
                )
            self.ext.references.append((found[1], where))

    def _check(self) -> None:
        referenced = set()
        for label, where in self.ext.references:
            if label not in self.ext.definitions:
                raise ManuscriptError(
                    f"note reference [^{label}] has no definition: add a line '[^{label}]: …'",
                    where,
                )
            referenced.add(label)
        for label, definition in self.ext.definitions.items():
            if label not in referenced:
                raise ManuscriptError(f"note [^{label}] is defined but never referenced", definition.location)


def _indented_follows(lines: list[str], index: int) -> bool:
    for line in lines[index + 1 :]:
        if line.strip():
            return line.startswith(("    ", "\t"))
    return False


def _note_ref(m: re.Match[str]) -> ET.Element:
    placeholder = ET.Element("a")
    placeholder.set("data-note", m[1])
    return placeholder
