"""Verse: a fenced block ``::: verse`` … ``:::`` keeps the lines and indents of a poem.

    ::: verse
    Ô saisons, ô châteaux,
      Quelle âme est sans défauts ?

    Ô saisons, ô châteaux,
    :::

Each line is a ``<span class="line">`` (a ``<br/>`` between lines, for a reading system without
the stylesheet); its leading spaces are its indent (``indent-1`` per two spaces, up to
``indent-8``); a blank line starts a stanza, ``<p class="stanza">``; the whole is a
``<div class="verse">``. The stylesheets set it flush left, never justified, a long line
turning over with a hanging indent. A line's words are Markdown (emphasis, notes, index marks).
The fences stand alone on their lines, with a blank line before ``::: verse``; any other kind
of ``:::`` block, a fence left open or a ``:::`` that closes nothing is an error at its line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from build_tools.errors import Location, ManuscriptError
from build_tools.parse.mdext.code import DIV, code_lines

KIND = "verse"
_OPEN = re.compile(r"[ \t]*:::[ \t]*verse[ \t]*")
MAX_INDENT = 8


class VerseExtension(Extension):
    """``first_line``: the line of ``source`` the converted text starts on (0: not known)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.source = Path("<text>")
        self.first_line = 1

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md.registerExtension(self)
        md.preprocessors.register(_FenceScanner(md, self), "verse_scan", 36)
        md.parser.blockprocessors.register(_Verse(md.parser), "verse", 105)


class _FenceScanner(Preprocessor):
    """Every ``:::`` line outside code opens a verse or closes one; errors with their lines."""

    def __init__(self, md: Markdown, ext: VerseExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        opened = 0
        for index, (line, code) in enumerate(zip(lines, code_lines(lines), strict=True)):
            found = None if code else DIV.match(line)
            if found is None:
                continue
            kind = found["kind"].strip()
            if not kind and not opened:
                raise ManuscriptError(
                    "a ':::' that closes nothing: a verse opens with '::: verse'", self._at(index)
                )
            if kind and kind != KIND:
                raise ManuscriptError(
                    f"unknown block '::: {kind}': the format knows '::: verse' … ':::'", self._at(index)
                )
            if kind and opened:
                raise ManuscriptError(
                    "'::: verse' inside a verse: close the first with ':::'", self._at(index)
                )
            if kind and index and lines[index - 1].strip(" \t>"):
                raise ManuscriptError("'::: verse' needs a blank line before it", self._at(index))
            opened = index + 1 if kind else 0
        if opened:
            raise ManuscriptError(
                "'::: verse' is never closed: end the verse with a line ':::'", self._at(opened - 1)
            )
        return lines

    def _at(self, index: int) -> Location:
        return Location(self.ext.source, self.ext.first_line + index if self.ext.first_line else 0)


class _Verse(BlockProcessor):
    def test(self, parent: ET.Element, block: str) -> bool:
        # In a block quotation, once the quotation's parser has taken the ">" off the lines.
        return _OPEN.fullmatch(block.split("\n", 1)[0]) is not None

    def run(self, parent: ET.Element, blocks: list[str]) -> None:
        stanzas: list[list[str]] = []
        lines = blocks.pop(0).split("\n")[1:]
        while True:
            end = next((i for i, line in enumerate(lines) if line.strip() == ":::"), None)
            if end is not None:
                stanzas.append(lines[:end])
                if rest := "\n".join(lines[end + 1 :]).strip("\n"):
                    blocks.insert(0, rest)
                break
            stanzas.append(lines)
            if not blocks:  # never closed: the scanner has said so where it knows the lines
                break
            lines = blocks.pop(0).split("\n")
        verse = ET.SubElement(parent, "div", {"class": "verse"})
        for stanza in stanzas:
            if written := [line for line in stanza if line.strip()]:
                _stanza(ET.SubElement(verse, "p", {"class": "stanza"}), written)


def _stanza(paragraph: ET.Element, lines: list[str]) -> None:
    for number, line in enumerate(lines):
        if number:
            ET.SubElement(paragraph, "br")
        spaces = len(line) - len(line.lstrip(" "))
        indent = min((spaces + 1) // 2, MAX_INDENT)
        span = ET.SubElement(paragraph, "span", {"class": f"line indent-{indent}" if indent else "line"})
        span.text = line.strip().removesuffix("\\").rstrip()  # a line break is the line's end anyway
