"""Anchors: ``{#id}`` marks a place in the text that the chronology (or an index range) links to.

The mark becomes an empty ``<span class="anchor" id="anchor-ID">``; ``AnchorExtension.anchors``
records each with its line, so that the build can check links against them.
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

ANCHOR = re.compile(r"\{#([a-z][a-z0-9-]*)\}")


class AnchorExtension(Extension):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.source = Path("<text>")
        self.anchors: list[tuple[str, Location]] = []

    def reset(self) -> None:
        self.anchors = []

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md.registerExtension(self)
        md.preprocessors.register(_AnchorScanner(md, self), "anchor_scan", 38)
        md.inlinePatterns.register(ElementPattern(ANCHOR, md, _anchor), "anchor", 186)


class _AnchorScanner(Preprocessor):
    def __init__(self, md: Markdown, ext: AnchorExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        for number, line in enumerate(lines, 1):
            for found in ANCHOR.finditer(line):
                self.ext.anchors.append((found[1], Location(self.ext.source, number, found.start() + 1)))
        return lines


def _anchor(m: re.Match[str]) -> ET.Element:
    span = ET.Element("span")
    span.set("class", "anchor")
    span.set("id", f"anchor-{m[1]}")
    return span
