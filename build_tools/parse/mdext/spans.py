"""Inline attributes on a bracketed span: ``[text]{.smallcaps}``, ``[text]{lang=fr}``.

    [Reclus]{.smallcaps}            small capitals, from the font (its ``smcp`` feature)
    [la Commune de Canton]{lang=fr} a phrase in another language (BCP 47): read, hyphenated
                                    and spoken as that language
    [Le Temps]{.smallcaps lang=fr}  both

The span becomes ``<span class="smallcaps" lang="fr">``; the EPUB adds ``xml:lang``. Index marks
(``[text]{@id}``) are another form. Anything else in the braces — another class, another
attribute, a malformed language — is an error at its line and column: the format prints nothing
it does not understand. The braces are checked where they are written (outside code), before
conversion.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from build_tools.errors import Location, ManuscriptError
from build_tools.lang.tags import is_language_tag
from build_tools.parse.mdext.code import prose_lines
from build_tools.parse.mdext.inline import ElementPattern

CLASSES = ("smallcaps",)
# No brackets or braces inside (as the index marks): an unclosed run fails at the next one.
SPAN = re.compile(r"(?<!\\)\[([^\[\]\n]+)\]\{(?![@=#!>])([^{}\n]*)\}")
_ATTRIBUTE = re.compile(
    r"""\.(?P<cls>[^\s.=]+)|(?P<key>[^\s=]+)=(?P<value>"[^"]*"|'[^']*'|[^\s"']*)|(?P<other>\S+)"""
)


class SpanExtension(Extension):
    """``first_line``: the line of ``source`` the converted text starts on (0: not known)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.source = Path("<text>")
        self.first_line = 1

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md.registerExtension(self)
        md.preprocessors.register(_SpanScanner(md, self), "span_scan", 36)
        make = lambda m: _span(m, Location(self.source))  # noqa: E731 (checked by the scanner)
        md.inlinePatterns.register(ElementPattern(SPAN, md, make), "span", 188)


class _SpanScanner(Preprocessor):
    def __init__(self, md: Markdown, ext: SpanExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        for number, line in enumerate(prose_lines(lines)):
            for found in SPAN.finditer(line):
                start = self.ext.first_line + number if self.ext.first_line else 0
                column = found.start(2) if self.ext.first_line == 1 else 0  # a note's: its line only
                attributes(found[2], Location(self.ext.source, start, column))
        return lines


def attributes(written: str, where: Location) -> dict[str, str]:
    """The attributes of ``{written}`` (``where`` is its opening brace), or an error."""
    found: dict[str, str] = {}
    classes: list[str] = []
    for item in _ATTRIBUTE.finditer(written):
        at = Location(where.file, where.line, where.column + item.start() + 1 if where.column else 0)
        if item["cls"]:
            if item["cls"] not in CLASSES:
                raise ManuscriptError(
                    f"unknown class .{item['cls']} in {{{written}}}: the format knows "
                    "[text]{.smallcaps} and [text]{lang=fr}",
                    at,
                )
            classes.append(item["cls"])
        elif item["key"] == "lang":
            language = item["value"].strip("\"'")
            if not is_language_tag(language):
                raise ManuscriptError(
                    f"{{{written}}}: lang= takes a language tag (BCP 47), as lang=fr or lang=zh-Hant",
                    at,
                )
            found["lang"] = language
        else:
            raise ManuscriptError(
                f"{{{written}}}: the format knows [text]{{.smallcaps}} and [text]{{lang=fr}}, "
                f"not {item[0]!r}",
                at,
            )
    if not classes and not found:
        raise ManuscriptError(
            f"{{{written}}} is empty: write [text]{{.smallcaps}} or [text]{{lang=fr}}", where
        )
    if classes:
        found["class"] = " ".join(dict.fromkeys(classes))
    return found


def _span(m: re.Match[str], where: Location) -> ET.Element:
    span = ET.Element("span")
    for name, value in attributes(m[2], where).items():
        span.set(name, value)
    span.text = m[1]
    return span
