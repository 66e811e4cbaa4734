"""Figures: an image alone in its paragraph is a figure, its title the caption.

    ![A map of Hunan, 1927](images/hunan.png "Hunan in 1927.[^map]") {#map-hunan}

becomes ``<figure id="anchor-map-hunan"><img alt="A map of Hunan, 1927" …/><figcaption>Hunan
in 1927.<a data-note="map"/></figcaption></figure>``: the alt text stays the image's text
alternative, the title is the caption, read as Markdown (emphasis, index marks, note references:
the note numbers in document order, as anywhere), and a ``{#id}`` after the image names the
figure (an anchor, like every ``{#id}``). Without a title the figure has no caption. An image
among words, or in a list item, stays an image in the text; so does an image written
``![alt][ref]`` (a reference). Figures are made in the text of sections, not in notes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension

from build_tools import ids

# ![alt](src "title") {#id}, the title in double or single quotes; the alt text may hold
# brackets one deep (Python-Markdown's own image pattern allows them).
_FIGURE = re.compile(
    r"!\[(?P<alt>(?:[^\[\]]|\[[^\[\]]*\])*)\]"
    r"\(\s*(?P<src><[^<>\n]*>|[^\s()<>]+)"
    r"(?:\s+(?P<quote>[\"'])(?P<title>.*?)(?P=quote))?\s*\)"
    r"(?:[ \t]*\{#(?P<id>[a-z][a-z0-9-]*)\})?",
    re.DOTALL,
)


class FigureExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md.registerExtension(self)
        # Before the paragraph (10), after link definitions (15) have been taken out.
        md.parser.blockprocessors.register(_Figures(md.parser), "figure", 12)


class _Figures(BlockProcessor):
    def test(self, parent: ET.Element, block: str) -> bool:
        return not self.parser.state.isstate("list") and bool(_FIGURE.fullmatch(block.strip()))

    def run(self, parent: ET.Element, blocks: list[str]) -> None:
        found = _FIGURE.fullmatch(blocks.pop(0).strip())
        assert found is not None  # test() said so
        figure = ET.SubElement(parent, "figure")
        if found["id"]:
            figure.set("id", ids.anchor(found["id"]))
        figure.text = f"![{found['alt']}]({found['src']})"  # the inline patterns make the <img>
        if found["title"] and found["title"].strip():
            caption = ET.SubElement(figure, "figcaption")
            caption.text = " ".join(found["title"].split())
