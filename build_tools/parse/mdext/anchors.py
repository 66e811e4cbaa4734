"""Anchors: ``{#id}`` names a place in the text that the chronology (or a cross-reference) links to.

Alone, the mark becomes an empty ``<span class="anchor" id="anchor-ID">``. At the end of a
heading (``## The Commune {#commune}``) it is the heading's id instead, never shown in the text
or the contents: a subheading gets ``id="anchor-ID"``, the section's title (``# Title {#id}``)
keeps it as ``data-anchor`` for the parser to give the section. After a figure or in a table's
caption it names the figure or the table (``figures``, ``tables``). Every id is one name of the
same kind wherever it is written: ``AnchorExtension.anchors`` records each with its line, so that
the build can check links against them and refuse a name used twice.
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

from build_tools import ids
from build_tools.errors import Location, ManuscriptError
from build_tools.parse.mdext.inline import ElementPattern

ANCHOR = re.compile(r"\{#([a-z][a-z0-9-]*)\}")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
TITLE_ANCHOR = "data-anchor"  # on the <h1>: the name written at its end


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
        md.treeprocessors.register(_HeadingIds(md, self), "heading_ids", 16)

    def where(self, element_id: str) -> Location:
        """Where the anchor that made the element id ``anchor-NAME`` is written."""
        name = element_id.removeprefix(ids.anchor(""))
        return next((at for found, at in self.anchors if found == name), Location(self.source))


class _AnchorScanner(Preprocessor):
    def __init__(self, md: Markdown, ext: AnchorExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        for number, line in enumerate(lines, 1):
            for found in ANCHOR.finditer(line):
                self.ext.anchors.append((found[1], Location(self.ext.source, number, found.start() + 1)))
        return lines


class _HeadingIds(Treeprocessor):
    """``{#id}`` at the end of a heading is the heading's id; anywhere else in it, an error."""

    def __init__(self, md: Markdown, ext: AnchorExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: ET.Element) -> None:
        for heading in [node for node in root.iter() if node.tag in HEADINGS]:
            element_id = take_trailing_anchor(heading)
            if element_id is not None:
                if heading.tag == "h1":
                    heading.set(TITLE_ANCHOR, element_id.removeprefix(ids.anchor("")))
                else:
                    heading.set("id", element_id)
            if (inside := next(_anchors(heading), None)) is not None:
                raise ManuscriptError(
                    "an anchor inside a heading: write the heading's id at its end, '## Heading {#name}'",
                    self.ext.where(inside.get("id", "")),
                )


def take_trailing_anchor(element: ET.Element) -> str | None:
    """If ``element`` ends with an anchor (only white space after it), take it out and return
    its id; the white space before it goes too."""
    last = element[-1] if len(element) else None
    if last is None or last.get("class") != "anchor" or (last.tail or "").strip():
        return None
    element.remove(last)
    if len(element):
        element[-1].tail = (element[-1].tail or "").rstrip()
    else:
        element.text = (element.text or "").rstrip()
    return last.get("id")


def _anchors(element: ET.Element) -> Iterator[ET.Element]:
    return (node for node in element.iter("span") if node.get("class") == "anchor")


def _anchor(m: re.Match[str]) -> ET.Element:
    span = ET.Element("span")
    span.set("class", "anchor")
    span.set("id", ids.anchor(m[1]))
    return span
