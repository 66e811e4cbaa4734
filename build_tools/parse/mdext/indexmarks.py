"""Index marks in the text: what the automatic name finder cannot know.

    [the General Secretary]{@stalin}   a passage that means a person without naming them
    [in Hunan]{@mao>hunan}             a mention under a subentry (names.yaml's subentries)
    {!Wilson}                          text never indexed (a false match)
    {@mao:start} … {@mao:end}          one continuous discussion: printed as a page range
    {@mao>hunan:start} … {@mao>hunan:end}   the same, under a subentry

Each mark is recorded with its line in ``IndexMarkExtension.marks`` so that the build can name
the place of an unknown id or an unclosed range.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from build_tools.errors import Location
from build_tools.parse.mdext.inline import ElementPattern

# No brackets (braces) inside: an unclosed run then fails at the next one, not at the line's end.
_ID = r"[a-z][a-z0-9-]*(?:>[a-z][a-z0-9-]*)?"  # an entry, or an entry's subentry: serge>china
EXPLICIT = re.compile(rf"\[([^\[\]\n]+)\]\{{@({_ID})\}}")
SUPPRESS = re.compile(r"(?<!\\)\{!([^{}\n]+)\}")  # "\\{!x\\}" is text, its braces escaped
RANGE = re.compile(rf"\{{@({_ID}):(start|end)\}}")


class IndexMarkExtension(Extension):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.source = Path("<text>")
        self.marks: list[tuple[str, str, Location]] = []  # (kind, entry id, where)

    def reset(self) -> None:
        self.marks = []

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md.registerExtension(self)
        md.preprocessors.register(_MarkScanner(md, self), "index_mark_scan", 37)
        md.inlinePatterns.register(ElementPattern(EXPLICIT, md, _explicit), "index_explicit", 187)
        md.inlinePatterns.register(ElementPattern(SUPPRESS, md, _suppress), "index_suppress", 187)
        md.inlinePatterns.register(ElementPattern(RANGE, md, _range), "index_range", 187)


class _MarkScanner(Preprocessor):
    def __init__(self, md: Markdown, ext: IndexMarkExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        for number, line in enumerate(lines, 1):
            for found in EXPLICIT.finditer(line):
                where = Location(self.ext.source, number, found.start() + 1)
                self.ext.marks.append(("explicit", found[2], where))
            for found in RANGE.finditer(line):
                where = Location(self.ext.source, number, found.start() + 1)
                self.ext.marks.append((found[2], found[1], where))
        return lines


def _explicit(m: re.Match[str]) -> ET.Element:
    span = ET.Element("span")
    span.set("class", "ix-explicit")
    span.set("data-ix", m[2])
    span.text = m[1]
    return span


def _suppress(m: re.Match[str]) -> ET.Element:
    span = ET.Element("span")
    span.set("class", "ix-no")
    span.text = m[1]
    return span


def _range(m: re.Match[str]) -> ET.Element:
    span = ET.Element("span")
    span.set("class", f"ix-range-{m[2]}")
    span.set("data-ix", m[1])
    return span
